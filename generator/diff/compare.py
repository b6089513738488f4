"""``clientgen diff``: what changes for the client's users between two analyses of a spec.

Both sides went through the same pipeline (validation policy, IR, rename map,
automatic naming), so findings speak of ``resource.method`` and
``Model.field``. Operations are matched by ``METHOD /path``, then by readable
name; models by readable name, then by schema key, then by identical content,
so that a machine-name change the naming absorbs is no change and a change of
readable name is one ``model-renamed`` finding. Pure: analyses in, findings out.

Which model is which is ``matching``; how a change is judged (rule, level,
facets merged) is ``judge``; this module walks the two sides.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.contract import (
    auth_scheme,
    response_kind,
    stream_format,
    visible_parameters,
)
from generator.diff.finding import Finding
from generator.diff.judge import fold_shared, judge_changes, merge_facets, new_finding
from generator.diff.matching import match_models, shape_of
from generator.diff.schema import SchemaComparer
from generator.diff.side import Prepared, prepare
from generator.diff.surface import Reach, Surface, kind_of
from generator.diff.unchanged import unchanged_models
from generator.ir import Operation, Parameter
from generator.modeldefs import ObjectModel, open_literal
from generator.naming.case import snake
from generator.pipeline import Analysis
from generator.typemodel import Model, render
from generator.values import EMPTY, NO_SCHEMA, Value


def _method_name(analysis: Analysis, operation: Operation) -> str:
    return analysis.operation_names[operation.key].dotted  # ``pets.list``; ``chat`` for a method of the client


def _visible_parameters(analysis: Analysis, operation: Operation) -> dict[tuple[str, str], Parameter]:
    return {
        (parameter.location, parameter.name): parameter
        for parameter in visible_parameters(operation, auth_scheme(analysis.api))
    }


def _response_shape(operation: Operation) -> str:
    success = operation.success
    if success is not None and stream_format(success.media_type) is not None:
        return "stream"
    return response_kind(success.media_type if success else None)


def _is_flattened(value: Value | None) -> bool:
    """A body written in place with its properties (not a model's): its fields are the method's keyword arguments."""
    return value is not None and value.has_properties and not isinstance(value.type, Model)


class _Comparison:
    def __init__(self, old_side: Prepared, new_side: Prepared, servers_configured: bool) -> None:
        self.old_side, self.new_side = old_side, new_side
        old, new = self.old, self.new = old_side.analysis, new_side.analysis
        self.servers_configured = servers_configured
        self.matching = match_models(old, new)
        self.old_shape, self.new_shape = shape_of(old), shape_of(new)
        self.old_surface, self.new_surface = old_side.surface, new_side.surface
        self.unchanged = unchanged_models(
            old.schemas.models,
            new.schemas.models,
            self.old_shape.definitions,
            self.new_shape.definitions,
            self.old_shape.components,
            self.new_shape.components,
            self.matching,
            new_side.references,
        )
        self.findings: list[Finding] = []

    def comparer(self) -> SchemaComparer:
        return SchemaComparer(self.old_shape, self.new_shape, self.matching)

    def run(self) -> list[Finding]:
        self.info()
        self.auth()
        self.operations()
        self.models()
        self.hoisted()
        findings = fold_shared(merge_facets(self.findings))
        return sorted(set(findings), key=lambda item: (-item.level, item.location, item.rule, item.message))

    def info(self) -> None:
        old, new = self.old.api, self.new.api
        if old.version != new.version:
            self.findings.append(
                new_finding(
                    "api-version-changed",
                    "info.version",
                    f"version {old.version or '(none)'} → {new.version or '(none)'}",
                )
            )
        old_urls, new_urls = [server.url for server in old.servers], [server.url for server in new.servers]
        if old_urls[:1] != new_urls[:1]:
            before, after = (old_urls or ["(none)"])[0], (new_urls or ["(none)"])[0]
            if self.servers_configured:
                self.findings.append(
                    new_finding(
                        "servers-list-changed",
                        "servers",
                        f"first server {before} → {after} (the client's environments are configured, so its default is unchanged)",
                    )
                )
            else:
                self.findings.append(new_finding("servers-changed", "servers", f"default server {before} → {after}"))
        elif set(old_urls) != set(new_urls):
            added, removed = sorted(set(new_urls) - set(old_urls)), sorted(set(old_urls) - set(new_urls))
            parts = [f"added {', '.join(added)}"] * bool(added) + [f"removed {', '.join(removed)}"] * bool(removed)
            self.findings.append(new_finding("servers-list-changed", "servers", "; ".join(parts)))

    def auth(self) -> None:
        old_scheme, new_scheme = auth_scheme(self.old.api), auth_scheme(self.new.api)
        old_auth = (old_scheme.kind, old_scheme.name) if old_scheme else ("none", "")
        new_auth = (new_scheme.kind, new_scheme.name) if new_scheme else ("none", "")
        if old_auth != new_auth:
            self.findings.append(
                new_finding(
                    "auth-changed",
                    "auth",
                    f"api_key sent as {' '.join(old_auth).strip()} → {' '.join(new_auth).strip()}",
                )
            )
        old_keys = {scheme.key for scheme in self.old.api.security_schemes}
        new_keys = {scheme.key for scheme in self.new.api.security_schemes}
        for key in sorted(new_keys - old_keys):
            self.findings.append(
                new_finding("api-security-component-added", f"securitySchemes.{key}", f"security scheme {key} added")
            )
        for key in sorted(old_keys - new_keys):
            self.findings.append(
                new_finding(
                    "api-security-component-removed", f"securitySchemes.{key}", f"security scheme {key} removed"
                )
            )

    def operations(self) -> None:
        old_ops = {operation.key: operation for operation in self.old.api.operations}
        new_ops = {operation.key: operation for operation in self.new.api.operations}
        pairs = [(old_ops[key], new_ops[key]) for key in sorted(set(old_ops) & set(new_ops))]
        # A method that keeps its readable name but moved to another route is still that method.
        old_rest = {_method_name(self.old, old_ops[key]): old_ops[key] for key in sorted(set(old_ops) - set(new_ops))}
        new_rest = {_method_name(self.new, new_ops[key]): new_ops[key] for key in sorted(set(new_ops) - set(old_ops))}
        for name in sorted(set(old_rest) & set(new_rest)):
            before, after = old_rest.pop(name), new_rest.pop(name)
            self.findings.append(
                new_finding("endpoint-route-changed", name, f"now calls {after.key} (was {before.key})", after.key)
            )
            pairs.append((before, after))
        for name, operation in sorted(new_rest.items()):
            self.findings.append(new_finding("endpoint-added", name, f"new method {name}", operation.key))
        new_paths = {operation.path for operation in self.new.api.operations}
        for name, operation in sorted(old_rest.items()):
            whole_path = operation.path not in new_paths
            prefix = "api-path-removed" if whole_path else "api-removed"
            if operation.deprecated:
                note = f" (deprecated{', sunset ' + operation.sunset if operation.sunset else ''})"
                self.findings.append(
                    new_finding(f"{prefix}-with-deprecation", name, f"method {name} removed{note}", operation.key)
                )
            else:
                self.findings.append(
                    new_finding(
                        f"{prefix}-without-deprecation",
                        name,
                        f"method {name} removed without deprecation",
                        operation.key,
                    )
                )
        for before, after in pairs:
            self.operation(before, after)

    def operation(self, before: Operation, after: Operation) -> None:
        old_name, name = _method_name(self.old, before), _method_name(self.new, after)
        route = after.key
        if old_name != name:
            self.findings.append(new_finding("method-renamed", name, f"method {old_name} renamed to {name}", route))
        if after.deprecated and not before.deprecated:
            if after.sunset:
                self.findings.append(
                    new_finding("endpoint-deprecated-with-sunset", name, f"deprecated, sunset {after.sunset}", route)
                )
            else:
                self.findings.append(new_finding("endpoint-deprecated", name, "deprecated", route))
        elif before.deprecated and not after.deprecated:
            self.findings.append(new_finding("endpoint-reactivated", name, "no longer deprecated", route))
        if bool(before.security) != bool(after.security):
            rule_id = "api-security-added" if after.security else "api-security-removed"
            self.findings.append(
                new_finding(
                    rule_id,
                    name,
                    "requires authentication" if after.security else "no longer requires authentication",
                    route,
                )
            )
        self.parameters(before, after, name, route)
        self.body(before, after, name, route)
        self.response(before, after, name, route)

    def parameters(self, before: Operation, after: Operation, name: str, route: str) -> None:
        old_params, new_params = _visible_parameters(self.old, before), _visible_parameters(self.new, after)
        for key in sorted(set(old_params) | set(new_params)):
            location, wire = key
            where = f"{name}({snake(wire)})"
            found: list[Finding] = []
            if key not in old_params:
                parameter = new_params[key]
                if location == "path":
                    rule_id = "new-request-path-parameter"
                else:
                    rule_id = (
                        "new-required-request-parameter" if parameter.required else "new-optional-request-parameter"
                    )
                kind = "required" if parameter.required else "optional"
                found.append(new_finding(rule_id, where, f"new {kind} {location} parameter {wire}", route))
            elif key not in new_params:
                parameter = old_params[key]
                rule_id = (
                    "request-parameter-removed-with-deprecation"
                    if parameter.deprecated
                    else "request-parameter-removed"
                )
                found.append(new_finding(rule_id, where, f"{location} parameter {wire} removed", route))
            else:
                was, parameter = old_params[key], new_params[key]
                if parameter.required != was.required:
                    rule_id = f"request-parameter-became-{'required' if parameter.required else 'optional'}"
                    message = f"{location} parameter {wire} became {'required' if parameter.required else 'optional'}"
                    found.append(replace(new_finding(rule_id, where, message, route), facets=(rule_id,)))
                comparer = self.comparer()
                comparer.compare(
                    self.old.schemas.operations[before.key].arguments.parameters[key].value,
                    self.new.schemas.operations[after.key].arguments.parameters[key].value,
                    "parameter",
                    where,
                )
                found.extend(judge_changes(comparer.changes, ["request"], route))
            # The spec pointer that explains the change: a shared parameter's is its component's.
            self.findings.extend(replace(finding, source=parameter.pointer) for finding in found)

    def body(self, before: Operation, after: Operation, name: str, route: str) -> None:
        where = f"{name}(body)"
        if before.body is None and after.body is None:
            return
        if before.body is None:
            assert after.body is not None
            rule_id = "request-body-added-required" if after.body.required else "request-body-added-optional"
            self.findings.append(new_finding(rule_id, where, "takes a request body now", route))
            return
        if after.body is None:
            self.findings.append(new_finding("request-body-removed", where, "request body removed", route))
            return
        if after.body.required and not before.body.required:
            self.findings.append(
                new_finding("request-body-became-required", where, "request body became required", route)
            )
        elif before.body.required and not after.body.required:
            self.findings.append(
                new_finding("request-body-became-optional", where, "request body became optional", route)
            )
        old_body = self.old.schemas.operations[before.key].arguments.body
        new_body = self.new.schemas.operations[after.key].arguments.body
        old_value = old_body.value if old_body is not None else None
        new_value = new_body.value if new_body is not None else None
        comparer = self.comparer()
        if old_value is not None and new_value is not None and _is_flattened(old_value) and _is_flattened(new_value):
            comparer.properties(old_value, new_value, "property", name, "(")
        else:
            comparer.compare(old_value or NO_SCHEMA, new_value or NO_SCHEMA, "body", where)
        self.findings.extend(judge_changes(comparer.changes, ["request"], route))

    def response(self, before: Operation, after: Operation, name: str, route: str) -> None:
        where = f"{name} -> return"
        old_success, new_success = before.success, after.success
        old_status = old_success.status if old_success else "(none)"
        new_status = new_success.status if new_success else "(none)"
        if old_status != new_status:
            self.findings.append(
                new_finding(
                    "response-success-status-changed", where, f"success status {old_status} → {new_status}", route
                )
            )
        self.pagination(before, after, where, route)
        old_shape, new_shape = _response_shape(before), _response_shape(after)
        if old_shape != new_shape:
            self.findings.append(
                new_finding("response-body-kind-changed", where, f"returns {old_shape} → {new_shape}", route)
            )
            return
        old_value = self.old.schemas.operations[before.key].returns
        new_value = self.new.schemas.operations[after.key].returns
        if old_value is None and new_value is None:
            return
        comparer = self.comparer()
        comparer.compare(old_value or EMPTY, new_value or EMPTY, "body", where)
        self.findings.extend(judge_changes(comparer.changes, ["response"], route))

    def pagination(self, before: Operation, after: Operation, where: str, route: str) -> None:
        old_page, new_page = self.old.paging.get(before.key), self.new.paging.get(after.key)
        if old_page is None and new_page is not None:
            self.findings.append(
                new_finding("response-became-paginated", where, f"returns a page ({new_page.describe()})", route)
            )
        elif old_page is not None and new_page is None:
            self.findings.append(
                new_finding(
                    "response-no-longer-paginated",
                    where,
                    f"no longer returns a page (was {old_page.describe()})",
                    route,
                )
            )
        elif old_page is not None and new_page is not None and old_page != new_page:
            self.findings.append(
                new_finding(
                    "response-pagination-changed", where, f"{old_page.describe()} → {new_page.describe()}", route
                )
            )

    def models(self) -> None:
        """Public names: renamed, changed, added, removed. Hoisted models are compared where they are used.

        Each finding says how the client uses the model (request, response,
        both, unused) and which methods it reaches, children's included.
        """
        for old_name, new_name in sorted(self.matching.items()):
            if old_name == new_name and old_name in self.unchanged:
                continue  # the same name, schema, definition and named models: nothing to find
            old_kind = self._kind(self.old_surface, old_name)
            kind = self._kind(self.new_surface, new_name)
            where = self._reach(old_name, new_name)
            if old_name != new_name:
                self.findings.append(
                    replace(
                        new_finding(
                            "model-renamed",
                            new_name,
                            f"{kind} {old_name} renamed to {new_name}"
                            if old_kind == kind
                            else f"{old_kind} {old_name} renamed to {kind} {new_name}",
                            suggestion=self._keep_name(old_name, new_name),
                        ),
                        **where,
                    )
                )
            comparer = self.comparer()
            comparer.compare_model(old_name, new_name)
            directions = self.old_surface.reach_of(old_name).directions | self.new_surface.reach_of(new_name).directions
            self.findings.extend(
                self._as_argument(replace(finding, **where), new_name)
                for finding in judge_changes(comparer.changes, directions)
            )
            self.literals(old_name, new_name, where)
        matched = set(self.matching.values())
        # A component that takes the name of a class hoisted on the other side (an inline schema moved into
        # components/schemas under the name it already had) is no new or removed public name.
        for name in sorted(set(self.new.schemas.models) - matched - set(self.old.schemas.models)):
            if self.new_shape.is_component(name):
                where = self._reach("", name)
                self.findings.append(
                    replace(
                        new_finding("model-added", name, f"new {self._kind(self.new_surface, name)} {name}"), **where
                    )
                )
        for name in sorted(set(self.old.schemas.models) - set(self.matching) - set(self.new.schemas.models)):
            if self.old_shape.is_component(name):
                where = self._reach(name, "")
                self.findings.append(
                    replace(
                        new_finding("model-removed", name, f"{self._kind(self.old_surface, name)} {name} removed"),
                        **where,
                    )
                )

    def literals(self, old_name: str, new_name: str, where: dict[str, Any]) -> None:
        """A field's ``Literal`` opens (``| str``) when its model can come back in a response, and closes when not.

        The spec says the same values; the generated model does not: a model
        that loses its last response use no longer takes other values.
        """
        old_model, new_model = self.old_surface.models.get(old_name), self.new_surface.models.get(new_name)
        if not isinstance(old_model, ObjectModel) or not isinstance(new_model, ObjectModel):
            return
        after = {field.wire_name: field for field in new_model.fields}
        for field in old_model.fields:
            now = after.get(field.wire_name)
            if now is None or now.type == field.type:
                continue
            if open_literal(field.type) == now.type:
                rule_id, why = "literal-opened", "its model is now returned by a method"
            elif open_literal(now.type) == field.type:
                rule_id, why = "literal-closed", "its model is no longer returned by any method"
            else:
                continue
            message = f"type {render(field.type)} → {render(now.type)}: {why}"
            finding = new_finding(rule_id, f"{new_name}.{field.wire_name}", message)
            self.findings.append(replace(finding, facets=(rule_id,), **where))

    def hoisted(self) -> None:
        """Classes hoisted from inline schemas are public names too, named after where they sit.

        Their content is compared where they are used; here, their names. Each
        place model names are written (a field, an argument, a return value)
        that both sides keep says which new class an old hoisted class became:
        another name is a rename (an import breaks); none, while the place
        stays, is a merge (identical schemas share one class); a new class in a
        kept place is an addition. A class whose places all went with a field
        or method is that change's, and reported there.
        """
        old_hoisted = set(self.old.schemas.models) - self.old_shape.components
        old_places, new_places = self.old_side.positions, self.new_side.positions
        owners: dict[str, str] = dict(self.matching)
        targets: dict[str, set[str]] = {}
        merged: set[str] = set()
        placed: set[str] = set()  # new classes in a place the old side had
        slots: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for (owner, slot), before in old_places.items():
            slots.setdefault(owner, []).append((slot, before))
        # Each owner's places are read once, when the owner is known on the new side: a route at once, a model
        # when matched, a hoisted class when its places say which new class it became.
        pending = [owner for owner in slots if owner.startswith("route:") or owner in owners]
        while pending:
            for owner in pending:
                mapped = owner if owner.startswith("route:") else owners[owner]
                for slot, before in slots[owner]:
                    after = new_places.get((mapped, slot))
                    if after is None:
                        continue
                    gone = [name for name in before if name not in after]
                    fresh = [name for name in after if name not in before]
                    pairs = [(name, name) for name in before if name in after] + list(zip(gone, fresh, strict=False))
                    for name, target in pairs:
                        if name in old_hoisted:
                            targets.setdefault(name, set()).add(target)
                    merged.update(name for name in gone[len(fresh) :] if name in old_hoisted)
                    placed.update(fresh[len(gone) :])
            pending = []
            for name, found in targets.items():
                if len(found) == 1 and name not in owners:
                    owners[name] = next(iter(found))
                    if name in slots:
                        pending.append(name)
        for name in sorted(old_hoisted):
            found = targets.get(name, set())
            kind = self._kind(self.old_surface, name)
            if not found and name in merged and name not in self.new.schemas.models:
                message = f"{kind} {name} removed: the place it held keeps the other classes"
                self.findings.append(replace(new_finding("model-removed", name, message), **self._reach(name, "")))
            if len(found) != 1 or found == {name}:
                continue
            target = next(iter(found))
            if targets.get(target) == {target}:
                message = f"{kind} {name} removed: identical to {target}, which now stands in its place"
                self.findings.append(replace(new_finding("model-removed", name, message), **self._reach(name, target)))
            else:
                message = f"{kind} {name} renamed to {target}"
                finding = new_finding("model-renamed", target, message, suggestion=self._keep_name(name, target))
                self.findings.append(replace(finding, **self._reach(name, target)))
        split = {target for found in targets.values() if len(found) > 1 for target in found} | placed
        for name in sorted(split - set(self.old.schemas.models)):
            if name in self.new.schemas.models and name not in self.new_shape.components:
                message = f"new {self._kind(self.new_surface, name)} {name}, in a place another class held"
                self.findings.append(replace(new_finding("model-added", name, message), **self._reach("", name)))

    def _as_argument(self, finding: Finding, model: str) -> Finding:
        """A field of a body model that methods take as keyword arguments is also each such argument: the
        finding (one per change, at the model) names them: ``the argument pets.create(kind)``."""
        field = finding.location.removeprefix(f"{model}.")
        if field == finding.location:
            return finding
        arguments = [
            f"{method.name}({dict(method.keyword_fields)[field]})"
            for method in self.new_surface.methods
            if method.keyword_body == model and field in dict(method.keyword_fields)
        ]
        if not arguments:
            return finding
        noun = "argument" if len(arguments) == 1 else "arguments"
        return replace(finding, message=f"{finding.message}; the keyword {noun} {', '.join(arguments)}")

    @staticmethod
    def _kind(surface: Surface, name: str) -> str:
        model = surface.models.get(name)
        return kind_of(model) if model is not None else "model"

    def _reach(self, old_name: str, new_name: str) -> dict[str, Any]:
        """``use`` and ``reaches`` of a finding about a model: the old side's and the new side's uses together."""
        old, new = self.old_surface.reach_of(old_name), self.new_surface.reach_of(new_name)
        both = Reach(old.request | new.request, old.response | new.response, old.children | new.children)
        return {"use": both.use, "reaches": (*both.methods, *sorted(both.children))}

    def _keep_name(self, old_name: str, new_name: str) -> str:
        keys = self.new.model_names.keys_of(new_name)
        if not keys:
            return f"{new_name} is an inline schema named after where it sits; name its parent or move it to components/schemas to choose its name"
        return f"to keep the old name, add to the rename map: {keys[0]}: {old_name}"


def compare_analyses(old: Analysis, new: Analysis, servers_configured: bool = False) -> list[Finding]:
    """Every change from ``old`` to ``new``, worst first; empty when nothing changes for users."""
    return compare_prepared(prepare(old), prepare(new), servers_configured)


def compare_prepared(old: Prepared, new: Prepared, servers_configured: bool = False) -> list[Finding]:
    """``compare_analyses`` of sides prepared already (``clientgen diff`` prepares each where it was analysed)."""
    return _Comparison(old, new, servers_configured).run()

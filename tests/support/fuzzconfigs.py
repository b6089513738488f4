"""Random configurations for property-based tests, and the check every one of them must pass.

``configurations()`` draws a ``clientgen.yaml`` for the paging features spec (tests/features/paging.yaml,
eleven operations that page every way clientgen knows) with hostile values in every setting: package,
module and class names from ``fuzzdocs.HOSTILE_NAMES`` (keywords, ``True``/``none``, builtins, client
attributes, runtime names, digits first, non-ASCII), values of the wrong YAML type, unknown keys,
``operations:`` targets, and random ``pagination:`` entries (styles, parameters the operation has or
lacks, items/cursor/has_more paths into the response or beside it). The spec itself may gain a random
``x-pagination``, ``x-fern-pagination`` or ``x-speakeasy-pagination`` block on one operation.

``check_configuration`` reads and generates in-process and asserts the contract: either a
``ClientgenError`` that is one located line in the configuration or the spec (exit 2), or a package that
compiles, imports with warnings as errors and passes ``mypy --strict``, in which no paginated method
sends a query parameter its operation lacks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import yaml
from hypothesis import strategies as st

from generator.config import load_project
from generator.errors import ClientgenError
from generator.pagination import STYLES
from generator.pipeline import generate
from generator.write import write_tree
from support.fuzzdocs import HOSTILE_NAMES, _import_with_warnings_as_errors, _mypy_strict
from support.paths import TESTS

SPEC = TESTS / "features" / "paging.yaml"
_SPEC_DATA: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))


def _operations() -> dict[str, tuple[str, str, list[str], list[str]]]:
    """operationId → (path, method, its query parameters, the top-level fields of its response body)."""
    found: dict[str, tuple[str, str, list[str], list[str]]] = {}
    for path, item in _SPEC_DATA["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            content = operation["responses"].get("200", {}).get("content", {})
            schema = next(iter(content.values()), {}).get("schema", {}) if content else {}
            fields = list((schema.get("properties") or {}).keys()) if isinstance(schema, dict) else []
            found[operation["operationId"]] = (path, method, query, fields)
    return found


OPERATIONS = _operations()
_WORDS = st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=8))
_WRONG_TYPES = st.one_of(st.booleans(), st.integers(-5, 5), st.none(), st.just(1.5), st.just([]), st.just({}))
_NESTED = ("meta", "paging", "following", "next_cursor", "next", "id", "data", "has_more", "records", "rows")


def _sometimes(draw: Any, percent: int) -> bool:
    """True about ``percent`` times in a hundred (hypothesis favours small integers: 0 counts as False)."""
    return 0 < draw(st.integers(0, 100)) <= percent


def _path_value(draw: Any, fields: list[str]) -> Any:
    return draw(
        st.one_of(
            st.sampled_from([*fields, ""]) if fields else st.just(""),
            st.builds(
                lambda parts: ".".join(parts), st.lists(st.sampled_from([*fields, *_NESTED]), min_size=1, max_size=3)
            ),
            st.lists(st.sampled_from([*fields, *_NESTED]), max_size=3),
            _WORDS,
            _WRONG_TYPES,
        )
    )


def _paging_settings(draw: Any, query: list[str], fields: list[str]) -> Any:
    if _sometimes(draw, 8):
        return draw(st.one_of(st.just(False), _WRONG_TYPES))
    settings: dict[str, Any] = {"style": draw(_WORDS) if _sometimes(draw, 10) else draw(st.sampled_from(STYLES))}
    parameter = st.one_of(st.sampled_from(query) if query else _WORDS, _WORDS, _WRONG_TYPES)
    if not _sometimes(draw, 20):
        settings["param"] = draw(parameter) if _sometimes(draw, 40) else draw(st.sampled_from(query or ["x"]))
    if _sometimes(draw, 30):
        settings["size_param"] = draw(parameter)
    for key in ("items", "cursor", "has_more"):
        if _sometimes(draw, 40):
            settings[key] = _path_value(draw, fields)
    if _sometimes(draw, 8):
        settings[draw(_WORDS)] = draw(_WORDS)
    return settings


def _extension(draw: Any, query: list[str], fields: list[str]) -> tuple[str, Any]:
    request = st.builds(lambda name: f"$request.{name}", st.one_of(st.sampled_from(query or ["x"]), _WORDS))
    response = st.builds(lambda path: f"$response.{path}", st.sampled_from([*fields, *_NESTED]))
    kind = draw(st.sampled_from(["x-pagination", "x-fern-pagination", "x-speakeasy-pagination"]))
    if kind == "x-pagination":
        return kind, _paging_settings(draw, query, fields)
    if kind == "x-fern-pagination":
        block = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "cursor": st.one_of(request, _WRONG_TYPES),
                    "next_cursor": response,
                    "offset": request,
                    "step": request,
                    "results": response,
                    "has-next-page": response,
                },
            )
        )
        return kind, draw(st.one_of(st.just(block), st.just(True), _WRONG_TYPES))
    jsonpath = st.builds(lambda path: f"$.{path}", st.sampled_from([*fields, *_NESTED]))
    inputs = st.lists(
        st.fixed_dictionaries(
            {
                "name": st.one_of(st.sampled_from(query or ["x"]), _WORDS),
                "in": st.sampled_from(["parameters", "requestBody", "path"]),
                "type": st.sampled_from(["offset", "limit", "page", "cursor", "size"]),
            }
        ),
        max_size=3,
    )
    outputs = st.fixed_dictionaries(
        {}, optional={"results": jsonpath, "nextCursor": jsonpath, "nextUrl": jsonpath, "numPages": jsonpath}
    )
    block = {"type": draw(st.sampled_from(["offsetLimit", "cursor", "url", "pages"])), "inputs": draw(inputs)}
    block["outputs"] = draw(outputs)
    return kind, block


_NAMES = st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=10), _WRONG_TYPES)


@st.composite
def configurations(draw: Any) -> tuple[str, str]:
    """(clientgen.yaml's text, the spec's text): the spec is the features spec, maybe with one paging block."""
    entry: dict[str, Any] = {"spec": "spec.yaml"}
    entry["package"] = draw(_NAMES) if _sometimes(draw, 25) else "fuzzpkg"
    for key in ("client_class", "async_client_class", "typed_client_class", "async_typed_client_class", "env_prefix"):
        if _sometimes(draw, 5):
            entry[key] = draw(st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=8), _WRONG_TYPES))
    if _sometimes(draw, 8):
        entry["http_module"] = draw(st.one_of(st.sampled_from(["httpx2", "httpx", "htpx"]), _WRONG_TYPES))
    ids = list(OPERATIONS)
    if _sometimes(draw, 30):
        targets = st.one_of(
            st.builds(lambda a, b: f"{a}.{b}", st.sampled_from(HOSTILE_NAMES), st.sampled_from(HOSTILE_NAMES)),
            st.sampled_from(HOSTILE_NAMES),
            _WRONG_TYPES,
        )
        entry["operations"] = draw(st.dictionaries(st.one_of(st.sampled_from(ids), _WORDS), targets, max_size=3))
    if _sometimes(draw, 60):
        pagination: dict[str, Any] = {}
        keys = st.one_of(st.sampled_from(ids), _WORDS) if _sometimes(draw, 15) else st.sampled_from(ids)
        for key in draw(st.lists(keys, min_size=1, max_size=3, unique_by=str)):
            _, _, query, fields = OPERATIONS.get(key, ("", "", [], []))
            pagination[key] = _paging_settings(draw, query, fields)
        entry["pagination"] = pagination
    if _sometimes(draw, 5):
        entry[draw(_WORDS)] = draw(_WORDS)
    spec = {**_SPEC_DATA, "paths": {path: dict(item) for path, item in _SPEC_DATA["paths"].items()}}
    if _sometimes(draw, 50):
        operation_id = draw(st.sampled_from(ids))
        path, method, query, fields = OPERATIONS[operation_id]
        for name in ("x-pagination", "x-fern-pagination", "x-speakeasy-pagination"):
            spec["paths"][path][method] = {
                key: value for key, value in spec["paths"][path][method].items() if key != name
            }
        kind, block = _extension(draw, query, fields)
        spec["paths"][path][method][kind] = block
    config = yaml.safe_dump({"clients": [entry]}, allow_unicode=draw(st.booleans()), sort_keys=False)
    return config, yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)


class ConfigOutcome:
    generated = 0
    refused = 0
    reasons: ClassVar[dict[str, int]] = {}


def check_configuration(config_text: str, spec_text: str, mypy_cache: Path) -> None:
    """The contract for one configuration (see the module docstring); AssertionError when it is broken.

    With ``CLIENTGEN_FUZZ_FAILURES`` set, a failing configuration (and its spec) is also saved in that folder."""
    try:
        _check(config_text, spec_text, mypy_cache)
    except Exception:
        folder = os.environ.get("CLIENTGEN_FUZZ_FAILURES")
        if folder:
            name = f"config-failure-{abs(hash(config_text + spec_text)) % 10**12}"
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / f"{name}.yaml").write_text(config_text, encoding="utf-8")
            (Path(folder) / f"{name}.spec.yaml").write_text(spec_text, encoding="utf-8")
        raise


def _check(config_text: str, spec_text: str, mypy_cache: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="clientgen-fuzzconfig-"))
    try:
        config_path = work / "clientgen.yaml"
        config_path.write_text(config_text, encoding="utf-8")
        (work / "spec.yaml").write_text(spec_text, encoding="utf-8")
        try:
            project = load_project(config_path)
            results = [(config, generate(config)) for config in project.clients]
        except ClientgenError as error:
            line = str(error)
            assert "\n" not in line and line.isprintable(), repr(line)
            assert "please report" not in line and "internal error" not in line, line
            assert error.location is not None, line
            assert error.location.file in (str(config_path), str(work / "spec.yaml")), line
            assert error.location.line is not None, line
            ConfigOutcome.refused += 1
            reason = " ".join(error.message.split()[:6])
            ConfigOutcome.reasons[reason] = ConfigOutcome.reasons.get(reason, 0) + 1
            return
        for config, result in results:
            for key, paging in result.analysis.paging.items():
                operation = next(op for op in result.analysis.api.operations if op.key == key)
                query = {parameter.name for parameter in operation.parameters if parameter.location == "query"}
                sent = {name for name in (paging.param, paging.size_param) if name}
                assert sent <= query, f"{key} would send {sorted(sent - query)}, which it does not take"
            write_tree(config.output, result.files)
            for path in sorted(config.output.rglob("*.py")):
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
            _import_with_warnings_as_errors(config.output.parent, config.package)
            _mypy_strict(config.output.parent, config.package, mypy_cache)
        ConfigOutcome.generated += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)

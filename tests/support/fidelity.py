"""Model fidelity: do the models accept what the schema accepts? clientgen's beside datamodel-code-generator's.

For every component schema of a document, :func:`instances` draws up to
:data:`PER_SCHEMA` distinct instances (the required-only and all-fields ones and a
few seeded random mixes), each accepted by openapi-schema-validator in the
response dialect (what a model parses). :func:`measure` validates each instance
with the generated package's model for that schema (pydantic) and, when
``datamodel-codegen`` is installed, with the model datamodel-code-generator writes
for the same schema: the two acceptance rates go beside each other in the table.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from support.sampler import Sampler, Unsatisfiable

PER_SCHEMA = 5
SEEDS = (1, 2, 3)
DMCG_TIMEOUT = 180  # the largest documents take datamodel-code-generator longer; reported, not waited for


@dataclass
class Fidelity:
    schemas: int = 0
    instances: int = 0
    without_instance: int = 0
    clientgen_accepted: int = 0
    clientgen_checked: int = 0
    clientgen_failures: list[tuple[str, str]] = field(default_factory=list)  # (schema key, message)
    dmcg_accepted: int = 0
    dmcg_checked: int = 0
    dmcg_unmapped: int = 0  # schemas with no class of that name in its output
    dmcg_failures: list[tuple[str, str]] = field(default_factory=list)
    dmcg_problem: str = ""  # it could not be run, or its module could not be imported
    seconds: float = 0.0


def instances(sampler: Sampler, key: str) -> list[Any]:
    """Distinct valid instances of ``#/components/schemas/<key>`` (read dialect); empty when none can be made."""
    schema = {"$ref": "#/components/schemas/" + key.replace("~", "~0").replace("/", "~1")}
    found: list[Any] = []
    attempts: list[tuple[bool, int | None]] = [(False, None), (True, None), *((True, seed) for seed in SEEDS)]
    for full, seed in attempts:
        try:
            instance = sampler.sample(sampler_ref(schema), full=full, context="response", seed=seed)
        except Unsatisfiable:
            continue
        if instance not in found:
            found.append(instance)
        if len(found) >= PER_SCHEMA:
            break
    return found


def sampler_ref(schema: dict[str, str]) -> dict[str, str]:
    from support.sampler import URN

    return {"$ref": URN + schema["$ref"]}


def _normalised(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def dmcg_models(spec: Path, work: Path, name: str) -> tuple[ModuleType | None, str]:
    """datamodel-code-generator's models for ``spec``, imported; or None and why not."""
    executable = shutil.which("datamodel-codegen", path=str(Path(sys.executable).parent)) or shutil.which(
        "datamodel-codegen"
    )
    if executable is None:
        return None, "datamodel-codegen is not installed (nox -s conformance installs it)"
    output = work / f"dmcg_{name}.py"
    command = [
        executable,
        "--input",
        str(spec),
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--formatters",
        "builtin",
        "--disable-timestamp",
        "--output",
        str(output),
    ]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=DMCG_TIMEOUT)
        if run.returncode != 0 and "Modular references require an output directory" in run.stderr:
            # Dotted schema names (``api.v2010.account``) become a package of modules: give it a folder.
            output = work / f"dmcg_{name}"
            command[command.index("--output") + 1] = str(output)
            run = subprocess.run(command, capture_output=True, text=True, timeout=DMCG_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"datamodel-codegen timed out after {DMCG_TIMEOUT} s"
    if run.returncode != 0 or not output.exists():
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        return None, f"datamodel-codegen failed: {lines[-1][:300] if lines else run.returncode}"
    module_name = f"dmcg_{name}"
    try:
        if output.is_dir():
            return _package_classes(output, module_name), ""
        loader = importlib.util.spec_from_file_location(module_name, output)
        assert loader is not None and loader.loader is not None
        module = importlib.util.module_from_spec(loader)
        sys.modules[module_name] = module
        loader.loader.exec_module(module)
    except Exception as exc:
        return None, f"its models do not import: {type(exc).__name__}: {str(exc)[:300]}"
    return module, ""


def _package_classes(folder: Path, name: str) -> ModuleType:
    """The classes of every module of the package datamodel-code-generator wrote into ``folder``, as one
    namespace (the first of each name wins: the top module's, then by module path)."""
    import importlib
    import pkgutil

    sys.path.insert(0, str(folder.parent))
    try:
        package = importlib.import_module(folder.name)
        modules = [package]
        for info in sorted(
            pkgutil.walk_packages(package.__path__, prefix=folder.name + "."), key=lambda item: item.name
        ):
            modules.append(importlib.import_module(info.name))
    finally:
        sys.path.remove(str(folder.parent))
    merged = ModuleType(name)
    for module in modules:
        relative = module.__name__.removeprefix(folder.name).strip(".")
        for attribute, value in vars(module).items():
            if not (attribute[:1].isupper() and isinstance(value, type)):
                continue
            # Also under its module path (``api.v2010`` + ``Account``): the schema ``api.v2010.account``.
            for key in (attribute, f"{relative}_{attribute}".capitalize() if relative else ""):
                if key and key not in vars(merged):
                    setattr(merged, key, value)
    return merged


def _adapter(model: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(model)


def _accepts(adapter: Any, instance: Any) -> str:
    """``""`` when the model parses the instance, else pydantic's first error."""
    try:
        adapter.validate_python(instance)
    except Exception as exc:
        errors = getattr(exc, "errors", None)
        if callable(errors):
            try:
                first = errors()[0]
                return f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"[:300]
            except Exception:
                pass
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    return ""


def measure(
    document: Any, model_names: dict[str, str], models: ModuleType, spec: Path, work: Path, name: str, *, dmcg: bool
) -> Fidelity:
    """Instances of every component schema through clientgen's models (and datamodel-code-generator's)."""
    sampler = Sampler(document)
    keys = sorted(((document.get("components") or {}).get("schemas") or {}).keys())
    result = Fidelity(schemas=len(keys))
    theirs, problem = dmcg_models(spec, work, name) if dmcg and keys else (None, "not run")
    result.dmcg_problem = problem
    their_classes = (
        {_normalised(attribute): getattr(theirs, attribute) for attribute in vars(theirs) if attribute[:1].isupper()}
        if theirs is not None
        else {}
    )
    for key in keys:
        found = instances(sampler, key)
        if not found:
            result.without_instance += 1
            continue
        result.instances += len(found)
        ours = getattr(models, model_names.get(key, ""), None)
        our_adapter = _safe(ours)
        their = their_classes.get(_normalised(key))
        their_adapter = _safe(their) if their is not None else None
        if theirs is not None and their is None:
            result.dmcg_unmapped += 1
        for instance in found:
            result.clientgen_checked += 1
            message = _accepts(our_adapter, instance) if our_adapter is not None else "no model for this schema"
            if message:
                result.clientgen_failures.append((key, f"{message} | instance: {json.dumps(instance)[:200]}"))
            else:
                result.clientgen_accepted += 1
            if theirs is None or their is None:
                continue
            result.dmcg_checked += 1
            message = _accepts(their_adapter, instance) if their_adapter is not None else "its class has no schema"
            if message:
                result.dmcg_failures.append((key, message))
            else:
                result.dmcg_accepted += 1
    return result


def _safe(model: Any) -> Any:
    if model is None:
        return None
    try:
        return _adapter(model)
    except Exception:
        return None

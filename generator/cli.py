"""The command line: ``clientgen init | generate | check | validate | diff | renames suggest``.

Exit status: 0 success; 1 stale or hand-edited output, or ``diff --fail-on``
triggered; 2 bad input or usage, printed as one line (file:line (pointer):
reason); 3 an internal error (a bug), with the traceback only under ``-v``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__, console, uptodate
from generator.cache import Cache, open_cache
from generator.config import (
    ClientConfig,
    Project,
    client_config,
    find_config,
    load_project,
    package_config,
    project_root,
    with_options,
)
from generator.errors import ClientgenError, Location
from generator.manifest import GENERATOR, MANIFEST, recorded_generator
from generator.progress import Progress
from generator.uptodate import UpToDate
from generator.write import check_overwrites, check_target, compare_tree, read_tree, write_file_atomically, write_tree

if TYPE_CHECKING:
    from generator.pipeline import Generated

# The pipeline, the validator and the diff are imported where they are used: a
# no-op `generate` or `check` must not pay for black, jinja2 or
# openapi-spec-validator (see uptodate.py).


EXIT_STATUS = """exit status:
  0  success
  1  generated code is stale or was edited by hand, or `diff --fail-on` found a change at that level
  2  bad input or usage (the message says which file, line and JSON pointer)
  3  internal error in clientgen: please report it (run with -v to see the traceback)
"""


def _global_options(parser: argparse.ArgumentParser, after: bool) -> None:
    """--config, -q and -v, accepted before the subcommand and after it (kept apart, merged in ``main``)."""
    prefix = "after_" if after else ""
    parser.add_argument(
        "--config",
        dest=f"{prefix}config",
        type=Path,
        default=None,
        metavar="FILE",
        help="configuration file (default: pyproject.toml [tool.clientgen], clientgen.yaml or spec/clientgen.yaml, searched upwards)",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-q",
        "--quiet",
        dest=f"{prefix}quiet",
        action="store_true",
        default=False,
        help="print only errors, warnings and failures",
    )
    verbosity.add_argument(
        "-v",
        "--verbose",
        dest=f"{prefix}verbose",
        action="count",
        default=0,
        help="print progress, and the traceback of an internal error",
    )


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    example: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=description or summary,
        epilog=f"example:\n{example}\n\n{EXIT_STATUS}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(parser, after=True)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clientgen",
        description="Generate readable Python clients from OpenAPI 3.0/3.1 documents.",
        epilog="examples:\n"
        "  clientgen init openapi.yaml --package acme   # configure a project and generate its client\n"
        "  clientgen generate                           # regenerate every configured client\n"
        "  clientgen check                              # exit 1 if generated code is stale or edited\n"
        "  clientgen generate api.json --package acme --output vendor/acme\n\n"
        "`clientgen COMMAND --help` shows each command's options and an example.\n\n" + EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"clientgen {__version__}")
    _global_options(parser, after=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = _command(
        commands,
        "generate",
        "generate the configured clients, or one spec with --package/--output",
        "  clientgen generate                 # every client in the configuration\n"
        "  clientgen generate bctrl           # one configured client\n"
        "  clientgen generate openapi.yaml --package acme --output vendor/acme",
        "Generate the configured clients (all, or those named), or one spec file with --package and --output.\n"
        "The output directory must not exist, be empty, or hold a package clientgen generated: only files\n"
        "that clientgen generated before are replaced or removed.",
    )
    gen.add_argument("target", nargs="*", help="client names from the configuration, or one spec file")
    gen.add_argument("--package", help="package name, when generating from a spec file")
    gen.add_argument("--output", type=Path, help="output directory, when generating from a spec file")
    gen.add_argument("--renames", type=Path, help="rename map, when generating from a spec file")
    gen.add_argument("--lenient", action="store_true", help="generate despite validation errors (printed as warnings)")
    gen.add_argument(
        "--ignore",
        action="append",
        default=[],
        help="ignore validation errors at this JSON pointer prefix or with this text (repeatable)",
    )
    gen.add_argument("--http", choices=("httpx2", "httpx"), default=None, help="HTTP library of the generated code")
    _no_cache(gen)

    init = _command(
        commands,
        "init",
        "configure this project for a spec, write a suggested rename map and generate",
        "  clientgen init openapi.yaml --package acme",
        "Write the configuration (into pyproject.toml as [tool.clientgen] when there is one, else clientgen.yaml),\n"
        "a suggested rename map beside the spec, and generate the client; then print the next steps.",
    )
    init.add_argument("spec", type=Path, help="the OpenAPI document")
    init.add_argument("--package", help="package name (default: from the spec's title)")
    init.add_argument("--output", help="output directory, relative to the project (default: generated/PACKAGE)")
    init.add_argument("--lenient", action="store_true", help="configure lenient validation: errors become warnings")
    _no_cache(init)

    check = _command(
        commands,
        "check",
        "exit 1 if generated code is stale or edited by hand",
        "  clientgen check                    # every configured client\n"
        "  clientgen check bctrl --diff       # one client, with a diff of what would change\n"
        "  clientgen check vendor/acme        # a package generated from a spec file",
        "Regenerate in memory and compare with what is on disk. Names each file that is stale\n"
        "(the spec, the configuration or clientgen changed) or edited by hand.",
    )
    check.add_argument("names", nargs="*", help="client names (default: all), or directories of generated packages")
    check.add_argument(
        "--diff", action="store_true", help="show a unified diff of what `clientgen generate` would change"
    )
    _no_cache(check)

    val = _command(commands, "validate", "validate an OpenAPI document", "  clientgen validate spec/bctrl.yaml")
    val.add_argument("spec", type=Path)
    val.add_argument(
        "--ignore", action="append", default=[], help="ignore errors at this JSON pointer prefix or with this text"
    )
    _no_cache(val)

    diff = _command(
        commands,
        "diff",
        "what changes for the client's users between two specs",
        "  clientgen diff main:spec/bctrl.yaml spec/bctrl.yaml\n  clientgen diff --format markdown --fail-on breaking",
        "Compare OLD and NEW (spec files or REF:path in git); with neither, each configured spec "
        "at the merge base with the default branch against the working tree.",
    )
    diff.add_argument("sides", nargs="*", metavar="OLD NEW", help="two specs: files or REF:path")
    diff.add_argument(
        "--renames", nargs="+", metavar="MAP", help="rename map for both sides, or OLD_MAP NEW_MAP (files or REF:path)"
    )
    diff.add_argument("--client", help="use this configured client's rename map and settings")
    diff.add_argument("--lenient", action="store_true", help="compare despite validation errors")
    diff.add_argument(
        "--base",
        metavar="BRANCH",
        help="without OLD NEW: compare with the merge base of this branch (default: the default branch)",
    )
    diff.add_argument(
        "--format",
        action="append",
        metavar="FORMAT[=FILE]",
        help="text (default), markdown or json; to FILE instead of standard output. Repeat it for several "
        "reports from one run: --format markdown=diff.md --format json=diff.json",
    )
    diff.add_argument(
        "--fail-on", choices=("breaking", "warning"), help="exit 1 if a finding at this level or worse remains"
    )
    diff.add_argument(
        "--ignore",
        type=Path,
        help="ignore list: YAML (ignore: [{rule, location}]) or text ('rule location' lines); globs allowed",
    )
    diff.add_argument("--show-api", action="store_true", help="also show the unified diff of the two api.txt listings")
    _no_cache(diff)

    renames = _command(commands, "renames", "work with rename maps", "  clientgen renames suggest bctrl --write")
    renames_commands = renames.add_subparsers(dest="renames_command", required=True, metavar="COMMAND")
    suggest = _command(
        renames_commands,
        "suggest",
        "suggest a complete rename map, or refresh a client's map in place with --write",
        "  clientgen renames suggest bctrl --write        # refresh the configured map, keeping your names\n"
        "  clientgen renames suggest spec/acme.yaml       # print a fresh map for a spec",
        "Print a rename map naming every schema, each entry commented with where it is used. With a\n"
        "configured client, start from its map: existing entries, comments and order are kept, new\n"
        "schemas are added, entries whose schema is gone are commented out. --write updates the file\n"
        "in place (atomically) instead of printing it.",
    )
    suggest.add_argument(
        "target", nargs="?", metavar="CLIENT|SPEC", help="a configured client (default: the only one), or a spec file"
    )
    suggest.add_argument(
        "--renames", type=Path, help="the rename map to start from (default: the client's configured map)"
    )
    suggest.add_argument(
        "--write",
        action="store_true",
        help="update the map in place: keep every entry and comment, add new keys, comment out stale ones",
    )
    suggest.add_argument("--lenient", action="store_true", help="suggest despite validation errors")
    return parser


def _no_cache(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache (default: the user cache directory, or CLIENTGEN_CACHE_DIR)",
    )


def _progress(config: ClientConfig, count: int) -> Progress:
    progress = Progress.for_terminal(console.verbosity())
    progress.prefix = f"{config.name}: " if count > 1 else ""
    return progress


def _single_spec_config(args: argparse.Namespace) -> ClientConfig:
    spec = Path(args.target[0])
    if not args.package or not args.output:
        raise ClientgenError("generating from a spec file needs --package and --output")
    return client_config(
        from_flags=True,
        spec=spec,
        package=args.package,
        output=args.output,
        renames=args.renames,
        http_module=args.http,
        validation="lenient" if args.lenient else None,
        ignore_validation=args.ignore,
    )


def _is_spec_file(target: str) -> bool:
    """A spec rather than a client's name: a document's suffix, a path (client names have no '/'), or a file
    of any kind (a FIFO or device is then refused as one, not taken for a client's name)."""
    path = Path(target)
    return (
        path.suffix.lower() in (".yaml", ".yml", ".json")
        or "/" in target
        or "\\" in target
        or (path.exists() and not path.is_dir())
    )


def _protected_without_loading(config_path: Path | None) -> list[tuple[Path, str]]:
    """The nearest project's root and configuration directory, which no output may be or contain."""
    found = config_path or find_config()
    if found is None:
        return []
    return [(project_root(found), "the project's root"), (found.parent, f"the configuration ({found.name})")]


def cmd_generate(args: argparse.Namespace) -> int:
    if len(args.target) == 1 and _is_spec_file(args.target[0]):
        configs = [_single_spec_config(args)]
        protected = _protected_without_loading(args.config)
        root = Path.cwd()
    else:
        project = load_project(args.config)
        configs = project.select(args.target)
        protected = project.protected()
        root = project.root
        if args.lenient or args.http or args.ignore:
            configs = [
                with_options(
                    config,
                    validation="lenient" if args.lenient else config.validation,
                    http_module=args.http or config.http_module,
                    ignore_validation=[*config.ignore_validation, *args.ignore],
                )
                for config in configs
            ]
    # Refuse unsafe targets and generate everything in memory first: one failure writes nothing at all.
    for config in configs:
        check_target(config.output, protected, _shown(config.output, root))
    cache = open_cache(not args.no_cache)
    results: list[tuple[ClientConfig, str | None, UpToDate | Generated]] = []
    for config in configs:
        entry = uptodate.inputs_key(config) if cache.enabled else None
        unchanged = uptodate.check(config, cache, entry)
        if unchanged is not None:
            results.append((config, entry, unchanged))
            continue
        from generator.pipeline import generate

        with _progress(config, len(configs)) as progress:
            results.append((config, entry, generate(config, cache=cache, progress=progress)))
    for config, _, result in results:
        if not isinstance(result, uptodate.UpToDate):
            check_overwrites(config.output, result.files)
    for config, entry, result in results:
        if isinstance(result, uptodate.UpToDate):
            for warning in result.warnings:
                console.warn(warning)
            console.info(f"{config.name}: up to date, {result.files} files in {_shown(config.output, root)}")
            continue
        warnings = [str(problem) for problem in result.analysis.problems]
        for warning in warnings:
            console.warn(warning)
        write_tree(config.output, result.files)
        uptodate.remember(cache, entry, result.files[MANIFEST], warnings)
        console.info(f"generated {config.name}: {len(result.files)} files in {_shown(config.output, root)}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from generator import init
    from generator.load import load_document
    from generator.naming.suggest import suggest_rename_map
    from generator.pipeline import analyse, generate

    root = Path.cwd()
    document = load_document(args.spec)
    info = document.data.get("info")
    title = str(info.get("title", "")) if isinstance(info, dict) else ""
    package = args.package or init.package_name(title, args.spec.stem)
    plan = init.plan(root, args.spec, package, args.output, args.lenient)
    config_text = init.configuration_text(plan)
    config = client_config(
        from_flags=True,
        spec=root / plan.spec,
        package=package,
        output=root / plan.output,
        validation="lenient" if args.lenient else None,
    )
    check_target(config.output, [(root, "the project's root")], plan.output)
    cache = open_cache(not args.no_cache)
    renames = root / plan.renames
    wrote_map = False
    if renames.exists():
        console.info(f"keeping the existing rename map {plan.renames}")
    else:
        analysis = analyse(config, document, cache=cache)
        for problem in analysis.problems:
            console.warn(str(problem))
        write_file_atomically(
            renames, suggest_rename_map(analysis.api, analysis.operation_names, analysis.model_names, plan.spec)
        )
        wrote_map = True
    config = replace(config, renames=renames)
    try:
        result = generate(config, cache=cache)
        check_overwrites(config.output, result.files)
        write_tree(config.output, result.files)
    except BaseException:
        if wrote_map:
            renames.unlink(missing_ok=True)
        raise
    write_file_atomically(plan.config_file, config_text)
    _remember_as_configured(plan.config_file, config, result, cache)
    console.info(init.next_steps(plan, len(result.files)))
    return 0


def _remember_as_configured(config_file: Path, generated_with: ClientConfig, result: Generated, cache: Cache) -> None:
    """Record the no-op stamp for the client as the configuration just written reads back, so that the
    first `check` or `generate` after `init` finds the package up to date instead of regenerating it.

    Only when that reading is the configuration the package was made with: a stamp
    for anything else would call a stale package fresh.
    """
    if not cache.enabled:
        return
    try:
        configured = [client for client in load_project(config_file).clients if client.name == generated_with.name]
    except ClientgenError:
        return
    if len(configured) != 1 or not _same_inputs(configured[0], generated_with):
        return
    warnings = [str(problem) for problem in result.analysis.problems]
    uptodate.remember(cache, uptodate.inputs_key(configured[0]), result.files[MANIFEST], warnings)


def _same_inputs(one: ClientConfig, other: ClientConfig) -> bool:
    def where(path: Path | None) -> Path | None:
        return None if path is None else path.resolve()

    return (
        one.describe() == other.describe()
        and where(one.spec) == where(other.spec)
        and where(one.renames) == where(other.renames)
        and where(one.output) == where(other.output)
    )


def _shown(path: Path, root: Path) -> str:
    """A path as the user should read it: relative to the project when inside it."""
    absolute = path.resolve()
    base = root.resolve()
    return absolute.relative_to(base).as_posix() if absolute.is_relative_to(base) else str(path)


def _unified(on_disk: Mapping[str, bytes], fresh: Mapping[str, bytes], paths: Sequence[str], where: str) -> str:
    import difflib

    chunks = []
    for path in paths:
        before = on_disk[path].decode(errors="replace").splitlines(keepends=True) if path in on_disk else []
        after = fresh[path].decode(errors="replace").splitlines(keepends=True) if path in fresh else []
        old = f"a/{where}/{path}" if path in on_disk else "/dev/null"
        new = f"b/{where}/{path}" if path in fresh else "/dev/null"
        chunks.append("".join(difflib.unified_diff(before, after, old, new)))
    return "".join(
        chunk if chunk.endswith("\n") else chunk + "\n\\ No newline at end of file\n" for chunk in chunks if chunk
    )


def _check_targets(args: argparse.Namespace) -> tuple[list[ClientConfig], Path]:
    """The clients to check (configured ones, or package directories named on the command line) and the root paths are shown from."""
    directories = [name for name in args.names if Path(name).is_dir()]
    names = [name for name in args.names if not Path(name).is_dir()]
    configs = [package_config(Path(directory)) for directory in directories]
    if names or not args.names:
        project = load_project(args.config)
        return [*project.select(names), *configs], project.root
    return configs, Path.cwd()


def cmd_check(args: argparse.Namespace) -> int:
    configs, root = _check_targets(args)
    failed = False
    cache = open_cache(not args.no_cache)
    for config in configs:
        entry = uptodate.inputs_key(config) if cache.enabled else None
        unchanged = uptodate.check(config, cache, entry)
        if unchanged is not None:
            console.info(f"{config.name}: up to date ({unchanged.files} files)")
            continue
        from generator.pipeline import generate

        with _progress(config, len(configs)) as progress:
            result = generate(config, cache=cache, progress=progress)
        fresh = result.files
        on_disk = read_tree(config.output)
        difference = compare_tree(on_disk, fresh)
        if difference.clean:
            uptodate.remember(cache, entry, fresh[MANIFEST], [str(problem) for problem in result.analysis.problems])
            console.info(f"{config.name}: up to date ({len(fresh)} files)")
            continue
        failed = True
        where = _shown(config.output, root)
        print(f"{config.name}: {where} does not match what clientgen generates:")
        made_by = recorded_generator(on_disk.get(MANIFEST, b""))
        if (
            made_by is not None
            and made_by != GENERATOR
            and (difference.stale or difference.missing or difference.unexpected)
        ):
            print(f"  generated by {made_by}, this is {GENERATOR}: regenerate to update it")
        for label, paths in (
            ("edited by hand", difference.edited),
            ("stale", difference.stale),
            ("missing", difference.missing),
            ("no longer generated", difference.unexpected),
        ):
            for path in paths:
                print(f"  {label}: {where}/{path}")
        if args.diff:
            changed = [*difference.edited, *difference.stale, *difference.missing, *difference.unexpected]
            sys.stdout.write(_unified(on_disk, fresh, sorted(changed), where))
    if failed:
        print("run `clientgen generate` to regenerate (hand edits will be lost)")
    return 1 if failed else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from generator.load import load_document
    from generator.validate import find_problems, is_ignored

    document = load_document(args.spec)
    problems = [
        problem
        for problem in find_problems(document, open_cache(not args.no_cache))
        if not is_ignored(problem, args.ignore)
    ]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} error(s)", file=sys.stderr)
        return 2
    print(f"{args.spec}: valid OpenAPI {document.openapi_version}")
    return 0


def _project_if_any(config_path: Path | None) -> Project | None:
    """The configuration, when there is one (diff of two plain files needs none)."""
    try:
        return load_project(config_path)
    except ClientgenError:
        if config_path is not None:
            raise
        return None


def cmd_diff(args: argparse.Namespace) -> int:
    from generator.diff import command as diffcommand
    from generator.diff import report as diffreport
    from generator.diff.source import parse_source
    from generator.load import load_data_file

    if len(args.sides) not in (0, 2):
        raise ClientgenError(
            "diff takes two specs (OLD NEW), or none to compare the configured specs with the default branch"
        )
    if args.renames is not None and len(args.renames) > 2:
        raise ClientgenError("--renames takes one map (both sides) or two (OLD_MAP NEW_MAP)")
    outputs = diffreport.parse_outputs(args.format or ["text"])
    cache = open_cache(not args.no_cache)
    ignore = (
        diffreport.parse_ignore(load_data_file(args.ignore), args.ignore.suffix.lower() in (".yaml", ".yml", ".json"))
        if args.ignore
        else ()
    )
    reports = []
    if args.sides:
        config = diffcommand.default_config(args.lenient)
        old_source, new_source = parse_source(args.sides[0]), parse_source(args.sides[1])
        renames = [parse_source(item) for item in args.renames or []]
        configured = None
        project = None
        if args.client:
            project = load_project(args.config)
            configured = project.select([args.client])[0]
        elif not renames:
            # Files of a configured client: use its rename map and settings, as `generate` does.
            project = _project_if_any(args.config)
            configured = diffcommand.client_for(project, old_source, new_source, Path.cwd()) if project else None
        if configured is not None:
            config = configured
        config = diffcommand.with_policy(config, args.lenient)
        if renames:
            old_map, new_map = renames[0], renames[-1]
            old, new = diffcommand.Side(old_source, old_map), diffcommand.Side(new_source, new_map)
        elif configured is not None:
            old, new = diffcommand.configured_sides(configured, old_source, new_source, Path.cwd(), project)
        else:
            old, new = diffcommand.Side(old_source, None), diffcommand.Side(new_source, None)
        reports.append(diffcommand.compare_sides(config.name, old, new, config, None, cache, args.show_api))
    else:
        if args.renames:
            raise ClientgenError("--renames needs OLD and NEW specs; configured clients use their own rename maps")
        project = load_project(args.config)
        names = [args.client] if args.client else []
        for config, old, new in diffcommand.configured_pairs(project, names, project.root, args.base):
            reports.append(
                diffcommand.compare_sides(
                    config.name,
                    old,
                    new,
                    diffcommand.with_policy(config, args.lenient),
                    project.root,
                    cache,
                    args.show_api,
                )
            )
    reports = [replace(report, findings=diffreport.apply_ignore(report.findings, ignore)) for report in reports]
    for report in reports:
        for warning in report.warnings:
            console.warn(warning)
    diffcommand.write_outputs(outputs, reports, args.show_api)
    return diffreport.exit_status(reports, args.fail_on)


def _suggest_target(args: argparse.Namespace) -> tuple[ClientConfig, Path | None, str]:
    """The client whose map to suggest (configured, or a spec file with defaults), the map to update and how to name the spec."""
    if args.target is not None and _is_spec_file(args.target):
        spec = Path(args.target)
        config = client_config(name="suggest", spec=spec, package="suggest", output=spec.parent, renames=args.renames)
        return config, args.renames, str(spec)
    project = load_project(args.config)
    if args.target is None and len(project.clients) > 1:
        names = ", ".join(client.name for client in project.clients)
        raise ClientgenError(f"name the client whose rename map to suggest (configured: {names})")
    config = project.select([args.target] if args.target else [])[0]
    return config, args.renames or config.renames, _shown(config.spec, project.root)


def cmd_renames(args: argparse.Namespace) -> int:
    from generator.load import load_data_file, load_document
    from generator.naming.rename_map import RenameMap, parse_rename_map
    from generator.naming.suggest import suggest_rename_map, update_rename_map
    from generator.pipeline import analyse

    config, map_path, spec_shown = _suggest_target(args)
    if args.lenient:
        config = replace(config, validation="lenient")
    if args.write and map_path is None:
        raise ClientgenError(
            "--write needs a rename map to update: a configured client's `renames:`, or --renames PATH"
        )
    existing = load_data_file(map_path) if map_path is not None and (map_path.exists() or not args.write) else None
    if existing is not None and not existing.data:
        raise ClientgenError(
            "the rename map is empty or not a mapping of schema keys to class names (restore it from git first)",
            Location(existing.path),
        )
    document = load_document(config.spec)
    # Entries whose schema is gone are reported, not applied: they would stop the naming.
    schemas = (
        document.data.get("components", {}).get("schemas", {})
        if isinstance(document.data.get("components"), dict)
        else {}
    )
    kept = (
        {key: name for key, name in parse_rename_map(existing).entries.items() if key in schemas}
        if existing is not None
        else {}
    )
    analysis = analyse(config, document, RenameMap(kept, existing))
    for problem in analysis.problems:
        console.warn(str(problem))
    if existing is None:
        text = suggest_rename_map(analysis.api, analysis.operation_names, analysis.model_names, spec_shown)
        added, stale = sorted(analysis.api.schemas), list[str]()
    else:
        text, added, stale = update_rename_map(
            existing, analysis.api, analysis.operation_names, analysis.model_names, spec_shown
        )
    if not args.write:
        sys.stdout.write(text)
        return 0
    assert map_path is not None
    write_file_atomically(map_path, text)
    verb = "wrote" if existing is None else "updated"
    console.info(f"{verb} {map_path}: {len(added)} new, {len(stale)} stale (commented out), the rest kept as they were")
    return 0


def _merge_global_options(args: argparse.Namespace) -> None:
    """Options given after the subcommand win over the same ones given before it."""
    args.config = args.after_config or args.config
    args.quiet = args.quiet or args.after_quiet
    args.verbose = args.verbose + args.after_verbose
    if args.quiet and args.verbose:
        raise ClientgenError("-q and -v contradict each other: choose one")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "init": cmd_init,
        "generate": cmd_generate,
        "check": cmd_check,
        "validate": cmd_validate,
        "diff": cmd_diff,
        "renames": cmd_renames,
    }
    console.set_verbosity(console.NORMAL)
    try:
        _merge_global_options(args)
        console.set_verbosity(console.QUIET if args.quiet else min(args.verbose, console.VERBOSE))
        return handlers[args.command](args)
    except ClientgenError as error:
        print(f"clientgen: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        # The file system refused (permissions, disk full): the user's environment, not a bug.
        where = f"{error.filename}: " if error.filename else ""
        print(f"clientgen: error: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - the last line of defence: a bug must not look like a user error
        if console.verbosity() >= console.VERBOSE:
            import traceback

            traceback.print_exc()
        hint = "" if console.verbosity() >= console.VERBOSE else " (run again with -v for the traceback)"
        print(
            f"clientgen: internal error: {type(error).__name__}: {error}\n"
            f"This is a bug in clientgen {__version__}; please report it with the command you ran{hint}.",
            file=sys.stderr,
        )
        return 3

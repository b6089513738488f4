"""The command line: ``clientgen generate | check | validate | diff | renames suggest``.

User errors print one line (file:line (pointer): reason) and exit 2; a stale
or hand-edited package makes ``check`` exit 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.config import ClientConfig, client_config, load_project
from generator.diff import command as diffcommand
from generator.diff import report as diffreport
from generator.diff.source import parse_source
from generator.errors import ClientgenError
from generator.load import load_data_file, load_document
from generator.naming.suggest import suggest_rename_map
from generator.pipeline import analyse, generate
from generator.validate import find_problems, is_ignored
from generator.write import compare_tree, read_tree, write_tree


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clientgen", description="Generate Python clients from OpenAPI documents.")
    parser.add_argument("--version", action="version", version=f"clientgen {__version__}")
    parser.add_argument("--config", type=Path, help="configuration file (default: spec/clientgen.yaml, searched upwards)")
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate", help="generate the configured clients, or one spec with --package/--output")
    gen.add_argument("target", nargs="*", help="client names from the configuration, or one spec file")
    gen.add_argument("--package", help="package name, when generating from a spec file")
    gen.add_argument("--output", type=Path, help="output directory, when generating from a spec file")
    gen.add_argument("--renames", type=Path, help="rename map, when generating from a spec file")
    gen.add_argument("--lenient", action="store_true", help="generate despite validation errors (printed as warnings)")
    gen.add_argument(
        "--ignore", action="append", default=[], help="ignore validation errors at this JSON pointer prefix or with this text (repeatable)"
    )
    gen.add_argument("--http", choices=("httpx2", "httpx"), default=None, help="HTTP library of the generated code")

    check = commands.add_parser("check", help="exit 1 if generated code is stale or edited by hand")
    check.add_argument("names", nargs="*", help="client names (default: all)")

    val = commands.add_parser("validate", help="validate an OpenAPI document")
    val.add_argument("spec", type=Path)
    val.add_argument("--ignore", action="append", default=[], help="ignore errors at this JSON pointer prefix or with this text")

    diff = commands.add_parser(
        "diff",
        help="what changes for the client's users between two specs",
        description="Compare OLD and NEW (spec files or REF:path in git); with neither, each configured spec "
        "at the merge base with the default branch against the working tree.",
    )
    diff.add_argument("sides", nargs="*", metavar="OLD NEW", help="two specs: files or REF:path")
    diff.add_argument("--renames", nargs="+", metavar="MAP", help="rename map for both sides, or OLD_MAP NEW_MAP (files or REF:path)")
    diff.add_argument("--client", help="use this configured client's rename map and settings")
    diff.add_argument("--lenient", action="store_true", help="compare despite validation errors")
    diff.add_argument("--base", metavar="BRANCH", help="without OLD NEW: compare with the merge base of this branch (default: the default branch)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument("--fail-on", choices=("breaking", "warning"), help="exit 1 if a finding at this level or worse remains")
    diff.add_argument("--ignore", type=Path, help="ignore list: YAML (ignore: [{rule, location}]) or text ('rule location' lines); globs allowed")
    diff.add_argument("--show-api", action="store_true", help="also show the unified diff of the two api.txt listings")

    renames = commands.add_parser("renames", help="work with rename maps")
    renames_commands = renames.add_subparsers(dest="renames_command", required=True)
    suggest = renames_commands.add_parser("suggest", help="print a complete rename map (YAML) to commit and edit")
    suggest.add_argument("spec", type=Path)
    suggest.add_argument("--renames", type=Path, help="start from this rename map")
    suggest.add_argument("--lenient", action="store_true", help="suggest despite validation errors")
    return parser


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _single_spec_config(args: argparse.Namespace) -> ClientConfig:
    spec = Path(args.target[0])
    if not args.package or not args.output:
        raise ClientgenError("generating from a spec file needs --package and --output")
    return client_config(
        name=args.package,
        spec=spec,
        package=args.package,
        output=args.output,
        renames=args.renames,
        http_module=args.http or "httpx2",
        validation="lenient" if args.lenient else "strict",
        ignore_validation=tuple(args.ignore),
    )


def cmd_generate(args: argparse.Namespace) -> int:
    single = len(args.target) == 1 and (Path(args.target[0]).suffix.lower() in (".yaml", ".yml", ".json") or Path(args.target[0]).is_file())
    if single:
        configs = [_single_spec_config(args)]
    else:
        project = load_project(args.config)
        configs = project.select(args.target)
        if args.lenient or args.http or args.ignore:
            configs = [
                replace(
                    config,
                    validation="lenient" if args.lenient else config.validation,
                    http_module=args.http or config.http_module,
                    ignore_validation=(*config.ignore_validation, *args.ignore),
                )
                for config in configs
            ]
    # Generate everything in memory first: one failure writes nothing at all.
    results = [(config, generate(config)) for config in configs]
    for config, result in results:
        for problem in result.analysis.problems:
            _warn(str(problem))
        write_tree(config.output, result.files)
        print(f"generated {config.name}: {len(result.files)} files in {config.output}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    project = load_project(args.config)
    failed = False
    for config in project.select(args.names):
        fresh = generate(config).files
        difference = compare_tree(read_tree(config.output), fresh)
        if difference.clean:
            print(f"{config.name}: up to date ({len(fresh)} files)")
            continue
        failed = True
        where = config.output
        print(f"{config.name}: {where} does not match what clientgen generates:")
        for path in difference.edited:
            print(f"  edited by hand: {where / path}")
        for path in difference.stale:
            print(f"  stale: {where / path}")
        for path in difference.missing:
            print(f"  missing: {where / path}")
        for path in difference.unexpected:
            print(f"  unexpected: {where / path}")
    if failed:
        print("run `clientgen generate` to regenerate (hand edits will be lost)")
    return 1 if failed else 0


def cmd_validate(args: argparse.Namespace) -> int:
    document = load_document(args.spec)
    problems = [problem for problem in find_problems(document) if not is_ignored(problem, args.ignore)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} error(s)", file=sys.stderr)
        return 2
    print(f"{args.spec}: valid OpenAPI {document.openapi_version}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    if len(args.sides) not in (0, 2):
        raise ClientgenError("diff takes two specs (OLD NEW), or none to compare the configured specs with the default branch")
    if args.renames is not None and len(args.renames) > 2:
        raise ClientgenError("--renames takes one map (both sides) or two (OLD_MAP NEW_MAP)")
    ignore = diffreport.parse_ignore(load_data_file(args.ignore), args.ignore.suffix.lower() in (".yaml", ".yml", ".json")) if args.ignore else ()
    reports = []
    if args.sides:
        config = diffcommand.default_config(args.lenient)
        renames = [parse_source(item) for item in args.renames or []]
        if args.client:
            config = load_project(args.config).select([args.client])[0]
            if not renames and config.renames is not None:
                renames = [config.renames]
        config = diffcommand.with_policy(config, args.lenient)
        old_map, new_map = (renames[0], renames[-1]) if renames else (None, None)
        old = diffcommand.Side(parse_source(args.sides[0]), old_map)
        new = diffcommand.Side(parse_source(args.sides[1]), new_map)
        reports.append(diffcommand.compare_sides(config.name, old, new, config))
    else:
        if args.renames:
            raise ClientgenError("--renames needs OLD and NEW specs; configured clients use their own rename maps")
        project = load_project(args.config)
        names = [args.client] if args.client else []
        for config, old, new in diffcommand.configured_pairs(project, names, project.root, args.base):
            reports.append(diffcommand.compare_sides(config.name, old, new, diffcommand.with_policy(config, args.lenient), project.root))
    reports = [replace(report, findings=diffreport.apply_ignore(report.findings, ignore)) for report in reports]
    sys.stdout.write(diffreport.RENDERERS[args.format](reports, args.show_api))
    return diffreport.exit_status(reports, args.fail_on)


def cmd_renames(args: argparse.Namespace) -> int:
    spec = Path(args.spec)
    config = client_config(
        name="suggest",
        spec=spec,
        package="suggest",
        output=spec.parent,
        renames=args.renames,
        validation="lenient" if args.lenient else "strict",
    )
    analysis = analyse(config)
    for problem in analysis.problems:
        _warn(str(problem))
    sys.stdout.write(suggest_rename_map(analysis.api, analysis.operation_names, analysis.model_names, str(spec)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"generate": cmd_generate, "check": cmd_check, "validate": cmd_validate, "diff": cmd_diff, "renames": cmd_renames}
    try:
        return handlers[args.command](args)
    except ClientgenError as error:
        print(f"clientgen: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130

"""The command line: ``clientgen generate | check | validate | diff | renames suggest``.

User errors print one line (file:line (pointer): reason) and exit 2; a stale
or hand-edited package makes ``check`` exit 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.config import ClientConfig, client_config, load_project
from generator.errors import ClientgenError
from generator.load import load_document
from generator.pipeline import analyse, generate
from generator.suggest import suggest_rename_map
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
                client_config(
                    **{
                        **_as_kwargs(config),
                        "validation": "lenient" if args.lenient else config.validation,
                        "http_module": args.http or config.http_module,
                        "ignore_validation": (*config.ignore_validation, *args.ignore),
                    }
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


def _as_kwargs(config: ClientConfig) -> dict[str, object]:
    return {
        "name": config.name,
        "spec": config.spec,
        "package": config.package,
        "output": config.output,
        "renames": config.renames,
        "client_class": config.client_class,
        "async_client_class": config.async_client_class,
        "typed_client_class": config.typed_client_class,
        "env_prefix": config.env_prefix,
        "http_module": config.http_module,
        "validation": config.validation,
        "ignore_validation": config.ignore_validation,
        "environments": config.environments,
    }


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
    handlers = {"generate": cmd_generate, "check": cmd_check, "validate": cmd_validate, "renames": cmd_renames}
    try:
        return handlers[args.command](args)
    except ClientgenError as error:
        print(f"clientgen: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130

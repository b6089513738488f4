"""The command line: ``clientgen init | generate | check | validate | diff | renames suggest | customisations``.

This module parses the arguments and dispatches to the command's module
(``generator.commands``); it turns errors into one line and an exit status.
Exit status: 0 success; 1 stale or hand-edited output, or ``diff --fail-on``
triggered; 2 bad input or usage, printed as one line (file:line (pointer):
reason); 3 an internal error (a bug), with the traceback only under ``-v``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__, console
from generator.collector import fewer_collections, no_collection_at_exit
from generator.errors import ClientgenError

# Each command's module is imported when it runs: a no-op `generate` or `check` must not pay for what the other
# commands import (see uptodate.py); each command imports the pipeline, the validator or the diff where it uses them.


EXIT_STATUS = """exit status:
  0  success
  1  generated code is stale or has an unrecorded hand edit, a merge conflict to resolve, or `diff --fail-on`
     found a change at that level
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
        "  clientgen check                              # exit 1 if generated code is stale or has a new edit\n"
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
        "that clientgen generated before are replaced or removed. Hand edits to generated files are merged\n"
        "into the new output and recorded (see `clientgen customisations`); a conflict is marked in the file\n"
        "and exits 1.",
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
        "a suggested rename map beside the spec, and generate the client where your code can import it; then\n"
        "print the import line, the runtime dependencies and the next steps. In a configured project, add\n"
        "another client to its configuration.",
    )
    init.add_argument("spec", type=Path, help="the OpenAPI document")
    init.add_argument("--package", help="package name (default: from the spec's title)")
    init.add_argument(
        "--output",
        help="output directory, relative to the project (default: inside your package, as PKG/_vendor/PACKAGE, "
        "else a top-level PACKAGE beside your code)",
    )
    init.add_argument("--lenient", action="store_true", help="configure lenient validation: errors become warnings")
    init.add_argument(
        "--add-dependencies",
        action="store_true",
        help="add the runtime dependencies (httpx2, pydantic) to [project] dependencies in pyproject.toml",
    )
    _no_cache(init)

    check = _command(
        commands,
        "check",
        "exit 1 if generated code is stale or has a hand edit not recorded yet",
        "  clientgen check                    # every configured client\n"
        "  clientgen check bctrl --diff       # one client, with a diff of what would change\n"
        "  clientgen check vendor/acme        # a package generated from a spec file",
        "Regenerate in memory, merge the recorded customisations as generate would, and compare with what\n"
        "is on disk. Names each file that is stale (the spec, the configuration or clientgen changed) or\n"
        "edited by hand and not recorded yet (`clientgen generate` keeps and records hand edits).",
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

    custom = _command(
        commands,
        "customisations",
        "list, show or drop the hand edits that generate keeps",
        "  clientgen customisations list                       # every configured client\n"
        "  clientgen customisations show generated/acme/resources/pets.py\n"
        "  clientgen customisations drop generated/acme/resources/pets.py   # back to the generated file",
        "Hand edits to generated files are kept: `generate` merges each one into the new output (three-way)\n"
        "and records it as a patch in OUTPUT/_customisations/, which `check` accepts. These commands list\n"
        "them, print their patches, or drop them (the file becomes the generated one again).",
    )
    custom_commands = custom.add_subparsers(dest="custom_command", required=True, metavar="COMMAND")
    for name, summary in (
        ("list", "list customised, ignored and newly edited files, and the public names each edit touches"),
        ("show", "print the patch of each customisation (what your edit changes in the generated file)"),
        ("drop", "discard customisations: regenerate the named files as clientgen writes them"),
    ):
        sub = _command(custom_commands, name, summary, f"  clientgen customisations {name} acme")
        sub.add_argument(
            "names",
            nargs="*",
            metavar="CLIENT|PATH",
            help="configured client names, generated package directories or files in them (default: every client)",
        )

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


def _command_runner(command: str) -> Callable[[argparse.Namespace], int]:
    """The ``run`` function of the command's module, ``generator.commands.COMMAND`` (argparse knows the names)."""
    run: Callable[[argparse.Namespace], int] = importlib.import_module(f"generator.commands.{command}").run
    return run


def _merge_global_options(args: argparse.Namespace) -> None:
    """Options given after the subcommand win over the same ones given before it."""
    args.config = args.after_config or args.config
    args.quiet = args.quiet or args.after_quiet
    args.verbose = args.verbose + args.after_verbose
    if args.quiet and args.verbose:
        raise ClientgenError("-q and -v contradict each other: choose one")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console.set_verbosity(console.NORMAL)
    no_collection_at_exit()
    with fewer_collections():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        _merge_global_options(args)
        console.set_verbosity(console.QUIET if args.quiet else min(args.verbose, console.VERBOSE))
        return _command_runner(args.command)(args)
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

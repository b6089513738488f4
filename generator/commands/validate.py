"""``clientgen validate``: the validation problems of one OpenAPI document."""

from __future__ import annotations

import argparse
import sys

from generator.cache import open_cache


def run(args: argparse.Namespace) -> int:
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

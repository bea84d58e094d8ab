"""``timeline-tui validate [PATH]``: exit 0 when valid, 1 when not, 2 when the file is not JSON."""

from __future__ import annotations

import argparse
import sys

from timeline_tui.cli.common import add_events_argument, events_path
from timeline_tui.core.loader import DatasetError, check
from timeline_tui.core.textsafe import one_line


def register(parser: argparse.ArgumentParser) -> None:
    add_events_argument(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing when valid")


def run(args: argparse.Namespace) -> int:
    path = events_path(args)
    try:
        dataset, problems = check(path)
    except DatasetError as exc:
        for problem in exc.problems:
            print(one_line(str(problem)), file=sys.stderr)
        return 2 if exc.not_json else 1
    if problems:
        for problem in problems:
            print(one_line(str(problem)))
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    if not args.quiet and dataset is not None:
        quotes = sum(len(e.quotes) for e in dataset.events)
        print(
            f"{path}: valid — {len(dataset.events)} events, {quotes} quotes, {len(dataset.sources)} sources, {len(dataset.eras)} eras"
        )
    return 0

"""Helpers shared by the sub-commands: dataset path and filter arguments, loading with readable errors.

Output safety and output failures are handled for every command in :mod:`timeline_tui.cli.output`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_free
from timeline_tui.core.loader import DatasetError, Problem, load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter
from timeline_tui.core.textsafe import echo, echo_repr, one_line
from timeline_tui.paths import default_events_path


def add_events_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "events",
        nargs="?",
        type=Path,
        default=None,
        metavar="EVENTS_JSON",
        help="the events.json to read (default: the bundled dataset)",
    )


def events_path(args: argparse.Namespace) -> Path:
    return args.events if args.events is not None else default_events_path()


def load_or_report(path: Path, *, allow_missing_sources: bool = False) -> Dataset | None:
    """Load the dataset, or print every problem to stderr and return ``None``."""
    try:
        dataset = load_dataset(path, allow_missing_sources=allow_missing_sources)
    except DatasetError as exc:
        report_problems(path, exc.problems)
        return None
    for warning in dataset.warnings:
        print(f"timeline-tui: warning: {one_line(warning)}", file=sys.stderr)
    return dataset


def report_problems(path: Path, problems: Sequence[Problem]) -> None:
    """Print why a dataset cannot be used, one problem a line, terminal-safe."""
    print(f"timeline-tui: {one_line(str(path))} cannot be used:", file=sys.stderr)
    for problem in problems:
        print(f"  {one_line(str(problem))}", file=sys.stderr)


def date_argument(text: str) -> EdtfDate:
    """argparse type for ``--from`` / ``--to``: any date parse_free understands."""
    if len(text) > 64:
        raise argparse.ArgumentTypeError(f"{echo_repr(text)} is too long to be a date")
    try:
        return parse_free(text)
    except EdtfError as exc:
        raise argparse.ArgumentTypeError(echo(str(exc), 200)) from None


#: the rule `list` and `export` share for a filter that matches nothing (in both --help texts)
NO_MATCH_HELP = """\
no matching events:
  When the filters match no event the command prints nothing on standard
  output (list --json prints []), says "no events match" on standard error
  and exits with status 1, as grep does; export writes no file."""


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """``--from``, ``--to``, ``--tag``, ``--source``, ``--query``: the filters of ``list`` and ``export``."""
    parser.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE",
                        help="only events ending on or after DATE (1945, Aug 1945, 1945-08-15...)")
    parser.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE",
                        help="only events starting on or before DATE")
    parser.add_argument("--tag", action="append", default=[], metavar="T", help="only events tagged T (repeatable)")
    parser.add_argument("--source", action="append", default=[], metavar="S",
                        help="only events quoting source id S (repeatable)")
    parser.add_argument("--query", default="", metavar="TEXT", help="only events containing every word of TEXT")


def filter_from(args: argparse.Namespace, *, annotated_only: bool = False) -> Filter:
    """The :class:`Filter` the filter arguments describe."""
    return Filter(
        tags=frozenset(args.tag), sources=frozenset(args.source), date_from=args.date_from,
        date_to=args.date_to, annotated_only=annotated_only, query=args.query,
    )


def no_match_message(flt: Filter) -> str:
    """What ``list`` and ``export`` say when the filters leave no event (see :data:`NO_MATCH_HELP`)."""
    return f"no events match ({echo(flt.describe(), 200)})"


def unknown_filter_values(dataset: Dataset, tags: Sequence[str], sources: Sequence[str]) -> list[str]:
    """One message per ``--tag``/``--source`` value the dataset does not have (a typo filters out everything)."""
    problems = []
    known_tags = set(dataset.tags)
    for tag in tags:
        if tag not in known_tags:
            problems.append(f"unknown tag {echo_repr(tag)}; known tags: {some_names(sorted(known_tags))}")
    for source in sources:
        if source not in dataset.sources:
            problems.append(f"unknown source {echo_repr(source)}; known sources: {some_names(list(dataset.sources))}")
    return [one_line(p) for p in problems]


def some_names(names: list[str], limit: int = 30) -> str:
    """Names for a message: all of them, or the first ``limit`` and how many more."""
    shown = ", ".join(echo(n) for n in names[:limit])
    return shown if len(names) <= limit else f"{shown} … ({len(names) - limit} more)"

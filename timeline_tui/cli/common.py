"""Helpers shared by the sub-commands: dataset path argument, loading with readable errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_free
from timeline_tui.core.loader import DatasetError, Problem, load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.textsafe import plain
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
        print(f"timeline-tui: warning: {plain(warning)}", file=sys.stderr)
    return dataset


def report_problems(path: Path, problems: Sequence[Problem]) -> None:
    """Print why a dataset cannot be used, one problem a line, terminal-safe."""
    print(f"timeline-tui: {plain(str(path))} cannot be used:", file=sys.stderr)
    for problem in problems:
        print(f"  {plain(str(problem))}", file=sys.stderr)


def date_argument(text: str) -> EdtfDate:
    """argparse type for ``--from`` / ``--to``: any date parse_free understands."""
    try:
        return parse_free(text)
    except EdtfError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def unknown_filter_values(dataset: Dataset, tags: Sequence[str], sources: Sequence[str]) -> list[str]:
    """One message per ``--tag``/``--source`` value the dataset does not have (a typo filters out everything)."""
    problems = []
    known_tags = set(dataset.tags)
    for tag in tags:
        if tag not in known_tags:
            problems.append(f"unknown tag {tag!r}; known tags: {', '.join(sorted(known_tags))}")
    for source in sources:
        if source not in dataset.sources:
            problems.append(f"unknown source {source!r}; known sources: {', '.join(dataset.sources)}")
    return [plain(p) for p in problems]

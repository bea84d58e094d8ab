"""``timeline-tui list``: the events in order (date, title, sources), as text or JSON."""

from __future__ import annotations

import argparse
import sys

from timeline_tui.cli.common import (
    NO_MATCH_HELP,
    add_events_argument,
    add_filter_arguments,
    events_path,
    filter_from,
    load_or_report,
    no_match_message,
    unknown_filter_values,
)
from timeline_tui.core.search import apply_filter
from timeline_tui.core.textsafe import json_for_terminal, one_line

EPILOG = f"""\
output:
  One line per event: its date in words, title and source ids. Control
  characters and escape sequences in the data are shown as visible symbols
  (ESC as ␛); with --json every string is exact, such characters as \\u escapes.

{NO_MATCH_HELP}

exit status:
  0  events listed
  1  bad input (unreadable dataset, unknown --tag or --source) or no events match
  2  usage error (unknown option, a date that cannot be read)
"""


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    add_events_argument(parser)
    add_filter_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON array instead of text")


def run(args: argparse.Namespace) -> int:
    dataset = load_or_report(events_path(args), allow_missing_sources=True)
    if dataset is None:
        return 1
    unknown = unknown_filter_values(dataset, args.tag, args.source)
    for message in unknown:
        print(f"timeline-tui list: {message}", file=sys.stderr)
    if unknown:
        return 1
    flt = filter_from(args)
    events = [dataset.events[i] for i in apply_filter(dataset, flt)]
    if args.json:
        rows = [
            {
                "id": e.id,
                "date": e.date.edtf(),
                "display_date": e.date.display(),
                "title": e.title,
                "tags": list(e.tags),
                "sources": list(e.source_ids),
            }
            for e in events
        ]
        print(json_for_terminal(rows))
    else:
        width = max((len(e.date.display()) for e in events), default=0)
        for e in events:
            title = one_line(e.title)
            print(f"{one_line(e.date.display()):<{width}}  {title}  [{', '.join(e.source_ids)}]")
    if not events:
        print(f"timeline-tui list: {no_match_message(flt)}", file=sys.stderr)
        return 1
    return 0

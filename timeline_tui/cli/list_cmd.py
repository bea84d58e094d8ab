"""``timeline-tui list``: the events in order (date, title, sources), as text or JSON."""

from __future__ import annotations

import argparse
import sys

from timeline_tui.cli.common import (
    add_events_argument,
    date_argument,
    events_path,
    load_or_report,
    unknown_filter_values,
)
from timeline_tui.core.search import Filter, apply_filter
from timeline_tui.core.textsafe import json_for_terminal, plain


def register(parser: argparse.ArgumentParser) -> None:
    add_events_argument(parser)
    parser.add_argument(
        "--from", dest="date_from", type=date_argument, metavar="DATE", help="only events ending on or after DATE"
    )
    parser.add_argument(
        "--to", dest="date_to", type=date_argument, metavar="DATE", help="only events starting on or before DATE"
    )
    parser.add_argument("--tag", action="append", default=[], metavar="T", help="only events with tag T (repeatable)")
    parser.add_argument(
        "--source", action="append", default=[], metavar="S", help="only events quoting source S (repeatable)"
    )
    parser.add_argument(
        "--query", default="", metavar="TEXT", help="only events whose text contains every word of TEXT"
    )
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
    flt = Filter(
        tags=frozenset(args.tag),
        sources=frozenset(args.source),
        date_from=args.date_from,
        date_to=args.date_to,
        query=args.query,
    )
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
        return 0
    width = max((len(e.date.display()) for e in events), default=0)
    for e in events:
        print(f"{plain(e.date.display()):<{width}}  {plain(e.title)}  [{', '.join(e.source_ids)}]")
    return 0

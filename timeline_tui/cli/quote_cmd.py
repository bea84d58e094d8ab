"""``timeline-tui quote SOURCE "exact phrase"``: print the quote object with code-point offsets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timeline_tui.cli.common import events_path, load_or_report, some_names
from timeline_tui.core.quote import QuoteNotFound, locate
from timeline_tui.core.textfile import TextFileError, read_exact_text
from timeline_tui.core.textsafe import echo_repr, json_for_terminal, one_line


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help="source id (from events.json) or a path to a text file")
    parser.add_argument("passage", metavar="PASSAGE", help="the exact passage, character for character")
    parser.add_argument("--occurrence", type=int, default=None, help="pick the Nth occurrence of an ambiguous passage")
    parser.add_argument("--events", dest="events", type=Path, default=None, help="events.json whose sources to search")


def run(args: argparse.Namespace) -> int:
    candidate = Path(args.source)
    if candidate.is_file():
        try:
            text = read_exact_text(candidate)
        except TextFileError as exc:
            print(f"timeline-tui: {one_line(str(exc))}", file=sys.stderr)
            return 1
        source_id = candidate.stem
    else:
        dataset = load_or_report(events_path(args), allow_missing_sources=True)
        if dataset is None:
            return 1
        if args.source not in dataset.sources:
            print(
                f"timeline-tui: unknown source {echo_repr(args.source)}; known: {some_names(list(dataset.sources))}",
                file=sys.stderr,
            )
            return 1
        source_id = args.source
        loaded = dataset.source_text(source_id)
        if loaded is None:
            print(f"timeline-tui: source file for {source_id!r} cannot be read", file=sys.stderr)
            return 1
        text = loaded
    try:
        quote = locate(source_id, text, args.passage, occurrence=args.occurrence)
    except QuoteNotFound as exc:
        print(f"timeline-tui: {one_line(str(exc))}", file=sys.stderr)
        return 1
    quote_json = {"source": quote.source, "start": quote.start, "end": quote.end, "text": quote.text}
    print(json_for_terminal(quote_json, indent=None))
    return 0

"""``timeline-tui extract``: propose dated events from articles, or score the extractor on a dataset.

Exit status: 0 done (for ``--evaluate``: the targets are met), 1 an article or the dataset could
not be read (or the evaluation is below target), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeline_tui.cli.common import date_argument, load_or_report
from timeline_tui.core.extract.candidates import Extraction, extract, read_article
from timeline_tui.core.slug import slugify
from timeline_tui.core.textfile import TextFileError
from timeline_tui.core.textsafe import json_for_terminal, one_line


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("articles", nargs="*", type=Path, metavar="ARTICLE",
                        help="UTF-8 text (.txt) or HTML (.html) article files")
    parser.add_argument("--published", type=date_argument, default=None, metavar="DATE",
                        help="publication date (else found in the text: a timestamp or dateline)")
    parser.add_argument("--source-id", default=None, help="source id for the quotes (default: from the file name)")
    parser.add_argument("--title", default=None, help="article title (default: its headline)")
    parser.add_argument("--json", action="store_true", help="print JSON: one object per article, a list for several")
    parser.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                        help="drop candidates below this confidence (0..1, default 0)")
    parser.add_argument("--evaluate", type=Path, default=None, metavar="EVENTS_JSON",
                        help="instead: run over that dataset's own sources and report recall and precision")


def _usage(message: str) -> int:
    print(f"timeline-tui extract: error: {one_line(message)}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if not 0.0 <= args.min_confidence <= 1.0:  # also catches NaN
        return _usage("--min-confidence must lie in 0..1")
    if args.evaluate is not None:
        if args.articles:
            return _usage("give either ARTICLE files or --evaluate, not both")
        return _evaluate(args)
    if not args.articles:
        return _usage("give one or more ARTICLE files (or --evaluate EVENTS_JSON)")
    if len(args.articles) > 1 and (args.source_id or args.title):
        return _usage("--source-id and --title apply to a single article")
    status = 0
    results: list[Extraction] = []
    for path in args.articles:
        try:
            article = read_article(path)
        except TextFileError as exc:
            print(f"timeline-tui: {one_line(str(exc))}", file=sys.stderr)
            status = 1
            continue
        results.append(
            extract(
                article,
                source_id=args.source_id or slugify(path.stem),
                title=args.title,
                published=args.published,
                min_confidence=args.min_confidence,
                path=str(path),
            )
        )
    if args.json:
        payload: Any = [r.to_json() for r in results]
        if len(args.articles) == 1:
            payload = payload[0] if payload else None
        if payload is not None:
            print(json_for_terminal(payload))
    else:
        for result in results:
            _print_text(result)
    return status


def _print_text(result: Extraction) -> None:
    pub = result.published.edtf() if result.published else "unknown"
    print(f"{one_line(result.source_id)}: {one_line(result.title)}")
    print(f"  published {pub} (from {result.published_from or 'nowhere'}); "
          f"{len(result.candidates)} candidate(s); {len(result.skipped)} boilerplate line(s) skipped")
    for warning in result.warnings:
        print(f"  warning: {one_line(warning)}")
    for c in result.candidates:
        print(f"  {c.date.edtf():<24} {c.confidence:4.2f}  {one_line(c.title)}")
        print(f"      [{c.quote.start}:{c.quote.end}] {one_line(c.quote.text)}")
        print(f"      basis: {one_line(c.date_basis)}")
    print()


def _evaluate(args: argparse.Namespace) -> int:
    from timeline_tui.core.extract.evaluate import evaluate

    dataset = load_or_report(args.evaluate)
    if dataset is None:
        return 1
    report = evaluate(dataset, min_confidence=args.min_confidence)
    if args.json:
        print(json_for_terminal(report.to_json()))
    else:
        for line in report.lines():
            print(one_line(line))
        for score in report.sources:
            if score.missed:
                print(one_line(f"  {score.source_id}: missed {', '.join(score.missed)}"))
    return 0 if report.meets_targets else 1

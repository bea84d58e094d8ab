"""``timeline-tui import ARTICLE``: add an article as a source, review its candidate events, write them.

The article's text (for HTML: its converted text, see :mod:`timeline_tui.core.extract.htmltext`)
is saved as ``sources/<id>.txt`` next to events.json without overwriting anything; the review
screen then writes the accepted events with a backup of the previous events.json, and the
timeline opens on the result (unless ``--no-open``). Leaving the review without writing removes
the copy made for it, and so does the next import after one that was killed.

The review needs a terminal: with standard input or output not a terminal (a pipe, CI) the
command never starts it; ``--json`` prints the candidates instead (writing nothing) and
``--yes`` accepts every candidate at or above ``--min-confidence`` without asking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeline_tui.cli.common import date_argument, load_or_report
from timeline_tui.core.atomicio import remove_stale_temps
from timeline_tui.core.extract.apply import (
    ApplyError,
    NewEvent,
    discard_article,
    remove_abandoned_imports,
    store_article,
    unique_id,
    write_events,
)
from timeline_tui.core.extract.candidates import Article, Candidate, Extraction, extract, read_article
from timeline_tui.core.loader import ID_RE
from timeline_tui.core.model import Dataset
from timeline_tui.core.slug import slugify
from timeline_tui.core.textfile import TextFileError
from timeline_tui.core.textsafe import echo, echo_repr, json_for_terminal
from timeline_tui.paths import default_events_path

PROG = "timeline-tui import"
DEFAULT_MIN_CONFIDENCE = 0.5

EPILOG = f"""\
without a terminal:
  The review is a full-screen app, so it starts only when standard input and
  output are both terminals. Otherwise (a pipe, a script, CI) give one of:
  --json   print the candidates (with their confidence) as JSON; nothing is
           written or copied
  --yes    accept every candidate at or above --min-confidence (default
           {DEFAULT_MIN_CONFIDENCE}) whose date lies in the dataset's span and whose sentence is not
           already a quote of the dataset, write them (with a backup of
           events.json) and print what was done; the app is not opened
  Without either, the command stops with status 2.

exit status:
  0  written, nothing to write, or the review left without writing
  1  unreadable article or dataset, no publication date, a failed write
  2  usage error: an invalid --source-id, or no terminal without --json/--yes
"""


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument("article", type=Path, metavar="ARTICLE", help="UTF-8 text (.txt) or HTML (.html) article")
    parser.add_argument("--events", type=Path, default=None, metavar="EVENTS_JSON",
                        help="the events.json to add to (default: the bundled dataset)")
    parser.add_argument("--published", type=date_argument, default=None, metavar="DATE",
                        help="publication date (else found in the text)")
    parser.add_argument("--source-id", default=None, help="id for the new source (default: from the file name)")
    parser.add_argument("--title", default=None, help="the article's title (default: its headline)")
    parser.add_argument("--publisher", default="", help="the publisher, for the source record")
    parser.add_argument("--url", default="", help="where the article came from, for the source record")
    parser.add_argument("--no-open", action="store_true", help="do not open the timeline after writing")
    batch = parser.add_mutually_exclusive_group()
    batch.add_argument("--json", action="store_true", help="print the candidates as JSON instead of reviewing them")
    batch.add_argument("--yes", action="store_true",
                       help="accept every candidate at or above --min-confidence without a review")
    parser.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE, metavar="X",
                        help=f"with --json or --yes: only candidates at or above X (0..1, default {DEFAULT_MIN_CONFIDENCE})")


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _usage(message: str) -> int:
    _say(f"error: {message}")
    return 2


def run(args: argparse.Namespace) -> int:
    if args.source_id is not None and not ID_RE.fullmatch(args.source_id):
        return _usage(f"--source-id {echo_repr(args.source_id)} is not a valid id "
                      "(lowercase letters and digits, joined by single '-', '_' or '.')")
    if not 0.0 <= args.min_confidence <= 1.0:  # also catches NaN
        return _usage("--min-confidence must lie in 0..1")
    if not (args.json or args.yes) and not (sys.stdin.isatty() and sys.stdout.isatty()):
        return _usage("the review needs a terminal (standard input and output are not both terminals); "
                      "use --json to print the candidates, or --yes to accept those at or above --min-confidence")
    events_path: Path = args.events or default_events_path()
    dataset = load_or_report(events_path)
    if dataset is None:
        return 1
    remove_stale_temps(events_path)
    for copy in remove_abandoned_imports(events_path):
        _say(f"removed {echo(str(copy))}, left by an import that did not finish")
    try:
        article = read_article(args.article)
    except TextFileError as exc:
        _say(str(exc))
        return 1
    existing = {sid: dataset.source_text(sid) for sid in dataset.sources}
    same = next((sid for sid, text in existing.items() if text == article.text), None)
    if same is not None and args.source_id in (None, same):
        source_id, rel_path = same, dataset.sources[same].path
        _say(f"this article is already source {same!r}; reviewing it again")
    else:
        source_id = args.source_id or unique_id(slugify(args.article.stem), set(dataset.sources))
        if source_id in dataset.sources:
            _say(f"source id {source_id!r} is taken; choose another --source-id")
            return 1
        rel_path = ""
    if args.json:
        return _print_candidates(article, source_id, rel_path, args)
    created = False
    if not rel_path:
        try:
            rel_path, created = store_article(dataset.root, source_id, article.text)
        except OSError as exc:
            _say(f"cannot copy the article into {echo(str(dataset.root / 'sources'))}: {exc.strerror or exc}")
            return 1
    written = False
    try:
        status, written = _review(dataset, article, source_id, rel_path, events_path, args)
    finally:
        if created and not written:
            discard_article(dataset.root, rel_path)  # also on ctrl+c; a kill -9 is cleaned up next time
    return status


def _extraction(article: Article, source_id: str, rel_path: str, args: argparse.Namespace) -> Extraction:
    return extract(article, source_id=source_id, title=args.title, published=args.published, path=rel_path)


def _print_candidates(article: Article, source_id: str, rel_path: str, args: argparse.Namespace) -> int:
    extraction = _extraction(article, source_id, rel_path or f"sources/{slugify(source_id)}.txt", args)
    extraction.candidates = [c for c in extraction.candidates if c.confidence >= args.min_confidence]
    print(json_for_terminal(extraction.to_json()))
    if extraction.published is None:
        _say("no publication date in the text; pass --published DATE before importing")
        return 1
    return 0


def _review(
    dataset: Dataset, article: Article, source_id: str, rel_path: str, events_path: Path, args: argparse.Namespace
) -> tuple[int, bool]:
    """Review (or, with --yes, accept) the candidates; returns (exit status, whether events.json was written)."""
    extraction = _extraction(article, source_id, rel_path, args)
    published = extraction.published
    if published is None:
        _say("no publication date in the text; pass --published DATE")
        return 1, False
    source: dict[str, Any] = {
        "id": source_id,
        "title": extraction.title or source_id,
        "publisher": args.publisher or "Unknown publisher",
        "published": published.edtf(),
        "path": rel_path,
    }
    if args.url:
        source["url"] = args.url
    if args.yes:
        return _accept_all(dataset, extraction, source, events_path, args.min_confidence)

    from timeline_tui.ui.screens.review import ImportApp

    result = ImportApp(dataset, extraction, source, events_path).run()
    if result is None:
        _say("nothing written")
        return 0, False
    print(f"wrote {result.path}: {len(result.added)} event(s) added, {len(result.merged)} quote(s) merged; "
          f"previous file kept as {result.backup}")
    if args.no_open:
        return 0, True
    from timeline_tui.cli import app_cmd

    return app_cmd.main([str(events_path)]), True


def _accept_all(
    dataset: Dataset, extraction: Extraction, source: dict[str, Any], events_path: Path, min_confidence: float
) -> tuple[int, bool]:
    """``--yes``: every candidate at or above the confidence, inside the span and not quoted yet."""
    quoted = {(q.source, q.start, q.end) for e in dataset.events for q in e.quotes}
    span = dataset.span
    chosen: list[Candidate] = []
    low = outside = known = 0
    for c in extraction.candidates:
        if c.confidence < min_confidence:
            low += 1
        elif not (span.lower <= c.date.lower and c.date.upper <= span.upper):
            outside += 1
        elif (c.quote.source, c.quote.start, c.quote.end) in quoted:
            known += 1
        else:
            chosen.append(c)
    skipped = (f"skipped {low} below confidence {min_confidence}, {outside} outside the span {span}, "
               f"{known} already quoted")
    if not chosen:
        _say(f"no candidate to add ({skipped}); nothing written")
        return 0, False
    try:
        result = write_events(events_path, source, [NewEvent.from_candidate(c) for c in chosen])
    except ApplyError as exc:
        _say(f"nothing written: {exc}")
        return 1, False
    print(f"wrote {result.path}: {len(result.added)} event(s) added ({skipped}); "
          f"previous file kept as {result.backup}")
    return 0, True

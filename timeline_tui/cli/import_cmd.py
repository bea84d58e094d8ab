"""``timeline-tui import ARTICLE``: add an article as a source, review its candidate events, write them.

The article's text (for HTML: its converted text, see :mod:`timeline_tui.core.extract.htmltext`)
is saved as ``sources/<id>.txt`` next to events.json without overwriting anything; the review
screen then writes the accepted events with a backup of the previous events.json, and the
timeline opens on the result (unless ``--no-open``). Leaving the review without writing removes
the copy made for it. Exit status: 0 written (or left), 1 unreadable input or a failed write,
2 wrong usage (a ``--source-id`` that is not a valid id, checked before anything is read).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeline_tui.cli.common import date_argument, load_or_report
from timeline_tui.core.extract.apply import store_article, unique_id
from timeline_tui.core.extract.candidates import extract, read_article
from timeline_tui.core.loader import ID_RE
from timeline_tui.core.slug import slugify
from timeline_tui.core.textfile import TextFileError
from timeline_tui.core.textsafe import plain
from timeline_tui.paths import default_events_path


def register(parser: argparse.ArgumentParser) -> None:
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


def run(args: argparse.Namespace) -> int:
    if args.source_id is not None and not ID_RE.fullmatch(args.source_id):
        print(f"timeline-tui import: error: --source-id {plain(repr(args.source_id))} is not a valid id "
              "(lowercase letters and digits, joined by single '-', '_' or '.')", file=sys.stderr)
        return 2
    events_path: Path = args.events or default_events_path()
    dataset = load_or_report(events_path)
    if dataset is None:
        return 1
    try:
        article = read_article(args.article)
    except TextFileError as exc:
        print(f"timeline-tui: {plain(str(exc))}", file=sys.stderr)
        return 1
    existing = {sid: dataset.source_text(sid) for sid in dataset.sources}
    same = next((sid for sid, text in existing.items() if text == article.text), None)
    if same is not None and args.source_id in (None, same):
        source_id = same
        rel_path, created = dataset.sources[same].path, False
        print(f"timeline-tui: this article is already source {same!r}; reviewing it again", file=sys.stderr)
    else:
        source_id = args.source_id or unique_id(slugify(args.article.stem), set(dataset.sources))
        if source_id in dataset.sources:
            print(f"timeline-tui: source id {source_id!r} is taken; choose another --source-id", file=sys.stderr)
            return 1
        try:
            rel_path, created = store_article(dataset.root, source_id, article.text)
        except OSError as exc:
            print(plain(f"timeline-tui: cannot copy the article into {dataset.root / 'sources'}: {exc}"), file=sys.stderr)
            return 1
    extraction = extract(article, source_id=source_id, title=args.title, published=args.published, path=rel_path)
    published = extraction.published
    if published is None:
        print("timeline-tui: no publication date in the text; pass --published DATE", file=sys.stderr)
        if created:
            (dataset.root / rel_path).unlink(missing_ok=True)
        return 1
    source: dict[str, Any] = {
        "id": source_id,
        "title": extraction.title or source_id,
        "publisher": args.publisher or "Unknown publisher",
        "published": published.edtf(),
        "path": rel_path,
    }
    if args.url:
        source["url"] = args.url

    from timeline_tui.ui.screens.review import ImportApp

    result = ImportApp(dataset, extraction, source, events_path).run()
    if result is None:
        if created:
            (dataset.root / rel_path).unlink(missing_ok=True)
        print("timeline-tui: nothing written", file=sys.stderr)
        return 0
    print(plain(f"wrote {result.path}: {len(result.added)} event(s) added, {len(result.merged)} quote(s) merged; "
                f"previous file kept as {result.backup}"))
    if args.no_open:
        return 0
    from timeline_tui.cli import app_cmd

    return app_cmd.main([str(events_path)])

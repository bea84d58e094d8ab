"""``timeline-tui [EVENTS_JSON] [--notes PATH]``: load and check the data, open the notes, run the app.

Opening the notes changes no file: a damaged store is shown as a notice and moved aside only when
the first change is saved. A ``--notes`` (or ``$TIMELINE_TUI_NOTES``) path in a folder that does not
exist is an error (exit 1) before any screen.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from timeline_tui.cli.common import add_events_argument, events_path, report_problems
from timeline_tui.core.loader import DatasetError, load_dataset
from timeline_tui.core.textsafe import plain


def parser() -> argparse.ArgumentParser:
    from timeline_tui.cli import EPILOG

    p = argparse.ArgumentParser(
        prog="timeline-tui",
        description="Read the 1937–2025 timeline and its sources in the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_events_argument(p)
    p.add_argument("--notes", type=Path, default=None, metavar="PATH",
                   help="the notes file to use (default: $TIMELINE_TUI_NOTES or one per dataset in the user data dir)")
    p.add_argument("--keymap", type=Path, default=None, metavar="PATH",
                   help="a TOML keymap (default: $TIMELINE_TUI_KEYMAP or config.toml in the user config dir)")
    return p


def main(argv: Sequence[str]) -> int:
    """Run the app; a missing or invalid events.json is reported on stderr (exit 1) before any screen."""
    args = parser().parse_args(list(argv))
    path = events_path(args)
    try:
        dataset = load_dataset(path, allow_missing_sources=True)
    except DatasetError as exc:
        report_problems(path, exc.problems)
        return 1
    # The dataset lives as long as the app: keep the collector from rescanning its millions of
    # objects on every collection (pauses that would show as key latency on large files).
    gc.freeze()
    notices = [f"Warning: {w}" for w in dataset.warnings]

    from timeline_tui.core.store import AnnotationStore, StoreError

    try:
        store = AnnotationStore.open_for(dataset, args.notes)
    except StoreError as exc:  # a --notes / $TIMELINE_TUI_NOTES path in a folder that does not exist
        print(f"timeline-tui: {plain(str(exc))}", file=sys.stderr)
        return 1
    notices.extend(store.notices)
    try:
        from timeline_tui.ui.app import TimelineApp

        result = TimelineApp(dataset, store, notices=notices, keymap_path=args.keymap).run()
    finally:
        store.close()
    return int(result or 0)

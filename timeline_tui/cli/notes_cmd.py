"""``timeline-tui notes``: list, add and remove notes without the UI (same store and lock as the app).

    timeline-tui notes list [--event ID] [--json]
    timeline-tui notes add EVENT_ID TEXT        (TEXT "-" reads stdin)
    timeline-tui notes rm NOTE_ID
    options anywhere: --events EVENTS_JSON, --notes PATH

Exit status 0 on success, 1 on any refusal (unknown event or note, store read-only or in use, save failed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timeline_tui.cli.common import load_or_report
from timeline_tui.core.annotations import Note
from timeline_tui.core.limits import MAX_NOTE_CHARS
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore, StoreError, default_store_path
from timeline_tui.core.textsafe import json_for_terminal, plain
from timeline_tui.paths import default_events_path


def _add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--events", type=Path, default=default, metavar="EVENTS_JSON",
        help="the events.json the notes belong to (default: the bundled dataset)",
    )
    parser.add_argument(
        "--notes", type=Path, default=default, metavar="PATH",
        help="the notes store file (default: $TIMELINE_TUI_NOTES, else one file per dataset in the user data dir)",
    )


def register(parser: argparse.ArgumentParser) -> None:
    _add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p_list = sub.add_parser("list", help="print notes, oldest first")
    p_list.add_argument("--event", metavar="ID", help="only the notes on event ID")
    p_list.add_argument("--json", action="store_true", help="print a JSON array instead of text")
    p_add = sub.add_parser("add", help="add a note to an event")
    p_add.add_argument("event_id", metavar="EVENT_ID")
    p_add.add_argument("text", metavar="TEXT", help='the note ("-" reads it from stdin)')
    p_rm = sub.add_parser("rm", help="delete a note")
    p_rm.add_argument("note_id", metavar="NOTE_ID", type=int)
    for p in (p_list, p_add, p_rm):
        _add_common(p, suppress=True)


def _error(message: str) -> int:
    print(f"timeline-tui notes: {plain(message)}", file=sys.stderr)
    return 1


def _check_event(dataset: Dataset, event_id: str) -> str | None:
    if dataset.event(event_id) is not None:
        return None
    return f"unknown event id {event_id!r} (see `timeline-tui list` for the ids of {dataset.path})"


def _decoded_argument(text: str) -> str:
    """A command-line argument as valid Unicode: undecodable bytes (lone surrogates) become U+FFFD."""
    try:
        raw = text.encode("utf-8", "surrogateescape")  # the bytes given, as Python decoded argv
    except UnicodeEncodeError:  # a surrogate surrogateescape did not make
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _read_stdin() -> str:
    """Standard input as text whatever its encoding: invalid UTF-8 becomes U+FFFD, one final newline dropped."""
    buffer = getattr(sys.stdin, "buffer", None)
    most = 4 * MAX_NOTE_CHARS + 2  # enough for the longest note in UTF-8 and its newline, never unbounded
    text = buffer.read(most).decode("utf-8", "replace") if buffer is not None else _decoded_argument(sys.stdin.read(most))
    return text[:-1] if text.endswith("\n") else text


def _note_json(note: Note) -> dict[str, object]:
    return {"id": note.id, "event_id": note.event_id, "text": note.text, "created": note.created,
            "updated": note.updated}


def _print_notes(dataset: Dataset, notes: list[Note]) -> None:
    for note in notes:
        event = dataset.event(note.event_id)
        title = plain(event.title) if event is not None else "(event not in this dataset)"
        print(f"#{note.id}  {plain(note.event_id)}  {title}  [{note.updated}]")
        for line in plain(note.text, keep_newlines=True).split("\n"):
            print(f"    {line}")


def run(args: argparse.Namespace) -> int:
    events = args.events if args.events is not None else default_events_path()
    dataset = load_or_report(events, allow_missing_sources=True)
    if dataset is None:
        return 1
    store_path = args.notes if args.notes is not None else default_store_path(dataset)
    if args.action == "add":
        problem = _check_event(dataset, args.event_id)
        if problem:
            return _error(problem)
        text = _read_stdin() if args.text == "-" else _decoded_argument(args.text)
        if len(text) > MAX_NOTE_CHARS:
            return _error(f"the note is {len(text):,} characters long; the limit is {MAX_NOTE_CHARS:,}. Nothing changed.")
    if args.action == "list" and args.event is not None:
        problem = _check_event(dataset, args.event)
        if problem:
            return _error(problem)
    store = AnnotationStore.open(store_path)
    try:
        refusal = store.read_only_reason if args.action != "list" else ""
        for notice in store.notices:
            if notice != refusal:  # the refusal below says it
                print(f"timeline-tui notes: {plain(notice)}", file=sys.stderr)
        if args.action == "list":
            notes = store.notes(args.event)
            if args.json:
                print(json_for_terminal([_note_json(n) for n in notes]))
            else:
                _print_notes(dataset, notes)
            return 0
        if refusal:
            return _error(f"{refusal} Nothing changed.")
        if args.action == "add":
            note = store.add_note(args.event_id, text)
            print(f"added note {note.id} to {plain(note.event_id)}")
            return 0
        note = store.delete_note(args.note_id)
        print(f"removed note {note.id} from {plain(note.event_id)}")
        return 0
    except StoreError as exc:
        return _error(str(exc))
    finally:
        store.close()

"""``timeline-tui notes``: list, add and remove notes without the UI (the same store as the app).

    timeline-tui notes list [--event ID] [--json]
    timeline-tui notes add EVENT_ID TEXT        (TEXT "-" reads stdin)
    timeline-tui notes rm NOTE_ID
    options anywhere: --events EVENTS_JSON, --notes PATH

Sharing the store with running apps, damaged stores and the exit status: see :data:`EPILOG`
(what ``--help`` prints).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from timeline_tui.cli.common import load_or_report
from timeline_tui.cli.store_messages import damaged_store_message
from timeline_tui.core.annotations import Note
from timeline_tui.core.limits import MAX_NOTE_CHARS
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore, StoreError
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


EPILOG = """\
The app may have the same notes open, in any number of instances: add and rm
wait their turn for the file (5 s at most) and change it on top of what the
others saved. list only reads: it never creates, locks, moves or renames a file.
A note is kept exactly as given (TEXT "-" reads standard input; its final line
end is dropped).

exit status:
  0  done (list: a store that does not exist yet lists nothing)
  1  unknown event or note, blank text, a damaged notes store for list (left
     as it is; add and rm move it aside to <name>.corrupt-<time> and go on),
     --notes or $TIMELINE_TUI_NOTES in a folder that does not exist, the file
     locked by another program for too long, a failed save
  2  usage error
"""


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
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
    """Standard input exactly as given (tabs, CRs, escapes kept), except invalid UTF-8 becomes U+FFFD
    and the one line ending that terminates the input (``\\n`` or ``\\r\\n``) is dropped."""
    buffer = getattr(sys.stdin, "buffer", None)
    most = 4 * MAX_NOTE_CHARS + 2  # enough for the longest note in UTF-8 and its newline, never unbounded
    text = buffer.read(most).decode("utf-8", "replace") if buffer is not None else _decoded_argument(sys.stdin.read(most))
    return text.removesuffix("\r\n") if text.endswith("\r\n") else text.removesuffix("\n")


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
    try:
        store = AnnotationStore.open_for(dataset, args.notes, read_only=args.action == "list")
    except StoreError as exc:
        return _error(str(exc))
    try:
        if args.action == "list":
            if store.damage is not None:
                return _error(damaged_store_message(store))
            for notice in store.notices:
                print(f"timeline-tui notes: {plain(notice)}", file=sys.stderr)
            notes = store.notes(args.event)
            if args.json:
                print(json_for_terminal([_note_json(n) for n in notes]))
            else:
                _print_notes(dataset, notes)
            return 0
        if store.read_only:
            return _error(f"{store.read_only_reason} Nothing changed.")
        said = len(store.notices)  # what opening found is said again, better, by the change (moved aside...)
        try:
            if args.action == "add":
                note = store.add_note(args.event_id, text)
                message = f"added note {note.id} to {plain(note.event_id)}"
            else:
                note = store.delete_note(args.note_id)
                message = f"removed note {note.id} from {plain(note.event_id)}"
        finally:
            for notice in store.notices[said:]:
                print(f"timeline-tui notes: {plain(notice)}", file=sys.stderr)
        print(message)
        return 0
    except StoreError as exc:
        return _error(str(exc))
    finally:
        store.close()

"""The user's annotations on disk: notes, links to passages and the export selection, with undo.

Backed by TinyDB over :class:`~timeline_tui.core.storage.AtomicJSONStorage`: every change is
durable when the method returns, and a failed save raises :class:`StoreError` with nothing changed
(neither the file nor what this object reports). Tables: ``notes`` (event_id, text, created,
updated), ``links`` (event_id, source_id, W3C ``selector`` list, created, comment) and
``selection`` (one record: ``event_ids``). Times are ISO 8601 UTC strings.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from tinydb.table import Document, Table

from timeline_tui.core.anchoring import make_selectors
from timeline_tui.core.annotations import Link, Note, TextPositionSelector, TextQuoteSelector
from timeline_tui.core.model import Dataset
from timeline_tui.core.slug import slugify
from timeline_tui.core.storage import AtomicJSONStorage, AtomicTinyDB, Tables

ENV_VAR = "TIMELINE_TUI_NOTES"
NOTES, LINKS, SELECTION = "notes", "links", "selection"
_SELECTION_ID = 1
T = TypeVar("T")


class StoreError(Exception):
    """A change could not be saved (or is not allowed); the message is for the user. Nothing changed."""


class ReadOnlyStore(StoreError):
    """A change was attempted while another instance holds the store's lock."""


def default_store_path(dataset: Dataset) -> Path:
    """``$TIMELINE_TUI_NOTES``, else one file per dataset in the platform's user data directory."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    # Cut mid-word at 40 as it always was: a different name would lose the notes already saved.
    slug = slugify(dataset.title, 40, fallback="dataset", whole_words=False)
    digest = hashlib.sha256(str(Path(dataset.path).resolve()).encode("utf-8")).hexdigest()[:8]
    return Path(platformdirs.user_data_dir("timeline-tui", appauthor=False)) / f"notes-{slug}-{digest}.json"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- records <-> documents ---------------------------------------------------------------------

def _note(doc_id: int, doc: dict[str, Any]) -> Note:
    return Note(doc_id, doc["event_id"], doc["text"], doc["created"], doc["updated"])


def _note_doc(note: Note) -> dict[str, Any]:
    return {"event_id": note.event_id, "text": note.text, "created": note.created, "updated": note.updated}


def _link(doc_id: int, doc: dict[str, Any]) -> Link:
    by_type = {sel["type"]: sel for sel in doc["selector"]}
    q, p = by_type["TextQuoteSelector"], by_type["TextPositionSelector"]
    return Link(
        doc_id, doc["event_id"], doc["source_id"],
        TextQuoteSelector(q["exact"], q.get("prefix", ""), q.get("suffix", "")),
        TextPositionSelector(p["start"], p["end"]),
        doc["created"], doc.get("comment", ""),
    )


def _link_doc(link: Link) -> dict[str, Any]:
    return {
        "event_id": link.event_id,
        "source_id": link.source_id,
        "selector": [
            {"type": "TextQuoteSelector", "exact": link.quote.exact, "prefix": link.quote.prefix,
             "suffix": link.quote.suffix},
            {"type": "TextPositionSelector", "start": link.position.start, "end": link.position.end},
        ],
        "created": link.created,
        "comment": link.comment,
    }


def _validate(data: Tables) -> None:
    """``ValueError`` if a known table holds a record this module cannot read."""
    for doc_id, doc in data.get(NOTES, {}).items():
        fields = ("event_id", "text", "created", "updated")
        if not all(isinstance(doc.get(f), str) for f in fields):
            raise ValueError(f"note {doc_id} lacks one of {', '.join(fields)}")
    for doc_id, doc in data.get(LINKS, {}).items():
        try:
            link = _link(int(doc_id), doc)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"link {doc_id} is incomplete") from exc
        texts = (link.event_id, link.source_id, link.quote.exact, link.quote.prefix, link.quote.suffix,
                 link.created, link.comment)
        numbers = (link.position.start, link.position.end)
        if not all(isinstance(t, str) for t in texts) or not all(type(n) is int for n in numbers):
            raise ValueError(f"link {doc_id} has a field of the wrong type")
    for doc in data.get(SELECTION, {}).values():
        ids = doc.get("event_ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("the selection is not a list of event ids")


@dataclass(frozen=True, slots=True)
class _Undo:
    """How to reverse one change: ``kind`` names it, ``note``/``link`` is the state to go back to."""

    kind: str
    note: Note | None = None
    link: Link | None = None


class AnnotationStore:
    """Notes, links and selection of one dataset, persisted on every change (see module doc)."""

    def __init__(self, path: Path, db: AtomicTinyDB, storage: AtomicJSONStorage) -> None:
        self.path = path
        self._db = db
        self._storage = storage
        self._opened_read_only = False
        self.notices: list[str] = list(storage.notices)
        self._undo: list[_Undo] = []
        data = storage.read() or {}
        self._notes: dict[int, Note] = {int(k): _note(int(k), d) for k, d in data.get(NOTES, {}).items()}
        self._links: dict[int, Link] = {int(k): _link(int(k), d) for k, d in data.get(LINKS, {}).items()}
        sel = data.get(SELECTION, {}).get(str(_SELECTION_ID))
        self._has_selection = sel is not None
        self._selection: list[str] = list((sel or {}).get("event_ids", []))
        self._by_event: dict[str | None, tuple[list[Note], list[Link]]] | None = None
        # Ids are never reused within a session, so undo entries always refer to the right record.
        self._next_note_id = max(self._notes, default=0) + 1
        self._next_link_id = max(self._links, default=0) + 1

    @classmethod
    def open(cls, path: Path, *, fsync: bool = True, read_only: bool = False) -> AnnotationStore:
        """Open (or create) the store at ``path``. Never raises for a damaged file: see ``notices``."""
        path = Path(path)
        storage_box: list[AtomicJSONStorage] = []

        def make_storage(p: str) -> AtomicJSONStorage:
            storage = AtomicJSONStorage(p, fsync=fsync, validator=_validate, read_only=read_only)
            storage_box.append(storage)
            return storage

        db = AtomicTinyDB(str(path), storage=make_storage)
        store = cls(path, db, storage_box[0])
        store._opened_read_only = read_only
        return store

    # -- state ---------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return bool(self._storage.read_only)

    @property
    def read_only_reason(self) -> str:
        """Why changes cannot be saved, for the user (``""`` when they can)."""
        if not self.read_only:
            return ""
        if self._opened_read_only:
            return f"Notes store {self.path} was opened read-only."
        # The storage turns read-only at most once on its own, and says why in that same notice.
        return self._storage.notices[0] if self._storage.notices else f"Notes store {self.path} is read-only."

    @property
    def moved_aside(self) -> Path | None:
        """Where an unreadable store file was moved at opening, if it was."""
        return self._storage.moved_aside

    def _index(self) -> dict[str | None, tuple[list[Note], list[Link]]]:
        """Notes and links by event id (``None``: all), oldest first; rebuilt after a change."""
        if self._by_event is None:
            index: dict[str | None, tuple[list[Note], list[Link]]] = {None: ([], [])}
            for _, note in sorted(self._notes.items()):
                index[None][0].append(note)
                index.setdefault(note.event_id, ([], []))[0].append(note)
            for _, link in sorted(self._links.items()):
                index[None][1].append(link)
                index.setdefault(link.event_id, ([], []))[1].append(link)
            self._by_event = index
        return self._by_event

    def notes(self, event_id: str | None = None) -> list[Note]:
        """Notes (of one event, or all), oldest first."""
        found = self._index().get(event_id)
        return list(found[0]) if found else []

    def note(self, note_id: int) -> Note | None:
        return self._notes.get(note_id)

    def links(self, event_id: str | None = None) -> list[Link]:
        """Links (of one event, or all), oldest first."""
        found = self._index().get(event_id)
        return list(found[1]) if found else []

    def annotated_ids(self) -> set[str]:
        """Events having notes or links."""
        return {event_id for event_id in self._index() if event_id is not None}

    def selection(self) -> list[str]:
        return list(self._selection)

    # -- changes -------------------------------------------------------------------------------

    def _save(self, change: Callable[[], T]) -> T:
        """Run a TinyDB change, turning failures into :class:`StoreError` (nothing changed)."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.read_only_reason} The change was not saved.")
        try:
            return change()
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise StoreError(f"Could not save to {self.path}: {reason}. Nothing was changed.") from exc

    def _table(self, name: str) -> Table:
        return self._db.table(name, cache_size=0)

    def _insert_note(self, note: Note) -> None:
        self._save(lambda: self._table(NOTES).insert(Document(_note_doc(note), doc_id=note.id)))
        self._notes[note.id] = note
        self._by_event = None

    def _remove_note(self, note_id: int) -> Note:
        note = self._existing_note(note_id)
        self._save(lambda: self._table(NOTES).remove(doc_ids=[note_id]))
        del self._notes[note_id]
        self._by_event = None
        return note

    def _replace_note(self, note: Note) -> None:
        self._save(lambda: self._table(NOTES).update(_note_doc(note), doc_ids=[note.id]))
        self._notes[note.id] = note
        self._by_event = None

    def _existing_note(self, note_id: int) -> Note:
        note = self._notes.get(note_id)
        if note is None:
            raise StoreError(f"There is no note {note_id}.")
        return note

    def add_note(self, event_id: str, text: str) -> Note:
        """Save a new note on ``event_id``; refuses blank text."""
        if not text.strip():
            raise StoreError("A note needs some text; nothing was saved.")
        now = _now()
        note = Note(self._next_note_id, event_id, text, now, now)
        self._insert_note(note)
        self._next_note_id += 1
        self._undo.append(_Undo("add_note", note=note))
        return note

    def update_note(self, note_id: int, text: str) -> Note:
        """Replace a note's text (a blank text is refused: delete the note instead)."""
        before = self._existing_note(note_id)
        if not text.strip():
            raise StoreError("A note needs some text; delete it instead. Nothing was saved.")
        if text == before.text:
            return before
        after = replace(before, text=text, updated=_now())
        self._replace_note(after)
        self._undo.append(_Undo("update_note", note=before))
        return after

    def delete_note(self, note_id: int) -> Note:
        """Delete a note; returns it (``undo`` brings it back with the same id)."""
        note = self._remove_note(note_id)
        self._undo.append(_Undo("delete_note", note=note))
        return note

    def add_link(
        self, event_id: str, source_id: str, text: str, start: int, end: int, comment: str = ""
    ) -> Link:
        """Link ``event_id`` to ``text[start:end]`` of source ``source_id`` (``text`` is the whole source)."""
        try:
            quote, position = make_selectors(text, start, end)
        except ValueError as exc:
            raise StoreError(f"Cannot link that passage: {exc}.") from None
        link = Link(self._next_link_id, event_id, source_id, quote, position, _now(), comment)
        self._insert_link(link)
        self._next_link_id += 1
        self._undo.append(_Undo("add_link", link=link))
        return link

    def _insert_link(self, link: Link) -> None:
        self._save(lambda: self._table(LINKS).insert(Document(_link_doc(link), doc_id=link.id)))
        self._links[link.id] = link
        self._by_event = None

    def _remove_link(self, link_id: int) -> Link:
        link = self._links.get(link_id)
        if link is None:
            raise StoreError(f"There is no link {link_id}.")
        self._save(lambda: self._table(LINKS).remove(doc_ids=[link_id]))
        del self._links[link_id]
        self._by_event = None
        return link

    def delete_link(self, link_id: int) -> Link:
        """Delete a link; returns it (``undo`` brings it back)."""
        link = self._remove_link(link_id)
        self._undo.append(_Undo("delete_link", link=link))
        return link

    def set_selection(self, event_ids: Iterable[str]) -> None:
        """Persist the selected events (kept in memory only when the store is read-only)."""
        ids = list(dict.fromkeys(event_ids))
        if ids == self._selection:
            return
        if self.read_only:
            self._selection = ids
            return

        def write() -> None:
            table = self._table(SELECTION)
            if self._has_selection:
                table.update({"event_ids": ids}, doc_ids=[_SELECTION_ID])
            else:
                table.insert(Document({"event_ids": ids}, doc_id=_SELECTION_ID))

        self._save(write)
        self._selection, self._has_selection = ids, True

    # -- undo ----------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str:
        """Reverse the latest note or link change of this session; says what was undone."""
        if not self._undo:
            raise StoreError("Nothing to undo.")
        step = self._undo[-1]
        if step.kind == "add_note" and step.note is not None:
            self._remove_note(step.note.id)
            message = "removed the note just added"
        elif step.kind == "update_note" and step.note is not None:
            self._replace_note(step.note)
            message = "restored the note's previous text"
        elif step.kind == "delete_note" and step.note is not None:
            self._insert_note(step.note)
            message = "restored deleted note"
        elif step.kind == "add_link" and step.link is not None:
            self._remove_link(step.link.id)
            message = "removed the link just added"
        elif step.kind == "delete_link" and step.link is not None:
            self._insert_link(step.link)
            message = "restored deleted link"
        else:  # pragma: no cover - every kind pushed above is handled
            raise StoreError(f"Cannot undo {step.kind}.")
        self._undo.pop()
        return message

    def close(self) -> None:
        """Release the lock; the store must not be used afterwards."""
        self._db.close()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

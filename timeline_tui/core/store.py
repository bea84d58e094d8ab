"""The user's annotations on disk: notes, links to passages, the export selection and settings, with undo.

Several processes — app instances, ``timeline-tui notes``, ``export`` — may use one store at once:
nothing is refused, nothing is lost. Each change takes the file's lock for that change only,
reads the file again if another process changed it, applies the change on top and writes it
atomically and durably (:mod:`timeline_tui.core.store_file` has the rules). Opening never
creates, locks, moves or renames a file; a missing file is an empty store; a damaged one is
reported (:attr:`AnnotationStore.damage`) and left alone until a change is saved, which moves it
aside first.

API (what the UI, the CLI and the exporter use):

* **Opening** — :meth:`AnnotationStore.open` (``path``; ``create_dir=False`` for a path the user
  chose, whose directory must exist) or :meth:`AnnotationStore.open_for` (a dataset's store:
  ``--notes``, ``$TIMELINE_TUI_NOTES``, else :func:`default_store_path`). ``read_only=True`` for
  commands that only read. :class:`StoreError` if a chosen path's directory does not exist.
* **Reading** — :attr:`~AnnotationStore.state` is the one copy of the annotations in memory, an
  immutable :class:`~timeline_tui.core.annotation_state.AnnotationState` grouped by event (hand
  it to any thread, or to :func:`~timeline_tui.core.export.build_export`); ``notes(event_id)``,
  ``links(event_id)``, ``note(id)``, ``link(id)``, ``annotated_ids()``, ``selection()`` and
  ``setting(key)`` read it.
* **Changing** — ``add_note``, ``update_note``, ``delete_note``, ``add_link``, ``delete_link``,
  ``set_selection``, ``set_setting``, ``undo``/``can_undo``; ``import_annotations`` copies notes and
  links from another store with their ids and times (the dataset export). Each is durable when it returns; a
  failure raises :class:`StoreError` (:class:`ReadOnlyStore`, :class:`StoreBusy` when another
  process held the lock too long, :class:`EditConflict`, :class:`UndoConflict`) and changes
  nothing, neither the file nor what this object reports.
* **Edit conflicts** — ``update_note(id, text, expected=note)`` (and ``delete_note``) refuse with
  :class:`EditConflict` when the note is no longer ``expected`` (the version the editor opened):
  ``exc.current`` is the other version, or ``None`` if it was deleted. To overwrite, call again
  without ``expected``; to keep both, ``add_note`` the text.
* **Undo** undoes this instance's own changes only, newest first, and never over another
  process's change: if the note or link was changed or deleted elsewhere since, the step is
  dropped and :class:`UndoConflict` says so.
* **Selection** — ``set_selection(ids)`` saves what this instance added and removed since it
  last saw the selection, so selections made in two places at once are merged.
* **Keeping up** — :meth:`~AnnotationStore.refresh` (call it about once a second, from a worker
  thread) notices another process's changes with one ``stat``, reads them, replaces ``state`` and
  returns :class:`~timeline_tui.core.annotation_state.OutsideChanges` (with a ``summary()`` such
  as "2 notes added elsewhere"), also for changes found while saving; ``None`` when there were none.

Methods may be called from any thread: changes and ``refresh`` run one at a time; ``state`` is
read without waiting. The tables are described in :mod:`timeline_tui.core.store_records` (ids are
never given out twice); times are ISO 8601 UTC strings.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from tinydb import TinyDB
from tinydb.table import Document, Table

from timeline_tui.core.anchoring import make_selectors
from timeline_tui.core.annotation_state import AnnotationState, OutsideChanges
from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.model import Dataset
from timeline_tui.core.slug import slugify
from timeline_tui.core.store_file import LOCK_TIMEOUT, StoreFile
from timeline_tui.core.store_json import Tables
from timeline_tui.core.store_lock import LockTimeout
from timeline_tui.core.store_records import (
    LINKS,
    META,
    NOTES,
    ONE,
    SELECTION,
    SETTINGS,
    link_doc,
    note_doc,
    state_from_tables,
    validate,
)

ENV_VAR = "TIMELINE_TUI_NOTES"
T = TypeVar("T")


class StoreError(Exception):
    """A change could not be saved (or is not allowed); the message is for the user. Nothing changed."""


class ReadOnlyStore(StoreError):
    """A change was attempted on a store that cannot be written (opened read-only, unreadable file or folder)."""


class StoreBusy(StoreError):
    """Another process kept the store locked for longer than a change may wait."""


class EditConflict(StoreError):
    """The note changed elsewhere since ``expected`` was read; ``current`` is its version now (None: deleted)."""

    def __init__(self, expected: Note, current: Note | None, action: str = "edited") -> None:
        self.expected, self.current = expected, current
        what = "deleted" if current is None else "changed"
        super().__init__(f"Note {expected.id} was {what} elsewhere while you {action} it; nothing was saved.")


class UndoConflict(StoreError):
    """The change to undo was overtaken by another process's change; the undo step was dropped."""


def chosen_store_path() -> Path | None:
    """``$TIMELINE_TUI_NOTES`` if set (a path the user chose), else None."""
    override = os.environ.get(ENV_VAR, "").strip()
    return Path(override).expanduser() if override else None


def default_store_path(dataset: Dataset) -> Path:
    """``$TIMELINE_TUI_NOTES``, else one file per dataset in the platform's user data directory."""
    override = chosen_store_path()
    if override is not None:
        return override
    # Cut mid-word at 40 as it always was: a different name would lose the notes already saved.
    slug = slugify(dataset.title, 40, fallback="dataset", whole_words=False)
    digest = hashlib.sha256(str(Path(dataset.path).resolve()).encode("utf-8")).hexdigest()[:8]
    return Path(platformdirs.user_data_dir("timeline-tui", appauthor=False)) / f"notes-{slug}-{digest}.json"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class _Undo:
    """How to reverse one change of this instance: ``action`` ("add", "update", "delete") done to
    ``item`` (the note or link as it was before; for "add", as added); ``after``: the note as an
    update left it."""

    action: str
    item: Note | Link
    after: Note | None = None


class AnnotationStore:
    """Notes, links, selection and settings of one dataset, persisted on every change (see the module doc)."""

    def __init__(self, path: Path, file: StoreFile, *, read_only: bool = False) -> None:
        self.path = path
        self._file = file
        self._db = TinyDB(storage=lambda: file)
        self._opened_read_only = read_only
        self._mutex = threading.RLock()
        self._state = state_from_tables(file.tables)
        self._seen_selection = self._state.selection  # the selection as this instance last saw it
        self._outside: list[OutsideChanges] = []
        self._notices_forwarded = len(file.notices)
        self.notices: list[str] = list(file.notices)
        self._undo: list[_Undo] = []
        self._closed = False

    @classmethod
    def open(
        cls, path: Path, *, fsync: bool = True, read_only: bool = False, create_dir: bool = True,
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> AnnotationStore:
        """Open the store at ``path`` without changing any file (see the module doc).

        ``create_dir=False``: the file's directory must exist (``StoreError`` naming it), as for a
        path the user chose; else it is created when the first change is saved. Never raises for a
        damaged or unreadable file: see ``damage``, ``read_only_reason`` and ``notices``.
        """
        path = Path(path)
        if not create_dir:
            directory = Path(os.path.realpath(path)).parent
            if not directory.is_dir():
                shown = directory if path.is_symlink() else path.parent
                raise StoreError(f"The folder {shown} for the notes file {path.name} does not exist. "
                                 "Create it, or choose another notes file.")
        file = StoreFile(path, fsync=fsync, validator=validate, read_only=read_only, create_dir=create_dir,
                         lock_timeout=lock_timeout, copy_records=False)
        return cls(path, file, read_only=read_only)

    @classmethod
    def open_for(cls, dataset: Dataset, given: Path | None = None, *, read_only: bool = False,
                 fsync: bool = True) -> AnnotationStore:
        """The store of ``dataset``: ``given`` (``--notes``), else ``$TIMELINE_TUI_NOTES``, else the
        default file in the user data directory (created when needed). A path the user chose must
        be in an existing directory (:class:`StoreError` naming it)."""
        chosen = given.expanduser() if given is not None else chosen_store_path()
        path = chosen if chosen is not None else default_store_path(dataset)
        return cls.open(path, fsync=fsync, read_only=read_only, create_dir=chosen is None)

    # -- state ---------------------------------------------------------------------------------

    @property
    def state(self) -> AnnotationState:
        """Everything in the store now, as one immutable value (replaced, never changed, by each change)."""
        return self._state

    @property
    def read_only(self) -> bool:
        return self._opened_read_only or bool(self._file.read_only_reason)

    @property
    def read_only_reason(self) -> str:
        """Why changes cannot be saved, for the user (``""`` when they can)."""
        if self._opened_read_only:
            return f"Notes store {self.path} was opened read-only."
        return self._file.read_only_reason

    @property
    def damage(self) -> str | None:
        """Why the file cannot be read as a store (None if it can, or there is none). It is left as
        it is; the next change saved moves it aside first (see ``moved_aside``)."""
        return self._file.damage

    @property
    def moved_aside(self) -> Path | None:
        """Where an unreadable store file was moved, if it was."""
        return self._file.moved_aside

    def notes(self, event_id: str | None = None) -> list[Note]:
        """Notes (of one event, or all), oldest first."""
        state = self._state
        return state.all_notes() if event_id is None else list(state.notes.get(event_id, ()))

    def note(self, note_id: int) -> Note | None:
        return self._state.note(note_id)

    def links(self, event_id: str | None = None) -> list[Link]:
        """Links (of one event, or all), oldest first."""
        state = self._state
        return state.all_links() if event_id is None else list(state.links.get(event_id, ()))

    def link(self, link_id: int) -> Link | None:
        return self._state.link(link_id)

    def annotated_ids(self) -> set[str]:
        """Events having notes or links."""
        return self._state.annotated

    def selection(self) -> list[str]:
        return list(self._state.selection)

    def setting(self, key: str, default: Any = None) -> Any:
        """A setting saved with :meth:`set_setting` (``default`` when there is none)."""
        return self._state.settings.get(key, default)

    # -- keeping up with other processes ---------------------------------------------------------

    def refresh(self) -> OutsideChanges | None:
        """Take in what other processes changed since this instance last looked (None: nothing).

        Cheap when nothing changed (one ``stat`` and a 32-byte read); reads the file when it did.
        Also returns changes found while saving this instance's own changes, and notices (a file
        found damaged or moved aside) as ``messages``. After a reported selection change, this
        instance's selection is :meth:`selection`.
        """
        with self._mutex:
            before = self._file.tables
            if not self._closed and self._file.poll():
                self._catch_up(before)
            self._forward_notices()
            if not self._outside:
                return None
            changes = reduce(OutsideChanges.then, self._outside)
            self._outside.clear()
            if changes.selection_changed:
                self._seen_selection = self._state.selection
            return changes

    def _catch_up(self, before: Tables) -> None:
        """Adopt the tables the file layer has just read (``before``: those it had), noting what changed."""
        after = state_from_tables(self._file.tables, (before, self._state))
        changes = OutsideChanges.between(self._state, after)
        self._state = after
        if changes:
            self._outside.append(changes)

    def _forward_notices(self) -> None:
        new = self._file.notices[self._notices_forwarded:]
        if new:
            self._notices_forwarded += len(new)
            self.notices.extend(new)
            self._outside.append(OutsideChanges(messages=tuple(new)))

    # -- changes -------------------------------------------------------------------------------

    def _change(
        self, apply: Callable[[AnnotationState], tuple[T, AnnotationState]],
        undo: Callable[[T], _Undo | None] | None = None,
    ) -> T:
        """Run one change under the file's lock: catch up with the file, let ``apply`` check the
        state and make its TinyDB writes, save, adopt the state ``apply`` returns, and push the
        undo step ``undo`` makes of its value."""
        if self.read_only:
            raise ReadOnlyStore(f"{self.read_only_reason} The change was not saved.")
        with self._mutex:
            if self._closed:
                raise StoreError("The notes store is closed; nothing was saved.")
            before = self._file.tables
            try:
                with self._file.change() as reloaded:
                    if reloaded:
                        self._catch_up(before)
                    value, after = apply(self._state)
            except LockTimeout as exc:
                raise StoreBusy(
                    f"Could not save to {self.path}: another program kept it locked for "
                    f"{self._file.lock_timeout:g} s. Nothing was changed; try again."
                ) from exc
            except (OSError, ValueError, RecursionError) as exc:
                reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
                raise StoreError(f"Could not save to {self.path}: {reason}. Nothing was changed.") from exc
            finally:
                self._forward_notices()
            self._state = after
            step = undo(value) if undo is not None else None
            if step is not None:
                self._undo.append(step)
            return value

    def _table(self, name: str) -> Table:
        return self._db.table(name, cache_size=0)

    def _put(self, name: str, doc_id: int, doc: dict[str, Any]) -> None:
        """Insert or replace one record. (Records are replaced, never changed in place: see ``Record``.)"""
        table = self._table(name)
        if table.contains(doc_id=doc_id):
            table.remove(doc_ids=[doc_id])
        table.insert(Document(doc, doc_id=doc_id))

    def _give_ids(self, state: AnnotationState) -> None:
        """Record the highest ids given out (so they are never given again, even after a deletion)."""
        self._put(META, int(ONE), {"last_note_id": state.last_note_id, "last_link_id": state.last_link_id})

    def _put_record(self, state: AnnotationState, item: Note | Link) -> AnnotationState:
        """Save a new or replaced note or link; the state with it."""
        if isinstance(item, Note):
            self._put(NOTES, item.id, note_doc(item))
            after = state.with_note(item)
        else:
            self._put(LINKS, item.id, link_doc(item))
            after = state.with_link(item)
        if (after.last_note_id, after.last_link_id) != (state.last_note_id, state.last_link_id):
            self._give_ids(after)
        return after

    def _drop_record(self, state: AnnotationState, item: Note | Link) -> AnnotationState:
        """Delete a note or link; the state without it."""
        if isinstance(item, Note):
            self._table(NOTES).remove(doc_ids=[item.id])
            return state.without_note(item)
        self._table(LINKS).remove(doc_ids=[item.id])
        return state.without_link(item)

    def add_note(self, event_id: str, text: str) -> Note:
        """Save a new note on ``event_id`` exactly as written; refuses blank text."""
        if not text.strip():
            raise StoreError("A note needs some text; nothing was saved.")
        now = _now()

        def apply(state: AnnotationState) -> tuple[Note, AnnotationState]:
            note = Note(state.last_note_id + 1, event_id, text, now, now)
            return note, self._put_record(state, note)

        return self._change(apply, lambda note: _Undo("add", note))

    def update_note(self, note_id: int, text: str, *, expected: Note | None = None) -> Note:
        """Replace a note's text (a blank text is refused: delete the note instead).

        With ``expected`` (the note as the editor opened it), refuses with :class:`EditConflict`
        if the note was changed or deleted elsewhere since.
        """

        def apply(state: AnnotationState) -> tuple[tuple[Note, Note], AnnotationState]:
            current = state.note(note_id)
            if expected is not None and current != expected:
                raise EditConflict(expected, current)
            if current is None:
                raise StoreError(f"There is no note {note_id}.")
            if not text.strip():
                raise StoreError("A note needs some text; delete it instead. Nothing was saved.")
            if text == current.text:
                return (current, current), state
            after = replace(current, text=text, updated=_now())
            return (current, after), self._put_record(state, after)

        def step(change: tuple[Note, Note]) -> _Undo | None:
            before, after = change
            return _Undo("update", before, after) if after is not before else None

        return self._change(apply, step)[1]

    def delete_note(self, note_id: int, *, expected: Note | None = None) -> Note:
        """Delete a note; returns it (``undo`` brings it back with the same id).

        With ``expected``, refuses with :class:`EditConflict` if the note changed elsewhere since.
        """

        def apply(state: AnnotationState) -> tuple[Note, AnnotationState]:
            current = state.note(note_id)
            if expected is not None and current is not None and current != expected:
                raise EditConflict(expected, current, "deleted")
            if current is None:
                raise StoreError(f"There is no note {note_id}.")
            return current, self._drop_record(state, current)

        return self._change(apply, lambda note: _Undo("delete", note))

    def add_link(
        self, event_id: str, source_id: str, text: str, start: int, end: int, comment: str = ""
    ) -> Link:
        """Link ``event_id`` to ``text[start:end]`` of source ``source_id`` (``text`` is the whole source)."""
        try:
            quote, position = make_selectors(text, start, end)
        except ValueError as exc:
            raise StoreError(f"Cannot link that passage: {exc}.") from None
        now = _now()

        def apply(state: AnnotationState) -> tuple[Link, AnnotationState]:
            link = Link(state.last_link_id + 1, event_id, source_id, quote, position, now, comment)
            return link, self._put_record(state, link)

        return self._change(apply, lambda link: _Undo("add", link))

    def delete_link(self, link_id: int) -> Link:
        """Delete a link; returns it (``undo`` brings it back)."""

        def apply(state: AnnotationState) -> tuple[Link, AnnotationState]:
            current = state.link(link_id)
            if current is None:
                raise StoreError(f"There is no link {link_id}.")
            return current, self._drop_record(state, current)

        return self._change(apply, lambda link: _Undo("delete", link))

    def set_selection(self, event_ids: Iterable[str]) -> None:
        """Save the selected events: what this instance added or removed since it last saw the
        selection is applied to the selection in the file (kept in memory only when read-only)."""
        ids = list(dict.fromkeys(event_ids))
        with self._mutex:
            seen = self._seen_selection
            if tuple(ids) == seen:
                return
            if self.read_only:
                self._state = self._state.with_selection(ids)
                self._seen_selection = tuple(ids)
                return
            wanted, dropped = set(ids), set(seen) - set(ids)

            def apply(state: AnnotationState) -> tuple[None, AnnotationState]:
                merged = ids + [i for i in state.selection if i not in wanted and i not in dropped]
                if tuple(merged) == state.selection:
                    return None, state
                self._put(SELECTION, int(ONE), {"event_ids": merged})
                return None, state.with_selection(merged)

            self._change(apply)
            self._seen_selection = tuple(ids)

    def import_annotations(self, notes: Iterable[Note], links: Iterable[Link], selection: Iterable[str] | None = None
                           ) -> None:
        """Save notes and links from another store as they are — ids, texts, times and anchors kept —
        and, if given, the selection, as one change (the dataset export writes its notes file so).

        Refuses (:class:`StoreError`, nothing saved) an id this store has already given out, so an
        id still never stands for two notes. Not undoable: it is a copy, not an edit.
        """
        notes, links = list(notes), list(links)
        if len({n.id for n in notes}) < len(notes) or len({lk.id for lk in links}) < len(links):
            raise StoreError("The notes or links to import repeat an id; nothing was saved.")

        def apply(state: AnnotationState) -> tuple[None, AnnotationState]:
            taken = [f"note {n.id}" for n in notes if n.id <= state.last_note_id]
            taken += [f"link {lk.id}" for lk in links if lk.id <= state.last_link_id]
            if taken:
                raise StoreError(f"{self.path} has already given out the id of {', '.join(taken[:5])}"
                                 f"{' …' if len(taken) > 5 else ''}; nothing was saved.")
            self._table(NOTES).insert_multiple(Document(note_doc(n), doc_id=n.id) for n in notes)
            self._table(LINKS).insert_multiple(Document(link_doc(lk), doc_id=lk.id) for lk in links)
            chosen = state.selection if selection is None else tuple(dict.fromkeys(selection))
            if selection is not None:
                self._put(SELECTION, int(ONE), {"event_ids": list(chosen)})
            after = AnnotationState.build([*state.all_notes(), *notes], [*state.all_links(), *links], chosen,
                                          state.settings, state.last_note_id, state.last_link_id)
            self._give_ids(after)
            return None, after

        with self._mutex:
            self._change(apply)
            if selection is not None:
                self._seen_selection = self._state.selection

    def set_setting(self, key: str, value: Any) -> None:
        """Save one setting (``value``: anything JSON can hold); kept in memory only when read-only."""
        try:
            json.dumps(value)
        except (TypeError, ValueError, RecursionError) as exc:
            raise StoreError(f"The setting {key!r} cannot be saved: {exc}.") from None
        with self._mutex:
            if self.read_only:
                self._state = self._state.with_setting(key, value)
                return

            def apply(state: AnnotationState) -> tuple[None, AnnotationState]:
                if key in state.settings and state.settings[key] == value:
                    return None, state
                after = state.with_setting(key, value)
                self._put(SETTINGS, int(ONE), dict(after.settings))
                return None, after

            self._change(apply)

    # -- undo ----------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str:
        """Reverse this instance's latest note or link change; says what was undone.

        Raises :class:`UndoConflict` (and drops the step) when another process changed or deleted
        the same note or link since: their change is kept.
        """
        with self._mutex:
            if not self._undo:
                raise StoreError("Nothing to undo.")
            step = self._undo[-1]
            try:
                message = self._change(lambda state: self._reverse(state, step))
            except UndoConflict:
                self._undo.pop()
                raise
            self._undo.pop()
            return message

    def _reverse(self, state: AnnotationState, step: _Undo) -> tuple[str, AnnotationState]:
        item = step.item
        noun = "note" if isinstance(item, Note) else "link"
        current = state.note(item.id) if isinstance(item, Note) else state.link(item.id)
        if step.action == "add":
            if current != item:
                raise UndoConflict(_overtaken(f"the {noun} you added", current is None))
            return f"removed the {noun} just added", self._drop_record(state, item)
        if step.action == "update":
            if current is None or current != step.after:
                raise UndoConflict(_overtaken(f"the {noun} you edited", current is None))
            return f"restored the {noun}'s previous text", self._put_record(state, item)
        if current is not None:
            raise UndoConflict(f"Not undone: a {noun} with the same id exists again; it is kept.")
        return f"restored deleted {noun}", self._put_record(state, item)

    def close(self) -> None:
        """Stop using the store (no lock is held between changes, so there is nothing to release)."""
        with self._mutex:
            self._closed = True
            self._db.close()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _overtaken(what: str, deleted: bool) -> str:
    how = "deleted" if deleted else "changed"
    return f"Not undone: {what} was {how} elsewhere since, and that is kept. u undoes your change before it."

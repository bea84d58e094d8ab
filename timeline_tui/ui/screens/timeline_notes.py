"""Notes and links on the timeline screen (``a e d u``): which note, the editor, the confirmations,
the store jobs, and what the screen says when :class:`JobDone` or :class:`JobFailed` comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.model import Event
from timeline_tui.core.store import EditConflict, StoreError, UndoConflict
from timeline_tui.ui.annotating import first_line, note_label
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.keys import current_keymap, hint
from timeline_tui.ui.store_jobs import (
    AddNote,
    DeleteLink,
    DeleteNote,
    Job,
    SaveSelection,
    SaveSettings,
    Undo,
    UpdateNote,
)

if TYPE_CHECKING:
    from timeline_tui.ui.screens.timeline import TimelineScreen


#: longer notes are not opened in the editor (a text area takes about 2.5 s per MB to open)
EDITABLE_MAX = 256 * 1024


class KeptTextEditor(NoteEditorScreen):
    """The note editor reopened after a failed save: the text shown is unsaved, so esc asks first."""

    def __init__(self, event_title: str, text: str, baseline: str, *, editing: bool) -> None:
        super().__init__(event_title, text, editing=editing)
        self.baseline = baseline

    @property
    def changed(self) -> bool:
        return self.text != self.baseline


def heading(event: Event) -> str:
    """``8 May 2010 · Museum opens a new wing``: an event as dialogs name it."""
    return f"{event.date.display()} · {event.title[:200]}"


class NoteFlow:
    """The note actions of one :class:`TimelineScreen`; changes go through the app's store jobs."""

    def __init__(self, screen: TimelineScreen) -> None:
        self.screen = screen

    def _notify(self, message: str, **kwargs: Any) -> None:
        self.screen.notify(message, markup=False, **kwargs)

    def _undo_key(self) -> str:
        return hint("note.undo", current_keymap(self.screen))

    def writable(self) -> bool:
        """True if notes can be changed now; else says why."""
        app = self.screen.notes_app
        if app.store is None:
            self._notify("No notes file is open, so notes cannot be saved.", severity="error")
            return False
        if app.read_only:
            self._notify(f"{app.why_read_only()} Nothing was changed.", title="Notes are read-only", severity="error",
                         timeout=8)
            return False
        return True

    def _submit(self, job: Job) -> None:
        self.screen.notes_app.submit(job, self.screen)

    def _current_item(self) -> tuple[str, int] | None:
        detail = self.screen.detail
        return detail.current() if self.screen.focused is detail else None

    # -- actions ----------------------------------------------------------------------------------------
    def add(self) -> None:
        event = self.screen.current_event
        if event is None:
            self.screen.app.bell()
        elif self.writable():
            self.open_editor(event, "", None)

    def edit(self) -> None:
        item = self._current_item()
        if item is not None and item[0] == "link":
            self._notify("A link cannot be edited: d deletes it, then link the passage again in the source.",
                         timeout=5)
        elif self.writable():
            self._pick("Edit which note?", self.edit_note)

    def edit_note(self, event: Event, note: Note) -> None:
        if len(note.text) > EDITABLE_MAX:  # the editor would take seconds to open, minutes for MBs
            keymap = current_keymap(self.screen)
            self._notify(f"This note has {len(note.text):,} characters, more than the editor takes "
                         f"({EDITABLE_MAX:,}): {hint('full_text', keymap)} reads it whole, "
                         f"{hint('note.delete', keymap)} deletes it.", severity="warning", timeout=8)
        elif self.writable():
            self.open_editor(event, note.text, note)

    def delete(self) -> None:
        if not self.writable():
            return
        item = self._current_item()
        if item is not None and item[0] == "link":
            self._delete_link(self.screen.detail.links[item[1]].link)
        else:
            self._pick("Delete which note?", self._delete_note)

    def undo(self) -> None:
        if self.writable():
            self._submit(Undo(self.screen.notes_app.annotations))

    def open_editor(self, event: Event, text: str, note: Note | None, *, retry: bool = False) -> None:
        """The note editor on ``event`` (``note`` being edited or None); saving runs as a store job.

        A failed save reopens the editor with the text typed (see :meth:`failed`), so nothing is lost.
        """
        title = heading(event)
        editor = (KeptTextEditor(title, text, note.text if note else "", editing=note is not None) if retry
                  else NoteEditorScreen(title, text, editing=note is not None))

        def written(result: str | None) -> None:
            if result is None:
                return
            if note is not None and result == note.text:
                self._notify("Note unchanged; nothing was saved.", timeout=3)
                return
            self._submit(AddNote(event, result) if note is None else UpdateNote(event, note, result))

        self.screen.app.push_screen(editor, written)

    def _pick(self, question: str, then: Callable[[Event, Note], None]) -> None:
        """The note to act on: the details' current note, the only one, or one chosen from a list."""
        screen = self.screen
        event = screen.current_event
        if event is None:
            screen.app.bell()
            return
        item = self._current_item()
        if item is not None and item[0] == "note":
            then(event, screen.detail.notes[item[1]])
            return
        notes = list(screen.notes_app.annotations.notes.get(event.id, ()))
        if not notes:
            self._notify(f"This event has no notes ({hint('note.add', current_keymap(screen))} adds one).", timeout=4)
            return
        if len(notes) == 1:
            then(event, notes[0])
            return
        from timeline_tui.ui.dialogs.note_picker import NotePickerScreen

        by_id = {n.id: n for n in notes}

        def picked(note_id: int | None) -> None:
            if note_id is not None and note_id in by_id:
                then(event, by_id[note_id])

        screen.app.push_screen(NotePickerScreen(question, heading(event), notes), picked)

    def _delete_note(self, event: Event, note: Note) -> None:
        self._confirm_delete(f"Delete the note of {note_label(note)}?\n“{first_line(note.text, 120)}”",
                             DeleteNote(note))

    def _delete_link(self, link: Link) -> None:
        self._confirm_delete(f"Delete your link to “{first_line(link.quote.exact, 120)}”?", DeleteLink(link))

    def _confirm_delete(self, question: str, job: Job) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._submit(job)

        self.screen.app.push_screen(ConfirmScreen(question, "Delete", "Keep"), answered)

    # -- what the store said ----------------------------------------------------------------------------
    def done(self, job: Job, result: object) -> None:
        """A job of this screen was saved: say so (the screen already shows the new state)."""
        undo = self._undo_key()
        if isinstance(job, AddNote | UpdateNote):
            self._notify(f"Note {'saved' if isinstance(job, AddNote) else 'updated'} · {undo} undoes", timeout=3)
            if isinstance(result, Note):
                self.reveal(result)
        elif isinstance(job, DeleteNote | DeleteLink):
            self._notify(f"{'Note' if isinstance(job, DeleteNote) else 'Link'} deleted · {undo} brings it back",
                         timeout=4)
        elif isinstance(job, Undo):
            changed = self.screen.notes_app.annotations.changed_events(job.before)
            where = ""
            if len(changed) == 1:
                event = self.screen.dataset.event(next(iter(changed)))
                if event is not None:
                    where = f" on “{event.title[:200]}”"
            self._notify(f"Undone: {result}{where}", timeout=4)

    def _edit_conflict(self, job: UpdateNote, current: Note | None) -> None:
        """The note was changed (``current``) or deleted (``None``) elsewhere while it was edited."""
        from timeline_tui.ui.dialogs.conflict import EditConflictScreen

        def chosen(choice: str | None) -> None:
            if choice == "overwrite" and current is not None:
                self._submit(UpdateNote(job.event, current, job.text, overwrite=True))
            elif choice == "both":
                self._submit(AddNote(job.event, job.text))
            else:  # back to the editor with the text; saving then goes over the version seen now
                self.open_editor(job.event, job.text, current, retry=True)

        self.screen.app.push_screen(EditConflictScreen(job.note, current), chosen)

    def _delete_conflict(self, current: Note) -> None:
        """The note to delete was changed elsewhere since the user chose it: ask again, showing it."""
        self._confirm_delete(f"This note was changed elsewhere since you chose to delete it "
                             f"({note_label(current)}). It now reads:\n“{first_line(current.text, 120)}”\n"
                             "Delete it anyway?", DeleteNote(current))

    def reveal(self, note: Note) -> None:
        """Show a note just saved: on screen, clear of the toast (the details are brought up when only
        one pane is shown at a time), if the cursor is still on its event."""
        screen = self.screen
        event = screen.current_event
        if event is None or event.id != note.event_id:
            return
        if screen.has_class("-toggled") and screen.focused is not screen.detail:
            screen.set_focus(screen.detail)
        screen.detail.reveal_note(note.id)

    def failed(self, job: Job, error: StoreError) -> None:
        """A job of this screen could not be saved: say why; a note's text goes back into the editor,
        or, when the note was changed or deleted elsewhere meanwhile, the user chooses what to keep."""
        if isinstance(job, UpdateNote) and isinstance(error, EditConflict):
            self._edit_conflict(job, error.current)
        elif isinstance(job, DeleteNote) and isinstance(error, EditConflict) and error.current is not None:
            self._delete_conflict(error.current)
        elif isinstance(job, DeleteNote) and self.screen.notes_app.annotations.note(job.note.id) is None:
            self._notify("That note was already deleted elsewhere; nothing to delete.", timeout=5)
        elif isinstance(job, AddNote | UpdateNote):
            self._notify(f"{error} Your text is kept in the editor: try again, or copy it.", title="Note not saved",
                         severity="error", timeout=12)
            self.open_editor(job.event, job.text, job.note if isinstance(job, UpdateNote) else None, retry=True)
        elif isinstance(job, Undo):
            nothing = str(error).startswith("Nothing to undo")
            title = "Not undone: changed elsewhere" if isinstance(error, UndoConflict) else None
            self._notify(str(error), title=title, severity="information" if nothing else "warning" if title else "error",
                         timeout=3 if nothing else 10)
        else:
            title = ("Selection not saved" if isinstance(job, SaveSelection)
                     else "Export folder and format not remembered" if isinstance(job, SaveSettings) else "Not deleted")
            self._notify(str(error), title=title, severity="error", timeout=10)

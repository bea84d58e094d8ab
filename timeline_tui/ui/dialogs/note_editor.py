"""The note editor: a modal with a multi-line text area; ``ctrl+s`` saves, ``esc`` cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from timeline_tui.core.textsafe import plain
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal


class NoteEditorScreen(Dialog[str | None]):
    """Write or edit one note on an event; dismisses with the text, or None when cancelled.

    ``event_title`` (e.g. "8 May 2010 · Museum opens a new wing") heads the dialog and
    ``text`` is the note being edited ("" for a new one). Control characters and escape
    sequences are removed from both (they never reach the terminal), so the saved text is what
    was shown. Saving blank text is refused with a notification; cancelling after a change asks
    first.
    """

    KEY_SCOPE = "note_editor"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    NoteEditorScreen > .dialog { width: 80; height: 20; }
    NoteEditorScreen #note-event { height: auto; max-height: 3; text-style: bold; }
    NoteEditorScreen #note-text { height: 1fr; min-height: 3; }
    NoteEditorScreen #note-help { height: 1; color: $text-muted; }
    """

    def __init__(self, event_title: str, text: str = "", *, editing: bool | None = None) -> None:
        super().__init__()
        self.event_title = event_title
        self.initial_text = plain(text, keep_newlines=True)
        self.editing = bool(text) if editing is None else editing

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog") as box:
            box.border_title = "Edit note" if self.editing else "New note"
            yield Static(literal(self.event_title), id="note-event")
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(literal(self.key_hints(("note_editor.save", "save"), ("note_editor.cancel", "cancel"))),
                         id="note-help")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        """The text as it would be saved."""
        return plain(self.query_one("#note-text", TextArea).text, keep_newlines=True)

    @property
    def changed(self) -> bool:
        return self.text != self.initial_text

    @property
    def unsaved_text(self) -> bool:
        """Text typed and not saved (the app will not quit on ``q`` while too small then)."""
        return self.changed

    def action_save(self) -> None:
        text = self.text
        if not text.strip():
            self.notify("A note needs some text (esc to cancel).", severity="warning", markup=False)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            else:
                self.query_one("#note-text", TextArea).focus()

        self.app.push_screen(ConfirmScreen("Discard the unsaved note?", "Discard", "Keep editing"), answered)

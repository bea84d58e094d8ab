"""The note editor: a modal with a multi-line text area; ``ctrl+s`` saves, ``esc`` cancels.

The note is stored exactly as written. The editor shows it safely — control characters and
escape sequences as visible symbols (``␛[1m``), CRLF line ends as line breaks, tabs as tabs — and
saves back the original characters of everything the user did not edit
(:mod:`timeline_tui.ui.editable_text`), so opening a note and saving it changes nothing. ``tab``
inserts a tab, as in a plain-text editor; text pasted in is kept as it is shown.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.editable_text import EditableText, shown_form
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal


class NoteArea(TextArea):
    """The editor's text area: ``tab`` inserts a tab; a paste arrives in the form it is shown in
    (no control character reaches the terminal raw)."""

    def __init__(self, text: str, **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.indent_type = "tabs"

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # instead of TextArea's own paste, which inserts the text raw
        if self.read_only:
            return
        result = self.replace(shown_form(event.text), *self.selection)
        self.move_cursor(result.end_location)


class NoteEditorScreen(Dialog[str | None]):
    """Write or edit one note on an event; dismisses with the text to store, or None when cancelled.

    ``event_title`` (e.g. "8 May 2010 · Museum opens a new wing") heads the dialog and ``text``
    is the note being edited ("" for a new one), shown as :class:`EditableText` says. Saving an
    unedited note dismisses with ``text`` itself, unchanged to the character. Saving blank text
    is refused with a notification; cancelling after a change asks first.
    """

    KEY_SCOPE = "note_editor"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    NoteEditorScreen > .dialog { width: 80; height: 20; }
    NoteEditorScreen #note-event { height: auto; max-height: 3; text-style: bold; }
    NoteEditorScreen #note-text { height: 1fr; min-height: 3; }
    NoteEditorScreen #note-help { height: 1; color: $text-muted; }
    NoteEditorScreen #note-symbols { height: auto; color: $text-muted; text-style: italic; }
    """

    def __init__(self, event_title: str, text: str = "", *, editing: bool | None = None) -> None:
        super().__init__()
        self.event_title = event_title
        self.original = text
        self.editable = EditableText.of(text)
        self.editing = bool(text) if editing is None else editing

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog") as box:
            box.border_title = "Edit note" if self.editing else "New note"
            yield Static(literal(self.event_title), id="note-event")
            yield NoteArea(self.editable.shown, id="note-text", soft_wrap=True, show_line_numbers=False,
                           tab_behavior="indent")
            if self._has_symbols():
                yield Static(literal("␛ ␍ and the like stand for control characters stored in the note; "
                                     "they are kept as they are unless you edit them.", multiline=True),
                             id="note-symbols")
            yield Static(literal(self.key_hints(("note_editor.save", "save"), ("note_editor.cancel", "cancel"))),
                         id="note-help")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def _has_symbols(self) -> bool:
        """The note holds characters the editor shows as symbols (not line ends or tabs)."""
        return self.editable.shown != self.original.replace("\r\n", "\n")

    @property
    def text(self) -> str:
        """The text as it would be saved: what was not edited exactly as it was stored."""
        return self.editable.stored(self.query_one("#note-text", TextArea).text)

    @property
    def changed(self) -> bool:
        return self.text != self.original

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

"""Choose one of an event's notes (for ``e``/``d`` when it has several): newest first, ``enter`` picks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from timeline_tui.core.annotations import Note
from timeline_tui.ui.annotating import first_line, note_label
from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import assemble, literal


class NotePickerScreen(Dialog[int | None]):
    """Dismisses with the chosen note's id, or None (``esc``)."""

    KEY_SCOPE = "note_picker"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    NotePickerScreen #picker-event { height: auto; max-height: 2; text-style: bold; }
    NotePickerScreen OptionList { height: auto; max-height: 16; border: none; padding: 0; }
    """

    def __init__(self, question: str, event_title: str, notes: Sequence[Note]) -> None:
        super().__init__()
        self.question = question
        self.event_title = event_title
        # newest change first: the note a user most likely means is the one they touched last
        self.notes = sorted(notes, key=lambda n: (n.updated, n.id), reverse=True)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.question
            box.border_subtitle = self.key_hints(("", "enter chooses"), ("note_picker.cancel", "cancels"))
            yield Static(literal(self.event_title), id="picker-event")
            yield OptionList(
                *(Option(assemble((note_label(n), "bold"), "  ", first_line(n.text, 40) or "(blank)", multiline=False),
                         id=str(n.id)) for n in self.notes),
                id="picker-notes",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)

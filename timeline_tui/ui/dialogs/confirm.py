"""A yes/no question in a modal: ``y``/``enter`` answer yes, ``n``/``esc`` answer no."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from timeline_tui.ui.dialogs.dialog import Dialog, hint_for
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal


class ConfirmScreen(Dialog[bool]):
    """Ask ``message``; dismiss with True (yes) or False (no). All text is shown literally."""

    KEY_SCOPE = "confirm"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    ConfirmScreen > .dialog { width: 60; border: round $warning; }
    ConfirmScreen #confirm-message { height: auto; margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 1; min-width: 8; }
    """

    def __init__(self, message: str, yes_label: str = "Yes", no_label: str = "No") -> None:
        super().__init__()
        self.message = message
        self.yes_label = yes_label
        self.no_label = no_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.message, multiline=True), id="confirm-message")
            with Horizontal():
                yes, no = hint_for(self, "confirm.yes", ""), hint_for(self, "confirm.no", "")
                yield Button(literal(f"{self.yes_label} ({yes.strip()})"), id="confirm-yes", variant="warning",
                             compact=True)
                yield Button(literal(f"{self.no_label} ({no.strip()})"), id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

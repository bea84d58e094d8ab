"""The ``:`` dialog: type a date freely and land on the nearest event."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_free
from timeline_tui.ui.text import literal


class GotoDateScreen(ModalScreen[EdtfDate | None]):
    """Ask for a date ("1945", "Aug 1945", "8 May 2010", "2025-05"); dismiss with it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    DEFAULT_CSS = """
    GotoDateScreen { align: center middle; }
    GotoDateScreen > Vertical {
        width: 56; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    GotoDateScreen #goto-error { color: $text-error; height: auto; }
    GotoDateScreen #goto-hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Go to date"
            yield Static(literal("1945 · Aug 1945 · 8 May 2010 · 2025-05"), id="goto-hint")
            yield Input(placeholder="a date…", id="goto-input")
            yield Static(id="goto-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            when = parse_free(event.value)
        except EdtfError as exc:
            self.query_one("#goto-error", Static).update(literal(str(exc)))
            return
        self.dismiss(when)

    def action_cancel(self) -> None:
        self.dismiss(None)

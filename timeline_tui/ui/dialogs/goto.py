"""The ``:`` dialog: type a date freely and land on the nearest event."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_free
from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal


class GotoDateScreen(Dialog[EdtfDate | None]):
    """Ask for a date ("1945", "Aug 1945", "8 May 2010", "2025-05"); dismiss with it, or None."""

    KEY_SCOPE = "goto"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    GotoDateScreen > .dialog { width: 56; }
    GotoDateScreen #goto-error { color: $text-error; height: auto; }
    GotoDateScreen #goto-hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
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

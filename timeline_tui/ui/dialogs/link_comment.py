"""The dialog that asks for an optional comment on a new link (from the source viewer's ``l``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label

from timeline_tui.ui.dialogs.dialog import Dialog, hint_for
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import assemble, literal, preview


class LinkCommentScreen(Dialog[str | None]):
    """Asks for an optional comment on a new link; dismisses with the comment, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    LinkCommentScreen > .dialog { background: $panel; }
    LinkCommentScreen Label { width: 100%; }
    LinkCommentScreen #link-passage { color: $text-muted; }
    """

    KEY_SCOPE = "link_comment"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    def __init__(self, passage: str, event_title: str, comment: str = "") -> None:
        super().__init__()
        self._passage = passage
        self._event_title = event_title
        self._comment = comment

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(assemble(("Link to ", "bold"), (self._event_title, "bold")), id="link-title")
            yield Label(literal(f"“{preview(self._passage, 120)}”"), id="link-passage")
            yield Input(self._comment, placeholder=f"Comment (optional) — enter saves, {hint_for(self, 'link_comment.cancel', 'cancels')}", id="link-comment")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

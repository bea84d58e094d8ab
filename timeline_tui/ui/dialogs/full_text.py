"""The whole text of a long field (summary, quote, link or note) that the detail pane had to cut."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical

from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import clean, plural
from timeline_tui.ui.widgets.text_view import TextView


class FullTextScreen(Dialog[None]):
    """``title`` over a :class:`TextView` of ``text``; ``esc``/``q`` close it."""

    KEY_SCOPE = "full_text"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    FullTextScreen > .dialog { width: 100%; height: 100%; padding: 0; }
    FullTextScreen TextView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = clean(self.title_text[:200])
            box.border_subtitle = f"{plural(len(self.text), 'character')} · " + self.key_hints(
                ("", "j/k/PgDn/g/G move"), ("full_text.close", "closes"))
            yield TextView(self.text, id="full-text")

    def on_mount(self) -> None:
        self.query_one(TextView).focus()

    def action_close(self) -> None:
        self.dismiss(None)

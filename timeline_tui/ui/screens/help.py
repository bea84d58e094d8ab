"""The ``?`` screen: every key, grouped, and where the notes are stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from timeline_tui.ui.keys import key_names
from timeline_tui.ui.text import assemble

Section = tuple[str, Sequence[Binding]]


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys by section, then facts such as the notes file's path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("down,j", "scroll_down", "Scroll down", show=False),
        Binding("up,k", "scroll_up", "Scroll up", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .help-section { color: $text-accent; text-style: bold; margin-top: 1; }
    HelpScreen .help-keys { height: auto; }
    HelpScreen #help-facts { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, sections: Sequence[Section], facts: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.sections = sections
        self.facts = facts

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "esc closes"
            for title, bindings in self.sections:
                yield Static(assemble(title), classes="help-section")
                width = max((len(key_names(b)) for b in bindings), default=4) + 2
                lines: list[str | tuple[str, str]] = []
                seen: set[str] = set()
                for b in bindings:
                    if not b.description or b.description in seen:
                        continue
                    seen.add(b.description)
                    lines += [(f"  {key_names(b):<{width}}", "bold"), b.description, "\n"]
                yield Static(assemble(*lines[:-1]), classes="help-keys")
            facts: list[str | tuple[str, str]] = []
            for label, value in self.facts:
                facts += [(f"{label}: ", "bold"), value, "\n"]
            yield Static(assemble(*facts[:-1]), id="help-facts")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up(animate=False)

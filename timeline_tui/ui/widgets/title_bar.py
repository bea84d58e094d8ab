"""The title bar: the dataset's title on the left, what is shown on the right.

The title comes first: when both do not fit, the facts on the right are dropped from the end
(``30 events · 5 sources`` becomes ``30 events``, then nothing) before the title is cut.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from timeline_tui.ui.text import clean, literal, width_of


class TitleBar(Horizontal):
    """``Title …   30 events · 5 sources``; ``facts`` (most important first) fill the room the title leaves."""

    DEFAULT_CSS = """
    TitleBar { height: 1; background: $panel; color: $foreground; }
    TitleBar #title-text { width: 1fr; padding: 0 1; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    TitleBar #title-info { width: auto; padding: 0 1; color: $text-muted; }
    """

    facts: reactive[tuple[str, ...]] = reactive((), layout=True)

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = clean(title)

    def compose(self) -> ComposeResult:
        yield Static(literal(self.title_text), id="title-text")
        yield Static(id="title-info")

    @property
    def info(self) -> str:
        """The facts shown now."""
        return str(self.query_one("#title-info", Static).content)

    def watch_facts(self) -> None:
        self._fit(self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        room = width - width_of(self.title_text) - 2  # the title and its padding
        shown = list(self.facts)
        while shown and width_of(" · ".join(shown)) + 2 > room:
            shown.pop()
        if not shown and self.facts and width <= 0:
            shown = list(self.facts)  # not laid out yet: show everything, fit on the first resize
        info = self.query_one("#title-info", Static)
        info.update(literal(" · ".join(shown)))
        info.display = bool(shown)

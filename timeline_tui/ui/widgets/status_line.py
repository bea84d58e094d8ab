"""The status line under the timeline: read-only notes, a range being chosen, the selection count,
the search and its matches, the filter. Driven by reactives; hidden when it has nothing to say."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from timeline_tui.ui.keys import current_keymap, hint
from timeline_tui.ui.text import assemble, plural


@dataclass(frozen=True)
class SearchState:
    """The search as the status line tells it: the query, a thread still searching, matches, which one."""

    query: str
    pending: bool = False
    count: int = 0
    position: int | None = None  # the match the cursor is on (0-based), if any


@dataclass(frozen=True)
class FilterState:
    description: str
    shown: int
    total: int


class StatusLine(Widget):
    """One line of state; every field is a reactive, so setting one repaints only this line."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text-warning; }
    """

    read_only: reactive[bool] = reactive(False, layout=False)
    range_size: reactive[int | None] = reactive(None, layout=False)
    selected: reactive[int] = reactive(0, layout=False)
    search: reactive[SearchState | None] = reactive(None, layout=False)
    filter: reactive[FilterState | None] = reactive(None, layout=False)
    #: room for the selection's key hints (a narrow terminal leaves them out)
    roomy: reactive[bool] = reactive(True, layout=False)

    def on_mount(self) -> None:
        self.display = self.has_news

    @property
    def has_news(self) -> bool:
        return bool(self.read_only or self.range_size is not None or self.selected or self.search or self.filter)

    def _changed(self) -> None:
        """A field changed: show the line only when it has something to say (a layout pass only then)."""
        if self.display != self.has_news:
            self.display = self.has_news

    watch_read_only = watch_range_size = watch_selected = watch_search = watch_filter = _changed

    def render(self) -> RenderResult:
        return self.content()

    def content(self) -> Content:
        """The line as styled text (empty when there is nothing to say)."""
        keymap = current_keymap(self)
        lead: list[str | tuple[str, str]] = []
        if self.read_only:
            lead += [("READ-ONLY", "bold reverse"), " notes  "]
        if self.range_size is not None:
            lead += [("RANGE", "bold reverse"),
                     f" {plural(self.range_size, 'event')} · {hint('select.toggle', keymap)}/"
                     f"{hint('open_source', keymap)} selects · {hint('clear', keymap)} cancels  "]
        elif self.selected:
            keys = (f"  {hint('export', keymap)} export · {hint('export.copy', keymap)} copy · "
                    f"{hint('select.clear', keymap)} clears  ") if self.roomy else "  "
            lead += [(f"● {self.selected} selected", "bold"), keys]
        parts: list[str | tuple[str, str]] = []
        search = self.search
        if search is not None and search.pending:
            parts += [("/", "bold"), search.query, ("  searching…", "bold")]
        elif search is not None and search.count:
            where = f"{search.position + 1}/{search.count}" if search.position is not None else f"–/{search.count}"
            parts += [("/", "bold"), search.query, (f"  {plural(search.count, 'match', 'matches')} ({where})", "bold"),
                      f"  {hint('search.next', keymap)}/{hint('search.previous', keymap)} next/previous"]
        elif search is not None:
            parts += [("/", "bold"), search.query, ("  no matches", "bold")]
        if self.filter is not None:
            if parts:
                parts.append("   ")
            parts += [("Filter: ", "bold"), self.filter.description,
                      f"  ({self.filter.shown} of {self.filter.total})"]
        if parts:
            parts.append(f"  {hint('clear', keymap)} clears")
        parts = lead + parts
        return assemble(*parts, multiline=False) if parts else Content("")

    @property
    def text(self) -> str:
        """What the line says, as plain text."""
        return self.content().plain

"""The detail pane: the event under the cursor in full, with each quote and where it comes from."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from timeline_tui.core.model import Dataset, Event, Quote
from timeline_tui.ui.text import assemble, literal


def source_citation(dataset: Dataset, source_id: str) -> str:
    """``Title · Publisher · 9 May 2010`` for a source id (the id itself if unknown)."""
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id
    return f"{source.title} · {source.publisher} · {source.published.display()}"


class QuoteBlock(Static):
    """One quote with its source line; a missing source shows a warning instead of the text."""

    DEFAULT_CSS = """
    QuoteBlock {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: outer $primary 50%;
        color: $foreground;
        &.-missing { border-left: outer $warning; color: $text-warning; }
        &.-current { border-left: outer $accent; background: $boost; }
    }
    """


class DetailPane(VerticalScroll, can_focus=True):
    """Date in words and its basis, title, summary, tags, era and quotes of one event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "next_quote", "Next quote", show=False, id="detail.next_quote"),
        Binding("up,k", "prev_quote", "Previous quote", show=False, id="detail.prev_quote"),
    ]

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        scrollbar-size-vertical: 1;
        #detail-date { color: $text-accent; text-style: bold; }
        #detail-basis { color: $text-muted; }
        #detail-title { text-style: bold; margin-top: 1; }
        #detail-summary { margin-top: 1; }
        #detail-meta { margin-top: 1; color: $text-muted; }
        #detail-quotes-head { margin-top: 1; color: $text-secondary; text-style: bold; }
        #detail-empty { color: $text-muted; text-style: italic; }
    }
    """

    class QuoteChosen(Message):
        """The current quote changed (``quote`` is its index in the event's quotes)."""

        def __init__(self, quote: int) -> None:
            super().__init__()
            self.quote = quote

    def __init__(self, dataset: Dataset, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.event: Event | None = None
        self.current_quote = 0
        self._blocks: list[QuoteBlock] = []

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-empty")
        yield Static(id="detail-date")
        yield Static(id="detail-basis")
        yield Static(id="detail-title")
        yield Static(id="detail-summary")
        yield Static(id="detail-meta")
        yield Static(id="detail-quotes-head")

    def show_event(self, event: Event | None) -> None:
        """Fill the pane with ``event`` (or a hint when nothing is under the cursor)."""
        same = event is not None and self.event is not None and event.id == self.event.id
        self.event = event
        if not same:
            self.current_quote = 0
        empty = self.query_one("#detail-empty", Static)
        parts = ["#detail-date", "#detail-basis", "#detail-title", "#detail-summary", "#detail-meta",
                 "#detail-quotes-head"]
        if event is None:
            empty.update(literal("No event here. Press esc to clear the search or filter."))
            empty.display = True
            for sel in parts:
                self.query_one(sel).display = False
            for block in self._blocks:
                block.display = False
            return
        empty.display = False
        for sel in parts:
            self.query_one(sel).display = True
        self.query_one("#detail-date", Static).update(literal(event.date.describe()))
        basis = self.query_one("#detail-basis", Static)
        basis.update(assemble("Date basis: ", event.date_basis, multiline=False) if event.date_basis else Content(""))
        basis.display = bool(event.date_basis)
        self.query_one("#detail-title", Static).update(literal(event.title))
        self.query_one("#detail-summary", Static).update(literal(event.summary, multiline=True))
        era = self.dataset.era_of(event)
        meta: list[Content] = []
        if event.tags:
            meta.append(assemble("Tags  ", (" ".join("#" + t for t in event.tags), "italic"), multiline=False))
        if era is not None:
            meta.append(assemble("Era   ", (era.title, "italic"), multiline=False))
        meta_widget = self.query_one("#detail-meta", Static)
        meta_widget.update(Content("\n").join(meta))
        meta_widget.display = bool(meta)
        n = len(event.quotes)
        self.query_one("#detail-quotes-head", Static).update(
            literal(f"{n} quote{'s' if n != 1 else ''} from the sources" + ("  (enter opens)" if n else ""))
        )
        self._show_quotes(event.quotes)
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def _show_quotes(self, quotes: tuple[Quote, ...]) -> None:
        while len(self._blocks) < len(quotes):
            block = QuoteBlock()
            self._blocks.append(block)
            self.mount(block)
        for i, block in enumerate(self._blocks):
            if i >= len(quotes):
                block.display = False
                continue
            block.display = True
            quote = quotes[i]
            missing = self.dataset.source_text(quote.source) is None
            block.set_class(missing, "-missing")
            block.set_class(i == self.current_quote and self.has_focus, "-current")
            badge = list(self.dataset.sources).index(quote.source) + 1 if quote.source in self.dataset.sources else 0
            cite = source_citation(self.dataset, quote.source)
            if missing:
                path = self.dataset.sources[quote.source].path if quote.source in self.dataset.sources else "?"
                lines = [
                    assemble(("⚠ Source file not available: ", "bold"), path, multiline=False),
                    assemble("The quote cannot be shown.", multiline=False),
                    assemble(("— " + cite, "italic"), multiline=False),
                ]
            else:
                lines = [
                    assemble("“", quote.text, "”"),
                    assemble((f"— [{badge}] {cite}", "italic"), multiline=False),
                ]
            block.update(Content("\n").join(lines))

    @property
    def quote_count(self) -> int:
        return len(self.event.quotes) if self.event else 0

    def _move_quote(self, delta: int) -> None:
        if not self.quote_count:
            return
        self.current_quote = max(0, min(self.quote_count - 1, self.current_quote + delta))
        if self.event is not None:
            self._show_quotes(self.event.quotes)
        block = self._blocks[self.current_quote]
        self.scroll_to_widget(block, animate=False, immediate=True)
        self.post_message(self.QuoteChosen(self.current_quote))

    def action_next_quote(self) -> None:
        self._move_quote(1)

    def action_prev_quote(self) -> None:
        self._move_quote(-1)

    def on_focus(self) -> None:
        if self.event is not None:
            self._show_quotes(self.event.quotes)

    def on_blur(self) -> None:
        if self.event is not None:
            self._show_quotes(self.event.quotes)

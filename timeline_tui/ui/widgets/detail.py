"""The detail pane: the event under the cursor in full, with each quote and where it comes from,
then the user's linked passages (with their anchor health) and notes.

``j``/``k`` (with the pane focused) move through the quotes, links and notes; the screen acts on
the current one (``enter`` opens a quote or link in its source, ``e``/``d`` edit or delete a note).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, Note
from timeline_tui.core.model import Dataset, Event, Quote
from timeline_tui.ui.annotating import note_label
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


class LinkBlock(Static):
    """One of the user's linked passages: anchor health, the passage, its source and comment."""

    DEFAULT_CSS = """
    LinkBlock {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: outer $success 60%;
        &.-orphaned { border-left: outer $error; }
        &.-current { border-left: outer $accent; background: $boost; }
    }
    """


class NoteBlock(Static):
    """One of the user's notes with its time."""

    DEFAULT_CSS = """
    NoteBlock {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: outer $warning 60%;
        &.-current { border-left: outer $accent; background: $boost; }
    }
    """


@dataclass(frozen=True)
class LinkView:
    """A link as the pane shows it: where it anchors now and the text found there (or stored)."""

    link: Link
    anchor: Anchor
    text: str


ItemKind = Literal["quote", "link", "note"]

_HEALTH_STYLE = {
    AnchorStatus.EXACT: "bold $text-success",
    AnchorStatus.MOVED: "bold $text-success",
    AnchorStatus.FUZZY: "bold $text-warning",
    AnchorStatus.ORPHANED: "bold $text-error",
}


class DetailPane(VerticalScroll, can_focus=True):
    """Date in words and its basis, title, summary, tags, era, quotes, the user's links and notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "next_quote", "Next quote/link/note", show=False, id="detail.next_quote"),
        Binding("up,k", "prev_quote", "Previous quote/link/note", show=False, id="detail.prev_quote"),
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
        #detail-quotes-head, #detail-links-head, #detail-notes-head {
            margin-top: 1; color: $text-secondary; text-style: bold;
        }
        #detail-notes-head.-none { color: $text-muted; text-style: italic; }
        #detail-empty { color: $text-muted; text-style: italic; }
    }
    """

    class QuoteChosen(Message):
        """The current item changed (``quote`` is its index among quotes, links and notes)."""

        def __init__(self, quote: int) -> None:
            super().__init__()
            self.quote = quote

    def __init__(self, dataset: Dataset, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.event: Event | None = None
        self.notes: tuple[Note, ...] = ()
        self.links: tuple[LinkView, ...] = ()
        self.read_only = False
        self.current_item = 0
        self._blocks: list[QuoteBlock] = []
        self._link_blocks: list[LinkBlock] = []
        self._note_blocks: list[NoteBlock] = []

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-empty")
        yield Static(id="detail-date")
        yield Static(id="detail-basis")
        yield Static(id="detail-title")
        yield Static(id="detail-summary")
        yield Static(id="detail-meta")
        yield Static(id="detail-quotes-head")
        yield Static(id="detail-links-head")
        yield Static(id="detail-notes-head")

    _PARTS = ("#detail-date", "#detail-basis", "#detail-title", "#detail-summary", "#detail-meta",
              "#detail-quotes-head", "#detail-links-head", "#detail-notes-head")

    def show_event(
        self,
        event: Event | None,
        notes: Sequence[Note] = (),
        links: Sequence[LinkView] = (),
        *,
        read_only: bool = False,
    ) -> None:
        """Fill the pane with ``event`` and the user's ``notes`` and ``links`` on it (or a hint)."""
        same = event is not None and self.event is not None and event.id == self.event.id
        self.event = event
        self.notes = tuple(notes)
        self.links = tuple(links)
        self.read_only = read_only
        if not same:
            self.current_item = 0
        self.current_item = max(0, min(self.current_item, self.item_count - 1))
        empty = self.query_one("#detail-empty", Static)
        if event is None:
            empty.update(literal("No event here. Press esc to clear the search or filter."))
            empty.display = True
            for sel in self._PARTS:
                self.query_one(sel).display = False
            for block in (*self._blocks, *self._link_blocks, *self._note_blocks):
                block.display = False
            return
        empty.display = False
        for sel in self._PARTS:
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
        self._show_items()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    def _show_items(self) -> None:
        if self.event is None:
            return
        self._show_quotes(self.event.quotes)
        self._show_links()
        self._show_notes()

    # -- items -------------------------------------------------------------------------------------
    @property
    def item_count(self) -> int:
        """Quotes, links and notes of the event shown, in that order."""
        return self.quote_count + len(self.links) + len(self.notes)

    @property
    def quote_count(self) -> int:
        return len(self.event.quotes) if self.event else 0

    @property
    def current_quote(self) -> int:
        """The current item's index (quotes come first, then links, then notes)."""
        return self.current_item

    def current(self) -> tuple[ItemKind, int] | None:
        """What the cursor of the pane is on: ``("quote"|"link"|"note", index)``."""
        if self.event is None or not self.item_count:
            return None
        i = self.current_item
        if i < self.quote_count:
            return "quote", i
        i -= self.quote_count
        if i < len(self.links):
            return "link", i
        return "note", i - len(self.links)

    def select_item(self, kind: ItemKind, index: int) -> None:
        """Make the ``index``-th quote, link or note current."""
        offset = {"quote": 0, "link": self.quote_count, "note": self.quote_count + len(self.links)}[kind]
        self.current_item = max(0, min(self.item_count - 1, offset + index))
        self._show_items()

    def _is_current(self, kind: ItemKind, index: int) -> bool:
        return self.has_focus and self.current() == (kind, index)

    def _show_quotes(self, quotes: tuple[Quote, ...]) -> None:
        while len(self._blocks) < len(quotes):
            block = QuoteBlock()
            self._blocks.append(block)
            self.mount(block, before="#detail-links-head")
        for i, block in enumerate(self._blocks):
            if i >= len(quotes):
                block.display = False
                continue
            block.display = True
            quote = quotes[i]
            missing = self.dataset.source_text(quote.source) is None
            block.set_class(missing, "-missing")
            block.set_class(self._is_current("quote", i), "-current")
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

    def _show_links(self) -> None:
        head = self.query_one("#detail-links-head", Static)
        n = len(self.links)
        head.update(literal(f"Your linked passage{'s' if n != 1 else ''} ({n})"))
        head.display = bool(n)
        while len(self._link_blocks) < n:
            block = LinkBlock()
            self._link_blocks.append(block)
            self.mount(block, before="#detail-notes-head")
        for i, block in enumerate(self._link_blocks):
            if i >= n:
                block.display = False
                continue
            block.display = True
            view = self.links[i]
            status = view.anchor.status
            orphaned = status is AnchorStatus.ORPHANED
            block.set_class(orphaned, "-orphaned")
            block.set_class(self._is_current("link", i), "-current")
            sources = list(self.dataset.sources)
            badge = sources.index(view.link.source_id) + 1 if view.link.source_id in sources else 0
            health = "orphaned: not found in the source; stored text" if orphaned else view.anchor.describe()
            lines = [
                assemble(("✎ Your link", "bold"), " · ", (health, _HEALTH_STYLE[status]), multiline=False),
                assemble("“", view.text, "”"),
                assemble((f"— [{badge}] {source_citation(self.dataset, view.link.source_id)}", "italic"),
                         multiline=False),
            ]
            if view.link.comment:
                lines.append(assemble(("Comment: ", "bold"), view.link.comment))
            block.update(Content("\n").join(lines))

    def _show_notes(self) -> None:
        head = self.query_one("#detail-notes-head", Static)
        n = len(self.notes)
        if n:
            head.update(literal(f"Your note{'s' if n != 1 else ''} ({n})"))
        elif self.read_only:
            head.update(literal("No notes (notes are read-only)"))
        else:
            head.update(literal("No notes yet · a adds one"))
        head.set_class(not n, "-none")
        while len(self._note_blocks) < n:
            block = NoteBlock()
            self._note_blocks.append(block)
            self.mount(block)
        for i, block in enumerate(self._note_blocks):
            if i >= n:
                block.display = False
                continue
            block.display = True
            note = self.notes[i]
            block.set_class(self._is_current("note", i), "-current")
            block.update(assemble((note_label(note), "bold $text-warning"), "\n", note.text))

    def _block_of(self, kind: ItemKind, index: int) -> Static | None:
        blocks: Sequence[Static]
        if kind == "quote":
            blocks = self._blocks
        elif kind == "link":
            blocks = self._link_blocks
        else:
            blocks = self._note_blocks
        return blocks[index] if index < len(blocks) else None

    def reveal_note(self, note_id: int) -> None:
        """Scroll note ``note_id`` into view (if shown) and make it the current item."""
        for i, note in enumerate(self.notes):
            if note.id == note_id:
                self.select_item("note", i)
                block = self._block_of("note", i)
                if block is not None:
                    self.call_after_refresh(self.scroll_to_widget, block, animate=False)
                return

    def _move_quote(self, delta: int) -> None:
        if not self.item_count:
            return
        self.current_item = max(0, min(self.item_count - 1, self.current_item + delta))
        self._show_items()
        here = self.current()
        if here is not None:
            block = self._block_of(*here)
            if block is not None:
                self.scroll_to_widget(block, animate=False, immediate=True)
        self.post_message(self.QuoteChosen(self.current_item))

    def action_next_quote(self) -> None:
        self._move_quote(1)

    def action_prev_quote(self) -> None:
        self._move_quote(-1)

    def on_focus(self) -> None:
        self._show_items()

    def on_blur(self) -> None:
        self._show_items()

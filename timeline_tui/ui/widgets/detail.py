"""The detail pane: the event under the cursor in full, with each quote and where it comes from,
then the user's linked passages (with their anchor health) and notes.

``j``/``k`` (with the pane focused) move through the quotes, links and notes; the screen acts on
the current one (``enter`` opens a quote or link in its source, ``e``/``d`` edit or delete a note).

The pane is one Line-API widget: :func:`build_sections` turns an event (and the user's notes and
links on it) into :class:`Section` s, which are wrapped into ``Strip`` s once per (content, width,
current item, focus, theme) and kept in a small cache. Moving the timeline's cursor therefore
costs one wrap of a few paragraphs and a single repaint, never a cascade of layout passes over
auto-sized child widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, Note
from timeline_tui.core.model import Dataset, Event
from timeline_tui.ui.annotating import note_label
from timeline_tui.ui.text import assemble, literal

ItemKind = Literal["quote", "link", "note"]
#: the coloured bar left of an item: a quote, a quote whose source is missing, a link, an orphaned link, a note
BarKind = Literal["", "quote", "missing", "link", "orphaned", "note"]

BAR = "▌"
RULE = "─"


def source_citation(dataset: Dataset, source_id: str) -> str:
    """``Title · Publisher · 9 May 2010`` for a source id (the id itself if unknown)."""
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id
    return f"{source.title} · {source.publisher} · {source.published.display()}"


@dataclass(frozen=True)
class LinkView:
    """A link as the pane shows it: where it anchors now and the text found there (or stored)."""

    link: Link
    anchor: Anchor
    text: str


@dataclass(frozen=True)
class Section:
    """One part of the pane, in display order.

    ``name`` says what it is (``date``, ``basis``, ``title``, ``summary``, ``meta``, ``quotes-head``,
    ``quote``, ``links-head``, ``link``, ``notes-head``, ``note`` or ``empty``); ``space`` is the
    number of blank lines above it; quotes, links and notes carry their ``item`` number (among all
    three, in that order) and the ``bar`` drawn at their left; headings get a rule to the right.
    """

    name: str
    content: Content
    space: int = 1
    item: int = -1
    bar: BarKind = ""
    heading: bool = False
    muted: bool = False
    hint: str = ""  # a heading's key hint, shown after it when the line has room

    @property
    def text(self) -> str:
        return self.content.plain + (f"  ({self.hint})" if self.hint else "")


_HEALTH_STYLE = {
    AnchorStatus.EXACT: "bold $text-success",
    AnchorStatus.MOVED: "bold $text-success",
    AnchorStatus.FUZZY: "bold $text-warning",
    AnchorStatus.ORPHANED: "bold $text-error",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def build_sections(
    dataset: Dataset,
    event: Event | None,
    notes: Sequence[Note] = (),
    links: Sequence[LinkView] = (),
    *,
    read_only: bool = False,
) -> tuple[Section, ...]:
    """What the pane shows for ``event`` and the user's ``notes`` and ``links`` on it (or a hint)."""
    if event is None:
        return (Section("empty", literal("No event here. Press esc to clear the search or filter."), space=0),)
    out = [Section("date", literal(event.date.describe()), space=0)]
    if event.date_basis:
        out.append(Section("basis", assemble("Date basis: ", event.date_basis, multiline=False), space=0))
    out.append(Section("title", literal(event.title)))
    if event.summary:
        out.append(Section("summary", literal(event.summary, multiline=True)))
    meta: list[Content] = []
    if event.tags:
        meta.append(assemble("Tags  ", (" ".join("#" + t for t in event.tags), "italic"), multiline=False))
    eras = dataset.eras_of(event)
    if eras:
        label = "Era   " if len(eras) == 1 else "Eras  "
        meta.append(assemble(label, (" · ".join(era.title for era in eras), "italic"), multiline=False))
    if meta:
        out.append(Section("meta", Content("\n").join(meta)))

    source_ids = list(dataset.sources)
    n = len(event.quotes)
    head = f"{_plural(n, 'quote')} from the sources"
    out.append(Section("quotes-head", literal(head), heading=True, muted=not n, hint="enter opens" if n else ""))
    item = 0
    for quote in event.quotes:
        cite = source_citation(dataset, quote.source)
        if dataset.source_text(quote.source) is None:
            path = dataset.sources[quote.source].path if quote.source in dataset.sources else "?"
            lines = [
                assemble(("⚠ Source file not available: ", "bold"), path, multiline=False),
                assemble("The quote cannot be shown.", multiline=False),
                assemble(("— " + cite, "italic"), multiline=False),
            ]
            out.append(Section("quote", Content("\n").join(lines), item=item, bar="missing"))
        else:
            badge = source_ids.index(quote.source) + 1 if quote.source in dataset.sources else 0
            lines = [assemble("“", quote.text, "”"), assemble((f"— [{badge}] {cite}", "italic $text-muted"),
                                                             multiline=False)]
            out.append(Section("quote", Content("\n").join(lines), item=item, bar="quote"))
        item += 1

    if links:
        out.append(Section("links-head", literal(f"Your linked passage{'s' if len(links) != 1 else ''} ({len(links)})"),
                           heading=True))
    for view in links:
        status = view.anchor.status
        orphaned = status is AnchorStatus.ORPHANED
        badge = source_ids.index(view.link.source_id) + 1 if view.link.source_id in dataset.sources else 0
        health = "orphaned: not found in the source; stored text" if orphaned else view.anchor.describe()
        lines = [
            assemble(("✎ Your link", "bold"), " · ", (health, _HEALTH_STYLE[status]), multiline=False),
            assemble("“", view.text, "”"),
            assemble((f"— [{badge}] {source_citation(dataset, view.link.source_id)}", "italic $text-muted"),
                     multiline=False),
        ]
        if view.link.comment:
            lines.append(assemble(("Comment: ", "bold"), view.link.comment))
        out.append(Section("link", Content("\n").join(lines), item=item, bar="orphaned" if orphaned else "link"))
        item += 1

    if notes:
        out.append(Section("notes-head", literal(f"Your note{'s' if len(notes) != 1 else ''} ({len(notes)})"),
                           heading=True))
    elif read_only:
        out.append(Section("notes-head", literal("No notes (notes are read-only)"), heading=True, muted=True))
    else:
        out.append(Section("notes-head", literal("No notes yet · a adds one"), heading=True, muted=True))
    for note in notes:
        content = assemble((note_label(note), "bold $text-warning"), "\n", note.text)
        out.append(Section("note", content, item=item, bar="note"))
        item += 1
    return tuple(out)


@dataclass(frozen=True)
class _Rendered:
    """The pane drawn at one width: its lines and the lines (first, end) each item occupies."""

    lines: list[Strip]
    items: dict[int, tuple[int, int]]


class DetailPane(ScrollView, can_focus=True):
    """Date in words and its basis, title, summary, tags, era, quotes, the user's links and notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "next_quote", "Next quote/link/note", show=False, id="detail.next_quote"),
        Binding("up,k", "prev_quote", "Previous quote/link/note", show=False, id="detail.prev_quote"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "detail--date",
        "detail--basis",
        "detail--title",
        "detail--summary",
        "detail--meta",
        "detail--head",
        "detail--head-none",
        "detail--rule",
        "detail--hint",
        "detail--empty",
        "detail--missing",
        "detail--current",
        "detail--bar-quote",
        "detail--bar-missing",
        "detail--bar-link",
        "detail--bar-orphaned",
        "detail--bar-note",
        "detail--bar-current",
    }

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        scrollbar-background: $surface;
        scrollbar-background-hover: $surface;
        scrollbar-background-active: $surface;
        & > .detail--date { color: $text-accent; text-style: bold; }
        & > .detail--basis { color: $text-muted; }
        & > .detail--title { text-style: bold; }
        & > .detail--meta { color: $text-muted; }
        & > .detail--head { color: $text-secondary; text-style: bold; }
        & > .detail--head-none { color: $text-muted; text-style: italic; }
        & > .detail--rule { color: $foreground 20%; }
        & > .detail--hint { color: $text-muted; text-style: italic; }
        & > .detail--empty { color: $text-muted; text-style: italic; }
        & > .detail--missing { color: $text-warning; }
        & > .detail--current { background: $accent 20%; }
        & > .detail--bar-quote { color: $primary 60%; }
        & > .detail--bar-missing { color: $warning; }
        & > .detail--bar-link { color: $success 60%; }
        & > .detail--bar-orphaned { color: $error; }
        & > .detail--bar-note { color: $warning 60%; }
        & > .detail--bar-current { color: $accent; }
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
        self.sections: tuple[Section, ...] = build_sections(dataset, None)
        self._cache: LRUCache[tuple[object, ...], _Rendered] = LRUCache(64)
        self._sections_cache: LRUCache[tuple[object, ...], tuple[Section, ...]] = LRUCache(256)
        self._painted: tuple[_Rendered, int, int] | None = None  # lines on screen, scroll offset, width

    # -- content ------------------------------------------------------------------------------------
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
        key = (None if event is None else event.id, self.notes, self.links, read_only)
        sections = self._sections_cache.get(key)
        if sections is None:
            sections = self._sections_cache[key] = build_sections(self.dataset, event, self.notes, self.links,
                                                                  read_only=read_only)
        self.sections = sections
        self._content_changed()
        if not same:
            self.scroll_to(y=0, animate=False, immediate=True)

    def section_text(self, name: str) -> str:
        """The text of the sections called ``name`` (one per line), or ``""`` if none is shown."""
        return "\n".join(s.text for s in self.sections if s.name == name)

    @property
    def text(self) -> str:
        """Everything the pane shows, as plain text (one section per line)."""
        return "\n".join(s.text for s in self.sections)

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

    @property
    def highlighted(self) -> int:
        """The item drawn as current (only while the pane has focus), or -1."""
        return self.current_item if self.has_focus and self.event is not None and self.item_count else -1

    def select_item(self, kind: ItemKind, index: int) -> None:
        """Make the ``index``-th quote, link or note current."""
        offset = {"quote": 0, "link": self.quote_count, "note": self.quote_count + len(self.links)}[kind]
        self.current_item = max(0, min(self.item_count - 1, offset + index))
        self._repaint()

    def reveal_note(self, note_id: int) -> None:
        """Scroll note ``note_id`` into view (if shown) and make it the current item."""
        for i, note in enumerate(self.notes):
            if note.id == note_id:
                self.select_item("note", i)
                self._scroll_to_item(self.current_item)
                return

    def _move_quote(self, delta: int) -> None:
        if not self.item_count:
            return
        self.current_item = max(0, min(self.item_count - 1, self.current_item + delta))
        self._repaint()
        self._scroll_to_item(self.current_item)
        self.post_message(self.QuoteChosen(self.current_item))

    def _scroll_to_item(self, item: int) -> None:
        width = self._width
        if width <= 0:
            return
        span = self._rendered(width).items.get(item)
        if span is None:
            return
        first, end = span
        top = round(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        if first - 1 < top:
            y = max(0, first - 1)  # with the blank line above it
        elif end > top + height:
            y = min(first - 1, end - height)
        else:
            return
        self.scroll_to(y=y, animate=False, immediate=True)

    def action_next_quote(self) -> None:
        self._move_quote(1)

    def action_prev_quote(self) -> None:
        self._move_quote(-1)

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    # -- drawing ------------------------------------------------------------------------------------
    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width

    def _content_changed(self) -> None:
        """Size the scrollable area for the sections shown and repaint what changed (one frame)."""
        width = self._width
        if width <= 0:
            self.refresh()
            return
        rendered = self._rendered(width)
        # The scrollbar is always there (overflow-y: scroll) and the scroll range at least the
        # viewport, so the bar shows a thumb only when there is more to read and never has to
        # appear or disappear: that would lay out the whole screen and repaint the bar in a frame
        # of its own. So the reactive is bypassed, and the bar repaints only if its thumb changed.
        view_height = self.scrollable_content_region.height
        size = Size(width, max(len(rendered.lines), view_height))
        if self.virtual_size != size:
            self.set_reactive(ScrollView.virtual_size, size)
            if self.show_vertical_scrollbar:
                bar = self.vertical_scrollbar
                bar.window_virtual_size = size.height
                bar.window_size = view_height
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self._repaint(rendered)

    def _repaint(self, rendered: _Rendered | None = None) -> None:
        """Repaint the lines on screen that differ from those painted last (all of them after a scroll)."""
        width = self._width
        if rendered is None:
            rendered = self._rendered(width) if width > 0 else None
        old, top = self._painted, round(self.scroll_y)
        self._painted = (rendered, top, width) if rendered is not None else None
        if rendered is None or old is None or old[1:] != (top, width):
            self.refresh()
            return
        before, after = old[0].lines, rendered.lines
        blank = Strip.blank(width)
        start = None
        for row in range(top, top + self.scrollable_content_region.height + 1):
            a = before[row] if row < len(before) else blank
            b = after[row] if row < len(after) else blank
            same = a is b or a == b
            if not same and start is None:
                start = row
            elif same and start is not None:
                self.refresh_lines(start, row - start)
                start = None
        if start is not None:
            self.refresh_lines(start, top + self.scrollable_content_region.height + 1 - start)

    def on_resize(self) -> None:
        self._painted = None
        self._content_changed()

    def on_mount(self) -> None:
        self._content_changed()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._painted = None

    def render_line(self, y: int) -> Strip:
        width = self._width
        if width <= 0:
            return Strip.blank(0)
        lines = self._rendered(width).lines
        row = round(self.scroll_y) + y
        if row >= len(lines):
            return Strip.blank(width, self.rich_style)
        strip = lines[row].apply_offsets(0, row)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(row)) is not None:
            start, end = span
            end = width if end == -1 else end
            if end > start:
                style = self.screen.get_component_rich_style("screen--selection")
                parts = strip.divide([start, end, width])
                strip = Strip.join([parts[0], parts[1].apply_style(style), *parts[2:]])
        return strip

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text selected with the mouse (bars and padding left out)."""
        width = self._width
        if width <= 0:
            return None
        text = "\n".join(line.text.replace(BAR, " ", 1).rstrip() for line in self._rendered(width).lines)
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def _rendered(self, width: int) -> _Rendered:
        highlight = self.highlighted
        key = (self.sections, width, highlight, self.app.theme)
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = self._cache[key] = self._render_sections(self.sections, width, highlight)
        return rendered

    def _render_sections(self, sections: Sequence[Section], width: int, highlight: int) -> _Rendered:
        """Wrap every section to ``width``: one ``Strip`` per line, exactly ``width`` cells wide."""
        blank = Strip.blank(width, self.rich_style)
        lines: list[Strip] = []
        items: dict[int, tuple[int, int]] = {}
        for section in sections:
            if lines:
                lines.extend([blank] * section.space)
            first = len(lines)
            if section.bar:
                lines.extend(self._bar_lines(section, width, current=section.item == highlight))
                items[section.item] = (first, len(lines))
            elif section.heading:
                lines.extend(self._heading_lines(section, width))
            else:
                style_name = _SECTION_STYLES.get(section.name)
                style = self.get_visual_style(style_name) if style_name else self.visual_style
                lines.extend(self._wrap(section.content, width, style))
        return _Rendered(lines, items)

    def _segments(self, content: Content, width: int, style: Style) -> list[tuple[list[Segment], int]]:
        """``content`` wrapped to ``width`` in ``style``: each line's segments and its width in cells."""
        rich: dict[Style, RichStyle] = {}
        out: list[tuple[list[Segment], int]] = []
        for line in content.wrap(width):
            segments = []
            for text, text_style in line.render(style, end="", parse_style=self._get_style):
                combined = style + text_style
                rich_style = rich.get(combined)
                if rich_style is None:
                    rich_style = rich[combined] = combined.rich_style
                segments.append(Segment(text, rich_style))
            out.append((segments, line.cell_length))
        return out

    def _wrap(self, content: Content, width: int, style: Style, *, left: Sequence[Segment] = (),
              right: Sequence[Segment] = ()) -> list[Strip]:
        """``content`` wrapped to ``width`` in ``style``, each line padded to ``width`` cells between
        ``left`` and ``right``."""
        pad_style = style.background_style.rich_style
        total = width + sum(len(s.text) for s in (*left, *right))
        return [Strip([*left, *segments, Segment(" " * (width - cells), pad_style), *right], total)
                if cells < width else Strip([*left, *segments, *right], total)
                for segments, cells in self._segments(content, width, style)]

    def _heading_lines(self, section: Section, width: int) -> list[Strip]:
        """A heading, with a rule to the right edge when it fits on one line."""
        style = self.get_visual_style("detail--head-none" if section.muted else "detail--head")
        wrapped = self._segments(section.content, width, style)
        room = width - wrapped[0][1] - 1 if len(wrapped) == 1 else 0
        if room >= 3:
            rule = self.get_visual_style("detail--rule").rich_style
            segments = list(wrapped[0][0])
            hint = f" {section.hint} " if section.hint else ""
            if hint and room - len(hint) >= 3:
                room -= len(hint)
                segments.append(Segment(" " + RULE * (room - 1), rule))
                segments.append(Segment(hint, self.get_visual_style("detail--hint").rich_style))
                segments.append(Segment(RULE, rule))
            else:
                segments.append(Segment(" " + RULE * room, rule))
            return [Strip(segments, width)]
        return self._wrap(section.content, width, style)

    def _bar_lines(self, section: Section, width: int, *, current: bool) -> list[Strip]:
        """A quote, link or note: a coloured bar, a space, the text wrapped, a space."""
        names = ["detail--missing"] if section.bar == "missing" else []
        if current:
            names.append("detail--current")
        style = self.get_visual_style(*names) if names else self.visual_style
        bg = style.background_style.rich_style
        bar_name = "detail--bar-current" if current else f"detail--bar-{section.bar}"
        bar = self.get_visual_style(bar_name, *(["detail--current"] if current else [])).rich_style
        inner = max(1, width - 3)
        return self._wrap(section.content, inner, style, left=[Segment(BAR, bar), Segment(" ", bg)],
                          right=[Segment(" ", bg)])


_SECTION_STYLES = {
    "date": "detail--date",
    "basis": "detail--basis",
    "title": "detail--title",
    "summary": "detail--summary",
    "meta": "detail--meta",
    "empty": "detail--empty",
}

"""The detail pane: the event under the cursor in full: the user's notes and linked passages (with
their anchor health) first, then each quote and where it comes from — its *items*.

``j``/``k`` (with the pane focused) move through the items (focusing the pane brings the current
one, at first the user's first note, into view); the screen acts on the current one
(``enter`` opens a quote or link in its source, ``e``/``d`` edit or delete a note, ``o`` reads a
long text whole). The pane finds where each link's passage is now (:class:`LinkAnchors`; many
at once in a worker thread) and says when some cannot be found.

The pane is one Line-API widget: :func:`build_sections` turns an event (and the user's notes and
links on it) into :class:`Section` s, which are wrapped into ``Strip`` s once per (content, width,
current item, focus, theme) and kept in a small cache. Moving the timeline's cursor therefore
costs one wrap of a few paragraphs and a single repaint, never a cascade of layout passes over
auto-sized child widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import on, work
from textual.binding import BindingType
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
from timeline_tui.ui.annotating import anchor_link
from timeline_tui.ui.keys import bindings, current_keymap, hint
from timeline_tui.ui.text import plural
from timeline_tui.ui.widgets.detail_sections import (
    SECTION_STYLES,
    Hints,
    ItemKind,
    LinkAnchors,
    LinkView,
    Section,
    build_sections,
    item_kind,
    item_offset,
    item_text,
)
from timeline_tui.ui.workers import ReportsWorkerErrors

BAR = "▌"
RULE = "─"
#: lines at the foot of the pane a toast may cover (a one-line notification with its border, the footer)
TOAST_ROOM = 4


@dataclass(frozen=True)
class _Rendered:
    """The pane drawn at one width: its lines and the lines (first, end) each item occupies."""

    lines: list[Strip]
    items: dict[int, tuple[int, int]]


class DetailPane(ReportsWorkerErrors, ScrollView, can_focus=True):
    """Date in words and its basis, title, summary, tags, era, quotes, the user's links and notes."""

    KEY_SCOPE = "detail"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

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

    class AnchorsChecked(Message):
        """Link anchors found in a worker thread (link id -> where its passage is now)."""

        def __init__(self, found: dict[int, Anchor]) -> None:
            super().__init__()
            self.found = found

    def __init__(self, dataset: Dataset, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset = dataset
        self.event: Event | None = None
        self.notes: tuple[Note, ...] = ()
        self.links: tuple[LinkView, ...] = ()
        self.read_only = False
        self.current_item = 0
        self.anchors = LinkAnchors(dataset)
        self.sections: tuple[Section, ...] = build_sections(dataset, None)
        self._cache: LRUCache[tuple[object, ...], _Rendered] = LRUCache(64)
        self._sections_cache: LRUCache[tuple[object, ...], tuple[Section, ...]] = LRUCache(256)
        self._painted: tuple[_Rendered, int, int] | None = None  # lines on screen, scroll offset, width
        self._reveal: int | None = None  # a note to bring into view once the pane is laid out
        self._scroll_on_layout = False  # bring the current item into view once the pane is laid out

    # -- content ------------------------------------------------------------------------------------
    def show_event(
        self,
        event: Event | None,
        notes: Sequence[Note] = (),
        links: Sequence[Link] = (),
        *,
        read_only: bool = False,
    ) -> None:
        """Fill the pane with ``event`` and the user's ``notes`` and ``links`` on it (or a hint)."""
        same = event is not None and self.event is not None and event.id == self.event.id
        self.event = event
        self.notes = tuple(notes)
        self.links = tuple(self.anchors.view(link) for link in links)
        self.read_only = read_only
        if not same:
            self.current_item = 0
        self.current_item = max(0, min(self.current_item, self.item_count - 1))
        hints = self._hints()
        key = (None if event is None else event.id, self.notes, self.links, read_only, hints)
        sections = self._sections_cache.get(key)
        if sections is None:
            sections = self._sections_cache[key] = build_sections(self.dataset, event, self.notes, self.links,
                                                                  read_only=read_only, hints=hints)
        self.sections = sections
        self._content_changed()
        if not same:
            self.scroll_to(y=0, animate=False, immediate=True)

    def _hints(self) -> Hints:
        keymap = current_keymap(self)
        return Hints(hint("open_source", keymap), hint("note.add", keymap), hint("full_text", keymap))

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
        """Notes, links and quotes of the event shown, in that order."""
        return self.quote_count + len(self.links) + len(self.notes)

    @property
    def quote_count(self) -> int:
        return len(self.event.quotes) if self.event else 0

    def current(self) -> tuple[ItemKind, int] | None:
        """What the cursor of the pane is on: ``("note"|"link"|"quote", index)``."""
        if self.event is None or not self.item_count:
            return None
        return item_kind(self.current_item, len(self.notes), len(self.links))

    @property
    def highlighted(self) -> int:
        """The item drawn as current (only while the pane has focus), or -1."""
        return self.current_item if self.has_focus and self.event is not None and self.item_count else -1

    def select_item(self, kind: ItemKind, index: int) -> None:
        """Make the ``index``-th quote, link or note current."""
        offset = item_offset(kind, len(self.notes), len(self.links))
        self.current_item = max(0, min(self.item_count - 1, offset + index))
        self._repaint()

    def reveal_note(self, note_id: int) -> None:
        """Make note ``note_id`` (if shown) the current item and bring it, with its heading, into the
        upper part of the pane: clear of the toast that says it was saved."""
        for i, note in enumerate(self.notes):
            if note.id == note_id:
                self.select_item("note", i)
                if self._width <= 0 or self.scrollable_content_region.height <= 0:
                    self._reveal = note_id  # hidden (one pane at a time) until now: once it is laid out
                    return
                self._scroll_to_item(self.current_item, keep_clear=TOAST_ROOM, with_heading=i == 0)
                return

    def _move_item(self, delta: int) -> None:
        if self.item_count:
            self.current_item = max(0, min(self.item_count - 1, self.current_item + delta))
            self._repaint()
            self._scroll_to_item(self.current_item)

    def _scroll_to_item(self, item: int, *, keep_clear: int = 0, with_heading: bool = False) -> None:
        """Scroll the least that shows item ``item`` whole (its start, if it is taller than the pane),
        leaving the pane's last ``keep_clear`` lines out of it; ``with_heading``: the line(s) above too."""
        width = self._width
        if width <= 0:
            return
        span = self._rendered(width).items.get(item)
        if span is None:
            return
        first, end = span
        top = round(self.scroll_y)
        height = max(1, self.scrollable_content_region.height - keep_clear)
        lead = 2 if with_heading else 1  # the blank line above it (and the heading above that)
        if first - lead < top or (keep_clear and end > top + height):
            y = max(0, first - lead)  # at the top (when keeping clear of the foot, whatever its length)
        elif end > top + height:
            y = min(first - 1, end - height)
        else:
            return
        self.scroll_to(y=y, animate=False, immediate=True)

    def action_next_item(self) -> None:
        self._move_item(1)

    def action_previous_item(self) -> None:
        self._move_item(-1)

    def full_text(self, *, focused: bool) -> tuple[str, str] | None:
        """What ``o`` reads whole: the current item when the pane is ``focused``, else what was cut
        (the summary first), else the summary; ``(title, text)``, or ``None`` when there is nothing."""
        event = self.event
        if event is None:
            return None
        summary = (f"Summary of “{event.title[:80]}”", event.summary) if event.summary else None
        if focused and self.item_count:
            return item_text(event, self.notes, self.links, self.current_item)
        cut_items = [s for s in self.sections if s.cut]
        if cut_items and cut_items[0].item >= 0:
            return item_text(event, self.notes, self.links, cut_items[0].item)
        if summary is not None:
            return summary
        return item_text(event, self.notes, self.links, 0) if self.item_count else None

    # -- link anchors ----------------------------------------------------------------------------------
    def check_anchors(self, links: Sequence[Link]) -> None:
        """Find where ``links`` anchor now, in a worker thread (fuzzy matching can take a while)."""
        if links:
            self._find_anchors(list(links))

    @work(thread=True, group="anchors", exit_on_error=False, name="finding your linked passages")
    def _find_anchors(self, links: list[Link]) -> None:
        self.post_message(self.AnchorsChecked({link.id: anchor_link(self.dataset, link) for link in links}))

    @on(AnchorsChecked)
    def _anchors_checked(self, message: AnchorsChecked) -> None:
        """Keep the anchors, say which passages moved out of reach, and show the current event again."""
        self.anchors.update(message.found)
        orphaned = sum(1 for a in message.found.values() if a.status is AnchorStatus.ORPHANED)
        fuzzy = sum(1 for a in message.found.values() if a.status is AnchorStatus.FUZZY)
        if orphaned or fuzzy:
            parts = []
            if orphaned:
                parts.append(f"{plural(orphaned, 'linked passage')} could not be found in the sources (orphaned)")
            if fuzzy:
                parts.append(f"{fuzzy} only approximately (the text changed)")
            self.notify("; ".join(parts) + ". See the details pane.", severity="warning", markup=False, timeout=8)
        self.show_event(self.event, self.notes, [v.link for v in self.links], read_only=self.read_only)

    def on_focus(self) -> None:
        self._repaint()
        # tab: the user's first note (or the item moved to) in view, now or once laid out; else from the date
        current = self.current()
        if current is not None and (current[0] != "quote" or self.current_item > 0):
            self._scroll_on_layout = self._width <= 0 or self.scrollable_content_region.height <= 0
            if not self._scroll_on_layout:
                self._scroll_to_item(self.current_item)

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
        if self._reveal is not None:
            note_id, self._reveal, self._scroll_on_layout = self._reveal, None, False
            self.reveal_note(note_id)
        elif self._scroll_on_layout and self._width > 0:
            self._scroll_on_layout = False
            self._scroll_to_item(self.current_item)

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
                style_name = SECTION_STYLES.get(section.name)
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


"""The timeline: a virtualised Line-API view drawing only the rows on screen.

Rows come from :class:`timeline_tui.core.layout.TimelineLayout`; each drawn row is a ``Strip``
kept in an LRU cache keyed by everything that changes its look (row, width, cursor, focus,
match, note and selection markers, theme), so moving the cursor redraws two lines. The view
owns the cursor, the search matches (``n``/``N`` step through them) and its border title, the
sticky year header: the year (or empty years) and eras of the top row on screen, kept true after
every key, scroll, mouse wheel, resize and filter. It posts :class:`TimelineView.CursorMoved` when
the cursor changes event.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from timeline_tui.core.layout import EventKeys, RowKind, TimelineLayout, build_layout
from timeline_tui.core.model import Dataset
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import assemble
from timeline_tui.ui.widgets.timeline_rows import ERA_STYLES, RowMarks, RowPainter


class TimelineView(ScrollView, can_focus=True):
    """Scrollable rows of years, gaps and events with a cursor that always sits on an event."""

    KEY_SCOPE = "timeline"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--year",
        "timeline--rule",
        "timeline--era-label",
        "timeline--month",
        "timeline--gap",
        "timeline--date",
        "timeline--title",
        "timeline--tags",
        "timeline--badge",
        "timeline--note",
        "timeline--selected",
        "timeline--pending",
        "timeline--match",
        "timeline--match-text",
        "timeline--cursor",
        "timeline--cursor-blurred",
        *(f"timeline--era-{i}" for i in range(ERA_STYLES)),
    }

    DEFAULT_CSS = """
    TimelineView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .timeline--year { color: $text-accent; text-style: bold; }
        & > .timeline--rule { color: $foreground 25%; }
        & > .timeline--era-label { color: $text-secondary; text-style: italic; }
        & > .timeline--month { color: $text-primary; text-style: italic; }
        & > .timeline--gap { color: $text-muted; text-style: italic; }
        & > .timeline--date { color: $text-primary; }
        & > .timeline--title { color: $foreground; }
        & > .timeline--tags { color: $text-muted; }
        & > .timeline--badge { color: $text-secondary; }
        & > .timeline--note { color: $text-warning; text-style: bold; }
        & > .timeline--selected { color: $text-success; text-style: bold; }
        & > .timeline--pending { color: $text-accent; text-style: bold; }
        & > .timeline--match { color: $text-warning; text-style: bold; }
        & > .timeline--match-text { background: $warning 40%; text-style: bold underline; }
        & > .timeline--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .timeline--cursor-blurred { background: $block-cursor-blurred-background; }
        & > .timeline--era-0 { color: $primary; }
        & > .timeline--era-1 { color: $secondary; }
        & > .timeline--era-2 { color: $success; }
        & > .timeline--era-3 { color: $warning; }
    }
    """

    class CursorMoved(Message, bubble=False):
        """The cursor is on another event (``index`` into the dataset's events, or ``None``).

        Posted to the screen, ahead of the view's repaint: what the screen updates for it lands
        in the same frame as the cursor.
        """

        def __init__(self, view: TimelineView, index: int | None) -> None:
            super().__init__()
            self.view = view
            self.index = index

    def __init__(self, dataset: Dataset, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.dataset = dataset
        self.keys = EventKeys(dataset.events)
        self.layout_rows: TimelineLayout = build_layout(dataset.events, None, dataset.span, keys=self.keys)
        self.filtered = False
        self._cursor = self.layout_rows.event_row(0) if self.layout_rows.event_count else 0
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self._match_rows: list[int] = []  # rows of the matching events, ascending
        self._header: tuple[int, int] | None = None  # the (first, last) year the border title names
        self.marks = RowMarks()
        self.painter = RowPainter(self)

    # -- state ----------------------------------------------------------------------------------
    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_event(self) -> int | None:
        """Index into ``dataset.events`` of the event under the cursor."""
        return self.layout_rows.event_at(self._cursor)

    @property
    def cursor_year(self) -> int:
        return self.layout_rows.year_of_row(self._cursor) if len(self.layout_rows) else self.dataset.span.lower.year

    def set_layout(self, layout: TimelineLayout, *, filtered: bool, keep_event: int | None = None) -> None:
        """Show ``layout`` (e.g. after a filter), keeping the cursor on ``keep_event`` or the nearest event."""
        old_lower = None
        if keep_event is not None:
            old_lower = self.dataset.events[keep_event].date
        self.layout_rows = layout
        self.filtered = filtered
        self._generation += 1
        self._cache.clear()
        self.painter.measure_dates()
        row: int | None = None
        if keep_event is not None:
            row = layout.row_of_event(keep_event)
            if row is None and old_lower is not None:
                k = layout.position_for_date(old_lower)
                row = layout.event_row(k) if k is not None else None
        if row is None:
            row = layout.event_row(0) if layout.event_count else 0
        self._cursor = row
        self._update_virtual_size()
        self.scroll_to(y=max(0, row - self._visible_height() // 3), animate=False, immediate=True)
        self._header = None  # the rows changed: name the top one again even if its row number did not
        self._show_year()
        self.refresh()
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        # Straight to the screen's queue, ahead of this view's own repaint request (which it posts
        # when it goes idle): the screen's handler then updates the details before the frame is
        # painted, so the cursor and the details land in the same frame.
        self.screen.post_message(self.CursorMoved(self, self.cursor_event))

    @property
    def top_row(self) -> int:
        """The layout row drawn first (under the border title)."""
        return round(self.scroll_y)

    def header_years(self, row: int) -> tuple[int, int] | None:
        """The years the sticky header names when ``row`` is on top: its year, or a gap's empty
        years (``None`` when there are no rows)."""
        layout = self.layout_rows
        if not len(layout):
            return None
        row = max(0, min(row, len(layout) - 1))
        if layout.kind(row) is RowKind.GAP:
            gap = layout.row(row)
            return gap.year, gap.end_year
        year = layout.year_of_row(row)
        return year, year

    def header_parts(self, years: tuple[int, int] | None) -> tuple[str, list[str]]:
        """``("1945", ["Second Sino-Japanese War"])``: the years as the header writes them, and the
        titles of the eras they lie in."""
        if years is None:
            return "", []
        first, last = years
        eras = [e.title for e in self.dataset.eras if e.date.lower.year <= last and first <= e.date.upper.year]
        return (str(first) if first == last else f"{first}–{last}"), eras

    @property
    def header(self) -> str:
        """The sticky header as shown (plain text)."""
        label, eras = self.header_parts(self._header)
        return " · ".join([label, *eras]) if label else ""

    def _show_year(self) -> None:
        """The sticky header: the top row's year and eras (set only when they change: it repaints the border)."""
        years = self.header_years(self.top_row)
        if years == self._header:
            return
        self._header = years
        label, eras = self.header_parts(years)
        self.border_title = assemble((label, "bold"), *((" · " + t) for t in eras), multiline=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._show_year()

    # -- search matches ---------------------------------------------------------------------------------
    def set_matches(self, matches: Iterable[int], query: str) -> list[int]:
        """Mark the events (dataset indices) matching the search ``query``; returns their rows, ascending.

        Events the layout does not show (filtered out) are left out.
        """
        row_of = self.layout_rows.row_of_event
        shown = [i for i in matches if row_of(i) is not None]
        self.marks.matches = set(shown)
        self._match_rows = sorted(r for i in shown if (r := row_of(i)) is not None)
        self.marks.query = query
        self._cache.clear()
        self.refresh()
        return self._match_rows

    @property
    def match_count(self) -> int:
        return len(self._match_rows)

    def match_position(self) -> int | None:
        """Which match (0-based) the cursor is on, or ``None`` when it is on no match."""
        rows, row = self._match_rows, self._cursor
        k = bisect_left(rows, row)
        return k if k < len(rows) and rows[k] == row else None

    def first_match_from(self, row: int) -> None:
        """Move to the first match at or after ``row`` (wrapping to the first)."""
        rows = self._match_rows
        if rows:
            self.move_to_row(rows[bisect_left(rows, row) % len(rows)], scroll="center")

    def step_match(self, *, forward: bool) -> bool | None:
        """Move to the next (previous) match; ``None`` if there is none, else whether it wrapped around."""
        rows, here = self._match_rows, self._cursor
        if not rows:
            return None
        if forward:
            k = bisect_right(rows, here)
            wrapped = k >= len(rows)
            target = rows[0] if wrapped else rows[k]
        else:
            k = bisect_left(rows, here) - 1
            wrapped = k < 0
            target = rows[-1] if wrapped else rows[k]
        self.move_to_row(target, scroll="center")
        return wrapped and len(rows) > 1

    def set_annotated(self, event_ids: Iterable[str]) -> None:
        """Events with notes or links (they get a marker)."""
        self._set_mark("annotated", set(event_ids))

    def set_selected(self, event_ids: Iterable[str]) -> None:
        """Events the user selected (they get a marker)."""
        self._set_mark("selected", set(event_ids))

    def set_pending(self, event_ids: Iterable[str]) -> None:
        """Events in a visual range being chosen (marked until it is taken or cancelled)."""
        self._set_mark("pending", set(event_ids))

    def _set_mark(self, name: str, ids: set[str]) -> None:
        if getattr(self.marks, name) == ids:
            return
        setattr(self.marks, name, ids)
        self._cache.clear()
        self.refresh()

    def refresh_event(self, index: int) -> None:
        """Redraw the row of one event (its look changed)."""
        row = self.layout_rows.row_of_event(index)
        if row is not None:
            self.refresh_lines(row)

    # -- cursor movement ------------------------------------------------------------------------------
    def move_to_row(self, row: int, *, forward: bool = True, scroll: str = "nearest") -> None:
        """Put the cursor on the event at or next to ``row`` and bring it into view."""
        target = self.layout_rows.nearest_event_row(row, forward=forward)
        if target is None:
            return
        old = self._cursor
        self._cursor = target
        if old != target:
            self.refresh_lines(old)
            self.refresh_lines(target)
        self._scroll_to_cursor(scroll)
        if old != target:
            self._cursor_moved()

    def move_to_event(self, index: int, *, scroll: str = "center") -> bool:
        """Put the cursor on dataset event ``index``; False if it is not shown."""
        row = self.layout_rows.row_of_event(index)
        if row is None:
            return False
        self.move_to_row(row, scroll=scroll)
        return True

    def move_to_position(self, k: int, *, scroll: str = "nearest") -> None:
        """Put the cursor on the k-th shown event."""
        if self.layout_rows.event_count:
            self.move_to_row(self.layout_rows.event_row(k), scroll=scroll)

    @property
    def position(self) -> int:
        """The cursor's event number among the shown events (0-based)."""
        return self.layout_rows.position_of_row(self._cursor)

    def _visible_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _scroll_to_cursor(self, how: str = "nearest") -> None:
        height = self._visible_height()
        top = round(self.scroll_y)
        row = self._cursor
        # keep the year header (and a month header) above the cursor in view when it is just above
        head = row
        while head > 0 and row - head < 2 and self.layout_rows.kind(head - 1) in (RowKind.YEAR, RowKind.MONTH):
            head -= 1
        if how == "center":
            new_top = max(0, row - height // 3)
        elif how == "top" or head < top:
            new_top = head
        elif row >= top + height:
            new_top = row - height + 1
        else:
            return
        self.scroll_to(y=new_top, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        k = self.position
        self.move_to_position(k + 1)

    def action_cursor_up(self) -> None:
        k = self.position
        self.move_to_position(max(0, k - 1))

    def action_page_down(self) -> None:
        height = self._visible_height()
        offset = self._cursor - round(self.scroll_y)
        target = min(len(self.layout_rows) - 1, self._cursor + height)
        new = self.layout_rows.nearest_event_row(target, forward=False)
        if new is None:
            return
        if new <= self._cursor:  # no earlier event row in that page: take the next one
            new = self.layout_rows.nearest_event_row(self._cursor + 1, forward=True) or self._cursor
        self.scroll_to(y=max(0, new - offset), animate=False, immediate=True)
        self.move_to_row(new)

    def action_page_up(self) -> None:
        height = self._visible_height()
        offset = self._cursor - round(self.scroll_y)
        target = max(0, self._cursor - height)
        new = self.layout_rows.nearest_event_row(target, forward=True)
        if new is None:
            return
        if new >= self._cursor:
            new = self.layout_rows.nearest_event_row(max(0, self._cursor - 1), forward=False) or self._cursor
        self.scroll_to(y=max(0, new - offset), animate=False, immediate=True)
        self.move_to_row(new, forward=False)

    def action_first(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        self.move_to_position(0)

    def action_last(self) -> None:
        self.move_to_position(self.layout_rows.event_count - 1)
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_next_year(self) -> None:
        years = self.layout_rows.event_years()
        here = self.cursor_year
        for year in years:
            if year > here:
                self._go_year(year)
                return
        self.app.bell()

    def action_prev_year(self) -> None:
        years = self.layout_rows.event_years()
        here = self.cursor_year
        first_of_here = self.layout_rows.first_row_of_year(here)
        if first_of_here is not None and first_of_here < self._cursor:
            self._go_year(here)
            return
        for year in reversed(years):
            if year < here:
                self._go_year(year)
                return
        self.app.bell()

    def _go_year(self, year: int) -> None:
        row = self.layout_rows.first_row_of_year(year)
        if row is not None:
            self.move_to_row(row, scroll="top")

    def action_next_era(self) -> None:
        self._jump_era(forward=True)

    def action_prev_era(self) -> None:
        self._jump_era(forward=False)

    def _jump_era(self, *, forward: bool) -> None:
        """Go to the first shown event of the next era (or this era's start, then the previous era)."""
        eras = sorted(self.dataset.eras, key=lambda e: e.date.sort_key)
        layout = self.layout_rows
        index = self.cursor_event
        if not eras or index is None:
            self.app.bell()
            return
        here = self.dataset.events[index].date.lower
        candidates = [e for e in eras if e.date.lower > here] if forward else list(reversed(eras))
        for era in candidates:
            k = layout.position_for_date(era.date)
            if k is None:
                continue
            row = layout.event_row(k)
            ev = self.dataset.events[layout.order[k]]
            if not era.date.overlaps(ev.date):
                continue  # no shown event in this era
            if forward and row > self._cursor:
                self.move_to_row(row, scroll="top")
                return
            if not forward and row < self._cursor:
                self.move_to_row(row, scroll="top")
                return
        self.app.bell()

    # -- mouse ------------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self.move_to_row(offset.y + round(self.scroll_y))

    # -- drawing ------------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()
        self._show_year()

    def on_mount(self) -> None:
        self._update_virtual_size()
        self._show_year()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.layout_rows))

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh_lines(self._cursor)

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh_lines(self._cursor)

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if row >= len(self.layout_rows) or width <= 0:
            return Strip.blank(width, self.rich_style)
        ev = self.layout_rows.event_at(row)
        is_cursor = row == self._cursor
        marks = self.marks
        match = ev is not None and ev in marks.matches
        event_id = self.dataset.events[ev].id if ev is not None else ""
        key = (
            row,
            width,
            is_cursor,
            is_cursor and self.has_focus,
            match,
            marks.query if match else "",
            event_id in marks.annotated,
            event_id in marks.selected,
            event_id in marks.pending,
            self.app.theme,
            self._generation,
        )
        strip = self._cache.get(key)
        if strip is None:
            strip = self.painter.row(row, width, is_cursor)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

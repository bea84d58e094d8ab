"""The timeline: a virtualised Line-API view drawing only the rows on screen.

Rows come from :class:`timeline_tui.core.layout.TimelineLayout`; each drawn row is a ``Strip``
kept in an LRU cache keyed by everything that changes its look (row, width, cursor, focus,
match, note and selection markers, theme), so moving the cursor redraws two lines.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from timeline_tui.core.layout import (
    EventKeys,
    RowKind,
    TimelineLayout,
    build_layout,
    date_label,
    gap_text,
    month_text,
)
from timeline_tui.core.model import Dataset, Era, Event
from timeline_tui.ui.text import clean, fit, width_of

#: era bands cycle through this many styles
ERA_STYLES = 4
NOTE_MARK = "✎"
SELECT_MARK = "●"
PENDING_MARK = "○"
MATCH_MARK = "›"
BAND = "▌"


class TimelineView(ScrollView, can_focus=True):
    """Scrollable rows of years, gaps and events with a cursor that always sits on an event."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next event", show=False, id="timeline.down"),
        Binding("up,k", "cursor_up", "Previous event", show=False, id="timeline.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline.page_up"),
        Binding("g,home", "first", "First event", show=False, id="timeline.first"),
        Binding("G,end", "last", "Last event", show=False, id="timeline.last"),
        Binding("right_square_bracket", "next_year", "Next year", key_display="]", show=False,
                id="timeline.next_year"),
        Binding("left_square_bracket", "prev_year", "Previous year", key_display="[", show=False,
                id="timeline.prev_year"),
        Binding("right_curly_bracket", "next_era", "Next era", key_display="}", show=False, id="timeline.next_era"),
        Binding("left_curly_bracket", "prev_era", "Previous era", key_display="{", show=False,
                id="timeline.prev_era"),
    ]

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

    class CursorMoved(Message):
        """The cursor is on another event (``index`` into the dataset's events, or ``None``)."""

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
        self._matches: set[int] = set()
        self._query = ""
        self._annotated: set[str] = set()
        self._selected: set[str] = set()
        self._pending: set[str] = set()
        self._date_width = self._measure_dates()
        self._badges = {sid: str(n) for n, sid in enumerate(dataset.sources, start=1)}
        # Every row's right-hand columns have the same width, so tags and badges line up.
        self._badge_slots = min(3, len(self._badges))
        widest = max((len(b) for b in self._badges.values()), default=1)
        self._badge_w = width_of(" ⟨" + " ".join(["0" * widest] * self._badge_slots) + "⟩")
        #: called at once when the cursor moves (so whatever it updates lands in the cursor's own
        #: frame); when unset, a :class:`CursorMoved` message is posted instead
        self.cursor_listener: Callable[[int | None], None] | None = None

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
        self._date_width = self._measure_dates()
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
        self.refresh()
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        if self.cursor_listener is not None:
            self.cursor_listener(self.cursor_event)
        else:
            self.post_message(self.CursorMoved(self, self.cursor_event))

    def set_matches(self, matches: Iterable[int], query: str) -> None:
        """Mark the events (dataset indices) matching the search ``query``."""
        self._matches = set(matches)
        self._query = query
        self._cache.clear()
        self.refresh()

    def set_annotated(self, event_ids: Iterable[str]) -> None:
        """Events with notes or links (they get a marker)."""
        self._annotated = set(event_ids)
        self._cache.clear()
        self.refresh()

    def set_selected(self, event_ids: Iterable[str]) -> None:
        """Events the user selected (they get a marker)."""
        self._selected = set(event_ids)
        self._cache.clear()
        self.refresh()

    def set_pending(self, event_ids: Iterable[str]) -> None:
        """Events in a visual range being chosen (marked until it is taken or cancelled)."""
        pending = set(event_ids)
        if pending == self._pending:
            return
        self._pending = pending
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

    def on_mount(self) -> None:
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.layout_rows))

    def _measure_dates(self) -> int:
        layout = self.layout_rows
        events = self.dataset.events
        if layout.event_count > 20000:  # measuring would cost more than it helps
            return 9
        widest = max((width_of(date_label(events[i].date)) for i in layout.order), default=4)
        return max(4, min(widest, 16))

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
        match = ev is not None and ev in self._matches
        key = (
            row,
            width,
            is_cursor,
            is_cursor and self.has_focus,
            match,
            self._query if match else "",
            ev is not None and self.dataset.events[ev].id in self._annotated,
            ev is not None and self.dataset.events[ev].id in self._selected,
            ev is not None and self.dataset.events[ev].id in self._pending,
            self.app.theme,
            self._generation,
        )
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, is_cursor)
            self._cache[key] = strip
        return strip.apply_offsets(0, row)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _era_band(self, first: int, last: int) -> tuple[str, Style]:
        """The band cell for rows covering years ``first``..``last``."""
        for i, era in enumerate(self.dataset.eras):
            if era.date.lower.year <= last and first <= era.date.upper.year:
                return BAND, self._style(f"timeline--era-{i % ERA_STYLES}")
        return " ", Style()

    def _render_row(self, row: int, width: int, is_cursor: bool) -> Strip:
        layout = self.layout_rows
        base = self.rich_style
        info = layout.row(row)
        segments: list[Segment] = []
        if info.kind is RowKind.EVENT:
            segments = self._event_segments(self.dataset.events[info.event], info.event, width, is_cursor)
        elif info.kind is RowKind.YEAR:
            segments = self._year_segments(info.year, width)
        elif info.kind is RowKind.MONTH:
            band = self._era_band(info.year, info.year)
            segments = [Segment(band[0] + " ", base + band[1]),
                        Segment(fit("   " + month_text(info.month), width - 2), base + self._style("timeline--month"))]
        else:
            band = self._era_band(info.year, info.end_year)
            text = "  ┆ " + gap_text(info, filtered=self.filtered)
            segments = [Segment(band[0] + " ", base + band[1]), Segment(fit(text, width - 2), base + self._style("timeline--gap"))]
        return Strip(segments, width)

    def _eras_starting_at(self, year: int) -> list[Era]:
        """Eras whose label goes on this year's header: the first shown year inside each era."""
        years = self.layout_rows.event_years()
        out = []
        for era in self.dataset.eras:
            lo, hi = era.date.lower.year, era.date.upper.year
            if lo <= year <= hi:
                k = bisect_left(years, lo)
                if k < len(years) and years[k] == year:
                    out.append(era)
        return out

    def _year_segments(self, year: int, width: int) -> list[Segment]:
        base = self.rich_style
        band, band_style = self._era_band(year, year)
        label = f" {year} "
        eras = [clean(e.title) for e in self._eras_starting_at(year)]
        era_text = f" {' · '.join(eras)} " if eras else ""
        avail = width - 2 - width_of(label)
        if width_of(era_text) > avail - 4:
            era_text = fit(era_text, max(0, avail - 4)) if avail > 8 else ""
        rule_len = max(0, avail - width_of(era_text) - (2 if era_text else 0))
        segments = [
            Segment(band + " ", base + band_style),
            Segment(label, base + self._style("timeline--year")),
            Segment("─" * rule_len, base + self._style("timeline--rule")),
        ]
        if era_text:
            segments.append(Segment(era_text, base + self._style("timeline--era-label")))
            segments.append(Segment("─" * (avail - rule_len - width_of(era_text)), base + self._style("timeline--rule")))
        return segments

    def _event_segments(self, event: Event, index: int, width: int, is_cursor: bool) -> list[Segment]:
        base = self.rich_style
        cursor = Style()
        if is_cursor:
            cursor = self._style("timeline--cursor" if self.has_focus else "timeline--cursor-blurred")
        year = event.date.start.year
        band, band_style = self._era_band(year, event.date.upper.year)
        if event.id in self._pending and event.id not in self._selected:
            mark, mark_style = PENDING_MARK, self._style("timeline--pending")
        elif event.id in self._selected:
            mark, mark_style = SELECT_MARK, self._style("timeline--selected")
        elif index in self._matches:
            mark, mark_style = MATCH_MARK, self._style("timeline--match")
        else:
            mark, mark_style = " ", Style()
        date_w = self._date_width if width >= 50 else min(self._date_width, 9)
        date = fit(date_label(event.date), date_w)
        note = f" {NOTE_MARK}" if event.id in self._annotated else ""
        right: list[tuple[str, Style]] = [(fit(note, 2), self._style("timeline--note"))]
        fixed = 2 + 2 + date_w + 1
        title_room = width - fixed
        if width >= 70:
            labels = [self._badges.get(s, "?") for s in event.source_ids]
            if len(labels) > self._badge_slots:
                labels = [*labels[: self._badge_slots - 1], "…"]
            right.insert(0, (fit(f" ⟨{' '.join(labels)}⟩", self._badge_w), self._style("timeline--badge")))
        if width >= 60 and event.tags:
            tags = " ".join("#" + clean(t) for t in event.tags)
            budget = max(0, (title_room - sum(width_of(t) for t, _ in right)) // 3)
            if budget >= 6:
                right.insert(0, ("  " + fit(tags, budget - 2), self._style("timeline--tags")))
        right_w = sum(width_of(t) for t, _ in right)
        title_w = max(0, title_room - right_w)
        title = fit(clean(event.title), title_w)
        title_style = base + self._style("timeline--title") + cursor
        segments = [
            Segment(band + " ", base + band_style + _bg(cursor)),
            Segment(mark + " ", base + mark_style + _bg(cursor)),
            Segment(date + " ", base + self._style("timeline--date") + cursor),
        ]
        segments.extend(self._highlight(title, title_style, index))
        segments.extend(Segment(t, base + s + _bg(cursor)) for t, s in right)
        return segments

    def _highlight(self, title: str, style: Style, index: int) -> list[Segment]:
        """The title, with the search terms in it highlighted when the event matches."""
        if index not in self._matches or not self._query.strip():
            return [Segment(title, style)]
        lowered = title.lower()
        if len(lowered) != len(title):
            return [Segment(title, style)]
        marks = [False] * len(title)
        for term in self._query.lower().split():
            start = lowered.find(term)
            while start != -1 and term:
                for i in range(start, min(len(title), start + len(term))):
                    marks[i] = True
                start = lowered.find(term, start + len(term))
        hit_style = style + self._style("timeline--match-text")
        segments: list[Segment] = []
        run_start = 0
        for i in range(1, len(title) + 1):
            if i == len(title) or marks[i] != marks[run_start]:
                segments.append(Segment(title[run_start:i], hit_style if marks[run_start] else style))
                run_start = i
        return segments


def _bg(style: Style) -> Style:
    """Only the background of ``style`` (the cursor tints a row without recolouring its parts)."""
    return Style(bgcolor=style.bgcolor) if style.bgcolor else Style()


"""Drawing one row of the timeline: a year header, a month header, a gap line or an event row.

:class:`RowPainter` turns a row of the :class:`~timeline_tui.core.layout.TimelineLayout` into
segments in the view's component styles; the view caches the strips. The marks on event rows
(selected, in a range, matching the search, annotated) come from the view's :class:`RowMarks`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from timeline_tui.core.layout import RowKind, date_label, gap_text, month_text
from timeline_tui.core.model import Era, Event
from timeline_tui.ui.text import clean, fit, width_of

if TYPE_CHECKING:
    from timeline_tui.ui.widgets.timeline_view import TimelineView

#: era bands cycle through this many styles
ERA_STYLES = 4
NOTE_MARK = "✎"
SELECT_MARK = "●"
PENDING_MARK = "○"
MATCH_MARK = "›"
BAND = "▌"


@dataclass
class RowMarks:
    """What marks event rows: ids annotated, selected, in a range being chosen; search matches (indices)."""

    annotated: set[str] = field(default_factory=set)
    selected: set[str] = field(default_factory=set)
    pending: set[str] = field(default_factory=set)
    matches: set[int] = field(default_factory=set)
    query: str = ""


class RowPainter:
    """Draws rows for one :class:`TimelineView` (its dataset, layout, marks and styles)."""

    def __init__(self, view: TimelineView) -> None:
        self.view = view
        sources = view.dataset.sources
        self.badges = {sid: str(n) for n, sid in enumerate(sources, start=1)}
        # Every row's right-hand columns have the same width, so tags and badges line up.
        self.badge_slots = min(3, len(self.badges))
        widest = max((len(b) for b in self.badges.values()), default=1)
        self.badge_width = width_of(" ⟨" + " ".join(["0" * widest] * self.badge_slots) + "⟩")
        self.date_width = 9
        self.measure_dates()

    def measure_dates(self) -> None:
        """The date column's width: the widest date label of the shown events (4 to 16 cells)."""
        layout, events = self.view.layout_rows, self.view.dataset.events
        if layout.event_count > 20000:  # measuring would cost more than it helps
            self.date_width = 9
            return
        widest = max((width_of(date_label(events[i].date)) for i in layout.order), default=4)
        self.date_width = max(4, min(widest, 16))

    def _style(self, name: str) -> Style:
        return self.view.get_component_rich_style(name, partial=True)

    def _era_band(self, first: int, last: int) -> tuple[str, Style]:
        """The band cell for rows covering years ``first``..``last``."""
        for i, era in enumerate(self.view.dataset.eras):
            if era.date.lower.year <= last and first <= era.date.upper.year:
                return BAND, self._style(f"timeline--era-{i % ERA_STYLES}")
        return " ", Style()

    def row(self, row: int, width: int, is_cursor: bool) -> Strip:
        """Row ``row`` of the layout, ``width`` cells wide."""
        view = self.view
        layout = view.layout_rows
        base = view.rich_style
        info = layout.row(row)
        segments: list[Segment] = []
        if info.kind is RowKind.EVENT:
            segments = self._event_segments(view.dataset.events[info.event], info.event, width, is_cursor)
        elif info.kind is RowKind.YEAR:
            segments = self._year_segments(info.year, width)
        elif info.kind is RowKind.MONTH:
            band = self._era_band(info.year, info.year)
            segments = [Segment(band[0] + " ", base + band[1]),
                        Segment(fit("   " + month_text(info.month), width - 2), base + self._style("timeline--month"))]
        else:
            band = self._era_band(info.year, info.end_year)
            text = "  ┆ " + gap_text(info, filtered=view.filtered)
            segments = [Segment(band[0] + " ", base + band[1]), Segment(fit(text, width - 2), base + self._style("timeline--gap"))]
        return Strip(segments, width)

    def _eras_starting_at(self, year: int) -> list[Era]:
        """Eras whose label goes on this year's header: the first shown year inside each era."""
        years = self.view.layout_rows.event_years()
        out = []
        for era in self.view.dataset.eras:
            lo, hi = era.date.lower.year, era.date.upper.year
            if lo <= year <= hi:
                k = bisect_left(years, lo)
                if k < len(years) and years[k] == year:
                    out.append(era)
        return out

    def _year_segments(self, year: int, width: int) -> list[Segment]:
        base = self.view.rich_style
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
        base = self.view.rich_style
        marks = self.view.marks
        cursor = Style()
        if is_cursor:
            cursor = self._style("timeline--cursor" if self.view.has_focus else "timeline--cursor-blurred")
        year = event.date.start.year
        band, band_style = self._era_band(year, event.date.upper.year)
        if event.id in marks.pending and event.id not in marks.selected:
            mark, mark_style = PENDING_MARK, self._style("timeline--pending")
        elif event.id in marks.selected:
            mark, mark_style = SELECT_MARK, self._style("timeline--selected")
        elif index in marks.matches:
            mark, mark_style = MATCH_MARK, self._style("timeline--match")
        else:
            mark, mark_style = " ", Style()
        date_w = self.date_width if width >= 50 else min(self.date_width, 9)
        date = fit(date_label(event.date), date_w)
        note = f" {NOTE_MARK}" if event.id in marks.annotated else ""
        right: list[tuple[str, Style]] = [(fit(note, 2), self._style("timeline--note"))]
        fixed = 2 + 2 + date_w + 1
        title_room = width - fixed
        if width >= 60:
            labels = [self.badges.get(s, "?") for s in event.source_ids]
            if len(labels) > self.badge_slots:
                labels = [*labels[: self.badge_slots - 1], "…"]
            right.insert(0, (fit(f" ⟨{' '.join(labels)}⟩", self.badge_width), self._style("timeline--badge")))
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
        query = self.view.marks.query
        if index not in self.view.marks.matches or not query.strip():
            return [Segment(title, style)]
        lowered = title.lower()
        if len(lowered) != len(title):
            return [Segment(title, style)]
        hit = [False] * len(title)
        for term in query.lower().split():
            start = lowered.find(term)
            while start != -1 and term:
                for i in range(start, min(len(title), start + len(term))):
                    hit[i] = True
                start = lowered.find(term, start + len(term))
        hit_style = style + self._style("timeline--match-text")
        segments: list[Segment] = []
        run_start = 0
        for i in range(1, len(title) + 1):
            if i == len(title) or hit[i] != hit[run_start]:
                segments.append(Segment(title[run_start:i], hit_style if hit[run_start] else style))
                run_start = i
        return segments

def _bg(style: Style) -> Style:
    """Only the background of ``style`` (the cursor tints a row without recolouring its parts)."""
    return Style(bgcolor=style.bgcolor) if style.bgcolor else Style()


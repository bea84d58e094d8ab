"""A narrow year-density strip over the whole span, with the cursor's year marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

LEVELS = " ▁▂▃▄▅▆▇█"
EMPTY = "·"


class OverviewStrip(Widget):
    """Line 1: one bar per year (or per few years when narrow); line 2: the axis and the cursor's year."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "overview--bar",
        "overview--empty",
        "overview--cursor",
        "overview--axis",
        "overview--label",
    }

    DEFAULT_CSS = """
    OverviewStrip {
        height: 2;
        & > .overview--bar { color: $text-primary; }
        & > .overview--empty { color: $foreground 20%; }
        & > .overview--cursor { color: $text-accent; background: $accent 30%; text-style: bold; }
        & > .overview--axis { color: $text-muted; }
        & > .overview--label { color: $text-accent; text-style: bold; }
    }
    """

    class YearClicked(Message):
        """The user clicked the strip at ``year``."""

        def __init__(self, year: int) -> None:
            super().__init__()
            self.year = year

    def __init__(self, first_year: int, last_year: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.first_year = first_year
        self.last_year = last_year
        self._counts: list[int] = [0] * (last_year - first_year + 1)
        self._cursor_year = first_year

    def set_counts(self, counts: Sequence[int]) -> None:
        self._counts = list(counts)
        self.refresh()

    def set_cursor_year(self, year: int) -> None:
        if year != self._cursor_year:
            self._cursor_year = year
            self.refresh()

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    def _geometry(self, width: int) -> tuple[int, list[tuple[int, int]]]:
        """Where the bars start and the years (first, last) each bar column covers.

        One column per year when it fits (several per year, evenly, when the strip is twice as
        wide as the span or more), else several years per column. The span's first and last
        years label the two ends, right next to the bars, when there is room; the whole block is
        centred.
        """
        n = self.years
        labels = width >= 30
        room = width - 12 if labels else width
        if room >= 2 * n:  # wide: every year gets the same number of columns
            per_year = room // n
            bins = [(y, y) for y in range(self.first_year, self.last_year + 1) for _ in range(per_year)]
        else:
            cols = max(1, min(n, room))
            bins = []
            for c in range(cols):
                a = self.first_year + (c * n) // cols
                b = self.first_year + ((c + 1) * n) // cols - 1
                bins.append((a, max(a, b)))
        left = (6 if labels else 0) + max(0, room - len(bins)) // 2
        return left, bins

    @staticmethod
    def _columns_of(year: int, bins: list[tuple[int, int]]) -> range:
        """The bar columns that cover ``year`` (the first column when it is outside the span)."""
        cols = [c for c, (a, b) in enumerate(bins) if a <= year <= b]
        return range(cols[0], cols[-1] + 1) if cols else range(0, 1)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width <= 0:
            return Strip.blank(0)
        left, bins = self._geometry(width)
        cursor_cols = self._columns_of(self._cursor_year, bins)
        base = self.rich_style
        if y == 0:
            return self._bars(left, bins, cursor_cols, base, width)
        if y == 1:
            return self._marker(left, cursor_cols.start, base, width)
        return Strip.blank(width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _bars(self, left: int, bins: list[tuple[int, int]], cursor_cols: range, base: Style, width: int) -> Strip:
        counts = self._counts
        totals = [sum(counts[a - self.first_year : b - self.first_year + 1]) for a, b in bins]
        top = max(totals, default=0)
        scale = math.log1p(top) if top else 1.0
        bar, empty, cursor = self._style("overview--bar"), self._style("overview--empty"), self._style("overview--cursor")
        axis = base + self._style("overview--axis")
        segments: list[Segment] = []
        tight = left == 6  # no room to spare: the labels keep their cells at the edges
        if left:
            segments.append(Segment(f"{self.first_year:<6}" if tight else f"{self.first_year} ".rjust(left), axis))
        for c, total in enumerate(totals):
            if total:
                level = max(1, round(math.log1p(total) / scale * (len(LEVELS) - 1)))
                ch, style = LEVELS[level], bar
            else:
                ch, style = EMPTY, empty
            segments.append(Segment(ch, base + (style + cursor if c in cursor_cols else style)))
        if left:
            segments.append(Segment(f"{self.last_year:>6}" if tight else f" {self.last_year}", axis))
        return Strip(segments).adjust_cell_length(width, base).simplify()

    def _marker(self, left: int, cursor_col: int, base: Style, width: int) -> Strip:
        label = f"▲ {self._cursor_year}"
        col = left + cursor_col
        if col + len(label) > width:  # put the year on the left of the arrow near the right edge
            label = f"{self._cursor_year} ▲"
            col = max(0, col - len(label) + 1)
        return Strip(
            [Segment(" " * col, base), Segment(label, base + self._style("overview--label"))],
        ).adjust_cell_length(width, base)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        left, bins = self._geometry(self.size.width)
        c = offset.x - left
        if 0 <= c < len(bins):
            self.post_message(self.YearClicked(bins[c][0]))

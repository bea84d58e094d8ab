"""TextView: any length of text (a 20 MB summary, a 10 MB note), read whole; only the rows on
screen are drawn.

A text up to :data:`WORD_WRAP_MAX` characters is wrapped at word boundaries when the view gets
its width. A longer one is cut at a fixed number of code points per row of each line, so finding
row ``n`` is arithmetic, never a pass over the text. Either way a line that holds only narrow
characters gets up to one character per cell, any other line (CJK, emoji, combining marks) half
as many, so that no row is ever wider than the view and nothing is cut off. Control characters
are shown as visible symbols (:func:`~timeline_tui.core.textsafe.mask_controls`), one for one.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from itertools import accumulate
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from timeline_tui.core.textsafe import mask_controls
from timeline_tui.ui.keys import bindings

#: up to this many characters a text is wrapped at word boundaries (about 0.1 s); longer, at fixed widths
WORD_WRAP_MAX = 256 * 1024
#: characters that may take other than one cell (anything past Latin, Greek and Cyrillic basics)
_NOT_NARROW = re.compile(r"[^\x20-\x7e\u00a0-\u02ff\u0370-\u03ff\u0400-\u04ff\u2010-\u2027\u2030-\u205e]")


class TextView(ScrollView, can_focus=True):
    """A long text wrapped at the view's width, scrolled with the keyboard or the mouse."""

    KEY_SCOPE = "text_view"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    TextView { overflow-x: hidden; overflow-y: scroll; scrollbar-size-vertical: 1; background: $surface; }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._width = 0
        self._per_row: list[int] = []  # characters per row, per line of text
        self._row_starts: list[int] = []  # first row of each line of text
        self._words: list[str] | None = None  # the rows, for a text short enough to wrap at words

    @property
    def rows(self) -> int:
        """Rows the text takes at the current width."""
        if self._words is not None:
            return len(self._words)
        return self._row_starts[-1] if self._row_starts else 0

    def _line_end(self, line: int) -> int:
        """End of line ``line`` of the text, without its newline."""
        starts = self._line_starts
        return starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)

    def _wrap(self, width: int) -> None:
        """How many characters each line's rows hold at ``width``, and where each line's rows begin."""
        self._width = width
        text, starts = self.text, self._line_starts
        per_row: list[int] = []
        counts: list[int] = []
        half = max(1, width // 2)
        for line, start in enumerate(starts):
            end = self._line_end(line)
            k = width if _NOT_NARROW.search(text, start, end) is None else half
            per_row.append(k)
            counts.append(max(1, -(-(end - start) // k)))
        self._per_row = per_row
        self._row_starts = [0, *accumulate(counts)]
        if len(text) <= WORD_WRAP_MAX:
            self._words = [row for line, start in enumerate(starts)
                           for row in (textwrap.wrap(text[start:self._line_end(line)], per_row[line], expand_tabs=False,
                                                     replace_whitespace=False, drop_whitespace=True,
                                                     break_on_hyphens=False) or [""])]
        self.virtual_size = Size(width, self.rows)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width > 0 and width != self._width:
            where = round(self.scroll_y) / max(1, self.rows)  # keep the same part of the text in view
            self._wrap(width)
            self.scroll_to(y=round(where * self.rows), animate=False, immediate=True)

    def row_text(self, row: int) -> str:
        """The characters shown on row ``row`` (controls masked)."""
        if self._words is not None:
            return mask_controls(self._words[row]) if 0 <= row < len(self._words) else ""
        line = max(0, bisect_right(self._row_starts, row) - 1)
        if line >= len(self._line_starts):
            return ""
        start = self._line_starts[line] + (row - self._row_starts[line]) * self._per_row[line]
        end = min(self._line_end(line), start + self._per_row[line])
        return mask_controls(self.text[start:end])

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        if row >= self.rows or width <= 0:
            return Strip.blank(width, self.rich_style)
        return Strip([Segment(self.row_text(row), self.rich_style)]).crop_extend(0, width, self.rich_style)

    # -- keys ------------------------------------------------------------------------------------------
    def _scroll_rows(self, rows: int) -> None:
        self.scroll_to(y=max(0, min(self.max_scroll_y, round(self.scroll_y) + rows)), animate=False)

    def action_line_down(self) -> None:
        self._scroll_rows(1)

    def action_line_up(self) -> None:
        self._scroll_rows(-1)

    def action_page_down(self) -> None:
        self._scroll_rows(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._scroll_rows(-max(1, self.scrollable_content_region.height - 1))

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

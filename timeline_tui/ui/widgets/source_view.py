"""SourceView: a whole source text, word-wrapped, with highlighted passages, a caret and a selection.

A virtualised Line-API widget: only visible lines are rendered (cached ``Strip``s). Text is shown literally
(never parsed as markup) after :func:`textsafe.mask_controls`, which keeps code-point offsets, so a passage
at ``[start, end)`` is drawn at exactly those characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import ClassVar

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from timeline_tui.core import passages as P
from timeline_tui.core.passages import Layout, Passage
from timeline_tui.core.textsafe import mask_controls
from timeline_tui.ui.keys import bindings


def _cell_width(ch: str) -> int:
    return 0 if ch == "\n" else get_character_cell_size(ch)


class SourceView(ScrollView, can_focus=True):
    """Shows a source text with passages highlighted; a caret moves by character, word, sentence and line."""

    ALLOW_SELECT = False  # selection is our own (keyboard and mouse), in code points

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--quote",
        "source-view--link",
        "source-view--current",
        "source-view--selection",
        "source-view--cursor",
    }

    DEFAULT_CSS = """
    SourceView {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        padding: 0 1;
        & > .source-view--quote { background: $primary 30%; text-style: underline; }
        & > .source-view--link { background: $success 35%; text-style: italic underline; }
        & > .source-view--current { background: $warning 70%; color: $text; text-style: bold; }
        & > .source-view--selection { text-style: reverse; }
        & > .source-view--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold underline;
        }
        &:focus { background-tint: $foreground 3%; }
    }
    """

    KEY_SCOPE = "source_view"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    class Changed(Message):
        """The caret, the selection or the current passage changed."""

        def __init__(self, view: SourceView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> SourceView:
            return self.view

    def __init__(
        self,
        text: str,
        passages: Sequence[Passage] = (),
        *,
        current: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source_text = text
        self.display_text = mask_controls(text)
        self._passages: list[Passage] = sorted(passages, key=lambda p: (p.start, p.end))
        self._current: int | None = None
        if current is not None and 0 <= current < len(passages):
            self._current = self._passages.index(passages[current])
        start = self._passages[self._current].start if self._current is not None else 0
        self._cursor = max(0, min(start, len(text)))
        self._anchor: int | None = None
        self._goal_column: int | None = None
        self._layout: Layout | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._pending_reveal: tuple[int, int] | None = (
            (self._passages[self._current].start, self._passages[self._current].end)
            if self._current is not None
            else None
        )
        self._dragging = False
        self._shown_selecting = False
        self._sentences = P.sentence_starts(text)

    # --- state ------------------------------------------------------------------------------------

    @property
    def passages(self) -> list[Passage]:
        """Highlighted passages, ordered by start."""
        return list(self._passages)

    @property
    def current(self) -> int | None:
        """Index (in :attr:`passages`) of the passage shown strongly, or ``None``."""
        return self._current

    @property
    def current_passage(self) -> Passage | None:
        return None if self._current is None else self._passages[self._current]

    @property
    def cursor(self) -> int:
        """The caret: a code-point offset in ``0..len(text)``."""
        return self._cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected code points ``[start, end)``, or ``None`` (also when empty)."""
        if self._anchor is None or self._anchor == self._cursor:
            return None
        return (min(self._anchor, self._cursor), max(self._anchor, self._cursor))

    @property
    def selecting(self) -> bool:
        return self._anchor is not None

    @property
    def text_layout(self) -> Layout | None:
        """The current wrap of the text (``None`` until the widget has a size)."""
        return self._layout

    def passage_under_cursor(self) -> int | None:
        return P.passage_at(self._passages, self._cursor, prefer=self._current)

    def add_passage(self, passage: Passage, *, make_current: bool = False) -> None:
        """Highlight one more passage (e.g. a new link)."""
        keep = self.current_passage
        self._passages.append(passage)
        self._passages.sort(key=lambda p: (p.start, p.end))
        target = passage if make_current else keep
        self._current = None if target is None else self._passages.index(target)
        self._invalidate_all()
        self._changed()

    # --- layout and rendering ---------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        width = self.scrollable_size.width
        if width <= 0:
            return
        if self._layout is not None and self._layout.width == width:
            return
        top_offset: int | None = None
        if self._layout is not None:
            top = min(round(self.scroll_y), len(self._layout) - 1)
            top_offset = self._layout.lines[max(0, top)].start
        self._layout = Layout(self.display_text, width, _cell_width)
        self._cache.clear()
        self.virtual_size = Size(width, len(self._layout))
        if self._pending_reveal is not None:
            start, end = self._pending_reveal
            self._pending_reveal = None
            self.reveal(start, end, center=True)
        elif top_offset is not None:
            self.scroll_to(y=self._layout.line_of(top_offset), animate=False, force=True)
            self._keep_cursor_visible()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_size.width
        index = round(self.scroll_y) + y
        if self._layout is None or index >= len(self._layout):
            return Strip.blank(width, self.rich_style)
        if self._layout.width != width and width > 0:
            self.call_later(self._relayout)  # the scrollbar came or went: wrap again
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_display_line(index, width)
            self._cache[index] = strip
        return strip.apply_offsets(0, index)

    def _render_display_line(self, index: int, width: int) -> Strip:
        assert self._layout is not None
        layout = self._layout
        line = layout.lines[index]
        base = self.rich_style
        text = self.display_text[line.start : line.visible_end]
        length = len(text)
        spans: list[tuple[int, int, Style]] = []

        def add(start: int, end: int, style: Style) -> None:
            a, b = max(start, line.start) - line.start, min(end, line.visible_end) - line.start
            if a < b:
                spans.append((a, b, style))

        quote = self.get_component_rich_style("source-view--quote")
        link = self.get_component_rich_style("source-view--link")
        for kind, style in (("quote", quote), ("link", link)):  # the user's links are drawn over quotes
            for i, p in enumerate(self._passages):
                if p.kind == kind and p.end > line.start and p.start < line.end and i != self._current:
                    add(p.start, p.end, style)
        if self._current is not None:
            p = self._passages[self._current]
            add(p.start, p.end, self.get_component_rich_style("source-view--current"))
        if (sel := self.selection) is not None:
            add(sel[0], sel[1], self.get_component_rich_style("source-view--selection"))
        cursor_style = self.get_component_rich_style("source-view--cursor")
        trailing_cursor = False
        c_line, c_col = layout.column_of(self._cursor)
        if c_line == index:
            if c_col >= width:  # a hanging space past the edge: show the caret in the last cell
                c_off = layout.offset_at(index, width - 1)
                add(c_off, P.next_char(self.display_text, c_off), cursor_style)
            elif self._cursor >= line.visible_end:
                trailing_cursor = True
            else:
                add(self._cursor, P.next_char(self.display_text, self._cursor), cursor_style)

        cuts = sorted({0, length, *(a for a, _b, _s in spans), *(b for _a, b, _s in spans)})
        segments: list[Segment] = []
        for a, b in pairwise(cuts):
            style = base
            for s_a, s_b, s in spans:
                if s_a <= a and b <= s_b:
                    style = style + s
            segments.append(Segment(text[a:b], style))
        if trailing_cursor:
            segments.append(Segment(" ", base + cursor_style))
        strip = Strip(segments)
        return strip.crop_extend(0, width, base)

    def _invalidate_lines(self, *offsets: int) -> None:
        """Re-render the display lines from the smallest to the largest of ``offsets``."""
        if self._layout is None:
            return
        lines = [self._layout.line_of(o) for o in offsets]
        first, last = min(lines), max(lines)
        for y in range(first, last + 1):
            self._cache.discard(y)
        self.refresh_lines(first, last - first + 1)

    def _invalidate_all(self) -> None:
        self._cache.clear()
        self.refresh()

    # --- moving -----------------------------------------------------------------------------------

    def move_cursor(
        self, offset: int, *, select: bool | None = None, keep_goal: bool = False, current: int | None = None
    ) -> None:
        """Put the caret at ``offset``; ``select`` True starts/extends a selection, False drops it.

        The passage under the caret becomes the current one (or ``current``, if given).
        """
        offset = max(0, min(offset, len(self.display_text)))
        old_cursor, old_anchor = self._cursor, self._anchor
        old_current = self._current
        if select is True and self._anchor is None:
            self._anchor = self._cursor
        elif select is False:
            self._anchor = None
        self._cursor = offset
        if not keep_goal:
            self._goal_column = None
        under = current if current is not None else self.passage_under_cursor()
        if under is not None:
            self._current = under
        touched = [old_cursor, offset]
        if old_anchor is not None:
            touched.append(old_anchor)
        if self._anchor is not None:
            touched.append(self._anchor)
        if old_current != self._current:
            self._invalidate_all()
        else:
            self._invalidate_lines(*touched)
        self._keep_cursor_visible()
        self._changed()

    def _changed(self) -> None:
        if (self._anchor is not None) != self._shown_selecting:
            self._shown_selecting = self._anchor is not None
            self.refresh_bindings()  # "esc Unselect" comes and goes in the footer
        self.post_message(self.Changed(self))

    def _keep_cursor_visible(self) -> None:
        if self._layout is None:
            return
        line, _col = self._layout.column_of(self._cursor)
        top, height = round(self.scroll_y), max(1, self.scrollable_size.height)
        if line < top:
            self.scroll_to(y=line, animate=False, force=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, force=True)

    def reveal(self, start: int, end: int, *, center: bool = True) -> None:
        """Scroll so that ``[start, end)`` is in view, centred if asked (its first line always shows)."""
        if self._layout is None:
            self._pending_reveal = (start, end)
            return
        first = self._layout.line_of(start)
        last = self._layout.line_of(max(start, end - 1))
        height = max(1, self.scrollable_size.height)
        if center:
            y = (first + last + 1) // 2 - height // 2
            y = min(y, first)
        else:
            top = round(self.scroll_y)
            y = top if first >= top and last < top + height else first
        self.scroll_to(y=max(0, y), animate=False, force=True)

    def go_to_passage(self, index: int) -> None:
        """Make passage ``index`` current, put the caret at its start and centre it."""
        if not 0 <= index < len(self._passages):
            return
        p = self._passages[index]
        self.move_cursor(p.start, select=True if self.selecting else None, current=index)
        self.reveal(p.start, p.end, center=True)

    def step_passage(self, forward: bool = True) -> bool:
        """Go to the next (or previous) passage; False if there is none. Wraps around."""
        index = P.next_passage(self._passages, self._cursor, self._current, forward)
        if index is None:
            return False
        self.go_to_passage(index)
        return True

    def _step(self, offset: int) -> None:
        self.move_cursor(offset, select=True if self.selecting else None)

    def action_char_right(self) -> None:
        self._step(P.next_char(self.display_text, self._cursor))

    def action_char_left(self) -> None:
        self._step(P.prev_char(self.display_text, self._cursor))

    def action_word_forward(self) -> None:
        self._step(P.word_forward(self.display_text, self._cursor))

    def action_word_end(self) -> None:
        self._step(P.word_end(self.display_text, self._cursor))

    def action_word_backward(self) -> None:
        self._step(P.word_backward(self.display_text, self._cursor))

    def action_sentence_forward(self) -> None:
        self._step(P.sentence_forward(self.display_text, self._cursor, self._sentences))

    def action_sentence_backward(self) -> None:
        self._step(P.sentence_backward(self.display_text, self._cursor, self._sentences))

    def _move_lines(self, delta: int) -> None:
        if self._layout is None:
            return
        line, col = self._layout.column_of(self._cursor)
        goal = self._goal_column if self._goal_column is not None else col
        target = max(0, min(line + delta, len(self._layout) - 1))
        if target == line:  # already on the first/last line: go to the very start/end
            offset = 0 if delta < 0 else len(self.display_text)
        else:
            offset = self._layout.offset_at(target, goal)
        self.move_cursor(offset, select=True if self.selecting else None, keep_goal=True)
        self._goal_column = goal

    def action_line_down(self) -> None:
        self._move_lines(1)

    def action_line_up(self) -> None:
        self._move_lines(-1)

    def action_page_down(self) -> None:
        height = max(1, self.scrollable_size.height - 1)
        self.scroll_to(y=round(self.scroll_y) + height, animate=False, force=True)
        self._move_lines(height)

    def action_page_up(self) -> None:
        height = max(1, self.scrollable_size.height - 1)
        self.scroll_to(y=round(self.scroll_y) - height, animate=False, force=True)
        self._move_lines(-height)

    def action_top(self) -> None:
        self._step(0)
        self.scroll_to(y=0, animate=False, force=True)

    def action_bottom(self) -> None:
        self._step(len(self.display_text))
        self.scroll_to(y=self.max_scroll_y, animate=False, force=True)

    def action_toggle_selection(self) -> None:
        """``v``: start a selection at the caret (or drop the one in progress)."""
        if self._anchor is None:
            self._anchor = self._cursor
            self._invalidate_lines(self._cursor)
            self._changed()
        else:
            self.clear_selection()

    def clear_selection(self) -> None:
        if self._anchor is None:
            return
        old = self._anchor
        self._anchor = None
        self._invalidate_lines(old, self._cursor)
        self._changed()

    def action_drop_selection(self) -> None:
        self.clear_selection()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drop_selection":
            return self._anchor is not None  # otherwise escape goes on to the screen (back)
        return True

    # --- mouse ------------------------------------------------------------------------------------

    def _offset_at_mouse(self, event: events.MouseEvent) -> int | None:
        if self._layout is None:
            return None
        pos = event.get_content_offset_capture(self)
        index = round(self.scroll_y) + pos.y
        if index < 0:
            return 0
        if index >= len(self._layout):
            return len(self.display_text)
        return self._layout.offset_at(index, max(0, pos.x))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        offset = self._offset_at_mouse(event)
        if offset is None:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.move_cursor(offset, select=False)
        self._anchor = offset
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at_mouse(event)
        if offset is None or self._anchor is None:
            return
        if offset >= self._anchor:  # include the character under the pointer
            offset = P.next_char(self.display_text, offset)
        self.move_cursor(offset, select=True)
        pos = event.get_content_offset_capture(self)
        if pos.y < 0:
            self.scroll_to(y=round(self.scroll_y) - 1, animate=False, force=True)
        elif pos.y >= self.scrollable_size.height:
            self.scroll_to(y=round(self.scroll_y) + 1, animate=False, force=True)
        event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self._anchor == self._cursor:
            self.clear_selection()
        event.stop()

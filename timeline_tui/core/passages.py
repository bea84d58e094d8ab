"""Lay a source text out for reading: word-wrapped display lines with code-point offsets, and cursor motions.

Pure helpers for the source viewer (no Textual). A :class:`Layout` splits a text into display lines that
together cover every code point exactly once, so a passage at ``[start, end)`` can be drawn at its exact
characters; motions (character, word, sentence, line) move a caret over code-point offsets.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from timeline_tui.core.extract.sentences import sentences, strip_span

CharWidth = Callable[[str], int]

_ZWJ = "\u200d"


def default_char_width(ch: str) -> int:
    """Terminal cells taken by one code point: 2 for wide East Asian characters, 0 for combining marks."""
    if ch == "\n":
        return 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _continues(prev: str, ch: str) -> bool:
    """Whether ``ch`` belongs to the same displayed character (grapheme) as the one before it."""
    if prev == _ZWJ:
        return True
    if ch == _ZWJ or "\ufe00" <= ch <= "\ufe0f":
        return True
    return unicodedata.category(ch) in ("Mn", "Me")


def clusters(text: str, start: int, end: int, char_width: CharWidth) -> list[tuple[int, int, int]]:
    """``text[start:end]`` as ``(start, end, cells)`` graphemes: a base character with its combining marks."""
    if text[start:end].isascii():  # fast path: one cell per printable ASCII character
        return [(i, i + 1, char_width(text[i]) if text[i] < " " else 1) for i in range(start, end)]
    out: list[tuple[int, int, int]] = []
    for i in range(start, end):
        ch = text[i]
        if out and i > start and _continues(text[i - 1], ch):
            s, _e, w = out[-1]
            out[-1] = (s, i + 1, w)
        else:
            out.append((i, i + 1, max(0, char_width(ch))))
    return out


@dataclass(frozen=True, slots=True)
class DisplayLine:
    """One wrapped line: code points ``[start, end)``; ``end`` includes hanging spaces and the newline."""

    start: int
    end: int
    visible_end: int  # ``end`` without a trailing newline


def _is_space(ch: str) -> bool:
    return ch.isspace() and ch not in "\u00a0\u202f\u2007"


def wrap(text: str, width: int, char_width: CharWidth = default_char_width) -> list[DisplayLine]:
    """Word-wrap ``text`` to ``width`` cells; every code point lands on exactly one display line.

    Lines break after spaces (spaces at a break hang at the end of the line), words wider than the
    line are cut between characters, and each newline ends a line.
    """
    width = max(1, width)
    lines: list[DisplayLine] = []
    n = len(text)
    pos = 0
    while pos < n or not lines:
        nl = text.find("\n", pos)
        seg_end = n if nl < 0 else nl
        _wrap_segment(text, pos, seg_end, width, char_width, lines)
        if nl >= 0:
            last = lines[-1]
            lines[-1] = DisplayLine(last.start, nl + 1, nl)
            pos = nl + 1
        else:
            pos = n
        if pos >= n:
            break
    return lines


def _wrap_segment(
    text: str, start: int, end: int, width: int, char_width: CharWidth, lines: list[DisplayLine]
) -> None:
    """Append the display lines of one newline-free segment ``text[start:end]``."""
    line_start = start
    col = 0
    cl = clusters(text, start, end, char_width)
    k = 0
    while k < len(cl):
        s, _e, w = cl[k]
        if _is_space(text[s]):
            col += w  # spaces hang past the edge rather than start a line
            k += 1
            continue
        # A word: the run of non-space clusters from k.
        j = k
        word_cells = 0
        while j < len(cl) and not _is_space(text[cl[j][0]]):
            word_cells += cl[j][2]
            j += 1
        if col > 0 and col + word_cells > width:
            lines.append(DisplayLine(line_start, s, s))
            line_start, col = s, 0
        while k < j:
            s, _e, w = cl[k]
            if col > 0 and col + w > width:
                lines.append(DisplayLine(line_start, s, s))
                line_start, col = s, 0
            col += w
            k += 1
    lines.append(DisplayLine(line_start, end, end))


class Layout:
    """A text wrapped to a width, mapping offsets to (line, column) cells and back."""

    def __init__(self, text: str, width: int, char_width: CharWidth = default_char_width) -> None:
        self.text = text
        self.width = max(1, width)
        self.char_width = char_width
        self.lines = wrap(text, self.width, char_width)
        self._starts = [line.start for line in self.lines]

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """Index of the display line holding ``offset`` (the end of the text is on the last line)."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self._starts, offset) - 1
        # An empty text has one empty line; the end of the text sits after the last line's last character.
        return max(0, min(index, len(self.lines) - 1))

    def visible(self, index: int) -> str:
        """The characters of a display line without its newline."""
        line = self.lines[index]
        return self.text[line.start : line.visible_end]

    def column_of(self, offset: int) -> tuple[int, int]:
        """``(line, cell column)`` where the character at ``offset`` starts."""
        index = self.line_of(offset)
        line = self.lines[index]
        stop = min(offset, line.visible_end)
        col = sum(w for _s, _e, w in clusters(self.text, line.start, stop, self.char_width))
        return index, col

    def offset_at(self, index: int, column: int) -> int:
        """The offset of the character covering cell ``column`` on line ``index``.

        Past the end of the line this is the line's last position (its newline, or the position where
        the next line starts on the last line of the text).
        """
        index = max(0, min(index, len(self.lines) - 1))
        line = self.lines[index]
        col = 0
        for s, _e, w in clusters(self.text, line.start, line.visible_end, self.char_width):
            if column < col + max(w, 1) and w > 0:
                return s
            col += w
        if line.end > line.visible_end:  # the newline
            return line.visible_end
        if index == len(self.lines) - 1:
            return len(self.text)
        # A wrapped line: the last (hanging) character stands for the line's end.
        return max(line.start, line.end - 1)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return sentence_starts(self.text)


# --- motions over code-point offsets (caret positions 0..len(text)) ---------------------------------


def next_char(text: str, offset: int) -> int:
    """The next grapheme boundary after ``offset`` (combining marks move with their base)."""
    n = len(text)
    if offset >= n:
        return n
    i = offset + 1
    while i < n and _continues(text[i - 1], text[i]):
        i += 1
    return i


def prev_char(text: str, offset: int) -> int:
    """The previous grapheme boundary before ``offset``."""
    if offset <= 0:
        return 0
    i = min(offset, len(text)) - 1
    while i > 0 and _continues(text[i - 1], text[i]):
        i -= 1
    return i


def _kind(ch: str) -> int:
    """0 blank, 1 word character, 2 punctuation (vim's word classes)."""
    if ch.isspace():
        return 0
    if ch.isalnum() or ch == "_" or unicodedata.category(ch) in ("Mn", "Me"):
        return 1
    return 2


def word_forward(text: str, offset: int) -> int:
    """vim ``w``: the start of the next word (or the end of the text)."""
    n = len(text)
    i = offset
    if i >= n:
        return n
    kind = _kind(text[i])
    if kind:
        while i < n and _kind(text[i]) == kind:
            i += 1
    while i < n and _kind(text[i]) == 0:
        i += 1
    return i


def word_end(text: str, offset: int) -> int:
    """The position just after the end of the current or next word (for extending a selection)."""
    n = len(text)
    i = offset
    while i < n and _kind(text[i]) == 0:
        i += 1
    if i >= n:
        return n
    kind = _kind(text[i])
    while i < n and _kind(text[i]) == kind:
        i += 1
    return i


def word_backward(text: str, offset: int) -> int:
    """vim ``b``: the start of the current word if inside one, else of the previous word."""
    i = min(offset, len(text))
    while i > 0 and _kind(text[i - 1]) == 0:
        i -= 1
    if i == 0:
        return 0
    kind = _kind(text[i - 1])
    while i > 0 and _kind(text[i - 1]) == kind:
        i -= 1
    return i


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin, ascending: those of the extractor's splitter
    (:func:`timeline_tui.core.extract.sentences.sentences`), which knows abbreviations and starts a
    sentence on every line; always includes the first non-blank character."""
    return [span.start for span in sentences(text)]


def sentence_forward(text: str, offset: int, starts: list[int] | None = None) -> int:
    """vim ``)``: the start of the next sentence, or the end of the text."""
    starts = sentence_starts(text) if starts is None else starts
    index = bisect_right(starts, offset)
    return starts[index] if index < len(starts) else len(text)


def sentence_backward(text: str, offset: int, starts: list[int] | None = None) -> int:
    """vim ``(``: the start of this sentence if inside it, else of the previous one."""
    starts = sentence_starts(text) if starts is None else starts
    index = bisect_right(starts, offset - 1) - 1
    return starts[index] if index >= 0 else 0


#: ``[start, end)`` without surrounding whitespace, as ``start, end``: the one span trim of the program.
trim_span = strip_span


@dataclass(frozen=True, slots=True)
class Passage:
    """A highlighted span of a source: a curated quote of an event, or a user's link."""

    start: int
    end: int
    event_id: str
    kind: str = "quote"  # "quote" (curated) or "link" (the user's)
    title: str = ""  # the event's title
    detail: str = ""  # e.g. a link's anchor health and comment

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def passage_at(passages: list[Passage], offset: int, prefer: int | None = None) -> int | None:
    """Index of the passage under ``offset``: ``prefer`` if it holds it, else the shortest one that does."""
    if prefer is not None and 0 <= prefer < len(passages) and passages[prefer].contains(offset):
        return prefer
    best: int | None = None
    for i, p in enumerate(passages):
        if p.contains(offset) and (best is None or p.end - p.start < passages[best].end - passages[best].start):
            best = i
    return best


def next_passage(passages: list[Passage], offset: int, current: int | None, forward: bool = True) -> int | None:
    """The passage after (or before) the caret, wrapping around; ``current`` breaks ties between equal starts."""
    if not passages:
        return None
    n = len(passages)
    if current is not None and 0 <= current < n and passages[current].start == offset:
        return (current + (1 if forward else -1)) % n
    if forward:
        for i, p in enumerate(passages):
            if p.start > offset:
                return i
        return 0
    for i in range(n - 1, -1, -1):
        if passages[i].start < offset:
            return i
    return n - 1

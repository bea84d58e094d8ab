"""The source viewer's pure layout: wrapping with code-point offset maps, and caret motions."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core import passages as P
from timeline_tui.core.passages import Layout, Passage, default_char_width, wrap

HARBOUR = (
    "Harbour town marks its history\n\nPORTVILLE, May 9 (Test Wire) -- The town held a parade on Saturday"
    " to mark the end of the war.\n\nIn August 1945, the first ships returned to the harbour after years of"
    " blockade.\n"
)

# Text drawn from characters that stress wrapping: spaces, newlines, wide CJK, combining marks, ZWJ.
ALPHABET = st.sampled_from([*"ab cd  ef\n\n.!?", "中", "文", "\u0301", "\u200d", "😀", "\u00a0", "\t"])
texts = st.text(alphabet=ALPHABET, max_size=200) | st.text(max_size=120)


def cells(text: str) -> int:
    return sum(w for _s, _e, w in P.clusters(text, 0, len(text), default_char_width))


@settings(max_examples=300, deadline=None)
@given(text=texts, width=st.integers(min_value=1, max_value=40))
def test_lines_cover_every_code_point_exactly_once(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert lines[0].start == 0
    assert lines[-1].end == len(text)
    for a, b in pairwise(lines):
        assert a.end == b.start  # no gap, no overlap
    assert "".join(text[ln.start : ln.end] for ln in lines) == text
    for ln in lines:
        assert ln.start <= ln.visible_end <= ln.end
        assert "\n" not in text[ln.start : ln.visible_end]
        assert text[ln.visible_end : ln.end] in ("", "\n")


@settings(max_examples=300, deadline=None)
@given(text=texts, width=st.integers(min_value=2, max_value=40))
def test_visible_text_fits_the_width_apart_from_hanging_spaces(text: str, width: int) -> None:
    layout = Layout(text, width)
    for i in range(len(layout)):
        shown = layout.visible(i)
        graphemes = P.clusters(shown, 0, len(shown), default_char_width)
        while graphemes and shown[graphemes[-1][0]].isspace() and shown[graphemes[-1][0]] != "\u00a0":
            graphemes.pop()  # spaces hang past the edge at a break
        assert sum(w for _s, _e, w in graphemes) <= width or len(graphemes) == 1


@settings(max_examples=200, deadline=None)
@given(text=texts, width=st.integers(min_value=1, max_value=40))
def test_offsets_map_to_cells_and_back(text: str, width: int) -> None:
    layout = Layout(text, width)
    for offset in range(len(text)):
        line, col = layout.column_of(offset)
        ln = layout.lines[line]
        assert ln.start <= offset < ln.end
        assert col == cells(text[ln.start : min(offset, ln.visible_end)])
        # The cell where a character starts leads back to that character's grapheme.
        if offset < ln.visible_end and default_char_width(text[offset]) > 0 and P.prev_char(
            text, P.next_char(text, offset)
        ) == offset:
            assert layout.offset_at(line, col) == offset


def test_wrap_breaks_at_spaces_and_keeps_newlines() -> None:
    layout = Layout(HARBOUR, 30)
    shown = [layout.visible(i) for i in range(len(layout))]
    assert shown[:4] == ["Harbour town marks its history", "", "PORTVILLE, May 9 (Test Wire) ", "-- The town held a parade on "]
    # A quote's characters are found on the lines the map says.
    start = HARBOUR.index("In August 1945")
    end = HARBOUR.index("blockade.") + len("blockade.")
    first, last = layout.line_of(start), layout.line_of(end - 1)
    joined = "".join(HARBOUR[layout.lines[i].start : layout.lines[i].end] for i in range(first, last + 1))
    assert HARBOUR[start:end] in joined
    assert layout.column_of(start) == (first, 0)


def test_long_words_are_cut_and_wide_characters_take_two_cells() -> None:
    assert [(ln.start, ln.end) for ln in wrap("abcdefghij", 4)] == [(0, 4), (4, 8), (8, 10)]
    layout = Layout("中文中文中", 4)
    assert [layout.visible(i) for i in range(len(layout))] == ["中文", "中文", "中"]
    assert layout.column_of(1) == (0, 2)
    assert layout.offset_at(0, 3) == 1  # the right half of a wide character is that character
    # A wide character on a 1-cell line still makes progress.
    assert len(wrap("中文", 1)) == 2


def test_combining_marks_stay_with_their_letter() -> None:
    text = "cafe\u0301 ok"
    assert P.next_char(text, 3) == 5
    assert P.prev_char(text, 5) == 3
    layout = Layout("abcde\u0301", 5)
    assert layout.visible(0) == "abcde\u0301"  # the accent does not spill onto a new line


def test_empty_text_has_one_line() -> None:
    layout = Layout("", 10)
    assert len(layout) == 1
    assert layout.column_of(0) == (0, 0)
    assert layout.offset_at(0, 5) == 0


def test_offset_past_the_end_of_a_line() -> None:
    layout = Layout("ab\ncd", 10)
    assert layout.offset_at(0, 9) == 2  # the newline
    assert layout.offset_at(1, 9) == 5  # the end of the text
    assert layout.line_of(5) == 1


def test_word_motions() -> None:
    text = "The town, held a parade."
    assert P.word_forward(text, 0) == 4
    assert P.word_forward(text, 4) == 8  # "town" then the comma is its own word
    assert P.word_forward(text, 8) == 10
    assert P.word_end(text, 0) == 3
    assert P.word_end(text, 3) == 8
    assert P.word_backward(text, 10) == 8
    assert P.word_backward(text, 6) == 4
    assert P.word_backward(text, 0) == 0
    assert P.word_forward(text, len(text)) == len(text)


def test_sentence_motions() -> None:
    text = "First one. Second “quoted.” Third!\n\nNew paragraph"
    starts = P.sentence_starts(text)
    assert [text[s : s + 3] for s in starts] == ["Fir", "Sec", "Thi", "New"]
    assert P.sentence_forward(text, 0) == starts[1]
    assert P.sentence_forward(text, starts[3]) == len(text)
    assert P.sentence_backward(text, starts[2] + 3) == starts[2]
    assert P.sentence_backward(text, starts[2]) == starts[1]
    assert P.sentence_backward(text, 0) == 0


@settings(max_examples=200, deadline=None)
@given(text=texts, offset=st.integers(min_value=0, max_value=220))
def test_motions_stay_in_range_and_move_the_right_way(text: str, offset: int) -> None:
    offset = min(offset, len(text))
    n = len(text)
    for forward in (P.next_char, P.word_forward, P.word_end, P.sentence_forward):
        moved = forward(text, offset)
        assert offset <= moved <= n
        assert moved > offset or offset == n or forward is P.word_end
    for backward in (P.prev_char, P.word_backward, P.sentence_backward):
        moved = backward(text, offset)
        assert 0 <= moved <= offset
        assert moved < offset or offset == 0 or backward is P.sentence_backward


def test_trim_span() -> None:
    assert P.trim_span("  ab c \n", 0, 8) == (2, 6)
    assert P.trim_span("   ", 0, 3) == (3, 3)


def test_passage_navigation() -> None:
    ps = [Passage(5, 10, "a"), Passage(5, 20, "b"), Passage(30, 40, "c")]
    assert P.next_passage(ps, 0, None) == 0
    assert P.next_passage(ps, 5, 0) == 1  # same start: the tie is broken by the current one
    assert P.next_passage(ps, 5, 1) == 2
    assert P.next_passage(ps, 30, 2) == 0  # wraps around
    assert P.next_passage(ps, 30, 2, forward=False) == 1
    assert P.next_passage(ps, 2, None, forward=False) == 2
    assert P.next_passage([], 0, None) is None
    assert P.passage_at(ps, 7) == 0  # the shortest one holding the caret
    assert P.passage_at(ps, 7, prefer=1) == 1
    assert P.passage_at(ps, 25) is None

"""The note editor's mapping between a stored note and what it shows (properties over any text)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.textsafe import UNSAFE
from timeline_tui.ui.editable_text import EditableText, shown_form

# any text, with the characters that matter here much more often than chance would give them
notes = st.text(
    st.one_of(st.sampled_from(["\t", "\n", "\r", "\x1b", "\x07", "\x0c", "\x85", "\u2028", "\u202e", "[", "␛"]),
              st.characters(codec="utf-8")),
    max_size=60,
)
typed = st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=8)


@given(notes)
def test_nothing_edited_gives_back_the_stored_text(text: str) -> None:
    editable = EditableText.of(text)
    assert editable.stored(editable.shown) == text
    assert len(editable.pieces) == len(editable.shown) and "".join(editable.pieces) == text


@given(notes)
def test_nothing_unsafe_is_shown(text: str) -> None:
    shown = EditableText.of(text).shown
    assert shown == shown_form(text)
    assert "\r" not in shown and "\u2028" not in shown and "\u2029" not in shown
    assert UNSAFE.search(shown) is None


@given(notes, typed, st.data())
def test_typing_changes_only_where_it_was_typed(text: str, words: str, data: st.DataObject) -> None:
    editable = EditableText.of(text)
    at = data.draw(st.integers(0, len(editable.shown)))
    stored = editable.stored(editable.shown[:at] + words + editable.shown[at:])
    assert stored == "".join(editable.pieces[:at]) + words + "".join(editable.pieces[at:])


@given(notes, st.data())
def test_deleting_removes_only_what_was_deleted(text: str, data: st.DataObject) -> None:
    editable = EditableText.of(text)
    n = len(editable.shown)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    edited = editable.shown[:a] + editable.shown[b:]
    stored = editable.stored(edited)
    # what is stored looks exactly like what is left on screen, and is made of the note's own
    # characters (when two different ones look alike, e.g. two U+FFFD, either may be the one kept)
    assert shown_form(stored) == edited
    left = "".join(editable.pieces[:a] + editable.pieces[b:])
    assert len(stored) == len(left) and not Counter(stored) - Counter(text)
    if len(set(editable.shown)) == len(editable.shown):  # nothing looks alike: exactly those characters
        assert stored == left


def test_new_lines_follow_the_notes_line_ends() -> None:
    crlf = EditableText.of("a\r\nb")
    assert crlf.stored("a\nb\nc") == "a\r\nb\r\nc"
    mixed = EditableText.of("a\r\nb\nc")
    assert mixed.stored("a\nb\nc\nd") == "a\r\nb\nc\nd"

"""Re-anchoring links when the source text changes: exact, moved, fuzzy, orphaned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.anchoring import MIN_SIMILARITY, anchor, make_selectors
from timeline_tui.core.annotations import AnchorStatus, TextPositionSelector, TextQuoteSelector

SOURCE = (
    "HARBOUR TOWN, May 9 — Residents gathered on Sunday to remember the war years. "
    "In August 1945, the first ships returned to the harbour after years of blockade. "
    "Between 1950 and 1953 the harbour was rebuilt with help from Soviet engineers, "
    "and a new quay opened in 1953. The museum, which opened in 2005, keeps the ledgers "
    "of the first ships. 「港口」 memories remain strong among the older residents."
)
PASSAGE = "the harbour was rebuilt with help from Soviet engineers"


def _selectors() -> tuple[TextQuoteSelector, TextPositionSelector]:
    start = SOURCE.index(PASSAGE)
    return make_selectors(SOURCE, start, start + len(PASSAGE))


def test_make_selectors_context_and_bounds() -> None:
    quote, pos = _selectors()
    assert quote.exact == PASSAGE and SOURCE[pos.start:pos.end] == PASSAGE
    assert len(quote.prefix) == 32 and SOURCE[pos.start - 32:pos.start] == quote.prefix
    assert len(quote.suffix) == 32 and SOURCE[pos.end:pos.end + 32] == quote.suffix
    q0, _ = make_selectors(SOURCE, 0, 7)
    assert q0.prefix == "" and q0.exact == "HARBOUR"
    for start, end in ((5, 5), (-1, 3), (0, len(SOURCE) + 1), (9, 3)):
        with pytest.raises(ValueError):
            make_selectors(SOURCE, start, end)


def test_unchanged_text_is_exact() -> None:
    quote, pos = _selectors()
    result = anchor(SOURCE, quote, pos)
    assert (result.status, result.start, result.end, result.score) == (AnchorStatus.EXACT, pos.start, pos.end, 1.0)
    assert result.describe() == "exact"


def test_text_inserted_before_the_passage_is_moved() -> None:
    quote, pos = _selectors()
    inserted = "UPDATE: this article was corrected on 10 May. " * 3
    changed = inserted + SOURCE
    result = anchor(changed, quote, pos)
    assert result.status is AnchorStatus.MOVED
    assert result.start == pos.start + len(inserted) and result.end == pos.end + len(inserted)
    assert changed[result.start:result.end] == PASSAGE
    assert result.describe() == "moved"


def test_moved_prefers_the_occurrence_with_matching_context() -> None:
    # "the first ships" occurs twice; the link is to the second one (the museum ledgers).
    start = SOURCE.index("the first ships", SOURCE.index("ledgers"))
    quote, pos = make_selectors(SOURCE, start, start + len("the first ships"))
    changed = "Corrected. " + SOURCE
    result = anchor(changed, quote, pos)
    assert result.status is AnchorStatus.MOVED
    assert result.start == start + len("Corrected. ")
    # Even with a misleading old position (pointing at the first occurrence), the context wins.
    first = changed.index("the first ships")
    misleading = TextPositionSelector(first + 3, first + 3 + len(quote.exact))
    assert anchor(changed, quote, misleading).start == start + len("Corrected. ")


def test_passage_changed_a_little_is_fuzzy() -> None:
    quote, pos = _selectors()
    edited_passage = "the harbour was rebuilt with the help of Soviet engineers"
    changed = "Corrected: " + SOURCE.replace(PASSAGE, edited_passage)
    result = anchor(changed, quote, pos)
    assert result.status is AnchorStatus.FUZZY
    assert MIN_SIMILARITY <= result.score < 1.0
    assert result.start is not None and result.end is not None
    assert changed[result.start:result.end] == edited_passage
    assert result.describe().startswith("fuzzy (") and result.describe().endswith("%)")


def test_fuzzy_match_far_from_old_position_is_still_found() -> None:
    quote, pos = _selectors()
    filler = "Unrelated paragraph about the weather and the markets. " * 80
    changed = SOURCE.replace(PASSAGE, "") + filler + "Later: the harbor was rebuilt with help from Soviet engineers."
    result = anchor(changed, quote, pos)
    assert result.status is AnchorStatus.FUZZY
    assert result.start is not None and result.end is not None
    assert changed[result.start:result.end].startswith("the harbor was rebuilt")


def test_passage_gone_is_orphaned() -> None:
    quote, pos = _selectors()
    changed = SOURCE.replace(PASSAGE, "the quay was painted blue in a ceremony")
    result = anchor(changed, quote, pos)
    assert (result.status, result.start, result.end) == (AnchorStatus.ORPHANED, None, None)
    assert result.describe() == "orphaned"


def test_missing_source_or_empty_text_is_orphaned() -> None:
    quote, pos = _selectors()
    assert anchor(None, quote, pos).status is AnchorStatus.ORPHANED
    assert anchor("", quote, pos).status is AnchorStatus.ORPHANED
    assert anchor(SOURCE, TextQuoteSelector(""), TextPositionSelector(0, 0)).status is AnchorStatus.ORPHANED


def test_out_of_range_position_does_not_crash() -> None:
    quote, _ = _selectors()
    result = anchor(SOURCE, quote, TextPositionSelector(10_000, 10_050))
    assert result.status is AnchorStatus.MOVED and SOURCE[result.start:result.end] == PASSAGE  # type: ignore[misc]


@given(st.text(min_size=1, max_size=200), st.data())
def test_selectors_of_any_span_anchor_exactly_and_survive_insertions(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote, pos = make_selectors(text, start, end)
    assert anchor(text, quote, pos).status is AnchorStatus.EXACT
    inserted = data.draw(st.text(max_size=50))
    changed = inserted + text
    result = anchor(changed, quote, pos)
    assert result.status in (AnchorStatus.EXACT, AnchorStatus.MOVED)
    assert result.start is not None and changed[result.start:result.end] == quote.exact


def test_equal_scoring_occurrences_resolve_to_the_first_and_overlaps_count() -> None:
    """Several exact occurrences with the same context: the first one wins (overlapping ones are seen)."""
    quote = TextQuoteSelector(exact="aa", prefix="", suffix="")
    found = anchor("xaaa", quote, TextPositionSelector(0, 2))  # occurrences at 1 and 2 (overlapping)
    assert (found.status, found.start, found.end) == (AnchorStatus.MOVED, 1, 3)
    found = anchor("xaaa", quote, TextPositionSelector(3, 5))  # stored beyond the end: nearer one wins
    assert (found.status, found.start) == (AnchorStatus.MOVED, 2)
    tie = anchor("abab", TextQuoteSelector(exact="ab", prefix="", suffix=""), TextPositionSelector(1, 3))
    assert (tie.status, tie.start) == (AnchorStatus.MOVED, 0)  # 0 and 2 are equally near: the first wins

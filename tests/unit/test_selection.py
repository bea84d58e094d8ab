"""The selection model: toggling, ranges over what is shown, the shown/hidden split used by export."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.layout import build_layout
from timeline_tui.core.model import Event, Quote
from timeline_tui.core.selection import Selection

SPAN = parse_edtf("1937/2025")
EVENTS = [Event(f"e{i}", parse_edtf(str(1940 + i)), f"Event {i}", "", (), (Quote("s", 0, 1, "x"),))
          for i in range(12)]
IDS = [e.id for e in EVENTS]


def index_of(event_id: str) -> int | None:
    return IDS.index(event_id) if event_id in IDS else None


def test_toggling_twice_is_no_change_and_the_value_is_immutable() -> None:
    s = Selection()
    one = s.toggled("e3")
    assert "e3" in one and len(one) == 1 and len(s) == 0
    assert one.toggled("e3") == s


def test_a_range_runs_over_shown_events_either_way_and_taking_it_adds_them() -> None:
    layout = build_layout(EVENTS, [0, 2, 4, 6, 8, 10], SPAN)  # every other event shown
    s = Selection(frozenset({"e0"})).starting_range(4)
    assert s.ranging
    assert s.range_ids(layout, IDS, 4) == ["e4", "e6", "e8"]  # shown positions 2 (e4) to 4 (e8)
    taken, added = s.taking_range(layout, IDS, 0)
    assert taken.ids == {"e0", "e2", "e4"} and added == 2 and not taken.ranging


def test_a_range_whose_start_is_filtered_out_is_empty() -> None:
    layout = build_layout(EVENTS, [1, 3], SPAN)
    assert Selection().starting_range(0).range_ids(layout, IDS, 1) == []
    assert Selection().range_ids(layout, IDS, 1) == []


def test_shown_splits_by_the_layout_in_chronological_order() -> None:
    layout = build_layout(EVENTS, [1, 5, 7], SPAN)
    s = Selection(frozenset({"e7", "e1", "e2", "gone"}))
    assert s.shown(layout, index_of) == (["e1", "e7"], 2)
    assert s.ordered(index_of) == ["e1", "e2", "e7", "gone"]


@given(shown=st.sets(st.integers(0, 11), min_size=1), start=st.integers(0, 11), position=st.integers(-3, 20),
       before=st.sets(st.sampled_from(IDS)))
def test_a_taken_range_is_contiguous_among_shown_events_and_keeps_what_was_selected(
    shown: set[int], start: int, position: int, before: set[str]
) -> None:
    layout = build_layout(EVENTS, sorted(shown), SPAN)
    s = Selection(frozenset(before)).starting_range(start)
    chosen = s.range_ids(layout, IDS, position)
    positions = [layout.order.index(IDS.index(i)) for i in chosen]
    if chosen:
        assert positions == list(range(positions[0], positions[0] + len(positions)))
    if start in shown:
        assert IDS[start] in chosen
    else:
        assert chosen == []
    taken, added = s.taking_range(layout, IDS, position)
    assert taken.ids == frozenset(before) | frozenset(chosen)
    assert added == len(set(chosen) - before) and not taken.ranging

"""Search index and filters: results equal a brute-force scan, filters combine as documented."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core.dates import parse_edtf, parse_free
from timeline_tui.core.model import Dataset, Event, Quote
from timeline_tui.core.search import Filter, SearchIndex, apply_filter, event_haystack


def _event(i: int, title: str, summary: str = "", quote: str = "q") -> Event:
    return Event(f"e{i}", parse_edtf("1945"), title, summary, ("war",), (Quote("s", 0, len(quote), quote),))


WORDS = st.text(alphabet="abcÄßxyz İ\u0301", min_size=0, max_size=12)


@settings(max_examples=200)
@given(st.lists(st.tuples(WORDS, WORDS), min_size=0, max_size=12), st.text(alphabet="abcäsSxyz İ", max_size=6))
def test_search_equals_brute_force(rows: list[tuple[str, str]], query: str) -> None:
    events = [_event(i, t, s) for i, (t, s) in enumerate(rows)]
    index = SearchIndex(events)
    terms = query.casefold().split()
    expected = [i for i, e in enumerate(events) if all(t in event_haystack(e).casefold() for t in terms)]
    assert index.search(query) == expected


def test_search_is_case_insensitive_and_needs_every_word() -> None:
    events = [_event(0, "BRICS summit in Kazan"), _event(1, "Victory Day parade", "in Moscow"), _event(2, "Summit")]
    index = SearchIndex(events)
    assert index.search("brics") == [0]
    assert index.search("SUMMIT") == [0, 2]
    assert index.search("summit kazan") == [0]
    assert index.search("parade moscow") == [1]
    assert index.search("parade kazan") == []
    assert index.search("") == [0, 1, 2]


def test_extra_text_such_as_notes_is_searchable_and_replaceable() -> None:
    events = [_event(0, "one"), _event(1, "two")]
    index = SearchIndex(events, extra={"e1": "My NOTE about pipelines"})
    assert index.search("pipelines") == [1]
    index.set_extra("e1", "")
    assert index.search("pipelines") == []
    index.set_extra("e0", "pipelines too")
    assert index.search("pipelines too") == [0]
    index.set_extra("unknown", "ignored")


def test_filters_on_mini(mini: Dataset) -> None:
    ids = lambda flt, **kw: [mini.events[i].id for i in apply_filter(mini, flt, **kw)]  # noqa: E731
    assert ids(Filter(tags=frozenset({"trade"}))) == ["1945-08-ships-return", "2009-trade-record"]
    assert ids(Filter(sources=frozenset({"museum"}))) == [
        "1945-08-ships-return",
        "2005-museum-opens",
        "2010-05-08-new-wing",
    ]
    assert ids(Filter(eras=frozenset({"rebuild"}))) == ["1950-1953-rebuild"]
    assert ids(Filter(eras=frozenset({"no-such-era"}))) == []
    assert ids(Filter(date_from=parse_free("2009"), date_to=parse_free("May 2010"))) == [
        "2009-trade-record",
        "2010-05-08-new-wing",
        "2010-05-08-parade",
    ]
    assert ids(Filter(annotated_only=True), annotated={"2005-museum-opens"}) == ["2005-museum-opens"]
    assert ids(Filter(annotated_only=True), annotated=lambda i: i.startswith("2010")) == [
        "2010-05-08-new-wing",
        "2010-05-08-parade",
    ]
    assert ids(Filter(query="harbour", tags=frozenset({"economy"}))) == ["1950-1953-rebuild"]
    assert ids(Filter(ids=frozenset({"2009-trade-record"}))) == ["2009-trade-record"]


def test_filter_description() -> None:
    assert Filter().describe() == "no filter"
    assert not Filter().active
    flt = Filter(tags=frozenset({"war", "trade"}), query=" brics ", annotated_only=True)
    assert flt.active
    assert flt.describe() == 'matching "brics", tag trade or war, annotated only'


def test_eras_of_lists_every_overlapping_era(mini: Dataset) -> None:
    by_id = {e.id: e for e in mini.events}
    assert [era.id for era in mini.eras_of(by_id["1945-08-ships-return"])] == ["war"]
    assert [era.id for era in mini.eras_of(by_id["1950-1953-rebuild"])] == ["rebuild"]
    assert mini.eras_of(by_id["2009-trade-record"]) == ()
    for event in mini.events:  # the same eras the era filter finds the event in
        for era in mini.eras:
            in_filter = event in [mini.events[i] for i in apply_filter(mini, Filter(eras=frozenset({era.id})))]
            assert in_filter == (era in mini.eras_of(event))

"""The timeline's row model: headers, gaps, month groups, placement by precision, nearest event."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.layout import (
    EventKeys,
    Row,
    RowKind,
    build_layout,
    date_label,
    gap_text,
    month_text,
    nearest_position,
    year_counts,
)
from timeline_tui.core.model import Dataset, Event, Quote
from timeline_tui.core.order import event_order_key, sort_events

SPAN = parse_edtf("1937/2025")


def ev(eid: str, date: str) -> Event:
    return Event(eid, parse_edtf(date), eid, "", (), (Quote("s", 0, 1, "x"),))


def chrono(*events: Event) -> list[Event]:
    return sort_events(events)


def rows(events: list[Event], indices: list[int] | None = None, **kw: int) -> list[Row]:
    layout = build_layout(events, indices, SPAN, **kw)  # type: ignore[arg-type]
    return [layout.row(i) for i in range(len(layout))]


def describe(events: list[Event], indices: list[int] | None = None, **kw: int) -> list[str]:
    out = []
    for r in rows(events, indices, **kw):
        if r.kind is RowKind.EVENT:
            out.append(events[r.event].id)
        elif r.kind is RowKind.YEAR:
            out.append(f"Y{r.year}:{r.count}")
        elif r.kind is RowKind.MONTH:
            out.append(f"M{r.month}")
        else:
            out.append(f"G{r.year}-{r.end_year}")
    return out


def test_mini_layout_shows_whole_span_with_gaps(mini: Dataset) -> None:
    assert describe(mini.events) == [
        "G1937-1944",
        "Y1945:1", "1945-08-ships-return",
        "G1946-1949",
        "Y1950:1", "1950-1953-rebuild",  # the interval covers 1951-1953: no gap for them
        "G1954-2004",
        "Y2005:1", "2005-museum-opens",
        "G2006-2008",
        "Y2009:1", "2009-trade-record",
        "Y2010:2", "2010-05-08-new-wing", "2010-05-08-parade",
        "G2011-2025",
    ]


def test_gap_text_reads_as_a_span() -> None:
    assert gap_text(Row(RowKind.GAP, 1946, end_year=2004)) == "1946–2004 · 59 years without events"
    assert gap_text(Row(RowKind.GAP, 1946, end_year=1946)) == "1946 · 1 year without events"
    assert gap_text(Row(RowKind.GAP, 1946, end_year=1950), filtered=True).endswith("5 years without matching events")


def test_rows_keep_the_one_order_and_a_year_event_is_never_1_january() -> None:
    events = chrono(ev("jan-first", "1945-01-01"), ev("jan", "1945-01"), ev("year", "1945"), ev("may", "1945-05-08"))
    # the contract's order: first day, then last day, then id — the rows follow it exactly
    assert [e.id for e in events] == ["jan-first", "jan", "year", "may"]
    assert describe(events)[1:6] == ["Y1945:4", "jan-first", "jan", "year", "may"]
    year_event = next(e for e in events if e.id == "year")
    assert date_label(year_event.date) == "1945"


def test_a_month_not_given_run_inside_a_busy_year_gets_its_own_header() -> None:
    events = chrono(
        ev("jan-first", "1945-01-01"), ev("year", "1945"), ev("jan-long", "1945-01/1946"),
        *(ev(f"m{m}-{d}", f"1945-{m:02d}-{d:02d}") for m, d in ((3, 10), (3, 11), (5, 10), (8, 10))),
    )
    assert describe(events, month_threshold=6)[1:] == [
        "Y1945:7", "M1", "jan-first", "M0", "year", "M1", "jan-long",
        "M3", "m3-10", "m3-11", "M5", "m5-10", "M8", "m8-10", "G1947-2025",
    ]
    assert month_text(0) == "month not given" and month_text(1) == "January"
    # a run without a month that leads its year sits right under the year header
    leading = chrono(ev("y", "1945"), *(ev(f"m{m}", f"1945-{m:02d}-10") for m in (3, 3, 5, 5, 8)))
    assert describe(leading, month_threshold=6)[1:3] == ["Y1945:6", "y"]


_DATES = st.builds(
    lambda y, m, d, kind, span: (
        f"{y}" if kind == 0 else f"{y}-{m:02d}" if kind == 1 else f"{y}-{m:02d}-{d:02d}" if kind == 2
        else f"{y}/{y + span}" if kind == 3 else f"{y}-{m:02d}-{d:02d}/{y + span}-{m:02d}"
    ),
    st.integers(1937, 2020), st.integers(1, 12), st.integers(1, 28), st.integers(0, 4), st.integers(0, 4),
)


@given(st.lists(_DATES, min_size=0, max_size=40), st.integers(2, 8))
@settings(max_examples=150, deadline=None)
def test_event_rows_follow_the_one_order(dates: list[str], threshold: int) -> None:
    events = chrono(*(ev(f"e{i}", d) for i, d in enumerate(dates)))
    layout = build_layout(events, None, SPAN, month_threshold=threshold)
    shown = [events[i] for r in range(len(layout)) if (i := layout.event_at(r)) is not None]
    assert [e.id for e in shown] == [e.id for e in sorted(events, key=event_order_key)]
    # every event row sits under the header of the year its date starts in
    for r in range(len(layout)):
        i = layout.event_at(r)
        if i is not None:
            assert layout.row(layout.header_row(r)).year == events[i].date.start.year


def test_month_headers_in_busy_years_only() -> None:
    busy = chrono(*(ev(f"e{m}", f"1945-{m:02d}-0{m % 9 + 1}") for m in (3, 3, 5, 5, 8, 8)), ev("y", "1945"))
    out = describe(busy, month_threshold=6)
    assert out[1:] [:2] == ["Y1945:7", "y"]  # the year event sits above the month groups
    assert out.count("M3") == out.count("M5") == out.count("M8") == 1
    assert out.index("M3") < out.index("e3") < out.index("M5")
    quiet = describe(busy[:3], month_threshold=6)
    assert not any(x.startswith("M") for x in quiet)
    one_month = chrono(*(ev(f"d{d}", f"1945-05-{d:02d}") for d in range(1, 8)))
    assert not any(x.startswith("M") for x in describe(one_month, month_threshold=6))


def test_filtered_layout_and_empty_layout(mini: Dataset) -> None:
    assert describe(mini.events, [2]) == ["G1937-2004", "Y2005:1", "2005-museum-opens", "G2006-2025"]
    empty = build_layout(mini.events, [], SPAN)
    assert len(empty) == 1 and empty.row(0) == Row(RowKind.GAP, 1937, end_year=2025)
    assert empty.event_count == 0 and empty.event_at(0) is None
    assert empty.nearest_event_row(0) is None and empty.position_for_date(parse_edtf("1945")) is None


def test_event_navigation_helpers(mini: Dataset) -> None:
    layout = build_layout(mini.events, None, SPAN)
    event_rows = [layout.event_row(k) for k in range(layout.event_count)]
    assert [layout.event_at(r) for r in event_rows] == list(range(6))
    assert layout.event_at(0) is None  # the leading gap
    assert layout.nearest_event_row(0) == event_rows[0]
    assert layout.nearest_event_row(event_rows[1] + 1) == event_rows[2]
    assert layout.nearest_event_row(event_rows[1] + 1, forward=False) == event_rows[1]
    assert layout.nearest_event_row(len(layout) - 1) == event_rows[-1]  # trailing gap falls back
    assert layout.position_of_row(event_rows[3]) == 3
    assert layout.first_row_of_year(2010) == event_rows[4]
    assert layout.first_row_of_year(1999) is None
    assert layout.header_row(event_rows[5]) == event_rows[4] - 1
    assert layout.event_years() == [1945, 1950, 2005, 2009, 2010]
    assert layout.row_of_event(3) == event_rows[3]


def test_date_labels_at_own_precision() -> None:
    cases = {
        "1945": "1945", "1945-08": "Aug", "2010-05-08": "8 May", "2025-05-07/2025-05-10": "7–10 May",
        "1950/1953": "1950–1953", "2023-03/2023-04": "Mar–Apr", "1937-07/1945-08": "Jul 1937–Aug 1945",
        "2005~": "c. 2005", "2005?": "2005?", "2005-05-06?": "6 May?", "2010-04-30/2010-05-02": "30 Apr–2 May",
    }
    for edtf, label in cases.items():
        assert date_label(parse_edtf(edtf)) == label, edtf


def test_nearest_event_for_free_dates(mini: Dataset) -> None:
    layout = build_layout(mini.events, None, SPAN)
    ids = [mini.events[i].id for i in layout.order]

    def near(text: str) -> str:
        k = layout.position_for_date(parse_edtf(text))
        assert k is not None
        return ids[k]

    assert near("1945") == "1945-08-ships-return"
    assert near("1945-08-15") == "1945-08-ships-return"  # inside the month event
    assert near("1952") == "1950-1953-rebuild"  # inside the interval
    assert near("1960") == "1950-1953-rebuild"  # 1953 is nearer than 2005
    assert near("2003") == "2005-museum-opens"
    assert near("2010-05") == "2010-05-08-new-wing"
    assert near("1937") == "1945-08-ships-return"
    assert near("2025") == "2010-05-08-parade"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40000), min_size=1, max_size=40).map(sorted),
    st.integers(min_value=-1000, max_value=41000),
    st.integers(min_value=0, max_value=400),
)
def test_nearest_position_is_nearest(starts: list[int], t: int, width: int) -> None:
    from datetime import date

    lowers = [693596 + s for s in starts]  # ordinals from 1900-01-01
    uppers = [lo + 3 for lo in lowers]
    t_lo = 693596 + t
    target = parse_edtf(date.fromordinal(max(1, t_lo)).isoformat())
    k = nearest_position(lowers, uppers, target)
    assert k is not None

    def dist(j: int) -> int:
        tl = target.lower.toordinal()
        return 0 if lowers[j] <= tl <= uppers[j] else min(abs(lowers[j] - tl), abs(uppers[j] - tl))

    assert dist(k) == min(dist(j) for j in range(len(lowers)))


def test_layout_invariants_on_many_events() -> None:
    import random

    rnd = random.Random(7)
    events = []
    for i in range(3000):
        y = rnd.randint(1937, 2025)
        form = rnd.random()
        d = f"{y}" if form < 0.2 else f"{y}-{rnd.randint(1, 12):02d}" if form < 0.5 else f"{y}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        events.append(ev(f"e{i}", d))
    events = chrono(*events)
    keys = EventKeys(events)
    subset = sorted(rnd.sample(range(len(events)), 1000))
    for indices in (None, subset):
        layout = build_layout(events, indices, SPAN, keys=keys)
        shown = [layout.event_at(i) for i in range(len(layout)) if layout.event_at(i) is not None]
        assert sorted(shown) == (list(range(len(events))) if indices is None else subset)  # type: ignore[type-var]
        # every event sits under its own year's header; years ascend; gaps never overlap event years
        year = None
        seen_years: list[int] = []
        for i in range(len(layout)):
            r = layout.row(i)
            if r.kind is RowKind.YEAR:
                year = r.year
                seen_years.append(year)
            elif r.kind is RowKind.EVENT:
                assert events[r.event].date.start.year == year
        assert seen_years == sorted(set(seen_years)) == layout.event_years()
        lowers = list(layout.lower_ordinals())
        assert lowers == sorted(lowers)


def test_year_counts(mini: Dataset) -> None:
    counts = year_counts(mini.events, None, SPAN)
    assert len(counts) == 89 and sum(counts) == 6 and counts[2010 - 1937] == 2
    assert year_counts(mini.events, [0], SPAN)[1945 - 1937] == 1
    keys = EventKeys(mini.events)  # counted from the keys' year array: the same answers
    assert year_counts(mini.events, None, SPAN, keys=keys) == counts
    assert year_counts(mini.events, [0, 5], SPAN, keys=keys) == year_counts(mini.events, [0, 5], SPAN)


def test_go_to_date_prefers_the_exact_date_and_says_where_it_landed() -> None:
    events = chrono(
        ev("feb-1", "2025-02-01"), ev("feb", "2025-02"), ev("feb-10", "2025-02-10"), ev("y2024", "2024"),
        ev("war", "1937/1945"), ev("may-7-10", "2025-05-07/2025-05-10"), ev("y1950", "1950"),
    )
    layout = build_layout(events, None, SPAN)
    ids = [events[i].id for i in layout.order]

    def go(text: str) -> tuple[str, str]:
        hit = layout.locate_date(parse_edtf(text))
        assert hit is not None
        return ids[hit.position], hit.how

    assert go("2025-02-01") == ("feb-1", "exact")  # the day, not the month-only event that also starts then
    assert go("2025-02") == ("feb", "exact")  # the month, not the 1 February day
    assert go("2025-02-10") == ("feb-10", "exact")
    assert go("2025-05-08") == ("may-7-10", "covers")
    assert go("2025-05") == ("may-7-10", "inside")
    assert go("1937/1945") == ("war", "exact")
    assert go("1944") == ("war", "covers")
    assert go("2100") == ("may-7-10", "after-last")
    assert go("1900") == ("war", "before-first")
    assert go("1960") == ("y1950", "nearest")
    assert build_layout([], None, SPAN).locate_date(parse_edtf("1945")) is None

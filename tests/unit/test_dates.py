"""The EDTF-subset date module: parsing, round trips, ordering, display and free-text parsing."""

from __future__ import annotations

import calendar
import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.dates import EdtfDate, EdtfError, EdtfPoint, Precision, parse_edtf, parse_free

QUALIFIERS = st.sampled_from(["", "?", "~", "%"])


@st.composite
def points(draw: st.DrawFn) -> EdtfPoint:
    year = draw(st.integers(1, 9999))
    precision = draw(st.sampled_from(list(Precision)))
    month = draw(st.integers(1, 12)) if precision >= Precision.MONTH else None
    day = None
    if precision is Precision.DAY:
        assert month is not None
        day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return EdtfPoint(year, month, day, draw(QUALIFIERS))


@st.composite
def edtf_dates(draw: st.DrawFn) -> EdtfDate:
    a = draw(points())
    if not draw(st.booleans()):
        return EdtfDate(a)
    b = draw(points())
    if b.latest < a.earliest:
        a, b = b, a
    if b.latest < a.earliest:  # still inverted (e.g. nested ranges); make it a single point
        return EdtfDate(a)
    return EdtfDate(a, b)


@given(edtf_dates())
def test_round_trip(d: EdtfDate) -> None:
    assert parse_edtf(d.edtf()) == d
    assert parse_edtf(str(d)).edtf() == d.edtf()


@given(edtf_dates())
def test_interval_is_inclusive_and_ordered(d: EdtfDate) -> None:
    assert d.lower <= d.upper
    assert d.contains(d.lower) and d.contains(d.upper)


@given(edtf_dates(), edtf_dates(), edtf_dates())
def test_sort_key_is_a_total_order_consistent_with_interval(a: EdtfDate, b: EdtfDate, c: EdtfDate) -> None:
    ka, kb, kc = a.sort_key, b.sort_key, c.sort_key
    assert (ka <= kb) or (kb <= ka)
    if ka <= kb and kb <= kc:
        assert ka <= kc
    if ka == kb:
        assert a == b
    if a.lower < b.lower or (a.lower == b.lower and a.upper < b.upper):
        assert ka < kb


@given(edtf_dates())
def test_display_is_never_empty_and_shows_the_year(d: EdtfDate) -> None:
    text = d.display()
    assert str(d.start.year) in text
    assert d.describe().startswith(text) or d.describe().split(", ", 1)[-1].startswith(text)


@pytest.mark.parametrize(
    ("edtf", "shown"),
    [
        ("1945", "1945"),
        ("1945-08", "August 1945"),
        ("2010-05-08", "8 May 2010"),
        ("1937/1945", "1937–1945"),
        ("2025-05-07/2025-05-10", "7–10 May 2025"),
        ("2025-05-30/2025-06-02", "30 May – 2 June 2025"),
        ("2025~", "c. 2025"),
        ("2025-05-06?", "6 May 2025?"),
        ("2025%", "c. 2025?"),
        ("1941-06/1945-05", "June 1941 – May 1945"),
    ],
)
def test_display_examples(edtf: str, shown: str) -> None:
    assert parse_edtf(edtf).display() == shown


@pytest.mark.parametrize(
    ("edtf", "described"),
    [
        ("2010-05-09", "Sunday, 9 May 2010"),
        ("1945-08", "August 1945 (day not given)"),
        ("1945", "1945 (year only)"),
        ("1937/1945", "1937–1945 (9 years)"),
        ("2025-05-07/2025-05-10", "7–10 May 2025 (4 days)"),
        ("2025-05/2025-06", "May–June 2025 (2 months)"),
        ("1941-06/1945-05", "June 1941 – May 1945 (4 years)"),
        ("1941-06/1945-08", "June 1941 – August 1945 (51 months)"),
        ("1941-01/1944-12", "January 1941 – December 1944 (4 years)"),
        ("2005~", "c. 2005 (year only, approximate)"),
        ("2025-05-06?", "Tuesday, 6 May 2025? (uncertain)"),
    ],
)
def test_describe_in_words(edtf: str, described: str) -> None:
    assert parse_edtf(edtf).describe() == described


def test_year_only_covers_the_whole_year_and_is_not_1_january() -> None:
    d = parse_edtf("1945")
    assert (d.lower, d.upper) == (date(1945, 1, 1), date(1945, 12, 31))
    assert d.precision is Precision.YEAR
    assert "January" not in d.display()


def test_month_covers_the_whole_month_including_leap_february() -> None:
    d = parse_edtf("2024-02")
    assert (d.lower, d.upper) == (date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("45", "not an EDTF date"),
        ("1945-13", "month 13"),
        ("1945-02-30", "day 30 does not exist"),
        ("1945/1944", "ends before it starts"),
        ("1945/1946/1947", "exactly one '/'"),
        ("1945-8", "not an EDTF date"),
        ("August 1945", "not an EDTF date"),
        ("1945??", "not an EDTF date"),
        ("", "not an EDTF date"),
        ("0000", "year 0000"),
    ],
)
def test_invalid_strings_give_a_clear_error(bad: str, fragment: str) -> None:
    with pytest.raises(EdtfError, match=fragment.replace("(", r"\(")):
        parse_edtf(bad)


@pytest.mark.parametrize("bad", ["1945\n", "١٩٤٥", "1945-0８", " 1945"])
def test_only_ascii_digits_and_nothing_around_them(bad: str) -> None:
    with pytest.raises(EdtfError):
        parse_edtf(bad)


@given(st.text(max_size=20))
def test_parse_edtf_gives_a_usable_date_or_edtf_error(text: str) -> None:
    with contextlib.suppress(EdtfError):
        d = parse_edtf(text)
        assert d.lower <= d.upper
        assert parse_edtf(d.edtf()) == d


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("1945", "1945"),
        ("Aug 1945", "1945-08"),
        ("august 1945", "1945-08"),
        ("8 May 2010", "2010-05-08"),
        ("May 8, 2010", "2010-05-08"),
        ("2025-05", "2025-05"),
        ("2025-05-09", "2025-05-09"),
        ("  1937 ", "1937"),
    ],
)
def test_parse_free(typed: str, edtf: str) -> None:
    assert parse_free(typed).edtf() == edtf


@pytest.mark.parametrize("typed", ["", "   ", "August", "yesterday-ish", "32 May 2010", "0000", "Aug 45", "May 8"])
def test_parse_free_rejects_what_it_cannot_place(typed: str) -> None:
    with pytest.raises(EdtfError):
        parse_free(typed)


@given(edtf_dates())
def test_parse_free_accepts_every_edtf_string(d: EdtfDate) -> None:
    assert parse_free(d.edtf()) == d


@given(st.one_of(st.text(max_size=30), st.from_regex(r"[0-9]{1,4} ?[A-Za-z]{0,5} ?[0-9]{0,4}", fullmatch=True)))
def test_parse_free_gives_a_usable_date_or_edtf_error(text: str) -> None:
    with contextlib.suppress(EdtfError):
        d = parse_free(text)
        assert d.lower.year >= 1 and d.lower <= d.upper
        assert parse_edtf(d.edtf()) == d

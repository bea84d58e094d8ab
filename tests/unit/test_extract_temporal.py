"""The temporal-expression finder and resolver: forms, directions, and properties over random dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.dates import MONTH_NAMES, parse_edtf
from timeline_tui.core.extract.temporal import (
    WEEKDAYS,
    find_mentions,
    number_value,
    resolve_month,
    resolve_weekday,
    tense_at,
)

SUNDAY = date(2010, 5, 9)


def found(sentence: str, published: date | None = SUNDAY) -> list[tuple[str, str]]:
    return [(m.text, m.date.edtf()) for m in find_mentions(sentence, 0, len(sentence), published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It happened on May 9, 2010 in town.", [("May 9, 2010", "2010-05-09")]),
        ("It happened on 9 May 2010 in town.", [("9 May 2010", "2010-05-09")]),
        ("It happened on 2010-05-09 in town.", [("2010-05-09", "2010-05-09")]),
        ("Photos taken Sept. 24, 2011 show it.", [("Sept. 24, 2011", "2011-09-24")]),
        ("The army arrived in August 1945.", [("August 1945", "1945-08")]),
        ("The war (1937-1945) ended.", [("1937-1945", "1937/1945")]),
        ("The war of 1937–45 ended.", [("1937–45", "1937/1945")]),
        ("Fighting went on between 1941 and 1945.", [("between 1941 and 1945", "1941/1945")]),
        ("They visited from May 7 to 10.", [("from May 7 to 10", "2010-05-07/2010-05-10")]),
        ("They visited 7-10 May 2025.", [("7-10 May 2025", "2025-05-07/2025-05-10")]),
        ("Records go back to the 1940s.", [("the 1940s", "1940/1949")]),
        ("The pact was signed last year.", [("last year", "2009")]),
        ("Sales rose this year.", [("this year", "2010")]),
        ("Talks resume next month.", [("next month", "2010-06")]),
        ("The war ended 65 years ago.", [("65 years ago", "1945")]),
        ("The war ended eight decades ago.", [("eight decades ago", "1930")]),
        ("It has been 65 years since the end of the war.", [("65 years since", "1945")]),
        ("They signed it in February.", [("in February", "2010-02")]),
        ("The town held a parade on Saturday.", [("on Saturday", "2010-05-08")]),
        ("He will attend the ceremony on Wednesday.", [("on Wednesday", "2010-05-12")]),
        ("It was the 65th anniversary.", [("the 65th anniversary", "1945")]),
        ("In 2005 he marked the 60th anniversary.", [("2005", "2005"), ("the 60th anniversary", "1945")]),
    ],
)
def test_forms(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert found(sentence) == expected


def test_numbers_that_are_not_years() -> None:
    assert found("It cost US$244.8 billion for 1,030km and 2000 soldiers, 6,700 hectares in 2,000 places.") == []


def test_two_years_joined_by_and_are_not_a_span() -> None:
    assert found("They met in 2005 and 2010.") == [("2005", "2005"), ("2010", "2010")]


def test_relative_forms_need_a_publication_date() -> None:
    assert found("Last year they met on Saturday in February, 80 years ago.", None) == []
    assert found("The war ended in August 1945.", None) == [("August 1945", "1945-08")]


def test_partial_publication_date_resolves_only_what_it_can() -> None:
    month = parse_edtf("2025-05")
    assert found("Xi spoke to Putin in February and met him on Friday.", month) == [("in February", "2025-02")]  # type: ignore[arg-type]
    year = parse_edtf("2025")
    assert found("This year marks it; in February they met.", year) == [("This year", "2025")]  # type: ignore[arg-type]


def test_impossible_day_is_not_invented() -> None:
    # "February 30" is no day: only the stated year survives
    assert found("It was on February 30, 2010.") == [("2010", "2010")]
    # a weekday that contradicts the date: no guess which part is wrong
    assert ("Sunday, May 8, 2010", "2010-05-08") not in found("It was on Sunday, May 8, 2010.")


def test_tense() -> None:
    assert tense_at("He will arrive on Wednesday.", 16) is True
    assert tense_at("He met them on Saturday.", 14) is False
    assert tense_at("On Saturday, the team is expected to win.", 0) is True
    assert tense_at("On Saturday there is a match.", 0) is False  # no marker: news reports the past


def test_number_words() -> None:
    assert number_value("sixty-five") == 65
    assert number_value("Eighty") == 80
    assert number_value("a") == 1
    assert number_value("12") == 12
    assert number_value("many") is None


def test_month_without_year() -> None:
    pub = date(2010, 5, 9)
    assert resolve_month(pub, 2, forward=False) == 2010
    assert resolve_month(pub, 8, forward=False) == 2009
    assert resolve_month(pub, 8, forward=True) == 2010
    assert resolve_month(pub, 2, forward=True) == 2011
    assert resolve_month(pub, 5, forward=False) == 2010


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_last_year_is_the_year_before(pub: date) -> None:
    assert found("Trade grew last year.", pub) == [("last year", str(pub.year - 1).zfill(4))]
    assert found("Trade grew this year.", pub) == [("this year", str(pub.year).zfill(4))]


@given(days, st.integers(min_value=0, max_value=6), st.booleans())
def test_weekday_is_within_six_days_in_the_tense_direction(pub: date, weekday: int, forward: bool) -> None:
    day = resolve_weekday(pub, weekday, forward)
    assert day.weekday() == weekday
    delta = (day - pub).days
    assert (0 <= delta <= 6) if forward else (-6 <= delta <= 0)


@given(days, st.integers(min_value=0, max_value=6))
def test_weekday_in_a_sentence_follows_the_tense(pub: date, weekday: int) -> None:
    name = WEEKDAYS[weekday]
    [(_, past)] = found(f"The leaders met on {name}.", pub)
    [(_, future)] = found(f"The leaders will meet on {name}.", pub)
    past_day, future_day = date.fromisoformat(past), date.fromisoformat(future)
    assert past_day.weekday() == weekday == future_day.weekday()
    assert timedelta(0) <= pub - past_day <= timedelta(days=6)
    assert timedelta(0) <= future_day - pub <= timedelta(days=6)


@given(days, st.integers(min_value=1, max_value=12))
def test_month_without_year_is_not_after_publication_unless_forward(pub: date, month: int) -> None:
    name = MONTH_NAMES[month - 1]
    [(_, past)] = found(f"They met in {name}.", pub)
    [(_, future)] = found(f"They will meet in {name}.", pub)
    p, f = parse_edtf(past), parse_edtf(future)
    assert p.lower <= pub and (pub - p.lower).days < 366
    assert f.upper >= pub and (f.lower - pub).days < 366


@given(days, st.integers(min_value=1, max_value=90))
def test_years_ago(pub: date, n: int) -> None:
    [(_, when)] = found(f"The bridge was built {n} years ago.", pub)
    assert when == str(pub.year - n).zfill(4)


@pytest.mark.parametrize(
    "sentence",
    ["The talks ran from December 30 to January 2, 2011.", "The talks ran from 30 December to 2 January 2011."],
)
def test_day_range_across_new_year_takes_the_stated_year_as_the_end(sentence: str) -> None:
    assert [d for _, d in found(sentence)] == ["2010-12-30/2011-01-02"]


def test_day_range_across_new_year_resolved_against_publication() -> None:
    assert found("Talks ran from December 30 to January 2.", date(2011, 1, 9)) == [
        ("from December 30 to January 2", "2010-12-30/2011-01-02")
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the year after "anniversary of" is the commemorated one: the anniversary is that year + N
        ("The 65th anniversary of the 1945 victory was marked in Moscow.",
         [("The 65th anniversary", "2010"), ("1945", "1945")]),
        ("They marked the 65th anniversary of the victory in 1945.",
         [("the 65th anniversary", "2010"), ("1945", "1945")]),
        # a year too late to be commemorated is the commemoration's own: N years before it
        ("The parade marked the 79th anniversary of the victory on May 9, 2024.",
         [("the 79th anniversary", "1945"), ("May 9, 2024", "2024-05-09")]),
    ],
)
def test_anniversary_of_a_stated_year(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert found(sentence) == expected


# --- the speed-ups find exactly what the plain regex scan finds -----------------------------------------

_TOKENS = st.sampled_from(
    [
        "May", "Sept.", "Sep", "June", "Jan", "Monday", "Saturday", "Sunday's", "from", "between", "the", "of", "on",
        "last", "next", "this", "in", "since", "until", "to", "and", "-", "–", " - ", ",", ".", "9", "10", "1945",
        "2010", "1937-45", "2010-05-09", "65th", "sixty-five", "anniversary", "years", "ago", "for", "over",
        "Bathe", "within", "Mon", "1940s", "30", "31st", "ſince", "YEAR", "Yesterday", "İn", "x", "  ", "\n",
        "٣", "century", "decades", "has", "been", "will",
    ]
)


@given(st.lists(_TOKENS, max_size=30).map(" ".join))
def test_anchored_scans_equal_plain_finditer(sentence: str) -> None:
    from timeline_tui.core.extract.temporal import _PATTERNS, _scan

    for regex, _handler, _priority, starts in _PATTERNS:
        expected = [(m.span(), m.groupdict()) for m in regex.finditer(sentence)]
        assert [(m.span(), m.groupdict()) for m in _scan(regex, starts, sentence)] == expected, regex.pattern


@given(st.lists(_TOKENS, max_size=30).map(" ".join))
def test_gates_never_skip_a_pattern_that_would_match(sentence: str) -> None:
    from timeline_tui.core.extract.temporal import _GATES, _PATTERNS, _Probe

    probe = _Probe.of(sentence)
    for regex, handler, _priority, _starts in _PATTERNS:
        if regex.search(sentence):
            assert _GATES[handler](probe), (handler.__name__, sentence)


@given(st.lists(_TOKENS, max_size=30).map(" ".join), st.integers(min_value=0, max_value=200))
def test_tense_from_sorted_markers_equals_the_direct_reading(sentence: str, pos: int) -> None:
    from timeline_tui.core.extract.temporal import _FUTURE, _NOT_VERBS, _PAST

    before: list[tuple[int, bool]] = []
    after: list[tuple[int, bool]] = []
    for regex, forward in ((_FUTURE, True), (_PAST, False)):
        for m in regex.finditer(sentence):
            if not forward and m.group(0).lower() in _NOT_VERBS:
                continue
            (before if m.start() < pos else after).append((m.start(), forward))
    direct = max(before)[1] if before else min(after)[1] if after else False
    assert tense_at(sentence, pos) is direct

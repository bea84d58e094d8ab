"""Find temporal expressions in English news text and resolve them to EDTF dates.

Absolute forms: ``2010-05-09``, ``May 9, 2010``, ``9 May 2010``, ``Sept. 24``, ``August 1945``,
``1945``, ``the 1940s``; ranges: ``from May 7 to 10``, ``7-10 May``, ``1937-1945``, ``1937-45``,
``between 1941 and 1945``, ``from Wednesday to Saturday``. Relative forms are resolved against the
publication date with :mod:`dateutil.relativedelta`: ``last/this/next year|month|week``,
``yesterday``, ``tomorrow``, ``on Saturday``, ``in February``, ``80 years ago``, ``eight decades
ago``, ``65 years since``, ``for 20 years`` with a present perfect (began about then), ``the 65th
anniversary`` (see :func:`_anniversary`: with the commemorated year stated after it, "the 65th
anniversary of the 1945 victory", it is that year + 65, the commemoration; otherwise what is
commemorated, 65 years before another year of the sentence or else the publication year).

Direction: a weekday name is the nearest such day in the direction of the tense (a Saturday in a
past-tense clause of a Sunday article is the day before; "will arrive on Wednesday" is the coming
one; the publication weekday itself is the publication day). A month (or month and day) without a
year is the most recent one not after publication, unless the tense points forward. The tense is
read from the nearest tense marker before the expression in its sentence ("will", "is set to",
"upcoming" / "was", "said", an ``-ed`` verb), else after it, else past (news reports the past).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from timeline_tui.core.dates import EdtfDate, EdtfPoint

__all__ = [
    "WEEKDAYS",
    "Mention",
    "find_mentions",
    "month_alternation",
    "number_value",
    "resolve_month",
    "resolve_month_day",
    "resolve_weekday",
    "tense_at",
]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH_FORMS = {
    1: ("January", "Jan"),
    2: ("February", "Feb"),
    3: ("March", "Mar"),
    4: ("April", "Apr"),
    5: ("May",),
    6: ("June", "Jun"),
    7: ("July", "Jul"),
    8: ("August", "Aug"),
    9: ("September", "Sept", "Sep"),
    10: ("October", "Oct"),
    11: ("November", "Nov"),
    12: ("December", "Dec"),
}
_MONTH_BY_NAME = {form.lower(): n for n, forms in _MONTH_FORMS.items() for form in forms}


def month_alternation() -> str:
    """A regex (no group) for every month name form of :data:`_MONTH_FORMS`, abbreviations with an optional stop."""
    alts = []
    for forms in _MONTH_FORMS.values():
        for form in forms:
            alts.append(form if len(form) > 3 and form != "Sept" else form + r"\.?")
    alts.sort(key=len, reverse=True)
    return f"(?:{'|'.join(alts)})(?![A-Za-z])"


def _month_re(name: str) -> str:
    return rf"(?P<{name}>{month_alternation()})"


def _weekday_re(name: str) -> str:
    return rf"(?P<{name}>{'|'.join(WEEKDAYS)})(?![A-Za-z])"


_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100,
}
_NUMBER_WORD = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))}|a|an|one hundred|a hundred)"
)
_NUMBER = rf"(?P<n>\d{{1,3}}|{_NUMBER_WORD})"


def number_value(text: str) -> int | None:
    """``"65"``, ``"sixty-five"``, ``"Eighty"``, ``"a"`` -> the integer, else ``None``."""
    t = text.strip().lower()
    if t.isdigit():
        return int(t)
    if t in ("a", "an"):
        return 1
    if t in ("one hundred", "a hundred"):
        return 100
    if t in _UNITS:
        return _UNITS[t]
    parts = re.split(r"[- ]", t)
    if parts[0] in _TENS:
        total = _TENS[parts[0]]
        if len(parts) == 2 and parts[1] in _UNITS:
            total += _UNITS[parts[1]]
        elif len(parts) > 1:
            return None
        return total
    return None


@dataclass(frozen=True, slots=True)
class Mention:
    """One temporal expression at ``[start, end)`` of the text, with its resolved date.

    ``kind`` names the form (``date``, ``month-year``, ``year``, ``range``, ``weekday``, ``month``,
    ``relative``, ``ago``, ``duration``, ``anniversary``, ``decade``); ``relative`` tells whether the publication
    date was needed; ``confidence`` is the form's prior that it dates an event.
    """

    start: int
    end: int
    text: str
    date: EdtfDate
    kind: str
    basis: str
    confidence: float
    relative: bool = False


# ----------------------------------------------------------------------------- resolution


def resolve_weekday(published: date, weekday: int, forward: bool, *, strict: bool = False) -> date:
    """The nearest ``weekday`` (0 = Monday) from ``published`` in the given direction.

    The publication weekday itself is the publication day unless ``strict`` ("last Sunday",
    "next Sunday"), which moves a full week.
    """
    if forward:
        ahead = (weekday - published.weekday()) % 7
        return published + timedelta(days=ahead or (7 if strict else 0))
    back = (published.weekday() - weekday) % 7
    return published - timedelta(days=back or (7 if strict else 0))


def resolve_month(published: date, month: int, forward: bool) -> int:
    """Year of a month named without one: the most recent not after publication, or the next if forward."""
    if forward:
        return published.year if month >= published.month else published.year + 1
    return published.year if month <= published.month else published.year - 1


def resolve_month_day(published: date, month: int, day: int, forward: bool) -> int:
    """Year of a month and day named without one (same rule as :func:`resolve_month`)."""
    if forward:
        return published.year if (month, day) >= (published.month, published.day) else published.year + 1
    return published.year if (month, day) <= (published.month, published.day) else published.year - 1


_FUTURE = re.compile(
    r"\b(?:will|shall|won't|is|are|was|were)\s+(?:also\s+)?(?:set|expected|scheduled|due|slated|going|poised|planned)\s+to\b"
    r"|\b(?:will|shall|won't)\b|'ll\b|\b(?:upcoming|forthcoming|coming|plans?\s+to|intends?\s+to|is\s+to|are\s+to)\b",
    re.IGNORECASE,
)
_NOT_VERBS = frozenset(
    [
        "united", "red", "need", "speed", "seed", "indeed", "bed", "shed", "hundred", "based", "related", "limited",
        "kindred", "sacred", "wicked", "naked", "beloved", "rugged", "ragged", "aged", "learned"
    ]
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|met|held|took|made|went|came|saw|gave|told|fought|began|won|lost|built|"
    r"sent|led|paid|struck|broke|became|spoke|wrote|brought|ago|last|[a-z]{2,}ed)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=4)
def _tense_markers(sentence: str) -> tuple[list[int], list[tuple[int, bool]]]:
    """Every tense marker of the sentence, sorted: ``(start, forward)``, found once per sentence."""
    markers: list[tuple[int, bool]] = []
    for regex, forward in ((_FUTURE, True), (_PAST, False)):
        for m in regex.finditer(sentence):
            if not forward and m.group(0).lower() in _NOT_VERBS:
                continue
            markers.append((m.start(), forward))
    markers.sort()
    return [start for start, _ in markers], markers


def tense_at(sentence: str, pos: int) -> bool:
    """Whether the clause around ``pos`` in ``sentence`` points forward (future tense).

    The nearest marker before ``pos`` decides (a future one wins a tie), else the nearest after
    it (a past one wins a tie), else past.
    """
    starts, markers = _tense_markers(sentence)
    i = bisect_left(starts, pos)
    if i > 0:
        return markers[i - 1][1]
    if i < len(markers):
        return markers[i][1]
    return False


# ----------------------------------------------------------------------------- patterns

_MONTH = _month_re("mon")
_MONTH2 = _month_re("mon2")
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_DAY2 = r"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<y>1[0-9]\d\d|20\d\d)(?![\d])"
_YEAR2 = r"(?P<y2>1[0-9]\d\d|20\d\d|\d\d)(?![\d])"
_WDAY = _weekday_re("wd")
_WDAY2 = _weekday_re("wd2")
_DASH = r"\s*[-–—]\s*"
_TO = rf"(?:{_DASH}|\s+(?:to|until|till|through|and)\s+)"
_NB = r"(?<![\w.,$£€¥])"  # not inside a number or a word

_NON_YEAR_FOLLOWERS = re.compile(
    r"\s*(?:%|percent|per cent|km|kg|kilomet|metre|meter|mile|hectare|ton|tonne|dollar|yuan|euro|rouble|ruble|"
    r"people|person|soldier|troop|men\b|women\b|children|unit|copies|case|death|time|member|student|page)",
    re.IGNORECASE,
)

_Handler = Callable[[re.Match[str], "_Context"], "Mention | None"]


@dataclass(frozen=True, slots=True)
class _Context:
    sentence: str
    offset: int  # where the sentence starts in the whole text
    published: date | None  # the publication date's first day
    precision: int  # how much of it is known: 0 nothing, 1 year, 2 month, 3 day
    pub_text: str  # the publication date as EDTF, for date_basis
    anchor_year: int | None  # a year stated elsewhere in the sentence, for anniversaries

    def known(self, level: int) -> date | None:
        """The publication date if it is known at least to ``level`` (1 year, 2 month, 3 day)."""
        return self.published if self.precision >= level else None


def _point(y: int, m: int | None = None, d: int | None = None, q: str = "") -> EdtfPoint | None:
    if not 1 <= y <= 9999:
        return None
    if m is not None and not 1 <= m <= 12:
        return None
    if d is not None and (m is None or not 1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return EdtfPoint(y, m, d, q)


def _month_of(match: re.Match[str], group: str = "mon") -> int:
    return _MONTH_BY_NAME[match.group(group).rstrip(".").lower()]


def _forward(match: re.Match[str], ctx: _Context) -> bool:
    return tense_at(ctx.sentence, match.start())


def _mention(
    match: re.Match[str], ctx: _Context, when: EdtfDate, kind: str, basis: str, confidence: float,
    relative: bool = False,
) -> Mention:
    return Mention(
        ctx.offset + match.start(), ctx.offset + match.end(), match.group(0), when, kind, basis, confidence, relative
    )


def _published_note(ctx: _Context) -> str:
    return f"in an article published {ctx.pub_text}"


def _iso(m: re.Match[str], ctx: _Context) -> Mention | None:
    p = _point(int(m.group("y")), int(m.group("mm")), int(m.group("dd")))
    return None if p is None else _mention(m, ctx, EdtfDate(p), "date", f'"{m.group(0)}" (stated)', 0.9)


def _year_of_day(m: re.Match[str], ctx: _Context, month: int, day: int) -> tuple[int, bool] | None:
    """The stated year, or the one resolved against publication (and whether it was resolved)."""
    if m.groupdict().get("y"):
        return int(m.group("y")), False
    pub = ctx.known(2)
    if pub is None:
        return None
    if ctx.precision == 2 and month == pub.month:
        return pub.year, True  # same month as a month-precise publication: take that year
    return resolve_month_day(pub if ctx.precision == 3 else _month_end(pub), month, day, _forward(m, ctx)), True


def _full_date(m: re.Match[str], ctx: _Context) -> Mention | None:
    month, day = _month_of(m), int(m.group("d"))
    found = _year_of_day(m, ctx, month, day)
    if found is None:
        return None
    year, relative = found
    p = _point(year, month, day)
    if p is None:
        return None
    wd = m.groupdict().get("wd")
    if wd and WEEKDAYS.index(wd) != p.earliest.weekday():
        return None  # "Sunday, May 8, 2010" is not a real day; do not guess which part is wrong
    basis = f'"{m.group(0)}" ({_published_note(ctx)})' if relative else f'"{m.group(0)}" (stated)'
    return _mention(m, ctx, EdtfDate(p), "date", basis, 0.8 if relative else 0.9, relative)


def _day_range(m: re.Match[str], ctx: _Context) -> Mention | None:
    month = _month_of(m)
    month2 = _month_of(m, "mon2") if m.groupdict().get("mon2") else month
    d1, d2 = int(m.group("d")), int(m.group("d2"))
    if re.search(r"\sand\s", m.group(0)) and not m.group(0).lower().startswith("between"):
        return None  # "May 7 and 10" names two days, not a span
    wraps = (month2, d2) < (month, d1)  # "from December 30 to January 2": across New Year
    found = _year_of_day(m, ctx, month, d1)
    if found is None:
        return None
    year, relative = found
    if wraps and not relative:
        year, year2 = year - 1, year  # a stated year follows the last day, so it is the end's year
    else:
        year2 = year + 1 if wraps else year
    a, b = _point(year, month, d1), _point(year2, month2, d2)
    if a is None or b is None or b.earliest <= a.earliest:
        return None
    basis = f'"{m.group(0)}" ({_published_note(ctx)})' if relative else f'"{m.group(0)}" (stated)'
    return _mention(m, ctx, EdtfDate(a, b), "range", basis, 0.85 if relative else 0.9, relative)


def _month_year(m: re.Match[str], ctx: _Context) -> Mention | None:
    p = _point(int(m.group("y")), _month_of(m))
    return None if p is None else _mention(m, ctx, EdtfDate(p), "month-year", f'"{m.group(0)}" (stated)', 0.85)


def _year_range(m: re.Match[str], ctx: _Context) -> Mention | None:
    y1, raw2 = int(m.group("y")), m.group("y2")
    if len(raw2) == 2:
        if not re.search(r"[-–—]", m.group(0)):
            return None
        y2 = (y1 // 100) * 100 + int(raw2)
    else:
        y2 = int(raw2)
    if not y1 < y2 <= y1 + 200:
        return None
    if "and" in m.group(0).split() and not m.group(0).lower().startswith("between"):
        return None  # "in 2005 and 2010" names two years, not a span
    return _mention(m, ctx, EdtfDate(EdtfPoint(y1), EdtfPoint(y2)), "range", f'"{m.group(0)}" (stated)', 0.8)


_YEAR_PREPOSITIONS = re.compile(r"(?:\b(?:in|since|by|during|until|till|from|of|before|after|early|late|mid)\s+|mid-)$", re.I)


def _year(m: re.Match[str], ctx: _Context) -> Mention | None:
    year = int(m.group("y"))
    if ctx.known(1) is not None and year > ctx.published.year + 30:  # type: ignore[union-attr]
        return None
    if _NON_YEAR_FOLLOWERS.match(ctx.sentence, m.end()):
        return None
    # the preposition must end where the year starts: looking at the few characters before is enough
    confidence = 0.75 if _YEAR_PREPOSITIONS.search(ctx.sentence, max(0, m.start() - 40), m.start()) else 0.6
    return _mention(m, ctx, EdtfDate(EdtfPoint(year)), "year", f'"{m.group(0)}" (stated)', confidence)


def _decade(m: re.Match[str], ctx: _Context) -> Mention | None:
    y = int(m.group("y"))
    return _mention(m, ctx, EdtfDate(EdtfPoint(y), EdtfPoint(y + 9)), "decade", f'"{m.group(0)}" (stated)', 0.45)


def _weekday(m: re.Match[str], ctx: _Context) -> Mention | None:
    pub = ctx.known(3)
    if pub is None:
        return None
    rel = (m.group("rel") or "").lower()
    if rel in ("last", "past", "previous"):
        forward, strict = False, True
    elif rel in ("next", "coming"):
        forward, strict = True, True
    else:
        forward, strict = _forward(m, ctx), False
    day = resolve_weekday(pub, WEEKDAYS.index(m.group("wd")), forward, strict=strict)
    p = EdtfPoint(day.year, day.month, day.day)
    basis = f'"{m.group(0)}" in an article published {ctx.pub_text} ({pub.strftime("%A")})'
    return _mention(m, ctx, EdtfDate(p), "weekday", basis, 0.75, True)


def _weekday_range(m: re.Match[str], ctx: _Context) -> Mention | None:
    pub = ctx.known(3)
    if pub is None:
        return None
    first = resolve_weekday(pub, WEEKDAYS.index(m.group("wd")), _forward(m, ctx))
    last = resolve_weekday(first, WEEKDAYS.index(m.group("wd2")), True)
    if last == first:
        return None
    a, b = EdtfPoint(first.year, first.month, first.day), EdtfPoint(last.year, last.month, last.day)
    basis = f'"{m.group(0)}" in an article published {ctx.pub_text} ({pub.strftime("%A")})'
    return _mention(m, ctx, EdtfDate(a, b), "range", basis, 0.75, True)


def _month_alone(m: re.Match[str], ctx: _Context) -> Mention | None:
    pub = ctx.known(2)
    if pub is None:
        return None
    month = _month_of(m)
    rel = (m.group("rel") or "").lower()
    if rel == "last":
        year = resolve_month(pub - relativedelta(months=1), month, False)
    elif rel == "next":
        year = resolve_month(pub + relativedelta(months=1), month, True)
    else:
        year = resolve_month(pub, month, _forward(m, ctx))
    return _mention(
        m, ctx, EdtfDate(EdtfPoint(year, month)), "month", f'"{m.group(0)}" ({_published_note(ctx)})', 0.7, True
    )


def _relative(m: re.Match[str], ctx: _Context) -> Mention | None:
    word = m.group(0).lower()
    which = (m.group("which") or "").lower()
    unit = (m.group("unit") or "").lower()
    pub = ctx.known(1 if unit == "year" else 2 if unit == "month" else 3)
    if pub is None:
        return None
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}.get(which, 0)
    if "yesterday" in word or "tomorrow" in word:
        day = pub + timedelta(days=-1 if "yesterday" in word else 1)
        when = EdtfDate(EdtfPoint(day.year, day.month, day.day))
        confidence = 0.7
    elif unit == "year":
        when = EdtfDate(EdtfPoint(pub.year + step))
        confidence = 0.5 if step == 0 else 0.65
    elif unit == "month":
        d = pub + relativedelta(months=step)
        when = EdtfDate(EdtfPoint(d.year, d.month))
        confidence = 0.55
    else:  # week: Monday to Sunday of the named week
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        sunday = monday + timedelta(days=6)
        when = EdtfDate(EdtfPoint(monday.year, monday.month, monday.day), EdtfPoint(sunday.year, sunday.month, sunday.day))
        confidence = 0.5
    return _mention(m, ctx, when, "relative", f'"{m.group(0)}" ({_published_note(ctx)})', confidence, True)


_APPROX = re.compile(r"\b(?:more than|over|about|around|nearly|almost|some|roughly|approximately|at least|close to)\s+$", re.I)


def _ago(m: re.Match[str], ctx: _Context) -> Mention | None:
    n = number_value(m.group("n"))
    if n is None or n == 0:
        return None
    unit = m.group("unit").lower()
    pub = ctx.known(1 if unit.startswith(("year", "decade", "centur")) else 2 if unit.startswith("month") else 3)
    if pub is None:
        return None
    q = "~" if m.group("q") else ""
    if unit.startswith(("year", "decade", "centur")):
        years = n * (10 if unit.startswith("decade") else 100 if unit.startswith("centur") else 1)
        p = _point(pub.year - years, q=q)
    elif unit.startswith("month"):
        d = pub - relativedelta(months=n)
        p = _point(d.year, d.month, q=q)
    else:
        d = pub - relativedelta(days=n * (7 if unit.startswith("week") else 1))
        p = _point(d.year, d.month, d.day, q=q)
    if p is None:
        return None
    confidence = 0.5 if q else 0.6
    return _mention(m, ctx, EdtfDate(p), "ago", f'"{m.group(0)}" ({_published_note(ctx)})', confidence, True)


_PERFECT = re.compile(r"\b(?:has|have|'s|'ve)\s+(?:been|\w+ed|lived|worked|known|run|held)\b", re.I)


@lru_cache(maxsize=4)
def _has_perfect(sentence: str) -> bool:
    return _PERFECT.search(sentence) is not None


def _duration(m: re.Match[str], ctx: _Context) -> Mention | None:
    """"For 20 years, China has been my home": a state begun about N years before publication."""
    pub = ctx.known(1)
    if pub is None or not _has_perfect(ctx.sentence):
        return None
    n = number_value(m.group("n"))
    if not n:
        return None
    years = n * (10 if m.group("unit").lower().startswith("decade") else 1)
    p = _point(pub.year - years, q="~")
    if p is None:
        return None
    basis = f'"{m.group(0)}" with the present perfect {_published_note(ctx)}: began about {pub.year} - {years}'
    return _mention(m, ctx, EdtfDate(p), "duration", basis, 0.45, True)


def _anniversary(m: re.Match[str], ctx: _Context, commemorated: int | None = None) -> Mention | None:
    """"The Nth anniversary": the commemoration when the commemorated year is stated, else what is commemorated.

    * "the 65th anniversary of the 1945 victory" states the commemorated year (1945, which is a
      candidate of its own): the anniversary is the commemoration, 1945 + 65 = 2010.
    * "In 2005 he marked the 60th anniversary" dates the commemoration (the anchor, a year stated
      elsewhere in the sentence): the anniversary is what is commemorated, 2005 - 60 = 1945.
    * Without either, the anchor is the publication year ("the 65th anniversary" in a 2010 article:
      1945), as the issue asks: "the 65th anniversary" when the anchor is known.
    """
    raw = m.group("ord").lower()
    n = int(re.sub(r"\D", "", raw)) if raw[0].isdigit() else _ORDINAL_WORDS.get(raw)
    if not n:
        return None
    if commemorated is not None:
        p = _point(commemorated + n)
        if p is None:
            return None
        basis = f'"{m.group(0)}" of {commemorated}: {commemorated} + {n}'
        return _mention(m, ctx, EdtfDate(p), "anniversary", basis, 0.6)
    if ctx.anchor_year is not None:
        anchor, note = ctx.anchor_year, f"in a sentence dated {ctx.anchor_year}"
    elif ctx.known(1) is not None:
        anchor, note = ctx.published.year, _published_note(ctx)  # type: ignore[union-attr]
    else:
        return None
    p = _point(anchor - n)
    if p is None:
        return None
    basis = f'"{m.group(0)}" {note}: {anchor} - {n}'
    return _mention(m, ctx, EdtfDate(p), "anniversary", basis, 0.4, ctx.anchor_year is None)


#: what may stand between "anniversary" and the commemorated year: "of the", "of the victory in"
_OF_YEAR = re.compile(r"\s+of\s+(?:[^\W\d_][\w'’-]*\s+){0,4}", re.UNICODE)


def _commemorated_year(
    sentence: str, m: re.Match[str], stated: list[Mention], stated_starts: list[int], ctx: _Context
) -> int | None:
    """The year of a stated date right after "anniversary of …" (within a few words), if any.

    A year that cannot be the commemorated one — its anniversary would fall more than five years
    after publication — is the commemoration's own year instead ("… on May 9, 2024").
    """
    i = bisect_left(stated_starts, ctx.offset + m.end())  # the first stated date after it
    for x in stated[i : i + 1]:
        if not _OF_YEAR.fullmatch(sentence, m.end(), x.start - ctx.offset):
            return None
        year = x.date.start.year
        pub = ctx.known(1)
        raw = m.group("ord").lower()
        n = int(re.sub(r"\D", "", raw)) if raw[0].isdigit() else _ORDINAL_WORDS.get(raw, 0)
        if pub is not None and year + n > pub.year + 5:
            return None
        return year
    return None


_ORD = rf"(?P<ord>\d{{1,3}}(?:st|nd|rd|th)|{'|'.join(_ORDINAL_WORDS)})"

_M = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"  # how every month form begins
_W = "|".join(WEEKDAYS)
_LEAD_WORDS = "(?:from|between)"
# the first digit of a number (what {_NB}{_DAY} and {_NB}{_YEAR} begin with), written digit-first so
# that the regex engine can skip ahead to the next digit
_NUMBER_START = r"\d(?<![\w.,$£€¥]\d)"

#: (regex, handler, priority, starts) — on overlap the longer match wins, then the lower priority number.
#: ``starts`` finds every place a match of a case-sensitive pattern can begin (its optional leading
#: words when what must follow them does, a month, a weekday or a number's first digit): the pattern
#: is tried only there (see :func:`_scan`).
_PATTERNS: list[tuple[re.Pattern[str], _Handler, int, re.Pattern[str] | None]] = [
    (re.compile(rf"{_NB}(?P<y>\d{{4}})-(?P<mm>\d\d)-(?P<dd>\d\d)(?!\d)"), _iso, 0, re.compile(_NUMBER_START)),
    (
        re.compile(rf"(?:\b(?:from|between)\s+)?{_MONTH}\s+{_DAY}{_TO}(?:{_MONTH2}\s+)?{_DAY2}(?:,?\s+{_YEAR})?"),
        _day_range, 1, re.compile(rf"{_LEAD_WORDS}(?=\s+(?:{_M}))|{_M}"),
    ),
    (
        re.compile(rf"(?:\b(?:from|between)\s+)?{_NB}{_DAY}{_TO}{_DAY2}\s+{_MONTH}(?:,?\s+{_YEAR})?"),
        _day_range, 1, re.compile(rf"{_LEAD_WORDS}(?=\s+\d)|{_NUMBER_START}"),
    ),
    (
        re.compile(rf"(?:\b(?:from|between)\s+)?{_NB}{_DAY}\s+{_MONTH}{_TO}{_DAY2}\s+{_MONTH2}(?:,?\s+{_YEAR})?"),
        _day_range, 1, re.compile(rf"{_LEAD_WORDS}(?=\s+\d)|{_NUMBER_START}"),
    ),
    (re.compile(rf"(?:{_WDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"), _full_date, 2, re.compile(rf"{_W}|{_M}")),
    (
        re.compile(rf"(?:{_WDAY},?\s+)?(?:the\s+)?{_NB}{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"),
        _full_date, 2, re.compile(rf"{_W}|the(?=\s+\d)|{_NUMBER_START}"),
    ),
    (re.compile(rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}"), _month_year, 3, re.compile(_M)),
    (
        re.compile(rf"(?:\b(?:from|between)\s+)?{_NB}{_YEAR}{_TO}{_YEAR2}"),
        _year_range, 3, re.compile(rf"{_LEAD_WORDS}(?=\s+\d)|{_NUMBER_START}"),
    ),
    (
        re.compile(rf"(?:\bfrom\s+)?\b{_WDAY}(?:{_DASH}|\s+(?:to|until|till|through)\s+){_WDAY2}"),
        _weekday_range, 4, re.compile(rf"from(?=\s+(?:{_W}))|{_W}"),
    ),
    (re.compile(rf"\bbetween\s+{_WDAY}\s+and\s+{_WDAY2}"), _weekday_range, 4, re.compile(rf"between(?=\s+(?:{_W}))")),
    (
        re.compile(rf"(?:\b(?P<rel>last|next|this|coming|past|previous|on)\s+)?\b{_WDAY}(?:['’]s)?"),
        _weekday, 5, re.compile(rf"(?:last|next|this|coming|past|previous|on)(?=\s+(?:{_W}))|{_W}"),
    ),
    (
        re.compile(
            rf"\b(?:(?P<rel>last|next|this)|in|since|until|till|by|from|through|during|before|after|early|late)"
            rf"\s+(?:(?:early|late|mid)[- ])?{_MONTH}(?!\s*\d)"
        ),
        _month_alone, 6,
        re.compile(rf"(?:last|next|this|in|since|until|till|by|from|through|during|before|after|early|late)"
                   rf"(?=\s+(?:(?:early|late|mid)[- ])?(?:{_M}))"),
    ),
    (
        re.compile(
            r"\b(?:(?P<which>last|this|next|past|previous|coming)\s+(?P<unit>year|month|week)|yesterday|tomorrow)\b"
            r"(?:['’]s)?",
            re.I,
        ),
        _relative, 6, None,
    ),
    (
        re.compile(
            rf"(?P<q>\b(?:more than|over|about|around|nearly|almost|some|roughly|approximately|at least|close to)\s+)?"
            rf"\b{_NUMBER}\s+(?P<unit>years?|decades?|centur(?:y|ies)|months?|weeks?|days?)\s+"
            rf"(?:ago\b|since\b|(?:have|has)\s+(?:passed|gone by|elapsed)\s+since\b)",
            re.I,
        ),
        _ago, 6, None,
    ),
    (
        re.compile(rf"\b(?:for|over)\s+(?:the\s+(?:past|last)\s+)?(?:(?:more than|nearly|almost|about|some)\s+)?"
                   rf"{_NUMBER}\s+(?P<unit>years|decades)\b", re.I),
        _duration, 7, None,
    ),
    (re.compile(rf"\b(?:the\s+)?{_ORD}\s+anniversary\b", re.I), _anniversary, 7, None),
    (re.compile(r"\b(?:the\s+)?(?P<y>1[0-9]\d0|20\d0)s\b"), _decade, 7, re.compile(r"the(?=\s+\d)|\b\d")),
    (re.compile(rf"{_NB}\b{_YEAR}"), _year, 8, re.compile(_NUMBER_START)),
]


def _scan(regex: re.Pattern[str], starts: re.Pattern[str] | None, sentence: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(sentence)``, trying the pattern only where ``starts`` says a match can begin.

    The regex engine cannot skip ahead for a pattern that begins with an optional group, so it
    tries every position; the few places a month, weekday, digit or leading word stands are enough.
    Matches are the same, in the same order: each is tried at or after the end of the one before
    (no pattern matches the empty string).
    """
    if starts is None:
        yield from regex.finditer(sentence)
        return
    end = 0
    match = regex.match
    for candidate in starts.finditer(sentence):
        pos = candidate.start()
        if pos < end:
            continue
        m = match(sentence, pos)
        if m is not None:
            end = m.end()
            yield m


@lru_cache(maxsize=8)
def _publication(published: EdtfDate | date | None) -> tuple[date | None, int, str]:
    """The publication date's first day, its precision and EDTF text (once per article, not per sentence)."""
    if published is None:
        return None, 0, ""
    if isinstance(published, date):
        return published, 3, published.isoformat()
    return published.lower, int(published.start.precision), published.edtf()


def _anchor_context(sentence: str, offset: int, published: EdtfDate | date | None) -> _Context:
    first_day, precision, text = _publication(published)
    return _Context(sentence, offset, first_day, precision, text, None)


# What each pattern cannot match without: most sentences skip most of the seventeen patterns. A gate
# must never say no to a sentence its pattern would match: digits, months and weekdays are searched
# with the patterns' own case rules; the words of case-blind patterns in the sentence lowercased the
# way the regex engine folds case (str.lower, plus the three letters it folds further).
_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_ANY_WEEKDAY = re.compile("|".join(WEEKDAYS))


@dataclass(frozen=True, slots=True)
class _Probe:
    """Which trigger words a sentence holds."""

    digit: bool
    month: bool
    weekday: bool
    low: str

    @classmethod
    def of(cls, sentence: str) -> _Probe:
        low = sentence.lower()
        if not low.isascii():
            low = low.replace("\u0131", "i").replace("\u017f", "s").replace("i\u0307", "i")
        return cls(
            _DIGIT.search(sentence) is not None,
            _ANY_MONTH.search(sentence) is not None,
            _ANY_WEEKDAY.search(sentence) is not None,
            low,
        )

    def words(self, *words: str) -> bool:
        return any(w in self.low for w in words)


_GATES: dict[_Handler, Callable[[_Probe], bool]] = {
    _iso: lambda p: p.digit,
    _day_range: lambda p: p.digit and p.month,
    _full_date: lambda p: p.digit and p.month,
    _month_year: lambda p: p.digit and p.month,
    _year_range: lambda p: p.digit,
    _weekday_range: lambda p: p.weekday,
    _weekday: lambda p: p.weekday,
    _month_alone: lambda p: p.month,
    _relative: lambda p: p.words("yesterday", "tomorrow") or (
        p.words("year", "month", "week") and p.words("last", "this", "next", "past", "previous", "coming")
    ),
    _ago: lambda p: p.words("ago", "since") and p.words("year", "decade", "centur", "month", "week", "day"),
    _duration: lambda p: p.words("year", "decade") and p.words("for", "over"),
    _anniversary: lambda p: "anniversary" in p.low,
    _decade: lambda p: p.digit,
    _year: lambda p: p.digit,
}


def _raw_matches(sentence: str) -> Iterator[tuple[re.Match[str], _Handler, int]]:
    probe = _Probe.of(sentence)
    passed: dict[_Handler, bool] = {}
    for regex, handler, priority, starts in _PATTERNS:
        ok = passed.get(handler)
        if ok is None:
            ok = passed[handler] = _GATES[handler](probe)
        if ok:
            for m in _scan(regex, starts, sentence):
                yield m, handler, priority


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def find_mentions(text: str, start: int, end: int, published: EdtfDate | date | None) -> list[Mention]:
    """Every temporal expression in ``text[start:end]`` (one sentence), resolved; in text order.

    Overlapping matches are settled longest first (then by pattern priority); a match whose date
    cannot be resolved (a relative form with no publication date, an impossible day) is dropped.
    The work is linear in the sentence's length and number of matches.
    """
    sentence = text[start:end]
    ctx = _anchor_context(sentence, start, published)
    taken = bytearray(len(sentence))  # 1 where a kept match lies
    mentions: list[Mention] = []
    deferred: list[re.Match[str]] = []
    ranked = sorted(_raw_matches(sentence), key=lambda t: (-(t[0].end() - t[0].start()), t[2], t[0].start()))
    for m, handler, _priority in ranked:
        a, b = m.span()
        if a == b or taken.find(1, a, b) != -1:
            continue
        if handler is _anniversary:
            deferred.append(m)
            taken[a:b] = b"\x01" * (b - a)
            continue
        mention = handler(m, ctx)
        if mention is not None:
            mentions.append(mention)
            taken[a:b] = b"\x01" * (b - a)
    mentions.sort(key=lambda x: x.start)
    stated = [x for x in mentions if not x.relative and x.kind in ("date", "month-year", "year")]
    stated_starts = [x.start for x in stated]
    for m in deferred:
        commemorated = _commemorated_year(sentence, m, stated, stated_starts, ctx)
        anchor = stated[0].date.start.year if stated else None
        mention = _anniversary(m, replace(ctx, anchor_year=anchor), commemorated)
        if mention is not None:
            mentions.append(mention)
    mentions.sort(key=lambda x: x.start)
    return mentions

"""A subset of EDTF (ISO 8601-2) dates: parse, compare, display, and free-text parsing.

Grammar (see docs/events-json.md): ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, each with an
optional trailing qualifier ``?`` (uncertain), ``~`` (approximate) or ``%`` (both), and
``START/END`` intervals of two such dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum

from dateutil import parser as dateutil_parser

__all__ = [
    "MONTH_NAMES",
    "EdtfDate",
    "EdtfError",
    "EdtfPoint",
    "Precision",
    "parse_edtf",
    "parse_free",
]

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_POINT_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?([?~%]?)")
_QUALIFIER_WORDS = {"": "", "?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}


class EdtfError(ValueError):
    """A string is not a date in the supported EDTF subset; the message says why."""


class Precision(IntEnum):
    """How much of a date the source gives."""

    YEAR = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True, slots=True)
class EdtfPoint:
    """One calendar date at year, month or day precision, with an optional qualifier."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def earliest(self) -> date:
        """First day this point covers."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """Last day this point covers."""
        if self.day is not None:
            return date(self.year, self.month or 1, self.day)
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def edtf(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + self.qualifier

    def display(self) -> str:
        """Human form at the point's own precision: ``1945``, ``August 1945``, ``8 May 2010``."""
        return _qualify(self._plain(), self.qualifier)

    def _plain(self) -> str:
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{self.day} {MONTH_NAMES[self.month - 1]} {self.year}"


def _qualify(text: str, qualifier: str) -> str:
    if qualifier == "~":
        return f"c. {text}"
    if qualifier == "?":
        return f"{text}?"
    if qualifier == "%":
        return f"c. {text}?"
    return text


@dataclass(frozen=True, slots=True)
class EdtfDate:
    """A single EDTF point or an inclusive interval of two points."""

    start: EdtfPoint
    end: EdtfPoint | None = None
    # lower/upper are computed on first use and kept: sorting, filtering and layout ask for them
    # millions of times on a large dataset (not part of equality, hashing or repr).
    _lower: date | None = field(default=None, init=False, repr=False, compare=False)
    _upper: date | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    @property
    def lower(self) -> date:
        """First day covered (inclusive)."""
        value = self._lower
        if value is None:
            value = self.start.earliest
            object.__setattr__(self, "_lower", value)
        return value

    @property
    def upper(self) -> date:
        """Last day covered (inclusive)."""
        value = self._upper
        if value is None:
            value = (self.end or self.start).latest
            object.__setattr__(self, "_upper", value)
        return value

    @property
    def precision(self) -> Precision:
        """The coarser precision of the two ends."""
        if self.end is None:
            return self.start.precision
        return min(self.start.precision, self.end.precision)

    @property
    def sort_key(self) -> tuple[date, date, str]:
        """Chronological key: interval start, then end, then the EDTF text (a total order)."""
        return (self.lower, self.upper, self.edtf())

    def contains(self, day: date) -> bool:
        return self.lower <= day <= self.upper

    def overlaps(self, other: EdtfDate) -> bool:
        return self.lower <= other.upper and other.lower <= self.upper

    def edtf(self) -> str:
        if self.end is None:
            return self.start.edtf()
        return f"{self.start.edtf()}/{self.end.edtf()}"

    def __str__(self) -> str:
        return self.edtf()

    def display(self) -> str:
        """Short human form: ``August 1945``, ``7–10 May 2025``, ``1937–1945``, ``c. 2025``."""
        if self.end is None:
            return self.start.display()
        a, b = self.start, self.end
        if not a.qualifier and not b.qualifier and a.precision == b.precision:
            if a.precision is Precision.YEAR:
                return f"{a.year}–{b.year}"
            if a.year == b.year and a.precision is Precision.MONTH:
                return f"{MONTH_NAMES[a.month - 1]}–{MONTH_NAMES[b.month - 1]} {a.year}"  # type: ignore[index,operator]
            if a.precision is Precision.DAY and a.year == b.year:
                if a.month == b.month:
                    return f"{a.day}–{b.day} {MONTH_NAMES[a.month - 1]} {a.year}"  # type: ignore[operator]
                return f"{a.day} {MONTH_NAMES[a.month - 1]} – {b.day} {MONTH_NAMES[b.month - 1]} {a.year}"  # type: ignore[operator]
        return f"{a.display()} – {b.display()}"

    def describe(self) -> str:
        """Long human form for a detail pane: the date in words, what the source leaves open, qualifiers.

        ``Sunday, 9 May 2010``; ``August 1945 (day not given)``; ``1945 (year only)``;
        ``1937–1945 (9 years)``; ``7–10 May 2025 (4 days)``; ``c. 2005 (year only, approximate)``.
        """
        text = self.display()
        notes: list[str] = []
        if self.end is None:
            if self.start.precision is Precision.DAY:
                text = f"{self.lower.strftime('%A')}, {text}"
            elif self.start.precision is Precision.MONTH:
                notes.append("day not given")
            else:
                notes.append("year only")
        else:
            notes.append(self._extent())
        quals = {p.qualifier for p in (self.start, self.end) if p is not None and p.qualifier}
        notes.extend(_QUALIFIER_WORDS[q] for q in sorted(quals))
        return f"{text} ({', '.join(notes)})" if notes else text

    def _extent(self) -> str:
        """How long an interval lasts, in the unit its ends are written in."""
        precision = self.precision
        if precision is Precision.YEAR:
            n, unit = self.upper.year - self.lower.year + 1, "year"
        elif precision is Precision.MONTH:
            n, unit = (self.upper.year - self.lower.year) * 12 + self.upper.month - self.lower.month + 1, "month"
            if n >= 24 and n % 12 == 0:
                n, unit = n // 12, "year"
        else:
            n, unit = self.upper.toordinal() - self.lower.toordinal() + 1, "day"
        return f"{n} {unit}{'s' if n != 1 else ''}"


def _parse_point(text: str, whole: str) -> EdtfPoint:
    m = _POINT_RE.fullmatch(text)
    if not m:
        raise EdtfError(
            f"{whole!r} is not an EDTF date: expected YYYY, YYYY-MM or YYYY-MM-DD "
            "with an optional ?, ~ or % and optionally START/END"
        )
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise EdtfError(f"{whole!r}: month {month:02d} is not 01-12")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise EdtfError(f"{whole!r}: day {day:02d} does not exist in {MONTH_NAMES[month - 1]} {year}")
    if year < 1:
        raise EdtfError(f"{whole!r}: year 0000 is not supported")
    return EdtfPoint(year, month, day, m.group(4))


def parse_edtf(text: str) -> EdtfDate:
    """Parse an EDTF-subset string, raising :class:`EdtfError` with a clear message."""
    if not isinstance(text, str):
        raise EdtfError(f"{text!r} is not a string")
    parts = text.split("/")
    if len(parts) == 1:
        return EdtfDate(_parse_point(parts[0], text))
    if len(parts) != 2:
        raise EdtfError(f"{text!r}: an interval has exactly one '/'")
    start, end = _parse_point(parts[0], text), _parse_point(parts[1], text)
    if end.latest < start.earliest:
        raise EdtfError(f"{text!r}: interval ends before it starts")
    return EdtfDate(start, end)


_SENTINELS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_FOUR_DIGIT_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def parse_free(text: str) -> EdtfDate:
    """Parse a date typed freely ("1945", "Aug 1945", "8 May 2010", "2025-05") at its precision.

    EDTF strings are accepted as they are; anything else goes through python-dateutil, parsed
    twice with different defaults so that fields the text did not give are recognised as absent.
    """
    stripped = text.strip()
    if not stripped:
        raise EdtfError("no date given")
    try:
        return parse_edtf(stripped)
    except EdtfError:
        pass
    if not _FOUR_DIGIT_YEAR.search(stripped):
        # dateutil would guess a century for "Aug 45" (2045) or take today's year for "August"
        raise EdtfError(f"cannot read {text!r} as a date: it has no four-digit year (try e.g. 'Aug 1945')")
    try:
        a, b = (dateutil_parser.parse(stripped, default=d, dayfirst=True) for d in _SENTINELS)
    except (ValueError, OverflowError) as exc:
        raise EdtfError(f"cannot read {text!r} as a date (try 1945, Aug 1945, 8 May 2010 or 2025-05)") from exc
    if a.year != b.year or a.year < 1:
        raise EdtfError(f"{text!r} has no usable year (try e.g. 'Aug 1945')")
    month = a.month if a.month == b.month else None
    day = a.day if (a.day == b.day and month is not None) else None
    return EdtfDate(EdtfPoint(a.year, month, day))

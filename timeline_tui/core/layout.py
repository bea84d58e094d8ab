"""Which rows the timeline shows: year headers, month headers, event rows and gap lines.

Pure and linear in the number of events, so the UI can rebuild it on every filter change even
for 100,000 events. Rows are kept in parallel arrays; :meth:`TimelineLayout.row` builds a
:class:`Row` on demand for the few rows on screen.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import NamedTuple

from timeline_tui.core.dates import MONTH_NAMES, EdtfDate, EdtfPoint, Precision
from timeline_tui.core.model import Event

__all__ = [
    "MONTH_HEADER_THRESHOLD",
    "DateHit",
    "EventKeys",
    "Row",
    "RowKind",
    "TimelineLayout",
    "build_layout",
    "date_label",
    "gap_text",
    "locate_date",
    "month_text",
    "nearest_position",
    "year_counts",
]

#: A year with at least this many events groups them under month headers.
MONTH_HEADER_THRESHOLD = 6

_MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)


class RowKind(IntEnum):
    """What a timeline row shows."""

    YEAR = 0
    MONTH = 1
    GAP = 2
    EVENT = 3


@dataclass(frozen=True, slots=True)
class Row:
    """One timeline row.

    ``year`` is the year the row belongs to (a gap's first empty year); ``event`` is the index into
    the dataset's events (EVENT rows); ``month`` is the month of a MONTH row; ``end_year`` is a
    gap's last empty year; ``count`` is the number of events in a YEAR row's year.
    """

    kind: RowKind
    year: int
    event: int = -1
    month: int = 0
    end_year: int = 0
    count: int = 0


class EventKeys:
    """The numbers a layout needs about each event, computed once per dataset and reused on every filter."""

    __slots__ = ("lower", "month", "upper", "upper_year", "year")

    def __init__(self, events: Sequence[Event]) -> None:
        # One pass per array with list comprehensions: about three times faster than appending
        # event by event (this runs before the first frame).
        starts = [ev.date.start for ev in events]
        self.year = array("i", [p.year for p in starts])
        self.month = array("b", [p.month or 0 for p in starts])  # 0 for a start without a month
        dates = [ev.date for ev in events]
        self.lower = array("i", [d.lower.toordinal() for d in dates])  # ordinal of the first day
        uppers = [d.upper for d in dates]
        self.upper = array("i", [u.toordinal() for u in uppers])  # ordinal of the last day
        self.upper_year = array("i", [u.year for u in uppers])


class TimelineLayout:
    """The rows of the timeline for a chosen (filtered) set of events, in display order."""

    __slots__ = (
        "_counts", "_event_rows", "_kinds", "_lowers", "_row_of", "_uppers", "_values", "_year_list", "_years", "order",
        "span",
    )

    def __init__(self, span: EdtfDate) -> None:
        self.span = span
        self._kinds = array("b")
        self._years = array("i")
        self._values = array("i")  # event index / month / gap end year
        self._counts = array("i")  # events in a YEAR row's year
        self._event_rows = array("i")  # row of the k-th shown event
        self._lowers = array("i")  # ordinal of the k-th shown event's first day
        self._uppers = array("i")  # ordinal of the k-th shown event's last day
        self._row_of: dict[int, int] = {}
        self._year_list: list[int] = []  # years with shown events, ascending
        #: the shown events (dataset indices) in display order
        self.order: list[int] = []

    # -- building -------------------------------------------------------------------------------
    def _add(self, kind: RowKind, year: int, value: int = 0, count: int = 0) -> int:
        self._kinds.append(kind)
        self._years.append(year)
        self._values.append(value)
        self._counts.append(count)
        return len(self._kinds) - 1

    # -- queries ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._kinds)

    @property
    def event_count(self) -> int:
        return len(self.order)

    def row(self, i: int) -> Row:
        kind = RowKind(self._kinds[i])
        year, value = self._years[i], self._values[i]
        if kind is RowKind.EVENT:
            return Row(kind, year, event=value)
        if kind is RowKind.MONTH:
            return Row(kind, year, month=value)
        if kind is RowKind.GAP:
            return Row(kind, year, end_year=value)
        return Row(kind, year, count=self._counts[i])

    def kind(self, i: int) -> RowKind:
        return RowKind(self._kinds[i])

    def year_of_row(self, i: int) -> int:
        return self._years[i]

    def event_at(self, i: int) -> int | None:
        """The dataset index of the event on row ``i``, or ``None`` for headers and gaps."""
        if 0 <= i < len(self._kinds) and self._kinds[i] == RowKind.EVENT:
            return self._values[i]
        return None

    def row_of_event(self, event_index: int) -> int | None:
        """The row showing dataset event ``event_index``, or ``None`` if it is filtered out."""
        return self._row_of.get(event_index)

    def position_of_row(self, i: int) -> int:
        """How many shown events lie on rows before ``i`` (the k of the event on row ``i``)."""
        return bisect_left(self._event_rows, i)

    def event_row(self, k: int) -> int:
        """The row of the k-th shown event (clamped)."""
        if not self._event_rows:
            return 0
        return self._event_rows[max(0, min(k, len(self._event_rows) - 1))]

    def nearest_event_row(self, i: int, *, forward: bool = True) -> int | None:
        """The event row at or after ``i`` (or at or before it when not ``forward``), falling back the other way."""
        rows = self._event_rows
        if not rows:
            return None
        k = bisect_left(rows, i)
        if forward:
            return rows[k] if k < len(rows) else rows[-1]
        if k < len(rows) and rows[k] == i:
            return i
        return rows[k - 1] if k > 0 else rows[0]

    def first_row_of_year(self, year: int) -> int | None:
        """The first event row of ``year`` (its header is the row before), if it has shown events."""
        k = bisect_left(self._lowers, date(year, 1, 1).toordinal())
        if k < len(self.order) and self._years[self._event_rows[k]] == year:
            return self._event_rows[k]
        return None

    def header_row(self, i: int) -> int:
        """The YEAR header row of the group that row ``i`` belongs to (``i`` itself for a header or gap)."""
        kinds = self._kinds
        while i > 0 and kinds[i] in (RowKind.EVENT, RowKind.MONTH):
            i -= 1
        return i

    def event_years(self) -> list[int]:
        """The years that have shown events, ascending."""
        return self._year_list

    def position_for_date(self, target: EdtfDate) -> int | None:
        """The shown event (position k) nearest to ``target``; see :func:`locate_date`."""
        return nearest_position(self._lowers, self._uppers, target)

    def locate_date(self, target: EdtfDate) -> DateHit | None:
        """Where going to ``target`` lands, and how it relates to it; see :func:`locate_date`."""
        return locate_date(self._lowers, self._uppers, target)

    def lower_ordinals(self) -> Sequence[int]:
        return self._lowers


def build_layout(
    events: Sequence[Event],
    indices: Sequence[int] | None,
    span: EdtfDate,
    *,
    keys: EventKeys | None = None,
    month_threshold: int = MONTH_HEADER_THRESHOLD,
) -> TimelineLayout:
    """Lay out ``events[i] for i in indices`` (all when ``None``) across ``span``.

    ``events`` are in the one chronological order (:mod:`timeline_tui.core.order`: first day,
    last day, id), and the rows keep it exactly, so the timeline lists events in the same order
    as ``list`` and every export. Years with events get a header; events sit in the year their
    date starts in; busy years (``month_threshold`` events or more, in two months or more) get a
    month header before each run of events starting in the same month (a run of events whose
    date gives no month gets a "month not given" header, month 0, unless it leads the year); each
    run of years with no event (and not inside an interval event) becomes one gap line,
    including before the first and after the last event so the whole span shows. Pass ``keys``
    (built once) when laying out the same events again.
    """
    keys = keys or EventKeys(events)
    layout = TimelineLayout(span)
    chosen = range(len(events)) if indices is None else indices
    order = sorted(chosen)  # dataset positions are the chronological order (already sorted: linear)
    layout.order = order
    first_year, last_year = span.lower.year, span.upper.year
    kinds, years, values, counts = layout._kinds, layout._years, layout._values, layout._counts
    event_rows = layout._event_rows
    k_year, k_month, k_upper_year = keys.year, keys.month, keys.upper_year
    # Events fill the rows in ``order``, so their per-row facts are built in bulk; the loop below
    # goes once per year (and per month of a busy year), never once per event.
    o_year = [k_year[i] for i in order]  # ascending: the group key starts with the year
    layout._lowers = array("i", [keys.lower[i] for i in order])
    layout._uppers = array("i", [keys.upper[i] for i in order])
    one_event, one_zero = array("b", [RowKind.EVENT]), array("i", [0])

    def add_events(a: int, b: int, year: int) -> None:
        m, r0 = b - a, len(kinds)
        kinds.extend(one_event * m)
        years.extend(array("i", [year]) * m)
        values.extend(order[a:b])
        counts.extend(one_zero * m)
        event_rows.extend(range(r0, r0 + m))

    covered_until = first_year - 1  # last year already shown (by a header or an interval)
    n = len(order)
    k = 0
    while k < n:
        year = o_year[k]
        g_end = bisect_right(o_year, year, k)
        if year - 1 > covered_until:
            layout._add(RowKind.GAP, covered_until + 1, year - 1)
        layout._add(RowKind.YEAR, year, 0, g_end - k)
        layout._year_list.append(year)
        o_month = [k_month[i] for i in order[k:g_end]] if g_end - k >= month_threshold else []
        if len(set(o_month) - {0}) >= 2:  # busy year: a month header before each run of one month
            runs = bytes(o_month)  # a run's length by lstrip, in C: no Python step per event
            j = k
            while j < g_end:
                month = o_month[j - k]
                rest = runs[j - k :]
                e = j + len(rest) - len(rest.lstrip(runs[j - k : j - k + 1]))
                if month or j > k:
                    layout._add(RowKind.MONTH, year, month)
                add_events(j, e, year)
                j = e
        else:
            add_events(k, g_end, year)
        covered_until = max(covered_until, year, max(k_upper_year[i] for i in order[k:g_end]))
        k = g_end
    if last_year > covered_until:
        layout._add(RowKind.GAP, covered_until + 1, last_year)
    if not kinds:  # a span with nothing in it at all
        layout._add(RowKind.GAP, first_year, last_year)
    layout._row_of = dict(zip(order, event_rows, strict=True))
    return layout


def month_text(month: int) -> str:
    """A MONTH row's label: the month's name, or ``month not given`` (month 0)."""
    return MONTH_NAMES[month - 1] if 1 <= month <= 12 else "month not given"


def gap_text(row: Row, *, filtered: bool = False) -> str:
    """``1946–2004 · 59 years without events`` (``matching`` instead when a filter is on)."""
    years = row.end_year - row.year + 1
    extent = str(row.year) if years == 1 else f"{row.year}–{row.end_year}"
    noun = "year" if years == 1 else "years"
    what = "without matching events" if filtered else "without events"
    return f"{extent} · {years} {noun} {what}"


def _point_short(p: EdtfPoint, *, with_year: bool) -> str:
    if p.precision is Precision.YEAR:
        text = str(p.year)
    elif p.precision is Precision.MONTH:
        text = _MONTH_ABBR[(p.month or 1) - 1] + (f" {p.year}" if with_year else "")
    else:
        text = f"{p.day} {_MONTH_ABBR[(p.month or 1) - 1]}" + (f" {p.year}" if with_year else "")
    if p.qualifier in ("~", "%"):
        text = "c. " + text
    if p.qualifier in ("?", "%"):
        text += "?"
    return text


def date_label(d: EdtfDate) -> str:
    """A compact date for an event row, at the date's own precision, without the row's year.

    ``1945`` (year event), ``Aug`` (month), ``8 May`` (day), ``7–10 May``, ``May–Jun``,
    ``1950–1953``, ``Jul 1937–Aug 1945``; qualifiers as ``c. 1945`` / ``1945?``.
    """
    a, b = d.start, d.end
    if b is None:
        return _point_short(a, with_year=False)
    plain = not a.qualifier and not b.qualifier
    if a.precision is Precision.YEAR and b.precision is Precision.YEAR:
        return f"{_point_short(a, with_year=False)}–{_point_short(b, with_year=False)}"
    if a.year == b.year and plain and a.precision == b.precision:
        if a.precision is Precision.MONTH:
            return f"{_MONTH_ABBR[(a.month or 1) - 1]}–{_MONTH_ABBR[(b.month or 1) - 1]}"
        if a.month == b.month:
            return f"{a.day}–{b.day} {_MONTH_ABBR[(a.month or 1) - 1]}"
        return f"{_point_short(a, with_year=False)}–{_point_short(b, with_year=False)}"
    same_year = a.year == b.year
    return f"{_point_short(a, with_year=not same_year)}–{_point_short(b, with_year=not same_year)}"


class DateHit(NamedTuple):
    """Where a go-to-date lands: the shown event ``position`` and how it relates to the date asked.

    ``how`` is ``exact`` (the event's date is the one asked, at its precision), ``inside`` (the
    event starts within it), ``covers`` (an interval running through it), ``nearest`` (nothing
    there: the closest event), ``before-first`` or ``after-last`` (the date lies before the first
    or after the last shown event: that one).
    """

    position: int
    how: str


def locate_date(lowers: Sequence[int], uppers: Sequence[int], target: EdtfDate) -> DateHit | None:
    """The shown event for a go-to ``target``, given events' first/last day ordinals in the one order.

    An exact match wins (``1 Feb 2025`` finds the event dated 1 February, ``Feb 2025`` the one dated
    February); else the first event starting inside the target; else one that covers it; else the
    nearest. A date before the first or after the last event lands on that first or last event.
    """
    n = len(lowers)
    if n == 0:
        return None
    t_lo, t_hi = target.lower.toordinal(), target.upper.toordinal()
    k = bisect_left(lowers, t_lo)
    # events starting on the target's first day are ordered by their last day: bisect for the exact one
    same_start = bisect_right(lowers, t_lo, k)
    j = bisect_left(uppers, t_hi, k, same_start)
    if j < same_start and uppers[j] == t_hi:
        return DateHit(j, "exact")
    if k < n and lowers[k] <= t_hi:
        return DateHit(k, "inside")
    if k == 0:
        return DateHit(0, "before-first")
    best, best_dist = k - 1, None
    # events before may be long intervals: look back a little for one that covers the target
    for j in range(k - 1, max(-1, k - 64), -1):
        dist = 0 if uppers[j] >= t_lo else t_lo - uppers[j]
        if best_dist is None or dist < best_dist:
            best, best_dist = j, dist
        if dist == 0:
            return DateHit(j, "covers")
    if k == n:
        return DateHit(n - 1, "after-last")
    if best_dist is None or lowers[k] - t_hi < best_dist:
        best = k
    return DateHit(best, "nearest")


def nearest_position(lowers: Sequence[int], uppers: Sequence[int], target: EdtfDate) -> int | None:
    """Position of the shown event :func:`locate_date` lands on for ``target`` (``None``: no events)."""
    hit = locate_date(lowers, uppers, target)
    return None if hit is None else hit.position


def year_counts(
    events: Sequence[Event], indices: Sequence[int] | None, span: EdtfDate, *, keys: EventKeys | None = None
) -> list[int]:
    """Events starting in each year of ``span`` (index 0 is the span's first year).

    Pass ``keys`` (built once for ``events``) to count from its year array instead of the events.
    """
    first, last = span.lower.year, span.upper.year
    counts = [0] * (last - first + 1)
    if keys is not None:
        years = keys.year
        per_year = Counter(years) if indices is None else Counter([years[i] for i in indices])
    else:
        chosen = range(len(events)) if indices is None else indices
        per_year = Counter([events[i].date.start.year for i in chosen])
    for year, n in per_year.items():
        y = year - first
        if 0 <= y < len(counts):
            counts[y] += n
    return counts

"""The timeline as a picture: one SVG, drawn by the core, for the HTML export and ``--format svg``.

What it shows, top to bottom: a caption (dataset, span, count); the eras as labelled bars; the
events, each one mark (``class="mark"``) placed on lanes so marks do not cover each other; the
axis across the dataset's whole span with every run of empty years (the timeline's gap lines,
:func:`timeline_tui.core.layout.build_layout`) squeezed into a short break; a legend.

A mark covers what its date covers and no more or less: a day-precision date its day (at least
a few pixels wide so it can be seen), a month-only date the whole month, a year-only date the
whole year — drawn lighter, as "somewhere in here", never as a point on 1 January — and an
interval its full extent. Uncertain or approximate dates get a dashed outline.

Every string from the data is stripped of control characters and XML-escaped; the SVG holds no
script, no external reference and no event handler, so it is safe to open and to inline.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from timeline_tui.core.dates import EdtfDate, Precision
from timeline_tui.core.export.gather import Gathered
from timeline_tui.core.export.xmltext import xml_line
from timeline_tui.core.layout import RowKind, build_layout
from timeline_tui.core.model import Dataset, Era, Event
from timeline_tui.core.textsafe import plain

__all__ = ["Axis", "Mark", "build_axis", "mark_kind", "render_svg", "timeline_svg"]

WIDTH = 1000
MARGIN = 16
GAP_WIDTH = 56.0
CAPTION_H = 26
ERA_LANE_H = 18
AXIS_H = 44
LEGEND_H = 24
#: Above this many events the marks are not numbered (the numbers would only pile up).
LABEL_LIMIT = 300
MAX_LANES_LABELLED = 40
MAX_LANES_DENSE = 60
MIN_MARK_W = 3.0
_CHAR_W = 0.6  # average glyph width, in em, for a sans-serif font
_ERA_FILLS = ("#d9822b", "#4f9a94", "#8c6bb1", "#c2a83e", "#5b8fd6", "#b5616b")

_STYLE = """
.tl-caption{font:600 13px sans-serif;fill:#1a202c}
.tl-era rect{fill-opacity:.8}
.tl-era text{font:11px sans-serif;fill:#fff}
.tl-band{fill-opacity:.08}
.tl-gap{fill:#718096;fill-opacity:.10}
.tl-axis{stroke:#4a5568;stroke-width:1}
.tl-axis-gap{stroke:#4a5568;stroke-width:1;stroke-dasharray:2 3}
.tl-tick{stroke:#4a5568;stroke-width:1}
.tl-year{font:10px sans-serif;fill:#2d3748;text-anchor:middle}
.tl-gaptext{font:9px sans-serif;fill:#4a5568;text-anchor:middle}
.tl-break{stroke:#4a5568;stroke-width:1.2}
.k rect{fill:#2b6cb0;stroke:#2b6cb0;stroke-width:1}
.k-coarse rect{fill-opacity:.28}
.k-interval rect{fill:#2c5282;stroke:#2c5282}
.k-uncertain rect{stroke-dasharray:3 2}
.mark text{font:9px sans-serif;fill:#1a202c}
.tl-legend{font:10px sans-serif;fill:#2d3748}
.mark:hover rect{fill:#dd6b20;stroke:#dd6b20}
"""


def _fit(text: str, width: float, font_px: float) -> str:
    """``text`` cut with an ellipsis to about ``width`` pixels at ``font_px``; ``""`` if not even 2 characters fit."""
    room = int(width / (font_px * _CHAR_W))
    if len(text) <= room:
        return text
    return text[: room - 1].rstrip() + "…" if room >= 3 else ""


# -- the axis -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the axis: a year drawn at full width, or a run of empty years squeezed into a break."""

    first_year: int
    last_year: int
    x0: float
    x1: float
    gap: bool
    #: ordinals of the first day and of the day after the last one
    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", date(self.first_year, 1, 1).toordinal())
        object.__setattr__(self, "end", date(self.last_year + 1, 1, 1).toordinal())


class Axis:
    """Maps days to x positions: linear within each segment, segments side by side."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = list(segments)
        self._starts = [s.start for s in self.segments]
        # per segment: first day, x of its start, pixels per day
        self._scale = [(s.start, s.end, s.x0, (s.x1 - s.x0) / (s.end - s.start)) for s in self.segments]

    def x(self, ordinal: int) -> float:
        """The x position of the start of day ``ordinal`` (clamped to the axis)."""
        start, end, x0, per_day = self._scale[max(0, bisect_right(self._starts, ordinal) - 1)]
        return x0 + (min(end, max(start, ordinal)) - start) * per_day

    def extent(self, d: EdtfDate) -> tuple[float, float]:
        """From the start of the first day ``d`` covers to the end of its last day."""
        return self.x(d.lower.toordinal()), self.x(d.upper.toordinal() + 1)

    @property
    def year_width(self) -> float:
        """Width of one full-width year (0 when every year is in a gap)."""
        return next((s.x1 - s.x0 for s in self.segments if not s.gap and s.first_year == s.last_year), 0.0)


def _gaps(dataset: Dataset, events: Sequence[Event]) -> list[tuple[int, int]]:
    """The runs of years without events, as the timeline's gap lines show them for these events."""
    indices = [i for i in (dataset.index_of(e.id) for e in events) if i is not None]
    layout = build_layout(dataset.events, indices, dataset.span)
    out = []
    for i in range(len(layout)):
        if layout.kind(i) is RowKind.GAP:
            row = layout.row(i)
            out.append((row.year, row.end_year))
    return out


def build_axis(first_year: int, last_year: int, gaps: Sequence[tuple[int, int]], x0: float, x1: float) -> Axis:
    """An axis over ``first_year``–``last_year`` in ``[x0, x1]`` with each gap run squeezed.

    A run is squeezed only when it is two years or more and wider at full width than a break:
    a single empty year, or a short run among wide years, stays as it is. With no year outside
    a gap, nothing is squeezed.
    """
    width = x1 - x0
    squeezed = sorted(
        (max(a, first_year), min(b, last_year)) for a, b in gaps if a <= last_year and b >= first_year and b > a
    )
    year_w = 0.0
    for _ in range(3):  # settles in two passes: dropping a gap only widens the years
        empty = sum(b - a + 1 for a, b in squeezed)
        full_years = last_year - first_year + 1 - empty
        if full_years <= 0:
            squeezed, year_w = [], width / (last_year - first_year + 1)
            break
        gap_w = min(GAP_WIDTH, width * 0.3 / max(1, len(squeezed)))
        year_w = (width - gap_w * len(squeezed)) / full_years
        keep = [(a, b) for a, b in squeezed if (b - a + 1) * year_w > gap_w]
        if keep == squeezed:
            break
        squeezed = keep
    gap_w = min(GAP_WIDTH, width * 0.3 / max(1, len(squeezed))) if squeezed else 0.0
    starts = {a: b for a, b in squeezed}
    segments: list[Segment] = []
    x, year = x0, first_year
    while year <= last_year:
        if year in starts:
            end = starts[year]
            segments.append(Segment(year, end, x, x + gap_w, True))
            x, year = x + gap_w, end + 1
        else:
            segments.append(Segment(year, year, x, x + year_w, False))
            x, year = x + year_w, year + 1
    return Axis(segments)


# -- marks and lanes ------------------------------------------------------------------------------

def mark_kind(d: EdtfDate) -> str:
    """How a date is drawn, as CSS classes: ``k k-interval``, ``k k-day`` or ``k k-coarse`` (a month or
    year it lies somewhere in), plus ``k-uncertain`` for an uncertain or approximate date."""
    if d.is_interval:
        kind = "k k-interval"
    elif d.precision is Precision.DAY:
        kind = "k k-day"
    else:
        kind = "k k-coarse"
    points = (d.start,) if d.end is None else (d.start, d.end)
    if any(p.qualifier for p in points):
        kind += " k-uncertain"
    return kind


@dataclass(frozen=True, slots=True)
class Mark:
    """An event's mark: its number in the export, where it is drawn, and on which lane."""

    number: int
    event: Event
    x0: float
    x1: float
    lane: int


def _place(axis: Axis, events: Sequence[Event], labels: bool, max_lanes: int) -> list[Mark]:
    """Each event on the first lane where it (and its number) does not touch the mark before."""
    lane_ends: list[float] = []
    marks = []
    for n, event in enumerate(events, 1):
        a, b = axis.extent(event.date)
        if b - a < MIN_MARK_W:
            mid = (a + b) / 2
            a, b = mid - MIN_MARK_W / 2, mid + MIN_MARK_W / 2
        reach = b + (2 + len(str(n)) * 9 * _CHAR_W if labels else 0) + 1.5
        lane = next((i for i, end in enumerate(lane_ends) if end <= a), None)
        if lane is None:
            if len(lane_ends) < max_lanes:
                lane = len(lane_ends)
                lane_ends.append(reach)
            else:  # crowded: share the lane that frees up first
                lane = min(range(len(lane_ends)), key=lane_ends.__getitem__)
        lane_ends[lane] = max(lane_ends[lane], reach)
        marks.append(Mark(n, event, a, b, lane))
    return marks


def _era_lanes(axis: Axis, eras: Sequence[Era]) -> list[tuple[Era, float, float, int]]:
    ends: list[float] = []
    out = []
    for era in eras:
        a, b = axis.extent(era.date)
        lane = next((i for i, end in enumerate(ends) if end <= a), len(ends))
        if lane == len(ends):
            ends.append(b)
        ends[lane] = b
        out.append((era, a, b, lane))
    return out


def _label_step(year_w: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if year_w * step >= 34:
            return step
    return 1000


# -- drawing --------------------------------------------------------------------------------------

def timeline_svg(dataset: Dataset, events: Sequence[Event], *, link_prefix: str | None = None) -> str:
    """The ``<svg>`` element for ``events`` (numbered 1… in the order given) across the dataset's span.

    With ``link_prefix`` each mark links to ``#<link_prefix><number>`` (the HTML export's sections).
    """
    first, last = dataset.span.lower.year, dataset.span.upper.year
    axis = build_axis(first, last, _gaps(dataset, events), MARGIN, WIDTH - MARGIN)
    labels = len(events) <= LABEL_LIMIT
    marks = _place(axis, events, labels, MAX_LANES_LABELLED if labels else MAX_LANES_DENSE)
    lane_h = 16 if labels else 6
    mark_h = 10 if labels else 4
    eras = _era_lanes(axis, dataset.eras)
    era_lanes = max((lane for *_, lane in eras), default=-1) + 1
    top_events = CAPTION_H + era_lanes * ERA_LANE_H + 8
    event_lanes = max((m.lane for m in marks), default=-1) + 1
    y_axis = top_events + max(1, event_lanes) * lane_h + 6
    height = y_axis + AXIS_H + LEGEND_H
    count = len(events)
    caption = f"{plain(dataset.title)} · {dataset.span.display()} · {count} event{'s' if count != 1 else ''}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-picture" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="tl-title">',
        f'<title id="tl-title">{xml_line("Timeline: " + caption)}</title>',
        f"<style>{_STYLE}</style>",
        f'<text class="tl-caption" x="{MARGIN}" y="17">{xml_line(_fit(caption, WIDTH - 2 * MARGIN, 13))}</text>',
    ]
    # squeezed gaps and era bands behind everything
    for seg in axis.segments:
        if seg.gap:
            out.append(f'<rect class="tl-gap" x="{seg.x0:.1f}" y="{CAPTION_H}" width="{seg.x1 - seg.x0:.1f}" '
                       f'height="{y_axis - CAPTION_H}"/>')
    for i, (era, a, b, lane) in enumerate(eras):
        fill = _ERA_FILLS[i % len(_ERA_FILLS)]
        y = CAPTION_H + lane * ERA_LANE_H
        name = plain(era.title)
        out.append(f'<rect class="tl-band" fill="{fill}" x="{a:.1f}" y="{y}" width="{b - a:.1f}" height="{y_axis - y}"/>')
        out.append(
            f'<g class="tl-era"><title>{xml_line(f"{name} ({era.date.display()})")}</title>'
            f'<rect fill="{fill}" x="{a:.1f}" y="{y}" width="{b - a:.1f}" height="{ERA_LANE_H - 3}" rx="2"/>'
            f'<text x="{a + 4:.1f}" y="{y + 11}">{xml_line(_fit(name, b - a - 8, 11))}</text></g>'
        )
    out += _marks(marks, top_events, lane_h, mark_h, labels, link_prefix)
    out += _axis(axis, y_axis)
    out += _legend(height - LEGEND_H + 14)
    out.append("</svg>")
    return "\n".join(out)


def _marks(marks: Sequence[Mark], top: int, lane_h: int, mark_h: int, labels: bool, link_prefix: str | None) -> list[str]:
    out = []
    for m in marks:
        e = m.event
        y = top + m.lane * lane_h
        title = f"{m.number}. {e.date.display()}"
        name = xml_line(e.title)
        if name.strip():
            title += f" — {name}"
        body = (
            f'<g class="mark {mark_kind(e.date)}" data-n="{m.number}" data-edtf="{e.date.edtf()}">'
            f"<title>{title}</title>"
            f'<rect x="{m.x0:.2f}" y="{y}" width="{m.x1 - m.x0:.2f}" height="{mark_h}" rx="1"/>'
        )
        if labels:
            body += f'<text x="{m.x1 + 2:.1f}" y="{y + mark_h - 1}">{m.number}</text>'
        body += "</g>"
        out.append(f'<a href="#{link_prefix}{m.number}">{body}</a>' if link_prefix is not None else body)
    return out


def _axis(axis: Axis, y: float) -> list[str]:
    right = axis.segments[-1].x1
    out = []
    step = _label_step(axis.year_width)
    for seg in axis.segments:
        if seg.gap:
            mid = (seg.x0 + seg.x1) / 2
            out.append(f'<line class="tl-axis-gap" x1="{seg.x0:.1f}" y1="{y}" x2="{seg.x1:.1f}" y2="{y}"/>')
            out.append(f'<path class="tl-break" d="M{mid - 5:.1f} {y + 5} l4 -10 M{mid + 1:.1f} {y + 5} l4 -10"/>')
            years = seg.last_year - seg.first_year + 1
            out.append(f'<text class="tl-gaptext" x="{mid:.1f}" y="{y + 30}">{seg.first_year}–{seg.last_year}</text>')
            out.append(f'<text class="tl-gaptext" x="{mid:.1f}" y="{y + 40}">{years} years</text>')
        else:
            out.append(f'<line class="tl-axis" x1="{seg.x0:.1f}" y1="{y}" x2="{seg.x1:.1f}" y2="{y}"/>')
            out.append(f'<line class="tl-tick" x1="{seg.x0:.1f}" y1="{y}" x2="{seg.x0:.1f}" y2="{y + 4}"/>')
            if seg.first_year % step == 0 or step == 1:
                out.append(f'<text class="tl-year" x="{(seg.x0 + seg.x1) / 2:.1f}" y="{y + 15}">{seg.first_year}</text>')
    out.append(f'<line class="tl-tick" x1="{right:.1f}" y1="{y}" x2="{right:.1f}" y2="{y + 4}"/>')
    return out


def _legend(y: float) -> list[str]:
    x = MARGIN
    items = (
        ("k k-day", "a day"),
        ("k k-coarse", "a month or year (somewhere in it)"),
        ("k k-interval", "a period"),
        ("k k-coarse k-uncertain", "uncertain or approximate"),
    )
    out = []
    for cls, text in items:
        out.append(f'<g class="{cls}"><rect x="{x}" y="{y - 8}" width="14" height="9" rx="1"/></g>')
        out.append(f'<text class="tl-legend" x="{x + 19}" y="{y}">{text}</text>')
        x += 19 + int(len(text) * 10 * _CHAR_W) + 22
    out.append(f'<text class="tl-legend" x="{x}" y="{y}">Grey breaks: years without events, squeezed.</text>')
    return out


def render_svg(job: Gathered) -> str:
    """The picture alone, as a standalone ``.svg`` file."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + timeline_svg(job.dataset, job.events) + "\n"

"""The timeline picture (SVG): the squeezed axis, marks at their dates' precision, lanes, hostile text."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from html_support import HTML_HOSTILE, SVG_NS, by_class, local, parse_xml, text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_tui.core.dates import EdtfDate, EdtfPoint, Precision, parse_edtf
from timeline_tui.core.export import ExportOptions, export_events
from timeline_tui.core.export.gather import ordered_events
from timeline_tui.core.export.svg_format import (
    MARGIN,
    MIN_MARK_W,
    WIDTH,
    _gaps,
    build_axis,
    timeline_svg,
)
from timeline_tui.core.layout import RowKind, build_layout, gap_text
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Era, Event
from timeline_tui.core.textsafe import plain
from timeline_tui.paths import default_events_path

#: The only elements the picture is made of (nothing that can run, embed or fetch).
ALLOWED = {"svg", "title", "style", "text", "rect", "g", "line", "path", "a"}


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_dataset(default_events_path())


def picture(dataset: Dataset, events: list[Event]) -> str:
    return export_events(dataset, events, ExportOptions(format="svg"))


def marks(svg: str) -> list[tuple[int, str, float, float, float]]:
    """(number, edtf, x, width, y) of every mark, in document order."""
    out = []
    for g in by_class(parse_xml(svg), "mark"):
        rect = g.find(f"{SVG_NS}rect")
        assert rect is not None
        out.append((int(g.get("data-n", "0")), g.get("data-edtf", ""), float(rect.get("x", "nan")),
                    float(rect.get("width", "nan")), float(rect.get("y", "nan"))))
    return out


def axis_of(dataset: Dataset, events: list[Event]):  # type: ignore[no-untyped-def]
    return build_axis(dataset.span.lower.year, dataset.span.upper.year, _gaps(dataset, events), MARGIN, WIDTH - MARGIN)


# -- the axis ---------------------------------------------------------------------------------------

def test_axis_squeezes_exactly_the_timelines_gap_lines(bundled: Dataset) -> None:
    axis = axis_of(bundled, bundled.events)
    layout = build_layout(bundled.events, None, bundled.span)
    gap_rows = [layout.row(i) for i in range(len(layout)) if layout.kind(i) is RowKind.GAP]
    squeezed = [(s.first_year, s.last_year) for s in axis.segments if s.gap]
    # every gap line of the timeline wider than a break is a break in the picture, and nothing else is
    assert squeezed == [(r.year, r.end_year) for r in gap_rows if r.end_year - r.year + 1 >= 2]
    assert (1946, 2004) in squeezed
    # the segments tile the span without holes, left to right
    assert axis.segments[0].first_year == 1937 and axis.segments[-1].last_year == 2025
    for a, b in zip(axis.segments, axis.segments[1:], strict=False):
        assert b.first_year == a.last_year + 1 and b.x0 == pytest.approx(a.x1)
    assert axis.segments[0].x0 == MARGIN and axis.segments[-1].x1 == pytest.approx(WIDTH - MARGIN)
    # a 59-year gap takes less room than one year with events
    gap = next(s for s in axis.segments if s.gap and s.first_year == 1946)
    assert gap.x1 - gap.x0 < 2 * axis.year_width


def test_the_picture_labels_each_break_as_the_timeline_does(bundled: Dataset) -> None:
    svg = picture(bundled, bundled.events)
    labels = [text_of(t) for t in by_class(parse_xml(svg), "tl-gaptext")]
    layout = build_layout(bundled.events, None, bundled.span)
    for i in range(len(layout)):
        if layout.kind(i) is RowKind.GAP and layout.row(i).end_year > layout.row(i).year:
            extent, years = gap_text(layout.row(i)).split(" · ")[:2]
            assert extent in labels and years.split(" without")[0] in labels


def test_a_short_run_of_empty_years_is_not_squeezed() -> None:
    axis = build_axis(2000, 2010, [(2003, 2003), (2005, 2009)], 0, 1000)
    assert [(s.first_year, s.last_year) for s in axis.segments if s.gap] == [(2005, 2009)]
    assert any(s.first_year == 2003 and not s.gap for s in axis.segments)


def test_all_years_empty_means_a_plain_linear_axis() -> None:
    axis = build_axis(1937, 2025, [(1937, 2025)], 0, 890)
    assert not any(s.gap for s in axis.segments)
    assert axis.x(date(1981, 1, 1).toordinal()) == pytest.approx(440)


# -- marks ------------------------------------------------------------------------------------------

def test_one_mark_per_event_numbered_in_export_order(bundled: Dataset) -> None:
    chosen = list(reversed(bundled.events[::2]))  # any order in, chronological out
    ordered = ordered_events(chosen)
    found = marks(picture(bundled, chosen))
    assert [n for n, *_ in found] == list(range(1, len(ordered) + 1))
    assert [edtf for _, edtf, *_ in found] == [e.date.edtf() for e in ordered]


def test_each_mark_covers_what_its_date_covers(bundled: Dataset) -> None:
    """Day: its day (at least MIN_MARK_W wide, centred); month: the month; year: the whole year; interval: all of it."""
    axis = axis_of(bundled, bundled.events)
    ordered = ordered_events(bundled.events)
    kinds_seen = set()
    for event, (_, _, x, width, _) in zip(ordered, marks(picture(bundled, bundled.events)), strict=True):
        start = axis.x(event.date.lower.toordinal())
        end = axis.x(event.date.upper.toordinal() + 1)
        if end - start >= MIN_MARK_W:
            assert x == pytest.approx(start, abs=0.01) and x + width == pytest.approx(end, abs=0.02)
        else:
            assert width == pytest.approx(MIN_MARK_W) and x + width / 2 == pytest.approx((start + end) / 2, abs=0.01)
        kinds_seen.add((event.date.is_interval, event.date.precision))
        if not event.date.is_interval and event.date.precision is Precision.YEAR:
            # a year-only event is the whole year, not a point on 1 January
            assert width == pytest.approx(axis.year_width, abs=0.02)
    assert {(False, Precision.YEAR), (False, Precision.MONTH), (False, Precision.DAY), (True, Precision.YEAR)} <= kinds_seen


def test_a_month_only_event_spans_its_month() -> None:
    ds = _dataset([parse_edtf("1945-08"), parse_edtf("1945")])
    axis = axis_of(ds, ds.events)
    found = {edtf: (x, w) for _, edtf, x, w, _ in marks(picture(ds, ds.events))}
    x, w = found["1945-08"]
    assert x == pytest.approx(axis.x(date(1945, 8, 1).toordinal()), abs=0.01)
    assert x + w == pytest.approx(axis.x(date(1945, 9, 1).toordinal()), abs=0.02)
    assert w == pytest.approx(axis.year_width * 31 / 365, abs=0.02)
    assert found["1945"][1] == pytest.approx(axis.year_width, abs=0.02)


def test_classes_say_how_sure_the_date_is(bundled: Dataset) -> None:
    root = parse_xml(picture(bundled, bundled.events))
    by_edtf = {g.get("data-edtf"): set((g.get("class") or "").split()) for g in by_class(root, "mark")}
    assert {"k-coarse", "k-uncertain"} <= by_edtf["2015?"]
    assert {"k-coarse", "k-uncertain"} <= by_edtf["2005~"]
    assert "k-interval" in by_edtf["1937/1945"] and "k-day" in by_edtf["2025-05-09"]
    assert "k-coarse" in by_edtf["2024-12"] and "k-uncertain" not in by_edtf["2024-12"]


# -- generated datasets -----------------------------------------------------------------------------

def _dataset(dates: list[EdtfDate], titles: list[str] | None = None, title: str = "Generated") -> Dataset:
    events = [
        Event(f"e{i}", d, (titles or [])[i] if titles and i < len(titles) else f"Event {i}", "", (), ())
        for i, d in enumerate(sorted(dates, key=lambda d: d.sort_key))
    ]
    return Dataset(title, parse_edtf("1937/2025"), {}, (Era("war", "War", parse_edtf("1937/1945")),), events,
                   Path("/nonexistent/events.json"))


@st.composite
def dates(draw: st.DrawFn) -> EdtfDate:
    def point() -> EdtfPoint:
        year = draw(st.integers(1937, 2025))
        precision = draw(st.sampled_from(list(Precision)))
        month = draw(st.integers(1, 12)) if precision >= Precision.MONTH else None
        day = draw(st.integers(1, 28)) if precision is Precision.DAY else None
        return EdtfPoint(year, month, day, draw(st.sampled_from(["", "", "?", "~", "%"])))

    a = point()
    if draw(st.booleans()):
        b = point()
        if b.latest >= a.earliest:
            return EdtfDate(a, b)
    return EdtfDate(a)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(dates(), min_size=1, max_size=40))
def test_property_marks_sit_inside_the_axis_in_order_and_never_overlap(generated: list[EdtfDate]) -> None:
    ds = _dataset(generated)
    axis = axis_of(ds, ds.events)
    xs = [axis.x(o) for o in range(date(1937, 1, 1).toordinal(), date(2026, 1, 1).toordinal(), 97)]
    assert xs == sorted(xs)
    found = marks(picture(ds, ds.events))
    assert len(found) == len(ds.events)
    by_lane: dict[float, list[tuple[float, float]]] = {}
    for _, _, x, w, y in found:
        assert x >= MARGIN - MIN_MARK_W and x + w <= WIDTH - MARGIN + MIN_MARK_W and w >= MIN_MARK_W - 1e-6
        by_lane.setdefault(y, []).append((x, x + w))
    for spans in by_lane.values():  # 40 events never fill the 40 lanes, so no mark covers another
        spans.sort()
        assert all(b[0] >= a[1] for a, b in itertools.pairwise(spans))


# -- hostile text -----------------------------------------------------------------------------------

def _check_inert(svg: str) -> None:
    root = parse_xml(svg)
    assert local(root.tag) == "svg"
    for el in root.iter():
        assert local(el.tag) in ALLOWED, el.tag
        for name, value in el.attrib.items():
            assert not local(name).lower().startswith("on"), name
            assert "javascript:" not in value.lower()
        if local(el.tag) == "a":
            assert el.get("href", "").startswith("#")


@pytest.mark.parametrize("hostile", HTML_HOSTILE)
def test_hostile_titles_stay_text(hostile: str) -> None:
    ds = _dataset([parse_edtf("1945-08"), parse_edtf("2010-05-09")], titles=[hostile, "x" + hostile])
    ds = replace(ds, title=hostile, eras=(Era("war", hostile, parse_edtf("1937/1945")),))
    svg = picture(ds, ds.events)
    _check_inert(svg)
    tooltips = [text_of(t) for t in parse_xml(svg).iter(f"{SVG_NS}title")]
    shown = plain(hostile).replace("\ud800", "\ufffd").replace("\uffff", "\ufffd").replace("\ufffe", "\ufffd")
    assert any(shown in t for t in tooltips), "the hostile title is shown, as text"


def test_the_hostile_fixture_draws(repo_root: Path) -> None:
    ds = load_dataset(repo_root / "tests" / "fixtures" / "hostile" / "events.json", allow_missing_sources=True)
    svg = picture(ds, ds.events)
    _check_inert(svg)
    assert "\x1b" not in svg and len(marks(svg)) == len(ds.events)


def test_a_standalone_file_and_a_dense_picture_without_numbers() -> None:
    ds = _dataset([parse_edtf(f"{1937 + i % 89}-{1 + i % 12:02d}") for i in range(400)])
    svg = picture(ds, ds.events)
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = parse_xml(svg)
    assert len(list(by_class(root, "mark"))) == 400
    assert not [t for g in by_class(root, "mark") for t in g.iter(f"{SVG_NS}text")], "too many to number"
    assert "<a " not in timeline_svg(ds, ds.events), "links only when asked for"

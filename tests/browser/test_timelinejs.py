"""The TimelineJS export read by TimelineJS itself: the npm package ``@knight-lab/timelinejs`` in headless chromium.

TimelineJS parses our JSON into its own model (``timeline.config``: dates as JavaScript ``Date``
objects, sorted slides, eras) and draws it; the tests read that model and the page, not our JSON:

* the slides come in our order (TimelineJS sorts by start date; ties keep the order given);
* every event starts on its first day and ends on its last: an interval at the end of its last
  year or month, a year-only or month-only event at the end of its year or month (TimelineJS
  drops an end date it thinks equals the start, which would put "1945" on 1 January);
* the 1937–1945 war era ends after the August 1945 event, in the model and on the drawn axis;
* every slide shows our date wording (``1945``, ``August 1945``), never TimelineJS's "January 1, 1945".

The package is installed with npm into ``build/npm`` (git-ignored; ``.ci/run`` does it, and so does
this module when npm is there). Without npm or chromium the tests are SKIPPED with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.cli import main
from timeline_tui.core.dates import Precision
from timeline_tui.core.export.gather import ordered_events
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event
from timeline_tui.paths import default_events_path

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: The TimelineJS release the export is checked against (also in .ci/run).
VERSION = "3.9.11"
NPM_PREFIX = ROOT / "build" / "npm"
PACKAGE = NPM_PREFIX / "node_modules" / "@knight-lab" / "timelinejs"


def _installed() -> bool:
    try:
        meta = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta.get("version") == VERSION and (PACKAGE / "dist" / "js" / "timeline.js").is_file())


def timelinejs() -> Path | str:
    """The package folder, installed with npm if need be, or why it cannot be had here."""
    if _installed():
        return PACKAGE
    npm = shutil.which("npm")
    if npm is None:
        return f"npm is not installed, so TimelineJS {VERSION} cannot be fetched (.ci/run installs it into build/npm)"
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [npm, "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund", "--ignore-scripts",
         "--loglevel=error", f"@knight-lab/timelinejs@{VERSION}"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    if run.returncode != 0 or not _installed():
        return f"npm could not install @knight-lab/timelinejs@{VERSION}: {run.stderr.strip()[-300:]}"
    return PACKAGE


@pytest.fixture(scope="module")
def package() -> Path:
    found = timelinejs()
    if isinstance(found, str):
        pytest.skip(f"TimelineJS test skipped: {found}")
    return found


def _page_html(package: Path, data: str) -> str:
    dist = package / "dist"
    return f"""<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{(dist / 'css' / 'timeline.css').as_uri()}">
<script src="{(dist / 'js' / 'timeline.js').as_uri()}"></script></head>
<body style="margin:0"><div id="timeline" style="width:1200px;height:700px"></div>
<script>
window.loaded = false;
window.timeline = new TL.Timeline("timeline", {data}, {{script_path: "{(dist / 'js').as_uri()}/"}});
window.timeline.on("loaded", () => {{ window.loaded = true; }});
</script></body></html>"""


@pytest.fixture
def opened(browser: Any, package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """The bundled dataset's TimelineJS export, loaded by TimelineJS in a page (UTC, offline)."""
    target = tmp_path / "timeline.json"
    assert main(["export", str(default_events_path()), "--all", "--format", "timelinejs", "-o", str(target)]) == 0
    capsys.readouterr()
    page_file = tmp_path / "timeline.html"
    page_file.write_text(_page_html(package, target.read_text(encoding="utf-8")), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 760}, timezone_id="UTC")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # offline: TimelineJS's style sheet asks for web fonts, which are not needed to read its model
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_file.as_uri())
    page.wait_for_function("window.loaded", timeout=30_000)
    assert errors == []
    yield page
    context.close()


_DAY = "d => d ? [d.data.date_obj.getFullYear(), d.data.date_obj.getMonth() + 1, d.data.date_obj.getDate()] : null"


def model(page: Any) -> dict[str, Any]:
    """TimelineJS's own parsed model: slides (id, first day, last day, display date) and eras."""
    result: dict[str, Any] = page.evaluate(f"""() => {{
        const day = {_DAY};
        return {{
            events: timeline.config.events.map(e => [e.unique_id, day(e.start_date), day(e.end_date), e.display_date]),
            eras: timeline.config.eras.map(e => [e.headline, day(e.start_date), day(e.end_date)]),
        }};
    }}""")
    return result


def _day(d: date) -> list[int]:
    return [d.year, d.month, d.day]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(default_events_path())


def test_timelinejs_keeps_our_order_and_every_date_span(opened: Any, dataset: Dataset) -> None:
    events = ordered_events(dataset.events)
    slides = model(opened)["events"]
    assert [s[0] for s in slides] == [e.id for e in events], "TimelineJS's slides in our order"
    for (_, start, end, shown), event in zip(slides, events, strict=True):
        assert start == _day(event.date.lower), event.id
        single_day = event.date.end is None and event.date.precision is Precision.DAY
        # a single day is a point; anything longer ends on its last day (a year's 31 December, a month's last day)
        assert end == (None if single_day else _day(event.date.upper)), event.id
        assert shown == event.date.display()
    year_only = [s for s, e in zip(slides, events, strict=True) if e.date.end is None and e.date.precision is Precision.YEAR]
    assert year_only and all(s[2][1:] == [12, 31] for s in year_only), "year-only events span their year"
    # the slides drawn, in order, each with our date wording
    drawn = opened.evaluate("""() => Array.from(document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide)'))
        .map(s => [s.id, s.querySelector('.tl-headline-date').textContent])""")
    assert drawn == [[e.id, e.date.display()] for e in events]
    assert not any("January 1" in text for _, text in drawn)


def _event_of(dataset: Dataset, edtf: str) -> Event:
    return next(e for e in dataset.events if e.date.edtf() == edtf)


def test_the_war_era_ends_after_the_august_1945_event(opened: Any, dataset: Dataset) -> None:
    august = _event_of(dataset, "1945-08")
    found = model(opened)
    eras = {headline: (start, end) for headline, start, end in found["eras"]}
    war = next(era for era in dataset.eras if era.date.edtf() == "1937/1945")
    start, end = eras[war.title]
    assert start == [1937, 1, 1] and end == [1945, 12, 31]
    slide = next(s for s in found["events"] if s[0] == august.id)
    assert start <= slide[1] and slide[2] is not None and slide[2] <= end, "the August 1945 event lies inside the war era"
    # every event inside an era's dates lies inside its band in TimelineJS too
    for era in dataset.eras:
        a, b = eras[era.title]
        for (_, s_start, s_end, _), event in zip(found["events"], ordered_events(dataset.events), strict=True):
            if era.date.lower <= event.date.lower and event.date.upper <= era.date.upper:
                assert a <= s_start and (s_end or s_start) <= b, (era.id, event.id)
    # and on the drawn time axis: the marker of the August 1945 event ends inside the war era's band
    box = opened.evaluate("""([id, title]) => {
        const nav = timeline._timenav;
        const marker = nav._markers.find(m => m.data.unique_id === id);
        const era = nav._eras.find((e, i) => timeline.config.eras[i].headline === title);
        const left = el => parseFloat(el.style.left);
        return {marker: [left(marker._el.container), marker._el.container.offsetWidth],
                era: [left(era._el.container), era._el.container.offsetWidth]};
    }""", [august.id, war.title])
    marker_left, marker_width = box["marker"]
    era_left, era_width = box["era"]
    assert marker_width > 0, "a month is drawn as a stretch, not a point"
    assert era_left <= marker_left and marker_left + marker_width <= era_left + era_width + 1


def test_year_only_markers_span_their_year(opened: Any, dataset: Dataset) -> None:
    """On the drawn axis a year-only event stretches from its first day to its last, as a month-only one
    does over its month (TimelineJS draws to the start of the last day: 364 and 30 days for 1945 and August 1945)."""
    widths = opened.evaluate("""() => Object.fromEntries(timeline._timenav._markers.map(m => [m.data.unique_id,
        [m.has_end_date, timeline._timenav.timescale.getPosition(m.data.end_date ? m.data.end_date.getTime() : 0)
                         - timeline._timenav.timescale.getPosition(m.data.start_date.getTime())]]))""")
    year = _event_of(dataset, "1945")
    month = _event_of(dataset, "1945-08")
    day = next(e for e in dataset.events if e.date.end is None and e.date.precision is Precision.DAY)
    assert widths[year.id][0] and widths[month.id][0] and not widths[day.id][0]
    days = {e.id: (e.date.upper - e.date.lower).days for e in (year, month)}
    assert widths[year.id][1] == pytest.approx(days[year.id] / days[month.id] * widths[month.id][1], rel=0.01)

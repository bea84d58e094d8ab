"""The shipped events.json: valid, verbatim, reproducible, and free of page boilerplate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.loader import check

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events.json"

#: Text that is not the article, per source file: (start marker, end marker or None = end of file).
#: Located in the source by code; a region covers start marker .. end of end marker.
BOILERPLATE: dict[str, list[tuple[str, str | None]]] = {
    "000_c01bec904769cbd2.txt": [("• Mobile version", "• App"), ("Reporter: Guo Zedong", None)],
    "001_b5c1e5e3e03559da.txt": [("Email\u00a0|\u00a0Print", "Forum\u00a0"), ("【1】", None)],
    "002_76de481e677b0f16.txt": [("Hashtags", None)],
    "003_bc9f64f74030027a.txt": [],
    "004_b4e114d764c2d9e3.txt": [
        ("Xi_and_Putin_Unite_to_Defend_WWII_Victory_Legacy", "_Legacy"),
        ("Leave a Reply", None),
    ],
}

#: Words that only occur in a page's boilerplate: proof the regions really cover the sidebars.
SIDEBAR_ONLY = {
    "001_b5c1e5e3e03559da.txt": ["Hongjiannao", "Sept. 26", "Gyeongbok Palace"],
    "002_76de481e677b0f16.txt": ["Tulsi Gabbard", "Istanbul", "East Shield", "Daily8 AI"],
    "000_c01bec904769cbd2.txt": ["Follow us on Wechat", "Related News"],
    "004_b4e114d764c2d9e3.txt": ["Back To Top"],
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DATE_WORDS = re.compile(
    r"\b(1[89]\d\d|20\d\d|January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|ago|years?|decades|anniversary|ahead of)\b"
)


def read_source(relpath: str) -> str:
    with open(ROOT / relpath, encoding="utf-8", newline="") as fh:
        return fh.read()


def regions(name: str) -> list[tuple[int, int]]:
    text = read_source(f"sources/{name}")
    out = []
    for begin, finish in BOILERPLATE[name]:
        assert text.count(begin) == 1, f"marker {begin!r} must occur exactly once in {name}"
        start = text.index(begin)
        end = len(text) if finish is None else text.index(finish, start) + len(finish)
        out.append((start, end))
    return out


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with open(EVENTS, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@pytest.fixture(scope="module")
def paths(raw: dict[str, Any]) -> dict[str, str]:
    return {s["id"]: s["path"] for s in raw["sources"]}


def test_shipped_events_validate_with_zero_problems() -> None:
    dataset, problems = check(EVENTS)
    assert [str(p) for p in problems] == []
    assert dataset is not None and len(dataset.events) >= 25


def test_every_quote_is_verbatim_at_its_offsets(raw: dict[str, Any], paths: dict[str, str]) -> None:
    texts = {sid: read_source(p) for sid, p in paths.items()}
    count = 0
    for ev in raw["events"]:
        for q in ev["quotes"]:
            assert texts[q["source"]][q["start"] : q["end"]] == q["text"], (ev["id"], q["start"])
            count += 1
    assert count >= len(raw["events"])


def test_sources_directory_holds_exactly_the_referenced_files(paths: dict[str, str]) -> None:
    on_disk = {f"sources/{p.name}" for p in (ROOT / "sources").glob("*.txt")}
    assert on_disk == set(paths.values())
    assert set(BOILERPLATE) == {Path(p).name for p in paths.values()}


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_boilerplate_regions_cover_the_sidebar_text(name: str) -> None:
    text = read_source(f"sources/{name}")
    spans = regions(name)
    for word in SIDEBAR_ONLY.get(name, []):
        i = text.index(word)
        assert any(a <= i < b for a, b in spans), f"{word!r} at {i} in {name} is outside every boilerplate region"


def test_no_quote_overlaps_boilerplate(raw: dict[str, Any], paths: dict[str, str]) -> None:
    spans = {sid: regions(Path(p).name) for sid, p in paths.items()}
    offending = [
        (ev["id"], q["source"], q["start"], q["end"])
        for ev in raw["events"]
        for q in ev["quotes"]
        if any(q["start"] < b and a < q["end"] for a, b in spans[q["source"]])
    ]
    assert offending == []


def test_every_event_has_a_date_basis_and_a_quote_that_carries_a_date(raw: dict[str, Any]) -> None:
    for ev in raw["events"]:
        assert isinstance(ev.get("date_basis"), str) and len(ev["date_basis"].strip()) > 8, ev["id"]
        for q in ev["quotes"]:
            assert DATE_WORDS.search(q["text"]), f"{ev['id']}: quote has no dating words: {q['text']!r}"


def test_ids_are_unique(raw: dict[str, Any]) -> None:
    for key in ("events", "sources", "eras"):
        ids = [item["id"] for item in raw[key]]
        assert len(ids) == len(set(ids)), key


def test_every_source_has_events(raw: dict[str, Any]) -> None:
    counts = {s["id"]: 0 for s in raw["sources"]}
    for ev in raw["events"]:
        for sid in {q["source"] for q in ev["quotes"]}:
            counts[sid] += 1
    assert all(n > 0 for n in counts.values()), counts


def test_no_event_is_later_than_the_source_that_reports_it_was_published(raw: dict[str, Any]) -> None:
    published = {s["id"]: parse_edtf(s["published"]) for s in raw["sources"]}
    forward_looking = {"2025-05-07-xi-state-visit-russia"}  # the 2025 Xinhua preview announces the visit
    for ev in raw["events"]:
        d = parse_edtf(ev["date"])
        for q in ev["quotes"]:
            limit = published[q["source"]].upper
            if ev["id"] in forward_looking:
                assert d.lower <= limit, (ev["id"], q["source"])
            else:
                assert d.upper <= limit, (ev["id"], q["source"])


def test_tags_form_a_small_documented_vocabulary(raw: dict[str, Any]) -> None:
    tags = {t for ev in raw["events"] for t in ev["tags"]}
    assert 5 <= len(tags) <= 12
    assert all(ev["tags"] for ev in raw["events"])
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for tag in tags:
        assert f"`{tag}`" in doc, f"tag {tag!r} is not documented in docs/data.md"


def test_tags_are_applied_consistently(raw: dict[str, Any]) -> None:
    # A leader's visit and a signed agreement are always diplomacy too; pipelines are energy, not trade figures.
    for ev in raw["events"]:
        tags = set(ev["tags"])
        if tags & {"visit", "agreement"}:
            assert "diplomacy" in tags, ev["id"]
        if "energy" in tags:
            assert "trade" not in tags, ev["id"]


@pytest.mark.parametrize(
    ("event_id", "weekdays"),
    [
        ("2010-05-08-hu-meets-russian-veterans", ("Saturday",)),  # "on Saturday", article of Sunday 9 May 2010
        ("2010-05-09-65th-anniversary-ceremony-moscow", ("Sunday",)),  # "Sunday's ceremony"
        ("2025-05-07-xi-state-visit-russia", ("Wednesday", "Saturday")),  # "from Wednesday to Saturday"
        ("2025-05-09-victory-day-parade-80th", ("Friday",)),  # "traveled to Moscow on Friday" to commemorate
    ],
)
def test_weekday_relative_dates_fall_on_the_weekday_named(
    raw: dict[str, Any], event_id: str, weekdays: tuple[str, ...]
) -> None:
    ev = next(e for e in raw["events"] if e["id"] == event_id)
    d = parse_edtf(ev["date"])
    ends: tuple[date, ...] = (d.lower,) if len(weekdays) == 1 else (d.lower, d.upper)
    assert tuple(WEEKDAYS[x.weekday()] for x in ends) == weekdays
    assert all(w in ev["date_basis"] for w in weekdays)


def test_the_publication_dates_and_inference_marks(raw: dict[str, Any]) -> None:
    published = {s["path"]: s["published"] for s in raw["sources"]}
    # Only the 2010 Xinhua page states its date (dateline "May 09, 2010"); the others are inferred.
    assert published["sources/001_b5c1e5e3e03559da.txt"] == "2010-05-09"
    assert "May 09, 2010" in read_source("sources/001_b5c1e5e3e03559da.txt")
    for path, value in published.items():
        if path != "sources/001_b5c1e5e3e03559da.txt":
            assert value.endswith("?") and value.startswith("2025"), path


def test_events_json_is_reproduced_by_the_curation_script() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "curate_events.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr

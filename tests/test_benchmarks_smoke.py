"""The benchmark tooling works: synthetic data is valid and deterministic, the baseline app behaves,
and the frame clock sees the frames a key causes. No timing is asserted (benchmarks are not tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.baseline_app import BaselineApp, find_all, find_next  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.harness import FrameClock, KeyTiming, key_event, press, settle, strip_ansi  # noqa: E402
from timeline_tui.core.dates import Precision  # noqa: E402
from timeline_tui.core.loader import check, load_dataset  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(400, tmp_path_factory.mktemp("synthetic"), seed=3)


def test_generated_dataset_is_valid_and_varied(synthetic: Path) -> None:
    dataset, problems = check(synthetic)
    assert problems == []
    assert dataset is not None and len(dataset.events) == 400
    dates = [e.date for e in dataset.events]
    assert {d.precision for d in dates if not d.is_interval} == {Precision.YEAR, Precision.MONTH, Precision.DAY}
    assert any(d.is_interval for d in dates)
    assert {"?", "~", "%"} <= {d.start.qualifier for d in dates}
    assert {len(e.quotes) for e in dataset.events} == {1, 2, 3}
    years = {d.lower.year for d in dates}
    assert min(years) < 1946 and max(years) > 2015
    assert len(dataset.eras) >= 3
    # quotes are real slices, including non-ASCII text (so code-point offsets matter)
    texts = [q.text for e in dataset.events for q in e.quotes]
    assert any(not t.isascii() for t in texts)
    for e in dataset.events[:50]:
        for q in e.quotes:
            source = dataset.source_text(q.source)
            assert source is not None and source[q.start : q.end] == q.text


def test_generation_is_deterministic(tmp_path: Path, synthetic: Path) -> None:
    again = generate(400, tmp_path / "again", seed=3)
    other = generate(400, tmp_path / "other", seed=4)
    assert again.read_bytes() == synthetic.read_bytes()
    for source in (synthetic.parent / "sources").iterdir():
        assert (again.parent / "sources" / source.name).read_bytes() == source.read_bytes()
    assert other.read_bytes() != synthetic.read_bytes()


def test_baseline_search_scans_every_field(synthetic: Path) -> None:
    events = load_dataset(synthetic).events
    hits = find_all(events, "HARBIN")
    assert hits and all("harbin" in (e.title + e.summary + " ".join(q.text for q in e.quotes)).casefold()
                        for e in (events[i] for i in hits))
    first = find_next(events, "harbin", len(events) - 1)  # wraps round to the first match
    assert first == hits[0]
    assert find_next(events, "no-such-term-anywhere", 0) is None


async def test_baseline_keys_and_frame_clock(synthetic: Path) -> None:
    dataset = load_dataset(synthetic)
    app = BaselineApp(dataset)
    clock = FrameClock(app)
    async with app.run_test(size=(100, 30)):
        await settle(app, clock)
        assert clock.first_frame_with([dataset.events[0].title[:20]]) is not None
        table = app.table
        timing = KeyTiming()
        await press(app, clock, "j", timing)
        assert table.cursor_row == 1
        assert timing.no_frame == 0 and len(timing.last) == 1 and timing.last[0] >= timing.first[0] > 0
        await press(app, clock, "G")
        assert table.cursor_row == len(dataset.events) - 1
        await press(app, clock, "g")
        await press(app, clock, "]")
        assert dataset.events[table.cursor_row].date.lower.year > dataset.events[0].date.lower.year
        target = find_next(dataset.events, "treaty", table.cursor_row)
        for key in ["slash", *"treaty", "enter"]:
            await press(app, clock, key)
        assert target is not None and table.cursor_row == target


def test_key_events_match_pilot_names() -> None:
    assert key_event("]").key == "right_square_bracket"
    assert key_event("G").character == "G"
    assert key_event("pagedown").character is None
    assert strip_ansi("\x1b[1;31mHarbin\x1b[0m \x1b]8;;x\x1b\\link") == "Harbin link"

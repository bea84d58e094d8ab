"""``:`` go to date lands exactly where the core's ``locate_date`` says, and says so when the date
is before the first or after the last event, or when nothing is at it (issue 13, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import current, notified, running_on, screen_of

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(ROOT / "events.json")


async def go(app: object, pilot: object, typed: str) -> None:
    await pilot.press("colon", *typed, "enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "expected", "said"),
    [
        ("2100", "2025-05-09-victory-day-parade-80th",
         "2100 is after the last event: showing the last, 9 May 2025"),
        ("1900", "1937-1945-china-soviet-fight-side-by-side",
         "1900 is before the first event: showing the first, 1937–1945"),
        ("9 May 2025", "2025-05-09-victory-day-parade-80th", None),
    ],
)
async def test_go_to_date_lands_and_says_where(shipped: Dataset, tmp_path: Path, typed: str, expected: str,
                                               said: str | None) -> None:
    async with running_on(shipped, tmp_path) as (app, pilot):
        await go(app, pilot, typed)
        assert current(app) == expected
        if said is None:
            assert not [m for m in notified(app) if typed in m]  # landing on the date itself needs no words
        else:
            assert said in notified(app)


async def test_exact_day_wins_over_the_month_only_event(shipped: Dataset, tmp_path: Path) -> None:
    async with running_on(shipped, tmp_path) as (app, pilot):
        await go(app, pilot, "1 Feb 2025")
        event = screen_of(app).current_event
        assert event is not None and event.date.display() == "1 February 2025"
        await go(app, pilot, "2025-02")
        event = screen_of(app).current_event
        assert event is not None and event.date.display() == "February 2025"


async def test_nothing_at_the_date_names_the_nearest(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path) as (app, pilot):
        await go(app, pilot, "1960")
        assert current(app) == "1950-1953-rebuild"
        assert "No event in 1960; the nearest is 1950–1953" in notified(app)
        await go(app, pilot, "1951")
        assert "No event starts in 1951; showing 1950–1953, which spans it" in notified(app)
        await go(app, pilot, "3 Mar 2007")
        assert any(m.startswith("No event on 3 March 2007; the nearest is") for m in notified(app))


async def test_with_a_filter_it_says_shown(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path) as (app, pilot):
        screen_of(app).apply_filter(Filter(ids=frozenset({"2005-museum-opens", "2009-trade-record"})))
        await go(app, pilot, "2030")
        assert current(app) == "2009-trade-record"
        assert "2030 is after the last event shown: showing the last, 2009" in notified(app)

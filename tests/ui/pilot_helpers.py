"""Shared Pilot helpers: run the app on a store, wait for store workers, reach the timeline screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.screens.timeline import TimelineScreen


@asynccontextmanager
async def running(
    dataset: Dataset, store: AnnotationStore, size: tuple[int, int] = (100, 30)
) -> AsyncIterator[tuple[TimelineApp, Pilot[int]]]:
    app = TimelineApp(dataset, store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def settle(app: TimelineApp, pilot: Pilot[int]) -> None:
    """Wait until queued store changes (worker threads) are done and their results shown."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


def screen_of(app: TimelineApp) -> TimelineScreen:
    screen = app.screen
    assert isinstance(screen, TimelineScreen), screen
    return screen

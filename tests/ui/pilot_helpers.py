"""Shared Pilot helpers: run the app, wait until it is idle, and read what it shows and says.

Tests look at public behaviour: what is on screen (rows as drawn, the status line, the detail
pane's text), the messages that went through the app (recorded with ``run_test``'s
``message_hook``, the technique harlequin's tests use — notifications are ``Notify`` messages),
and the store on disk. They never sleep a fixed time: :func:`settle` waits for workers and
pending messages, :func:`wait_until` pauses frame by frame until a condition holds.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from textual.app import App
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import OptionList

from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.screens.timeline import TimelineScreen

M = TypeVar("M", bound=Message)
_RECORDED: WeakKeyDictionary[App[Any], list[Message]] = WeakKeyDictionary()


def recorder(app: App[Any]) -> Callable[[Message], None]:
    """A ``message_hook`` for ``app.run_test`` that keeps every message (see :func:`messages`)."""
    seen = _RECORDED.setdefault(app, [])
    return seen.append


def messages(app: App[Any], kind: type[M]) -> list[M]:
    """The messages of ``kind`` that went through ``app`` so far (recorded by :func:`recorder`)."""
    return [m for m in _RECORDED.get(app, []) if isinstance(m, kind)]


def notified(app: App[Any]) -> list[str]:
    """The text of every notification the app showed so far."""
    return [m.notification.message for m in messages(app, Notify)]


@asynccontextmanager
async def running(
    dataset: Dataset, store: AnnotationStore | None, size: tuple[int, int] = (100, 30), *,
    notices: Sequence[str] = (), keymap: Path | None = None, toasts: bool = False,
) -> AsyncIterator[tuple[TimelineApp, Pilot[int]]]:
    """The timeline app on ``dataset`` and ``store``, started and idle, its messages recorded
    (``toasts``: notifications are drawn on screen too, as in a terminal; off by default in tests)."""
    app = TimelineApp(dataset, store, notices=notices, keymap_path=keymap)
    async with app.run_test(size=size, message_hook=recorder(app), notifications=toasts) as pilot:
        await settle(app, pilot)
        yield app, pilot


@asynccontextmanager
async def running_on(
    dataset: Dataset, tmp_path: Path, size: tuple[int, int] = (100, 30), **kwargs: Any
) -> AsyncIterator[tuple[TimelineApp, Pilot[int]]]:
    """:func:`running` with a fresh notes store in ``tmp_path`` (closed afterwards)."""
    store = AnnotationStore.open(tmp_path / "notes.json")
    try:
        async with running(dataset, store, size, **kwargs) as (app, pilot):
            yield app, pilot
    finally:
        store.close()


async def settle(app: App[Any], pilot: Pilot[Any]) -> None:
    """Wait until queued work (worker threads, the messages they post) is done and shown."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], *, frames: int = 500) -> None:
    """Pause frame by frame until ``condition()`` holds (fails after ``frames`` pauses)."""
    for _ in range(frames):
        if condition():
            return
        await pilot.pause()
    assert condition(), "the condition never held"


async def within(pilot: Pilot[Any], seconds: float, condition: Callable[[], bool]) -> float:
    """Let the app run (idle between short pauses) until ``condition()`` holds; how long it took.

    For what happens on the app's own clock (the notes file is looked at once a second): fails
    when it has not happened after ``seconds``.
    """
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"not within {seconds} s"
        await pilot.pause(0.05)
    return time.monotonic() - start


def screen_of(app: TimelineApp) -> TimelineScreen:
    screen = app.screen
    assert isinstance(screen, TimelineScreen), screen
    return screen


def current(app: TimelineApp) -> str | None:
    """The id of the event under the cursor."""
    event = screen_of(app).current_event
    return None if event is None else event.id


def status(app: TimelineApp) -> str:
    """The status line's text ("" when it is hidden)."""
    line = screen_of(app).status
    return line.text if line.display else ""


def row_text(app: TimelineApp, event_id: str) -> str:
    """The timeline row of ``event_id`` as drawn (marks included), or "" when it is not shown."""
    screen = screen_of(app)
    view = screen.timeline
    index = screen.dataset.index_of(event_id)
    row = view.layout_rows.row_of_event(index) if index is not None else None
    if row is None:
        return ""
    return view.render_line(row - round(view.scroll_y)).text


def shown_ids(app: TimelineApp) -> list[str]:
    """The ids of the events the timeline shows, in order."""
    screen = screen_of(app)
    return [screen.dataset.events[i].id for i in screen.timeline.layout_rows.order]


CELL_PX = 12.2  # the width of one cell in Textual's SVG screenshots
_TEXT = re.compile(r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[^)]*?-line-(\d+)\)">([^<]*)</text>')


def screenshot_text(app: App[Any]) -> str:
    """The app's screen as lines of text, from its SVG screenshot (what a terminal would be shown)."""
    lines: dict[int, list[tuple[int, str]]] = {}
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        lines.setdefault(int(line), []).append((round(float(x) / CELL_PX), html.unescape(text).replace("\xa0", " ")))
    out = []
    for _n, parts in sorted(lines.items()):
        row = ""
        for column, text in sorted(parts):
            row = row.ljust(column)[:column] + text
        out.append(row.rstrip())
    return "\n".join(out)


async def palette_run(app: App[Any], pilot: Pilot[Any], typed: str, expected: str) -> None:
    """Open the palette, type ``typed``, wait until ``expected`` is the first hit, run it."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*typed)
    palette = app.screen
    assert isinstance(palette, CommandPalette)

    def first_hit() -> str:
        options = palette.query_one(OptionList)
        return str(options.get_option_at_index(0).prompt) if options.option_count else ""

    await wait_until(pilot, lambda: expected in first_hit())
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette))

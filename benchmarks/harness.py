"""In-process timing of a Textual app: when frames are painted, and how long a key takes to show.

Method (see docs/performance.md):

- **Frames.** :class:`FrameClock` wraps the app's ``_display`` — the single place the screen's
  compositor hands a finished update to the driver (``Screen._compositor_refresh`` ->
  ``App._display``). Headless drivers skip writing to the terminal, so the wrapper also renders
  the update to the terminal byte stream (``CompositorUpdate.render_segments``), as the real
  driver does, and only then stamps the frame with ``time.perf_counter()``.
- **Keys.** A ``events.Key`` built exactly as ``Pilot.press`` builds it is posted straight to the
  app's queue (what the driver's input thread does); the clock starts just before the post.
  The harness then waits — without measuring the wait — until the app is quiet: every message
  queue on the screen is empty, no layout/repaint is pending, the screen's update timer is
  paused, no worker is running, no animation is active, and none of that has changed for
  ``QUIET_S``. The key's latency is the stamp of the *last* frame painted before quiet (the frame
  that shows the whole effect, e.g. the search results after a worker); the first frame is kept
  too. Presses are therefore spaced by more than Textual's 60 fps frame period, so frame
  pacing does not add a wait: the figure is the work the app does per key, which is what a user
  feels when typing at human speed.
- Input cursors are set not to blink, so that a blink frame is never taken for a key's frame.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input
from textual.worker import WorkerState

QUIET_S = 0.025  #: quiet this long (> one 60 fps frame) after the last activity = the key is done
POLL_S = 0.001
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def strip_ansi(text: str) -> str:
    """Terminal output without escape sequences."""
    return _ANSI.sub("", text)


class FrameClock:
    """Time-stamps every frame the app paints (after rendering it to terminal bytes)."""

    def __init__(self, app: App[Any], *, keep_text: bool = True) -> None:
        self.app = app
        self.times: list[float] = []
        self.texts: list[str] = []
        self.keep_text = keep_text
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if isinstance(renderable, CompositorUpdate):
                text = renderable.render_segments(app.console)
            else:
                text = app.console._render_buffer(app.console.render(renderable))
            self.times.append(time.perf_counter())
            if self.keep_text:
                self.texts.append(text)

        app._display = display  # type: ignore[method-assign]

    def first_frame_with(self, needles: Iterable[str], since: float = 0.0) -> float | None:
        """Time of the first frame (kept text) whose visible characters contain one of ``needles``."""
        wanted = [n for n in needles if n]
        for t, text in zip(self.times, self.texts, strict=False):
            if t < since:
                continue
            visible = strip_ansi(text)
            if any(n in visible for n in wanted):
                return t
        return None


def key_event(key: str) -> events.Key:
    """The ``events.Key`` that ``Pilot.press(key)`` would send."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def _busy(app: App[Any]) -> bool:
    """True while the app still has work queued for the current key."""
    screen = app.screen
    if app._message_queue.qsize() or screen._message_queue.qsize():
        return True
    if screen._layout_required or screen._scroll_required or screen._repaint_required or screen._dirty_widgets:
        return True
    if screen._update_timer._active.is_set():
        return True
    if screen._callbacks:
        return True
    if app._animator._animations:
        return True
    if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
        return True
    return any(node._message_queue.qsize() for node in screen.walk_children(with_self=False))


async def settle(app: App[Any], clock: FrameClock, *, timeout: float = 30.0) -> None:
    """Wait until the app has been quiet for ``QUIET_S`` (no queued work, no new frame)."""
    start = last_activity = time.perf_counter()
    frames = len(clock.times)
    while True:
        await asyncio.sleep(POLL_S)
        now = time.perf_counter()
        if _busy(app) or len(clock.times) != frames:
            frames = len(clock.times)
            last_activity = now
        elif now - last_activity >= QUIET_S:
            return
        if now - start > timeout:
            raise TimeoutError(f"app still busy after {timeout:.0f} s")


def no_blink(app: App[Any]) -> None:
    for box in app.screen.query(Input):
        if box.cursor_blink:
            box.cursor_blink = False


@dataclass
class KeyTiming:
    """Latencies (ms) of one key: to the last frame before quiet, and to the first frame."""

    last: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    no_frame: int = 0
    stopped: bool = False


async def press(app: App[Any], clock: FrameClock, key: str, timing: KeyTiming | None = None) -> None:
    """Press ``key``; if ``timing`` is given, record how long until its frame(s)."""
    no_blink(app)
    frames = len(clock.times)
    t0 = time.perf_counter()
    app.post_message(key_event(key))
    await settle(app, clock)
    if timing is None:
        return
    new = [t for t in clock.times[frames:] if t >= t0]
    if not new:
        timing.no_frame += 1
        return
    timing.last.append((new[-1] - t0) * 1000)
    timing.first.append((new[0] - t0) * 1000)


@dataclass(frozen=True)
class Step:
    """One press in a key script: ``measure`` marks the presses that are timed."""

    key: str
    measure: bool = False


def script(*items: str | Step) -> list[Step]:
    return [Step(i) if isinstance(i, str) else i for i in items]


async def run_script(app: App[Any], clock: FrameClock, steps: Sequence[Step], budget_s: float = math.inf) -> KeyTiming:
    """Play ``steps``; stops early (``KeyTiming.stopped``) once ``budget_s`` seconds have passed."""
    timing = KeyTiming()
    start = time.perf_counter()
    for step in steps:
        if time.perf_counter() - start > budget_s:
            timing.stopped = True
            break
        await press(app, clock, step.key, timing if step.measure else None)
    return timing


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {"p50": round(percentile(values, 0.5), 3), "p95": round(percentile(values, 0.95), 3), "n": len(values)}


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls of ``fn``."""
    out: list[float] = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out

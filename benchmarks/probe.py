"""Measure one app on one dataset in this (fresh) process; prints one JSON object on the last line.

    python benchmarks/probe.py {app,baseline} EVENTS_JSON [--samples K] [--search-rounds R] [--size WxH]

Run by ``run.py`` once per (app, N) so memory and caches never carry over between
configurations. Measures, in order:

1. ``rss_mb``: resident set size after load and first frame, minus this interpreter's RSS at
   start-up (before Textual or the app are imported); ``rss_import_mb`` is the part that is
   just importing Textual and the app's modules.
2. ``startup_ms``: from before ``load_dataset`` (and, for the app, opening its annotation store)
   to the first painted frame that shows an event title, with ``App.run_test`` (headless, same
   compositor and rendering as a terminal).
3. ``key_ms``: see ``harness.py`` — per key, p50/p95 of the latency to the frame showing its
   effect, over ``--samples`` presses (search: every key of the search, see the scripts below).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psutil

_PROC = psutil.Process()
RSS_BARE = _PROC.memory_info().rss

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

from textual.app import App  # noqa: E402

from benchmarks.harness import FrameClock, KeyTiming, Step, press, run_script, settle, summary  # noqa: E402
from timeline_tui.core.loader import load_dataset  # noqa: E402
from timeline_tui.core.model import Dataset  # noqa: E402

MB = 1024 * 1024
#: search terms typed in the key benchmark (present in every synthetic dataset, rare to common)
SEARCH_TERMS = ("harbin", "treaty", "veterans", "pilots", "memorial", "wuhan", "parade", "border")


def _make_app(kind: str, store_dir: Path) -> tuple[Callable[[Dataset], App[Any]], Callable[[], None]]:
    """Import the app under test; returns (factory from a loaded dataset, cleanup)."""
    if kind == "baseline":
        from benchmarks.baseline_app import BaselineApp

        return BaselineApp, lambda: None
    from timeline_tui.core.store import AnnotationStore
    from timeline_tui.ui.app import TimelineApp

    stores: list[AnnotationStore] = []

    def factory(dataset: Dataset) -> App[Any]:
        store = AnnotationStore.open(store_dir / "notes.json")
        stores.append(store)
        return TimelineApp(dataset, store)

    def cleanup() -> None:
        for store in stores:
            store.close()

    return factory, cleanup


def scripts(kind: str, n_events: int, samples: int, search_rounds: int) -> dict[str, list[Step]]:
    """The key scripts: which presses are timed, and the untimed presses that reset the position."""
    out: dict[str, list[Step]] = {}
    out["j"] = [Step("g")] + [Step("j", True) for _ in range(min(samples, n_events - 1))]
    page: list[Step] = []
    for i in range(samples):
        if i % 10 == 0:
            page.append(Step("g"))
        page.append(Step("pagedown", True))
    out["pagedown"] = page
    end: list[Step] = []
    for _ in range(samples):
        end += [Step("g"), Step("G", True)]
    out["G"] = end
    year: list[Step] = []
    for i in range(samples):
        if i % 20 == 0:
            year.append(Step("g"))
        year.append(Step("]", True))
    out["]"] = year
    search: list[Step] = []
    for r in range(search_rounds):
        term = SEARCH_TERMS[r % len(SEARCH_TERMS)]
        search.append(Step("slash"))
        if kind == "baseline":
            # the baseline searches on enter: time the enter (the search and the cursor move)
            search += [Step(ch) for ch in term] + [Step("enter", True)]
        else:
            # the app searches as you type: time every key of the term
            search += [Step(ch, True) for ch in term] + [Step("enter"), Step("escape")]
    out["search"] = search
    return out


async def _run(
    kind: str, path: Path, samples: int, search_rounds: int, size: tuple[int, int], keys: list[str], budget_s: float
) -> dict[str, Any]:
    result: dict[str, Any] = {"kind": kind}
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        os.environ["TIMELINE_TUI_NOTES"] = str(Path(tmp) / "notes.json")
        factory, cleanup = _make_app(kind, Path(tmp))
        rss_imports = _PROC.memory_info().rss
        t0 = time.perf_counter()
        dataset = load_dataset(path)
        if kind == "app":
            gc.freeze()  # what timeline_tui/cli/app_cmd.py does after loading (the baseline does not)
        t_loaded = time.perf_counter()
        app = factory(dataset)
        clock = FrameClock(app, keep_text=True)
        try:
            async with app.run_test(size=size) as _pilot:
                await settle(app, clock, timeout=600)
                titles = {e.title[:24] for e in dataset.events[:50]} | {e.title[:24] for e in dataset.events[-50:]}
                first = clock.first_frame_with(titles, since=t0)
                if first is None:  # the app may open elsewhere: accept any title in the data
                    first = clock.first_frame_with({e.title[:24] for e in dataset.events}, since=t0)
                if first is None:
                    raise RuntimeError("no frame with an event title was painted")
                result["startup_ms"] = round((first - t0) * 1000, 1)
                result["load_ms"] = round((t_loaded - t0) * 1000, 1)
                result["rss_mb"] = round((_PROC.memory_info().rss - RSS_BARE) / MB, 1)
                result["rss_import_mb"] = round((rss_imports - RSS_BARE) / MB, 1)
                clock.keep_text = False
                clock.texts.clear()
                key_ms: dict[str, Any] = {}
                for name, steps in scripts(kind, len(dataset.events), samples, search_rounds).items():
                    if keys and name not in keys:
                        continue
                    t_key = time.perf_counter()
                    timing: KeyTiming = await run_script(app, clock, steps, budget_s)
                    entry = summary(timing.last)
                    entry["first_p50"] = summary(timing.first)["p50"]
                    entry["no_frame"] = timing.no_frame
                    if timing.stopped:
                        entry["stopped_by_budget"] = True
                    entry["wall_s"] = round(time.perf_counter() - t_key, 1)
                    key_ms[name] = entry
                    await press(app, clock, "escape")
                result["key_ms"] = key_ms
        finally:
            cleanup()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kind", choices=("app", "baseline"))
    parser.add_argument("events", type=Path)
    parser.add_argument("--samples", type=int, default=200, help="timed presses per key")
    parser.add_argument("--search-rounds", type=int, default=34, help="search terms typed (app: each key is timed)")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--keys", default="", help="comma-separated subset of j,pagedown,G,],search")
    parser.add_argument("--budget", type=float, default=float("inf"), metavar="S",
                        help="stop a key's script after S seconds (the figure then has fewer samples)")
    args = parser.parse_args(argv)
    w, h = (int(x) for x in args.size.split("x"))
    keys = [k for k in args.keys.split(",") if k]
    result = asyncio.run(_run(args.kind, args.events, args.samples, args.search_rounds, (w, h), keys, args.budget))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

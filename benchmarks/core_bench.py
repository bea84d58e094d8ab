"""Core (no UI) timings on one dataset, in this process; prints one JSON object on the last line.

    python benchmarks/core_bench.py EVENTS_JSON [--repeat R] [--baseline-repeat B]

- ``search_ms``: ``SearchIndex.search`` over a fixed mix of queries (common and rare words, a
  prefix, two words, a miss) on an index built once (``index_build_ms``); the baseline is the
  DataTable app's linear scan (``baseline_app.find_all``) over the same queries.
- ``filter_ms``: ``apply_filter`` over a mix of filters (tag, source, era, date range, several
  at once, with a query, annotated-only with 1,000 annotated events).
- ``export_ms``: ``export_events`` of 10,000 events (or all, if fewer) to Markdown plus the
  atomic write of the file (``export_render_ms`` is the rendering alone); median of 3.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.baseline_app import find_all  # noqa: E402
from benchmarks.harness import summary, timed  # noqa: E402
from timeline_tui.core.dates import parse_edtf  # noqa: E402
from timeline_tui.core.loader import load_dataset  # noqa: E402
from timeline_tui.core.search import Filter, SearchIndex, apply_filter  # noqa: E402

QUERIES = ("harbin", "treaty", "veterans", "red army", "soviet pilots wuhan", "memor", "1945", "parade moscow",
           "border", "zzz-no-match", "喀秋莎", "liberate")
EXPORT_EVENTS = 10_000


def _filters(dataset: Any) -> list[Filter]:
    sources = sorted(dataset.sources)
    return [
        Filter(tags=frozenset({"diplomacy"})),
        Filter(sources=frozenset({sources[0]})),
        Filter(eras=frozenset({"war-of-resistance"})),
        Filter(date_from=parse_edtf("1950"), date_to=parse_edtf("1959")),
        Filter(tags=frozenset({"memory", "veterans"}), date_from=parse_edtf("2005")),
        Filter(query="harbin", tags=frozenset({"war"})),
        Filter(annotated_only=True),
        Filter(eras=frozenset({"partnership"}), sources=frozenset(sources[-2:]), query="moscow"),
    ]


def measure(path: Path, repeat: int, baseline_repeat: int) -> dict[str, Any]:
    dataset = load_dataset(path)
    events = dataset.events
    out: dict[str, Any] = {"n": len(events)}
    t = time.perf_counter()
    index = SearchIndex(events)
    out["index_build_ms"] = round((time.perf_counter() - t) * 1000, 1)
    times: list[float] = []
    for _ in range(repeat):
        for q in QUERIES:
            times += timed(lambda q=q: index.search(q), 1)  # type: ignore[misc]
    out["search_ms"] = summary(times)
    base: list[float] = []
    for _ in range(baseline_repeat):
        for q in QUERIES[:6]:
            base += timed(lambda q=q: find_all(events, q), 1)  # type: ignore[misc]
    out["baseline_search_ms"] = summary(base)
    rng = random.Random(7)
    annotated = {e.id for e in rng.sample(events, min(1000, len(events)))}
    times = []
    for _ in range(repeat):
        for flt in _filters(dataset):
            times += timed(lambda flt=flt: apply_filter(dataset, flt, index, annotated), 1)  # type: ignore[misc]
    out["filter_ms"] = summary(times)
    out.update(_export(dataset))
    return out


def _export(dataset: Any) -> dict[str, Any]:
    from datetime import UTC, datetime

    from timeline_tui.core.atomicio import atomic_write_text
    from timeline_tui.core.export import ExportOptions, export_events

    rng = random.Random(11)
    events = dataset.events
    chosen = sorted(rng.sample(range(len(events)), min(EXPORT_EVENTS, len(events))))
    selected = [events[i] for i in chosen]
    options = ExportOptions(format="md", filter_description="benchmark selection", generated=datetime(2025, 5, 9, tzinfo=UTC))
    total: list[float] = []
    render: list[float] = []
    size = 0
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        for _ in range(3):
            t = time.perf_counter()
            text = export_events(dataset, selected, options)
            t_render = time.perf_counter()
            atomic_write_text(Path(tmp) / "export.md", text)
            t_end = time.perf_counter()
            render.append((t_render - t) * 1000)
            total.append((t_end - t) * 1000)
            size = len(text.encode("utf-8"))
    return {
        "export_ms": round(statistics.median(total), 1),
        "export_render_ms": round(statistics.median(render), 1),
        "export_events": len(selected),
        "export_bytes": size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("events", type=Path)
    parser.add_argument("--repeat", type=int, default=20, help="rounds over the query/filter mix")
    parser.add_argument("--baseline-repeat", type=int, default=3, help="rounds of the baseline's linear search")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.events, args.repeat, args.baseline_repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

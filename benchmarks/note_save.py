"""How long saving one note takes with many notes already stored (fsync on): p50/p95 in ms.

    python benchmarks/note_save.py [--existing N] [--samples S] [--no-fsync]

The store is pre-filled with ``N`` notes (written as one file through the store's own file layer),
then opened normally and ``S`` notes are added one at a time, each timed from call to return —
that is the lock, the check that no other process changed the file, serialise, temp file, fsync,
rename, directory fsync and the lock's release: the full durable save.

The command also reports what keeping up with other processes costs at that size: ``refresh()``
when nothing changed (what a running app does about once a second), and ``refresh()`` taking in
one note another process added (the file read again).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from timeline_tui.core.store import AnnotationStore  # noqa: E402
from timeline_tui.core.store_file import StoreFile  # noqa: E402

NOTE_TEXT = (
    "Compare with the museum's 2015 caption: the alliance is remembered differently here. "
    "「抗日战争」 — see also the harbour article, para. 3."
)


def prefill(path: Path, n: int) -> None:
    """Write a store holding ``n`` notes on 200 events in one durable write."""
    storage = StoreFile(path)
    try:
        stamp = "2025-05-07T12:00:00Z"
        notes = {
            str(i): {"event_id": f"event-{i % 200}", "text": f"{NOTE_TEXT} #{i}", "created": stamp, "updated": stamp}
            for i in range(1, n + 1)
        }
        storage.write({"notes": notes, "links": {}, "selection": {"1": {"event_ids": []}}})
    finally:
        storage.close()


def _percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, round(q * (len(sorted_ms) - 1))))
    return sorted_ms[k]


def measure_note_save(
    n_existing: int = 10_000, samples: int = 200, path: Path | None = None, *, fsync: bool = True
) -> dict[str, float]:
    """Time ``samples`` note saves into a store already holding ``n_existing`` notes.

    Returns milliseconds: ``p50``, ``p95``, ``mean``, ``max``, plus ``open_ms`` (opening the
    pre-filled store) and the parameters. ``path`` is the store file to use (a temp dir if None).
    """
    with tempfile.TemporaryDirectory(prefix="note-save-") as tmp:
        store_path = Path(path) if path is not None else Path(tmp) / "notes.json"
        prefill(store_path, n_existing)
        t0 = time.perf_counter()
        store = AnnotationStore.open(store_path, fsync=fsync)
        open_ms = (time.perf_counter() - t0) * 1000
        times: list[float] = []
        try:
            for i in range(samples):
                t = time.perf_counter()
                store.add_note(f"event-{i % 200}", f"benchmark note {i}\n{NOTE_TEXT}")
                times.append((time.perf_counter() - t) * 1000)
        finally:
            store.close()
    times.sort()
    return {
        "p50": _percentile(times, 0.50),
        "p95": _percentile(times, 0.95),
        "mean": statistics.fmean(times) if times else float("nan"),
        "max": times[-1] if times else float("nan"),
        "open_ms": open_ms,
        "n_existing": float(n_existing),
        "samples": float(samples),
        "fsync": 1.0 if fsync else 0.0,
    }


def measure_refresh(n_existing: int = 10_000, samples: int = 200) -> dict[str, float]:
    """``refresh()`` cost in ms: ``idle_p95`` when nothing changed, ``outside_p50`` reading one outside note."""
    with tempfile.TemporaryDirectory(prefix="note-refresh-") as tmp:
        store_path = Path(tmp) / "notes.json"
        prefill(store_path, n_existing)
        idle: list[float] = []
        outside: list[float] = []
        with AnnotationStore.open(store_path) as app, AnnotationStore.open(store_path, fsync=False) as other:
            for _ in range(samples):
                t = time.perf_counter()
                app.refresh()
                idle.append((time.perf_counter() - t) * 1000)
            for i in range(min(samples, 20)):
                other.add_note(f"event-{i % 200}", NOTE_TEXT)
                t = time.perf_counter()
                app.refresh()
                outside.append((time.perf_counter() - t) * 1000)
    idle.sort()
    outside.sort()
    return {"idle_p95": _percentile(idle, 0.95), "outside_p50": _percentile(outside, 0.5)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--no-fsync", action="store_true")
    args = parser.parse_args(argv)
    r = measure_note_save(args.existing, args.samples, fsync=not args.no_fsync)
    print(
        f"note save with {args.existing} notes ({'fsync on' if not args.no_fsync else 'fsync off'}, "
        f"{args.samples} samples): p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms; "
        f"open {r['open_ms']:.0f} ms"
    )
    refresh = measure_refresh(args.existing)
    print(f"refresh with {args.existing} notes: nothing changed p95 {refresh['idle_p95'] * 1000:.0f} µs; "
          f"one note added elsewhere p50 {refresh['outside_p50']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time to the first screen when one field is huge: a 20 MB event summary, or a 10 MB note.

    python benchmarks/huge_fields.py [--summary-mb 20] [--note-mb 10] [--size 120x40]

Builds the test data here (a copy of the mini test dataset whose first event gets the huge
summary, and a notes store holding the huge note on that event), then measures each case in a
fresh subprocess: from before ``load_dataset`` (and opening the store) to the first painted frame
that shows the event's title, with the same frame clock as ``probe.py``; plus the resident memory
over the bare interpreter at that point. Prints one JSON object per case and a summary line.
The first screen must not depend on the length of one field (issue 11): each case should take
well under a second on top of what the mini dataset takes (``baseline`` below).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MINI = ROOT / "tests" / "fixtures" / "mini"
#: text repeated to fill a field: words, punctuation, a CJK phrase, a newline now and then
FILLER = ("The harbour reopened after the blockade, and the first ships came back in August 1945. "
          "「港口重新开放」 Veterans remembered it at every anniversary.\n")


def filler(n_chars: int) -> str:
    """About ``n_chars`` characters of readable text (paragraphs of the filler sentence)."""
    reps = n_chars // len(FILLER) + 1
    return (FILLER * reps)[:n_chars]


def build(folder: Path, *, summary_chars: int = 0, note_chars: int = 0) -> tuple[Path, Path]:
    """A dataset (and a notes store) in ``folder``: the mini data with one huge summary and/or note."""
    from timeline_tui.core.store import AnnotationStore

    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(MINI, folder)
    events = folder / "events.json"
    data = json.loads(events.read_text(encoding="utf-8"))
    first = data["events"][0]
    if summary_chars:
        first["summary"] = filler(summary_chars)
    events.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    notes = folder / "notes.json"
    if note_chars:
        store = AnnotationStore.open(notes)
        try:
            store.add_note(first["id"], filler(note_chars))
        finally:
            store.close()
    return events, notes


def measure(events: Path, notes: Path, size: tuple[int, int]) -> dict[str, float]:
    """In this process: ms from loading to the first frame with the first event's title; RSS in MB."""
    import asyncio
    import time

    import psutil

    proc = psutil.Process()
    bare = proc.memory_info().rss
    from benchmarks.harness import FrameClock, settle
    from timeline_tui.core.loader import load_dataset
    from timeline_tui.core.store import AnnotationStore
    from timeline_tui.ui.app import TimelineApp

    async def run() -> dict[str, float]:
        t0 = time.perf_counter()
        dataset = load_dataset(events)
        store = AnnotationStore.open(notes)
        loaded = time.perf_counter()
        app = TimelineApp(dataset, store)
        clock = FrameClock(app, keep_text=True)
        try:
            async with app.run_test(size=size):
                deadline = time.perf_counter() + 300
                title = dataset.events[0].title[:24]
                while clock.first_frame_with([title], since=t0) is None and time.perf_counter() < deadline:
                    await asyncio.sleep(0.005)
                first = clock.first_frame_with([title], since=t0)
                if first is None:
                    raise RuntimeError("no frame showed the first event's title")
                rss = proc.memory_info().rss
                await settle(app, clock, timeout=300)
        finally:
            store.close()
        return {"first_screen_ms": round((first - t0) * 1000, 1), "load_ms": round((loaded - t0) * 1000, 1),
                "rss_mb": round((rss - bare) / 1024 / 1024, 1)}

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--summary-mb", type=float, default=20.0)
    parser.add_argument("--note-mb", type=float, default=10.0)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--measure", nargs=2, type=Path, metavar=("EVENTS", "NOTES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    w, h = (int(x) for x in args.size.split("x"))
    if args.measure:  # the child process: one measurement, one JSON line
        print(json.dumps(measure(args.measure[0], args.measure[1], (w, h))))
        return 0
    mb = 1024 * 1024
    cases = {"baseline": {}, "summary": {"summary_chars": int(args.summary_mb * mb)},
             "note": {"note_chars": int(args.note_mb * mb)}}
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="huge-fields-") as tmp:
        for name, sizes in cases.items():
            events, notes = build(Path(tmp) / name, **sizes)
            env = dict(os.environ, TIMELINE_TUI_NOTES=str(notes))
            proc = subprocess.run([sys.executable, __file__, "--measure", str(events), str(notes), "--size", args.size],
                                  cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
            if proc.returncode != 0:
                print(f"{name}: failed\n{proc.stderr[-3000:]}", file=sys.stderr)
                return 1
            results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{name:>8}: {json.dumps(results[name])}", flush=True)
    print(json.dumps({"summary_mb": args.summary_mb, "note_mb": args.note_mb, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time ``load_dataset`` on one events.json, each run in a fresh interpreter; prints JSON on the last line.

    python benchmarks/load_bench.py [EVENTS_JSON | --n N] [--runs R]

Each run is a new subprocess (no warm caches, the same memory state each time) that imports the
loader, then times ``load_dataset`` alone (``load_ms`` wall, ``cpu_ms`` CPU) and reports its peak
RSS growth (``VmHWM``). The
figures are the median (and min/max) over the runs. With ``--n`` the benchmark data of that
size is generated (or reused) in ``benchmarks/data/``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_CHILD = """
import json, sys, time
from pathlib import Path
from timeline_tui.core.loader import load_dataset

def hwm():  # this process's own peak RSS in kB (ru_maxrss would include the parent's at fork time)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

before = hwm()
t, c = time.perf_counter(), time.process_time()
ds = load_dataset(sys.argv[1])
ms, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
print(json.dumps({"load_ms": ms, "cpu_ms": cpu, "events": len(ds.events), "peak_mb": (hwm() - before) / 1024}))
"""


def run_once(path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT, timeout=600)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("events", nargs="?", type=Path, default=None)
    parser.add_argument("--n", type=int, default=100_000, help="benchmark data size when no file is given")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    path = args.events
    if path is None:
        from benchmarks.generate import cached

        path = cached(args.n)
    runs = [run_once(path) for _ in range(args.runs)]
    times = [r["load_ms"] for r in runs]
    summary = {
        "file": str(path),
        "events": runs[0]["events"],
        "runs": len(runs),
        "load_ms_median": round(statistics.median(times), 1),
        "load_ms_min": round(min(times), 1),
        "load_ms_max": round(max(times), 1),
        "cpu_ms_min": round(min(r["cpu_ms"] for r in runs), 1),
        "peak_mb_median": round(statistics.median(r["peak_mb"] for r in runs), 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

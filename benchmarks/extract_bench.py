"""Time the extractor (``timeline-tui extract``'s core) on large articles; prints JSON on the last line.

    python benchmarks/extract_bench.py [--sizes 5,10,50] [--shapes paragraphs,one-line,dense] [--timeout S]

Articles are built from the bundled sources' body lines (real news prose with dates), shuffled with a fixed seed and repeated up to the size asked for:

- ``paragraphs``: one paragraph per line, as news text is stored;
- ``one-line``: the same text, dateline included, with every line break replaced by a space (one
  50 MB "line": it must not become the title);
- ``dense``: one line of nothing but dates and numbers ("May 9, 2010 1945 the 65th anniversary ..."),
  the worst case for the temporal patterns.

Each (shape, size) runs ``read_article`` + ``extract`` in a fresh subprocess, bounded by
``--timeout``; it reports the wall and CPU time, the peak RSS of that process (``VmHWM``, MB,
which includes the article itself and the interpreter) and the number of candidates.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from timeline_tui.core.extract.candidates import extract, read_article
t, c = time.perf_counter(), time.process_time()
article = read_article(Path(sys.argv[1]))
result = extract(article, source_id="bench")
seconds, cpu = time.perf_counter() - t, time.process_time() - c
# VmHWM is this process's own peak (ru_maxrss would include the parent's size at fork time)
status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
hwm = [line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")]
peak = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, "candidates": len(result.candidates),
                  "title_chars": len(result.title)}))
"""

_DENSE = "May 9, 2010 1945 the 65th anniversary 1937-1945 last year on Saturday in February 80 years ago "


def source_lines() -> list[str]:
    """The article-body lines of the bundled sources (their menus, credits and sidebars left out)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from timeline_tui.core.extract.boilerplate import classify

    lines: list[str] = []
    for path in sorted((ROOT / "sources").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines.extend(b.span.text(text) for b in classify(text) if b.kind == "body")
    return lines


def build_article(shape: str, size: int, seed: int = 0) -> str:
    """An article of about ``size`` characters in the given shape."""
    if shape == "dense":
        return (_DENSE * (size // len(_DENSE) + 1))[:size]
    rng = random.Random(seed)
    pool = source_lines()
    head = "Published: May 9, 2010\n\n"
    parts: list[str] = [head]
    total = len(head)
    while total < size:
        line = rng.choice(pool)
        parts.append(line)
        total += len(line) + 2
    if shape == "one-line":
        return " ".join(parts).replace("\n", " ") + "\n"  # not even the dateline on a line of its own
    return parts[0] + "\n\n".join(parts[1:]) + "\n"


def run_one(shape: str, megabytes: float, timeout: float) -> dict[str, Any]:
    text = build_article(shape, int(megabytes * MB))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{shape}.txt"
        path.write_text(text, encoding="utf-8")
        row: dict[str, Any] = {"shape": shape, "mb": megabytes, "chars": len(text)}
        try:
            out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                                 cwd=ROOT, timeout=timeout, check=True)
        except subprocess.TimeoutExpired:
            row["timeout"] = timeout
            return row
        except subprocess.CalledProcessError as exc:
            row["error"] = exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else f"exit {exc.returncode}"
            return row
        row.update(json.loads(out.stdout.strip().splitlines()[-1]))
        row["seconds"] = round(row["seconds"], 2)
        row["cpu_seconds"] = round(row["cpu_seconds"], 2)
        row["peak_mb"] = round(row["peak_mb"], 1)
        return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="5,10,50", help="article sizes in MB, comma-separated")
    parser.add_argument("--shapes", default="paragraphs,one-line,dense")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run before it is stopped")
    args = parser.parse_args(argv)
    rows = []
    for shape in args.shapes.split(","):
        for size in args.sizes.split(","):
            row = run_one(shape.strip(), float(size), args.timeout)
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

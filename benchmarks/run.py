"""Benchmark timeline-tui against a DataTable baseline; writes benchmarks/results/latest.json and prints a table.

    python benchmarks/run.py            # N = 1,000, 10,000, 100,000  (make bench)
    python benchmarks/run.py --quick    # N = 10,000 only              (make bench-quick)
    python benchmarks/run.py --smoke    # N = 1,000, few samples, no targets (make test): checks the harness

Every (app, N) configuration is measured in a fresh subprocess (``probe.py``), so memory and
caches never carry over; the core timings run in their own subprocess too (``core_bench.py``);
the real-terminal start-up spawns the real command in a pseudo-terminal (``pty_start.py``).
Synthetic data is generated into ``benchmarks/data/`` (git-ignored) and reused. See
docs/performance.md for the method. Any failure of the harness — a probe that crashes, a key
that never produces a frame, a missing figure — makes this script exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import cached  # noqa: E402
from benchmarks.pty_start import time_to_text  # noqa: E402

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
PY = sys.executable
KEYS = ("j", "pagedown", "G", "]", "search")

#: Targets at N = 100,000: (label, getter on the run, limit, how it is compared)
TARGET_N = 100_000


class BenchError(RuntimeError):
    """The harness could not produce a figure: this is a failure, not a slow result."""


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    try:
        import textual

        info["textual"] = textual.__version__
    except Exception:  # pragma: no cover - textual is a dependency
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True)
        info["commit"] = commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        pass
    info["date"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return info


def _json_subprocess(args: list[str], timeout: float, label: str) -> dict[str, Any]:
    env = dict(os.environ)
    env.setdefault("TIMELINE_TUI_NOTES", str(Path(tempfile.gettempdir()) / "timeline-bench-notes.json"))
    t = time.perf_counter()
    try:
        proc = subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{label}: timed out after {timeout:.0f} s") from exc
    if proc.returncode != 0 or not proc.stdout.strip():
        raise BenchError(f"{label}: exit {proc.returncode}\n{proc.stderr[-4000:]}")
    try:
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except json.JSONDecodeError as exc:
        raise BenchError(f"{label}: no JSON result\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}") from exc
    print(f"  {label}: {time.perf_counter() - t:.0f} s", flush=True)
    return result


def _titles(path: Path) -> list[str]:
    """Title prefixes of the first and last events (what a first screen shows)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    events = doc["events"]
    return sorted({e["title"][:24] for e in events[:200] + events[-200:]})


def _pty(argv: list[str], titles: list[str], runs: int, label: str) -> float:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bench-pty-") as tmp:
        env["TIMELINE_TUI_NOTES"] = str(Path(tmp) / "notes.json")
        times = []
        for _ in range(runs):
            try:
                times.append(time_to_text(argv, titles, env=env, timeout=180))
            except RuntimeError as exc:
                raise BenchError(f"{label}: {exc}\n{getattr(exc, 'output', '')[-1500:]}") from exc
    print(f"  {label}: {', '.join(f'{t:.0f}' for t in times)} ms", flush=True)
    return round(statistics.median(times), 1)


def _check_keys(kind: str, n: int, key_ms: dict[str, Any]) -> None:
    for key in KEYS:
        entry = key_ms.get(key)
        if entry is None or not entry.get("n") or math.isnan(entry["p50"]):
            raise BenchError(f"{kind} N={n}: no timing for key {key!r}: {entry}")
        if entry["no_frame"] > max(1, entry["n"] // 10):
            raise BenchError(f"{kind} N={n}: key {key!r} painted no frame {entry['no_frame']} time(s) — script or app broken")


def run_n(n: int, cfg: dict[str, Any], note_save: dict[str, Any]) -> dict[str, Any]:
    print(f"N = {n:,}", flush=True)
    t = time.perf_counter()
    path = cached(n, cfg["seed"])
    print(f"  data: {path} ({time.perf_counter() - t:.0f} s)", flush=True)
    # Sample counts: the full count at the target size; fewer below it (the whole run must fit in
    # 15 minutes on 2 cores, and every app key press currently takes ~150 ms to settle).
    app_samples = cfg["samples"] if n >= TARGET_N else cfg["samples_small"]
    base_samples = app_samples
    app_rounds = max(2, cfg["search_rounds"] * app_samples // cfg["samples"])
    base_rounds = min(3 * app_rounds, 60)
    if n >= 100_000:  # the DataTable baseline takes ~20 s to start and ~1 s per search at 100k: bound it
        base_samples, base_rounds = min(base_samples, cfg["baseline_samples_100k"]), min(base_rounds, 20)
    timeout = cfg["timeout"]
    app = _json_subprocess(
        ["benchmarks/probe.py", "app", str(path), "--samples", str(app_samples), "--search-rounds", str(app_rounds),
         "--budget", str(cfg["key_budget_s"])],
        timeout, f"app probe N={n:,}",
    )
    base = _json_subprocess(
        ["benchmarks/probe.py", "baseline", str(path), "--samples", str(base_samples), "--search-rounds", str(base_rounds),
         "--budget", str(cfg["key_budget_s"])],
        timeout, f"baseline probe N={n:,}",
    )
    _check_keys("app", n, app["key_ms"])
    _check_keys("baseline", n, base["key_ms"])
    titles = _titles(path)
    runs = cfg["pty_runs"] if n < 100_000 else 1
    app["startup_pty_ms"] = _pty([PY, "-m", "timeline_tui", str(path)], titles, runs, f"app pty N={n:,}")
    base["startup_pty_ms"] = _pty([PY, str(BENCH / "baseline_app.py"), str(path)], titles, runs, f"baseline pty N={n:,}")
    core = _json_subprocess(
        ["benchmarks/core_bench.py", str(path), "--repeat", str(cfg["core_repeat"]), "--baseline-repeat",
         str(cfg["baseline_core_repeat"] if n < 100_000 else 1)],
        timeout, f"core N={n:,}",
    )
    for k in ("search_ms", "filter_ms", "index_build_ms", "export_ms", "export_render_ms", "export_events"):
        app[k] = core[k]
    app["note_save_ms"] = note_save
    base["search_ms"] = core["baseline_search_ms"]
    for d in (app, base):
        d.pop("kind", None)
    return {"n": n, "seconds": round(time.perf_counter() - t, 1), "app": app, "baseline": base}


# -- the table -------------------------------------------------------------------------------


def _fmt(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def _get(d: dict[str, Any], path: str) -> float | None:
    cur: Any = d
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return float(cur) if isinstance(cur, int | float) else None


def rows() -> list[tuple[str, str, float | None, str]]:
    """(label, path in the run's app/baseline dict, limit at N=100k or None, unit)."""
    out: list[tuple[str, str, float | None, str]] = [
        ("startup (in-process)", "startup_ms", 1000.0, "ms"),
        ("startup (real pty)", "startup_pty_ms", None, "ms"),
        ("  of which load", "load_ms", None, "ms"),
    ]
    for key in KEYS:
        out.append((f"key {key} p50", f"key_ms.{key}.p50", 10.0, "ms"))
        out.append((f"key {key} p95", f"key_ms.{key}.p95", 16.7, "ms"))
        out.append((f"key {key} 1st frame p50", f"key_ms.{key}.first_p50", None, "ms"))
    out += [
        ("RSS over interpreter", "rss_mb", 60.0, "MB"),
        ("search p50", "search_ms.p50", None, "ms"),
        ("search p95", "search_ms.p95", 50.0, "ms"),
        ("filter p50", "filter_ms.p50", None, "ms"),
        ("filter p95", "filter_ms.p95", 50.0, "ms"),
        ("note save p50 (10k notes)", "note_save_ms.p50", None, "ms"),
        ("note save p95 (10k notes)", "note_save_ms.p95", 40.0, "ms"),
        ("export 10k → Markdown", "export_ms", 1000.0, "ms"),
    ]
    return out


def check_targets(run: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """Every target at N = 100,000: (what, met, figures)."""
    app, base = run["app"], run["baseline"]
    out: list[tuple[str, bool, str]] = []
    for label, path, limit, unit in rows():
        if limit is None:
            continue
        v = _get(app, path)
        out.append((label, v is not None and v <= limit, f"{_fmt(v)} {unit} (≤ {limit:g})"))
    a, b = _get(app, "startup_ms"), _get(base, "startup_ms")
    if a and b:
        out.append(("startup ≥ 8× faster than baseline", b / a >= 8, f"{b / a:.1f}×"))
    return out


def table(result: dict[str, Any], *, targets: bool = True) -> str:
    lines: list[str] = []
    for run in result["runs"]:
        n = run["n"]
        lines.append("")
        lines.append(f"N = {n:,}" + (" (targets apply)" if targets and n == TARGET_N else ""))
        lines.append(f"{'measure':<28}{'app':>10}{'baseline':>11}{'app/base':>10}  target")
        for label, path, limit, unit in rows():
            a, b = _get(run["app"], path), _get(run["baseline"], path)
            ratio = f"{a / b:.2f}" if a is not None and b else ""
            mark = ""
            if targets and n == TARGET_N and limit is not None:
                mark = ("PASS" if a is not None and a <= limit else "FAIL") + f" ≤ {limit:g} {unit}"
            lines.append(f"{label:<28}{_fmt(a):>10}{_fmt(b):>11}{ratio:>10}  {mark}")
        a, b = _get(run["app"], "startup_ms"), _get(run["baseline"], "startup_ms")
        if a and b:
            mark = ("PASS" if b / a >= 8 else "FAIL") + " ≥ 8×" if targets and n == TARGET_N else ""
            lines.append(f"{'startup speed-up vs base':<28}{b / a:>9.1f}×{'':>21}  {mark}")
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    """The result as Markdown tables (for docs/performance.md): one table, a column pair per N."""
    runs = result["runs"]
    head = "| measure | " + " | ".join(f"app {r['n']:,} | baseline {r['n']:,}" for r in runs) + " | target (N = 100,000) |"
    sep = "|---|" + "---:|---:|" * len(runs) + "---|"
    lines = [head, sep]
    for label, path, limit, unit in rows():
        cells = []
        for r in runs:
            cells += [_fmt(_get(r["app"], path)), _fmt(_get(r["baseline"], path))]
        target = f"≤ {limit:g} {unit}" if limit is not None else ""
        lines.append(f"| {label.strip()} ({unit}) | " + " | ".join(cells) + f" | {target} |")
    cells = []
    for r in runs:
        a, b = _get(r["app"], "startup_ms"), _get(r["baseline"], "startup_ms")
        cells += [f"{b / a:.1f}×" if a and b else "—", ""]
    lines.append("| startup speed-up vs baseline | " + " | ".join(cells) + " | ≥ 8× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="N = 10,000 only")
    mode.add_argument("--smoke", action="store_true", help="N = 1,000, few samples, no targets (for make test)")
    parser.add_argument("--sizes", default="", help="comma-separated N values (overrides the mode's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="result file (default results/latest.json; smoke: a temp file)")
    parser.add_argument("--markdown", type=Path, default=None, metavar="RESULT_JSON",
                        help="print an existing result file as Markdown tables and exit")
    parser.add_argument("--table", type=Path, default=None, metavar="RESULT_JSON",
                        help="print an existing result file as the text table and exit")
    args = parser.parse_args(argv)
    if args.markdown or args.table:
        saved = json.loads((args.markdown or args.table).read_text(encoding="utf-8"))
        print(markdown(saved) if args.markdown else table(saved))
        return 0

    if args.smoke:
        sizes = [1000]
        cfg = {"samples": 8, "samples_small": 8, "key_budget_s": 60, "search_rounds": 2, "baseline_samples_100k": 8, "pty_runs": 1, "core_repeat": 2,
               "baseline_core_repeat": 1, "timeout": 120, "notes": 500, "note_samples": 5}
    else:
        sizes = [10_000] if args.quick else [1000, 10_000, 100_000]
        cfg = {"samples": 200, "samples_small": 100, "key_budget_s": 75, "search_rounds": 34, "baseline_samples_100k": 50, "pty_runs": 3, "core_repeat": 20,
               "baseline_core_repeat": 3, "timeout": 600, "notes": 10_000, "note_samples": 200}
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    cfg["seed"] = args.seed
    out = args.out
    if out is None:
        out = Path(tempfile.gettempdir()) / "timeline-bench-smoke.json" if args.smoke else RESULTS / "latest.json"

    t0 = time.perf_counter()
    from benchmarks.note_save import measure_note_save

    print(f"note save: {cfg['notes']:,} notes, {cfg['note_samples']} saves, fsync on", flush=True)
    ns = measure_note_save(cfg["notes"], cfg["note_samples"])
    note_save = {"p50": round(ns["p50"], 2), "p95": round(ns["p95"], 2), "n_existing": int(ns["n_existing"]),
                 "samples": int(ns["samples"])}
    result: dict[str, Any] = {"machine": machine(), "mode": "smoke" if args.smoke else "quick" if args.quick else "full",
                              "config": cfg, "runs": []}
    try:
        for n in sizes:
            result["runs"].append(run_n(n, cfg, note_save))
    except BenchError as exc:
        print(f"\nBENCHMARK HARNESS FAILED: {exc}", file=sys.stderr)
        return 1
    result["seconds"] = round(time.perf_counter() - t0, 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result, targets=not args.smoke))
    print(f"\n{out} ({result['seconds']:.0f} s)")
    if not args.smoke and any(r["n"] == TARGET_N for r in result["runs"]):
        run = next(r for r in result["runs"] if r["n"] == TARGET_N)
        missed = [label for label, ok, _ in check_targets(run) if not ok]
        print("targets at N = 100,000: " + ("all met" if not missed else f"{len(missed)} missed: " + "; ".join(missed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

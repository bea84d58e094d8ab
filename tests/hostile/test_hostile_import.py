"""``import`` under attack or interrupted: it writes only inside the dataset and leaves nothing behind (item 6)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from hostile_support import assert_safe, dataset, outside_secret, run_cli, run_in_terminal

ARTICLE = (
    "Lighthouse relit\n\n"
    "PORTVILLE, May 9, 2010 (Test Wire) -- The old lighthouse was relit on Saturday after repairs.\n\n"
    "It was first lit in 1950, when the harbour reopened.\n"
)


def _article(tmp: Path, name: str = "lighthouse.txt") -> Path:
    path = tmp / name
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_a_killed_review_is_cleaned_up_by_the_next_import(tmp_path: Path) -> None:
    ds = dataset(tmp_path, n_probe_quotes=0)
    sources = ds.parent / "sources"
    before = sorted(p.name for p in sources.iterdir())
    _screen, _status, pid = run_in_terminal(["import", str(_article(tmp_path)), "--events", str(ds)], tmp_path,
                                            until="relit", keys=b"")
    os.kill(pid, signal.SIGKILL)  # kill -9 in the middle of the review
    os.waitpid(pid, 0)
    assert "lighthouse.txt" in {p.name for p in sources.iterdir()}  # the copy made for the review is still there
    run = run_cli(["import", str(_article(tmp_path, "other.txt")), "--events", str(ds), "--json"], tmp_path)
    assert_safe(run, allowed=(0,))
    assert "left by an import that did not finish" in run.stderr
    assert sorted(p.name for p in sources.iterdir()) == before  # the copy and its mark are gone
    assert not list(ds.parent.glob(".*"))  # and no temp file beside events.json


def test_leaving_the_review_removes_the_copy(tmp_path: Path) -> None:
    ds = dataset(tmp_path, n_probe_quotes=0)
    before = sorted(p.name for p in (ds.parent / "sources").iterdir())
    _screen, status, _pid = run_in_terminal(["import", str(_article(tmp_path)), "--events", str(ds)], tmp_path,
                                            until="relit", keys=b"q")
    assert status == 0
    assert sorted(p.name for p in (ds.parent / "sources").iterdir()) == before


def test_a_sources_folder_leading_outside_gets_no_copy(tmp_path: Path) -> None:
    ds = dataset(tmp_path, n_probe_quotes=0)
    outside = outside_secret(tmp_path).parent
    real = ds.parent / "sources"
    (ds.parent / "real-sources").mkdir()
    for p in real.iterdir():
        p.rename(ds.parent / "real-sources" / p.name)
    real.rmdir()
    real.symlink_to(outside, target_is_directory=True)
    ds.write_text(ds.read_text(encoding="utf-8").replace('"sources/ok.txt"', '"real-sources/ok.txt"'), encoding="utf-8")
    assert run_cli(["validate", str(ds)], tmp_path).returncode == 0  # the dataset itself is fine
    before = sorted(p.name for p in outside.iterdir())
    run = run_cli(["import", str(_article(tmp_path)), "--events", str(ds), "--yes"], tmp_path)
    assert_safe(run, allowed=(1,))
    assert "sources/ leads outside the folder of events.json" in run.stderr
    assert sorted(p.name for p in outside.iterdir()) == before

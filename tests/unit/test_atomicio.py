"""Atomic writes: all-or-nothing replacement, no clobbering, permissions and symlinks respected."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from timeline_tui.core import atomicio
from timeline_tui.core.atomicio import atomic_write_text, remove_stale_temps


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_replaces_and_keeps_the_old_mode(tmp_path: Path) -> None:
    target = tmp_path / "events.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert _mode(target) == 0o644


def test_new_file_gets_umask_mode_or_the_mode_asked_for(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.md", "x")
        atomic_write_text(tmp_path / "b.json", "x", mode=0o600)
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.md") == 0o644
    assert _mode(tmp_path / "b.json") == 0o600


def test_symlink_target_is_updated_and_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_no_clobber(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError):
        atomic_write_text(target, "lost", overwrite=False)
    assert target.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        atomic_write_text(tmp_path / "nope" / "out.md", "x")


@pytest.mark.parametrize("victim", ["fsync", "replace"])
def test_failure_leaves_target_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, victim: str) -> None:
    target = tmp_path / "notes[1].json"
    target.write_text("before", encoding="utf-8")

    def boom(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomicio.os, victim, boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "after")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes[1].json"]


def test_stale_temps_are_found_even_for_names_with_glob_characters(tmp_path: Path) -> None:
    target = tmp_path / "notes[1].json"
    stale = tmp_path / f".notes[1].json.dead{atomicio.TEMP_SUFFIX}"
    stale.write_text("half", encoding="utf-8")
    other = tmp_path / f".notes1.json.dead{atomicio.TEMP_SUFFIX}"
    other.write_text("not ours", encoding="utf-8")
    assert remove_stale_temps(target) == [stale]
    assert not stale.exists() and other.exists()


def test_refuses_to_rename_over_a_non_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write_text(fifo, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]

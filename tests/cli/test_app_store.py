"""The app and its notes file: a chosen path in a missing folder is an error; opening changes no file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from timeline_tui.cli import app_cmd
from timeline_tui.ui.app import TimelineApp

DEEP = b'{"notes": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"


def _headless(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Make ``TimelineApp.run`` start headless, note what it shows, and quit."""
    seen: dict[str, Any] = {"ran": False}
    original = TimelineApp.run

    def run(self: TimelineApp, **kwargs: Any) -> int | None:
        async def pilot(p: Any) -> None:
            await p.pause()
            seen["ran"] = True
            seen["notices"] = [n.message for n in self._notifications]
            await p.press("q")

        return original(self, headless=True, size=(100, 30), auto_pilot=pilot)

    monkeypatch.setattr(TimelineApp, "run", run)
    return seen


def test_a_notes_path_in_a_missing_folder_is_an_error_before_any_screen(
    monkeypatch: pytest.MonkeyPatch, mini_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Measured before: `--notes /no-such-dir/n.json` silently created /no-such-dir."""
    seen = _headless(monkeypatch)
    missing = tmp_path / "no-such-dir" / "n.json"
    assert app_cmd.main([str(mini_path), "--notes", str(missing)]) == 1
    assert f"{missing.parent} for the notes file n.json does not exist" in capsys.readouterr().err
    monkeypatch.setenv("TIMELINE_TUI_NOTES", str(missing))
    assert app_cmd.main([str(mini_path)]) == 1
    assert str(missing.parent) in capsys.readouterr().err
    assert not missing.parent.exists() and not seen["ran"]


def test_the_app_leaves_a_damaged_store_as_it_is_until_a_change(
    monkeypatch: pytest.MonkeyPatch, mini_path: Path, tmp_path: Path
) -> None:
    """Measured before: a value nested 100,000 deep made the app die with a RecursionError traceback."""
    seen = _headless(monkeypatch)
    store = tmp_path / "notes.json"
    store.write_bytes(DEEP)
    assert app_cmd.main([str(mini_path), "--notes", str(store)]) == 0
    assert seen["ran"] and any("cannot be read" in n and "nested too deeply" in n for n in seen["notices"])
    assert store.read_bytes() == DEEP
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "notes.json"]  # no lock, nothing moved


def test_the_default_data_folder_is_not_created_by_just_looking(monkeypatch: pytest.MonkeyPatch, mini_path: Path,
                                                               tmp_path: Path) -> None:
    _headless(monkeypatch)
    monkeypatch.delenv("TIMELINE_TUI_NOTES")
    assert app_cmd.main([str(mini_path)]) == 0
    assert not (tmp_path / "xdg-data").exists()  # XDG_DATA_HOME in tests (conftest)

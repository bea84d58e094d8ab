"""``timeline-tui [EVENTS_JSON] [--notes PATH]``: errors before any screen, then the app with its notices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.cli import app_cmd
from timeline_tui.cli import main as cli_main
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.screens.timeline import TimelineScreen

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "events.json"


def test_missing_file_exits_1_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert app_cmd.main([str(tmp_path / "nope.json")]) == 1
    err = capsys.readouterr().err
    assert "nope.json cannot be used" in err


def test_not_json_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "events.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli_main([str(bad)]) == 1
    assert "cannot be used" in capsys.readouterr().err


def test_invalid_events_list_every_problem(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = json.loads(mini_path.read_text(encoding="utf-8"))
    raw["events"][0]["date"] = "August 1945"
    raw["events"][1]["quotes"][0]["text"] = "not what the source says"
    mini_path.write_text(json.dumps(raw), encoding="utf-8")
    assert app_cmd.main([str(mini_path)]) == 1
    err = capsys.readouterr().err
    assert "events[0].date" in err and "events[1].quotes[0]" in err


def _headless_run(monkeypatch: pytest.MonkeyPatch, seen: dict[str, Any]) -> None:
    """Run the real app headless: record what it shows at start, then press q."""
    original = TimelineApp.run

    def run(self: TimelineApp, **kwargs: Any) -> int | None:
        async def pilot(p: Any) -> None:
            await p.pause()
            screen = self.screen
            assert isinstance(screen, TimelineScreen)
            seen["event"] = screen.current_event.id if screen.current_event else None
            seen["notices"] = list(self.notices)  # each becomes a notification (tested in test_timeline_keys)
            seen["store"] = self.store
            await p.press("q")

        return original(self, headless=True, size=(100, 30), auto_pilot=pilot)

    monkeypatch.setattr(TimelineApp, "run", run)


def test_runs_the_app_with_the_notes_file_and_warnings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}
    _headless_run(monkeypatch, seen)
    notes = tmp_path / "my-notes.json"
    assert app_cmd.main([str(HOSTILE), "--notes", str(notes)]) == 0
    assert seen["event"] == "1945-05-markup"
    assert seen["store"].path == notes
    assert any("missing.txt" in n for n in seen["notices"])  # a missing source is a warning, not an error


def test_default_notes_path_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, mini_path: Path, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}
    _headless_run(monkeypatch, seen)
    assert cli_main([str(mini_path)]) == 0
    assert seen["store"].path == tmp_path / "notes-store.json"  # TIMELINE_TUI_NOTES from conftest

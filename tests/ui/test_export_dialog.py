"""The export dialog driven by keyboard through Textual's Pilot: writes, confirmation, errors, formats."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from pilot_helpers import notified, recorder
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from timeline_tui.cli import main
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs import export as export_module
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.export import ExportDialog

NO_RESULT = object()
CHOSEN = ["2010-05-08-parade", "1945-08-ships-return", "2005-museum-opens"]
TODAY = date(2025, 5, 9)


class Host(App[None]):
    """Pushes the dialog on start and records what it dismissed with."""

    def __init__(self, dialog: ExportDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: object = NO_RESULT

    def compose(self) -> ComposeResult:
        yield Static("timeline underneath")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._done)

    def _done(self, result: object) -> None:
        self.result = result


def status_text(app: App[None]) -> str:
    return str(app.screen.query_one("#export-status", Static).visual.plain)  # type: ignore[attr-defined]


async def settle(app: App[None], pilot: Pilot[None]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def set_path(app: App[None], path: Path | str) -> None:
    app.screen.query_one("#export-path", Input).value = str(path)


@pytest.fixture
def store(tmp_path: Path, mini: Dataset) -> AnnotationStore:
    opened = AnnotationStore.open(tmp_path / "notes-store.json")
    opened.add_note("2005-museum-opens", "# my note\nsecond line")
    text = mini.source_text("harbour")
    assert text is not None
    opened.add_link("1945-08-ships-return", "harbour", text, 64, 86, "why")
    return opened


async def test_export_writes_the_file_and_returns_its_path(mini: Dataset, store: AnnotationStore, tmp_path: Path) -> None:
    app = Host(ExportDialog(mini, store, CHOSEN, "tag memory", today=TODAY))
    target = tmp_path / "out.md"
    async with app.run_test(message_hook=recorder(app)) as pilot:
        # absolute: in the working directory when no folder was remembered
        assert app.screen.query_one("#export-path", Input).value == str(Path.cwd() / "timeline-export-2025-05-09.md")
        set_path(app, target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        notes = notified(app)
    assert app.result == target
    assert notes == [f"Exported 3 events to {target}"]
    text = target.read_text(encoding="utf-8")
    assert "Exported 3 of 6 events" in text and "Filters: tag memory.\\" in text
    assert "  \\# my note\\\n  second line" in text and "*Your linked passage (exact):*" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


async def test_existing_file_needs_confirmation(mini: Dataset, store: AnnotationStore, tmp_path: Path) -> None:
    target = tmp_path / "exists.md"
    target.write_text("keep me", encoding="utf-8")
    app = Host(ExportDialog(mini, store, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        set_path(app, target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "Not replaced" in status_text(app)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
    assert app.result == target
    assert "\n# Timeline export — Mini test dataset\n" in target.read_text(encoding="utf-8")


async def test_missing_directory_is_an_error_in_the_dialog(mini: Dataset, tmp_path: Path) -> None:
    app = Host(ExportDialog(mini, None, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        set_path(app, tmp_path / "no-such-dir" / "out.md")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "does not exist" in status_text(app)
        assert app.screen.query_one("#export-status").has_class("-error")
        assert app.screen.focused is app.screen.query_one("#export-path")
        set_path(app, tmp_path)
        await pilot.press("enter")  # enter in the path field exports too
        await settle(app, pilot)
        assert "is a directory" in status_text(app)
        set_path(app, "  ")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Type a file name" in status_text(app)
    assert app.result is NO_RESULT
    assert not (tmp_path / "no-such-dir").exists()


async def test_format_choice_changes_extension_and_output(mini: Dataset, store: AnnotationStore,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = Host(ExportDialog(mini, store, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press("down", "enter")  # the format list has focus: JSON
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == str(tmp_path / "timeline-export-2025-05-09.json")
        await pilot.press("down", "down", "enter")  # TimelineJS
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == str(tmp_path / "timeline-export-2025-05-09.timeline.json")
        await pilot.press("up", "enter")  # CSV
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == str(tmp_path / "timeline-export-2025-05-09.csv")
        await pilot.press("up", "enter")  # back to JSON
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    written = tmp_path / "timeline-export-2025-05-09.json"
    assert app.result == written
    doc = json.loads(written.read_text(encoding="utf-8"))
    assert [e["id"] for e in doc["events"]] == ["1945-08-ships-return", "2005-museum-opens", "2010-05-08-parade"]


async def test_include_checkboxes(mini: Dataset, store: AnnotationStore, tmp_path: Path) -> None:
    app = Host(ExportDialog(mini, store, CHOSEN, "", today=TODAY))
    target = tmp_path / "lean.md"
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press("tab", "space", "tab", "space", "tab", "space")  # quotes, notes, links off
        await pilot.pause()
        assert [c.value for c in app.screen.query(Checkbox)] == [False, False, False]
        set_path(app, target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    text = target.read_text(encoding="utf-8")
    assert "[^" not in text and "my note" not in text and "linked passage" not in text


async def test_tilde_expands(mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = Host(ExportDialog(mini, None, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        set_path(app, "~/home-export.md")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert app.result == tmp_path / "home-export.md" and (tmp_path / "home-export.md").is_file()


async def test_escape_cancels_without_writing(mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    app = Host(ExportDialog(mini, None, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None and list(work.iterdir()) == []


async def test_ui_and_cli_exports_match_apart_from_the_time(
    mini: Dataset, mini_path: Path, store: AnnotationStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.set_selection(CHOSEN)
    app = Host(ExportDialog(mini, store, store.selection(), "no filter", today=TODAY))
    ui_file = tmp_path / "ui.md"
    async with app.run_test(message_hook=recorder(app)) as pilot:
        set_path(app, ui_file)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    store.close()  # the CLI reads the same store file
    cli_file = tmp_path / "cli.md"
    assert main(["export", str(mini_path), "--selection", "-o", str(cli_file)]) == 0
    capsys.readouterr()
    ui_lines = ui_file.read_text(encoding="utf-8").splitlines()
    cli_lines = cli_file.read_text(encoding="utf-8").splitlines()
    different = [(a, b) for a, b in zip(ui_lines, cli_lines, strict=True) if a != b]
    assert all(a.startswith(("Generated ", "date: ")) and b.startswith(("Generated ", "date: ")) for a, b in different)
    assert "my note" in "\n".join(ui_lines)


async def test_a_file_that_appears_during_the_write_is_not_clobbered(
    mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "race.md"
    real = export_module.atomic_write_text

    def someone_else_first(path: Path, text: str, *, overwrite: bool) -> None:
        target.write_text("someone else's", encoding="utf-8")  # after the dialog's check, before its write
        real(path, text, overwrite=overwrite)

    monkeypatch.setattr(export_module, "atomic_write_text", someone_else_first)
    app = Host(ExportDialog(mini, None, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.pause()
        set_path(app, target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "appeared" in status_text(app)
        assert not app.screen.query_one("#export-go").disabled
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert app.result is NO_RESULT


async def test_unusable_paths_are_messages_not_crashes(mini: Dataset, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    app = Host(ExportDialog(mini, None, CHOSEN, "", today=TODAY))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        set_path(app, tmp_path / ("a" * 300 + ".md"))  # ENAMETOOLONG from stat
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "File name too long" in status_text(app)
        set_path(app, fifo)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert "is not a regular file" in status_text(app)
    assert app.return_code in (None, 0)
    assert stat.S_ISFIFO(fifo.stat().st_mode)

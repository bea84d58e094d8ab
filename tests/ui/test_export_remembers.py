"""The export dialog starts in the folder and format of the last export, kept in the notes store's
settings (so every instance on that store remembers them), and shows the path absolute, not
relative to wherever the app was started (issue 13, item 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pilot_helpers import running, settle
from textual.widgets import Input, RadioButton

from timeline_tui.core.export import FORMATS
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.export import ExportDialog


def path_field(dialog: ExportDialog) -> str:
    return dialog.query_one("#export-path", Input).value


async def test_the_last_folder_and_format_are_remembered(mini: Dataset, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    started_in, out = tmp_path / "started-here", tmp_path / "exports"
    started_in.mkdir()
    out.mkdir()
    monkeypatch.chdir(started_in)
    today = date.today().isoformat()
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert path_field(dialog) == str(started_in / f"timeline-export-{today}.md")  # absolute
        await pilot.press(*["down"] * FORMATS.index("csv"), "enter")
        dialog.query_one("#export-path", Input).value = str(out / "mine.csv")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert (out / "mine.csv").is_file()
        assert store.setting("export.directory") == str(out) and store.setting("export.format") == "csv"
        await pilot.press("x")
        await settle(app, pilot)
        again = app.screen
        assert isinstance(again, ExportDialog) and again.format == "csv"
        assert again.query_one("#format-csv", RadioButton).value
        assert path_field(again) == str(out / f"timeline-export-{today}.csv")
    store.close()
    # another instance on the same store (started elsewhere) starts there too
    monkeypatch.chdir(tmp_path)
    other = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, other) as (app, pilot):
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and path_field(dialog) == str(out / f"timeline-export-{today}.csv")
    other.close()


async def test_a_remembered_folder_that_is_gone_falls_back_to_the_working_directory(
        mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = AnnotationStore.open(tmp_path / "notes.json")
    store.set_setting("export.directory", str(tmp_path / "removed"))
    store.set_setting("export.format", "no-such-format")
    async with running(mini, store) as (app, pilot):
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.format == FORMATS[0]
        assert path_field(dialog) == str(tmp_path / f"timeline-export-{date.today().isoformat()}.md")
    store.close()

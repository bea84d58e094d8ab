"""Snapshots of the export dialog at a roomy and a tiny terminal size."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from timeline_tui.core.loader import load_dataset
from timeline_tui.ui.dialogs.export import ExportDialog

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini" / "events.json"
CHOSEN = ["1945-08-ships-return", "2005-museum-opens", "2010-05-08-parade"]


class DialogHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("The timeline would be underneath this dialog. " * 20)

    def on_mount(self) -> None:
        dataset = load_dataset(MINI)
        # a fixed folder (as if remembered) so the absolute path on screen is the same everywhere
        self.push_screen(ExportDialog(dataset, None, CHOSEN, "tag [bold]memory[/bold]", today=date(2025, 5, 9),
                                      directory=Path("/home/reader/exports")))


@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
def test_export_dialog(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")  # the dialog names the working directory: the same one everywhere
    assert snap_compare(DialogHost(), terminal_size=size)

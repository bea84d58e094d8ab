"""``timeline-tui import``: a small app around the review screen that exits with what was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from timeline_tui.core.extract.apply import WriteResult
from timeline_tui.core.extract.candidates import Extraction
from timeline_tui.core.model import Dataset
from timeline_tui.ui.keyed_app import KeyedApp
from timeline_tui.ui.screens.review import ReviewScreen


class ImportApp(KeyedApp[WriteResult | None]):
    """Just the review: the app exits with the write result (or ``None``)."""

    TITLE = "timeline-tui import"

    def __init__(self, dataset: Dataset, extraction: Extraction, source: dict[str, Any], events_path: Path,
                 *, keymap_path: Path | None = None) -> None:
        super().__init__(keymap_path=keymap_path)
        self._screen = ReviewScreen(dataset, extraction, source, events_path)

    def on_mount(self) -> None:
        self.push_screen(self._screen, self.exit)

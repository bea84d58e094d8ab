"""The Textual app: the dataset's timeline (:class:`TimelineScreen`) with the user's notes store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from timeline_tui.core.model import Dataset
from timeline_tui.ui.notes_app import NotesApp
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.text import clean

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore

DEFAULT_THEME = "textual-dark"


class TimelineApp(NotesApp[int]):
    """A keyboard-driven reader for one dataset's timeline and its sources."""

    CSS_PATH = "app.tcss"
    TITLE = "timeline-tui"

    def __init__(
        self,
        dataset: Dataset,
        store: AnnotationStore | None = None,
        *,
        notices: Sequence[str] = (),
        keymap_path: Path | None = None,
    ) -> None:
        super().__init__(store, keymap_path=keymap_path)
        self.dataset = dataset
        self.notices = list(notices)
        self.theme = DEFAULT_THEME
        self.title = clean(dataset.title)  # also the terminal's window title: no escapes

    def get_default_screen(self) -> Screen[None]:
        return TimelineScreen(self.dataset)

    def on_mount(self) -> None:
        for message in self.notices:
            self.notify(message, severity="warning", markup=False, timeout=12)

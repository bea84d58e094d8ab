"""The Textual app: holds the dataset and the notes store, shows start-up notices, quits cleanly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from timeline_tui.core.model import Dataset
from timeline_tui.ui.commands import BindingCommands
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.text import clean

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore

DEFAULT_THEME = "textual-dark"


class TimelineApp(App[int]):
    """A keyboard-driven reader for one dataset's timeline and its sources."""

    CSS_PATH = "app.tcss"
    TITLE = "timeline-tui"
    COMMANDS = App.COMMANDS | {BindingCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit_now"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="command_palette"),
    ]

    def __init__(
        self,
        dataset: Dataset,
        store: AnnotationStore | None = None,
        *,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.store = store
        self.notices = list(notices)
        self.theme = DEFAULT_THEME
        self.title = clean(dataset.title)  # also the terminal's window title: no escapes

    def get_default_screen(self) -> Screen[None]:
        return TimelineScreen(self.dataset, self.store)

    def on_mount(self) -> None:
        for message in self.notices:
            self.notify(message, severity="warning", markup=False, timeout=12)

    async def action_quit(self) -> None:
        """Quit, after any note, link or selection change still being saved has been written."""
        for screen in self.screen_stack:
            jobs = screen.jobs if isinstance(screen, TimelineScreen) else None
            if jobs is not None and jobs.busy:
                self.notify("Saving your changes before quitting…", timeout=3, markup=False)
                jobs.when_idle(lambda: self.exit(0))
                return
        self.exit(0)

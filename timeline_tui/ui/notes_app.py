"""An app with a notes store: the one copy of the user's annotations that screens observe, the
runner of store changes (:class:`~timeline_tui.ui.store_jobs.StoreJobs`), and quitting only after
every change is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.reactive import reactive

from timeline_tui.ui.annotating import AnnotationState
from timeline_tui.ui.keyed_app import KeyedApp
from timeline_tui.ui.store_jobs import Job, StoreJobs

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from timeline_tui.core.store import AnnotationStore

ReturnType = TypeVar("ReturnType")


class NotesApp(KeyedApp[ReturnType]):
    """Holds ``store`` (or none), its state as :attr:`annotations`, and the queue of changes to it."""

    #: the user's notes and links as last read from the store (screens watch it; each job replaces it)
    annotations: reactive[AnnotationState] = reactive(AnnotationState, init=False)

    def __init__(self, store: AnnotationStore | None, *, keymap_path: Path | None = None) -> None:
        super().__init__(keymap_path=keymap_path)
        self.store = store
        self.jobs = StoreJobs(self, store) if store is not None else None
        self.set_reactive(NotesApp.annotations, AnnotationState.read(store))

    @property
    def read_only(self) -> bool:
        """True when the notes cannot be changed (another instance holds them)."""
        return self.store is not None and self.store.read_only

    def why_read_only(self) -> str:
        """Why changes are refused, as the store explains it (empty when they are not)."""
        if self.store is None:
            return "No notes file is open, so notes cannot be saved."
        if not self.store.read_only:
            return ""
        reason = str(getattr(self.store, "read_only_reason", "") or "")
        return reason or f"Another timeline-tui is using {self.store.path}."

    def submit(self, job: Job, requester: MessagePump) -> bool:
        """Queue a store change (``requester`` gets its outcome); False when no notes store is open."""
        if self.jobs is None:
            return False
        self.jobs.submit(job, requester)
        return True

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once no store change is queued or running (now if none is)."""
        if self.jobs is None:
            callback()
        else:
            self.jobs.when_idle(callback)

    @on(StoreJobs.Finished)
    def _job_finished(self, message: StoreJobs.Finished) -> None:
        if message.state is not None:
            self.annotations = message.state  # every screen watching sees it before the requester's message
        if self.jobs is not None:
            self.jobs.finish(message)

    @on(StoreJobs.Idle)
    def _jobs_idle(self) -> None:
        if self.jobs is not None:
            self.jobs.idle()

    async def action_quit(self) -> None:
        """Quit, after any note, link or selection change still being saved has been written."""
        if self.jobs is not None and self.jobs.busy:
            self.notify("Saving your changes before quitting…", timeout=3, markup=False)
            self.jobs.when_idle(lambda: self.exit())
            return
        self.exit()

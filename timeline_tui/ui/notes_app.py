"""An app with a notes store: the one copy of the user's annotations that screens observe, the
runner of store changes (:class:`~timeline_tui.ui.store_jobs.StoreJobs`), keeping up with other
programs that write the same store, and quitting only after every change is written.

Other app instances and ``timeline-tui notes`` may change the store at any time. About once a
second (:data:`POLL_SECONDS`) a short worker thread asks the store whether the file changed
(:meth:`~timeline_tui.core.store.AnnotationStore.refresh`: one ``stat`` and a 32-byte read when it
did not, and then nothing is posted, so nothing is repainted). When it did, the app takes the
store's new state as :attr:`NotesApp.annotations` (every screen watching it updates its markers,
details, search text and the annotated filter), says what changed in a quiet notice ("2 notes
added elsewhere"), shows the store's own messages (a damaged file moved aside) and posts
:class:`NotesApp.ChangedElsewhere` to the screens (the timeline takes the merged selection).
Changes found while saving one of this app's own changes are reported the same way, at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.message import Message
from textual.reactive import reactive

from timeline_tui.core.annotation_state import OutsideChanges
from timeline_tui.ui.annotating import AnnotationState
from timeline_tui.ui.keyed_app import KeyedApp
from timeline_tui.ui.store_jobs import Job, StoreJobs
from timeline_tui.ui.text import clean

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from timeline_tui.core.store import AnnotationStore

ReturnType = TypeVar("ReturnType")

#: how often the app looks for changes other programs made to the notes store
POLL_SECONDS = 1.0


class NotesApp(KeyedApp[ReturnType]):
    """Holds ``store`` (or none), its state as :attr:`annotations`, and the queue of changes to it."""

    #: the user's notes and links as last read from the store (screens watch it; each job and each
    #: change found elsewhere replaces it)
    annotations: reactive[AnnotationState] = reactive(AnnotationState, init=False)

    class ChangedElsewhere(Message, bubble=False):
        """Posted to each screen on the stack: another program changed the store (the app already
        holds the new state)."""

        def __init__(self, changes: OutsideChanges) -> None:
            super().__init__()
            self.changes = changes

    class Polled(Message):
        """Posted to the app by the poll worker when the store found changes made elsewhere."""

        def __init__(self, changes: OutsideChanges) -> None:
            super().__init__()
            self.changes = changes

    def __init__(self, store: AnnotationStore | None, *, keymap_path: Path | None = None) -> None:
        super().__init__(keymap_path=keymap_path)
        self.store = store
        self.jobs = StoreJobs(self, store) if store is not None else None
        self.set_reactive(NotesApp.annotations, AnnotationState.read(store))
        self._polling = False  # a poll is running (set on the UI thread, cleared by its worker)

    @property
    def read_only(self) -> bool:
        """True when the notes cannot be changed: the store cannot be written (opened read-only, a
        file or folder without write permission). Another program using it never makes it so."""
        return self.store is not None and self.store.read_only

    def why_read_only(self) -> str:
        """Why changes are refused, as the store explains it (empty when they are not)."""
        if self.store is None:
            return "No notes file is open, so notes cannot be saved."
        return self.store.read_only_reason if self.store.read_only else ""

    # -- keeping up with other programs ---------------------------------------------------------------
    def on_mount(self) -> None:
        if self.store is not None:
            self.set_interval(POLL_SECONDS, self._poll, name="notes poll")

    def _poll(self) -> None:
        """Each second: ask the store, in a worker thread, whether another program changed it."""
        if self._polling or self.store is None:
            return
        self._polling = True
        self.run_worker(self._look_for_changes, thread=True, group="notes-poll", exit_on_error=False,
                        name="looking for changes to the notes file")

    def _look_for_changes(self) -> None:
        """In the worker thread: post :class:`Polled` when the store found changes (else nothing)."""
        store = self.store
        try:
            changes = store.refresh() if store is not None else None
        except Exception as exc:  # a read that failed unexpectedly: said once, never a traceback
            changes = OutsideChanges(messages=(f"Could not read the notes file: {type(exc).__name__}: {exc}",))
        finally:
            self._polling = False
        if changes:
            self.post_message(self.Polled(changes))

    @on(Polled)
    def _polled(self, message: Polled) -> None:
        self.take_outside_changes(message.changes)

    def take_outside_changes(self, changes: OutsideChanges | None) -> None:
        """Show what other programs changed: the store's state now, a quiet notice, its messages."""
        if not changes or self.store is None:
            return
        self.annotations = self.store.state  # the newest: never an older state a slower message carried
        summary = changes.summary()
        if summary:
            self.notify(summary[:1].upper() + summary[1:], timeout=4, markup=False)
        for text in changes.messages:
            self.notify(clean(text), title="Notes file", severity="warning", timeout=12, markup=False)
        for screen in self.screen_stack:
            screen.post_message(self.ChangedElsewhere(changes))

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
        if message.state is not None and self.store is not None:
            # every screen watching sees it before the requester's message; the store's state now,
            # which also holds what the poll may have brought in meanwhile
            self.annotations = self.store.state
        if self.jobs is not None:
            self.jobs.finish(message)
        self.take_outside_changes(message.outside)

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

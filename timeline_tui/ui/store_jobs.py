"""Changes to the notes store run one at a time, in order, in a worker thread, so the UI never waits
for a save; each one ends in a typed message.

A job is a small frozen dataclass saying what to change (:class:`AddNote`, :class:`AddLink`,
:class:`Undo` ...); any screen submits one with :meth:`StoreJobs.submit`. In the worker thread
the change runs, then the store is read again into an
:class:`~timeline_tui.ui.annotating.AnnotationState`. Back on the UI thread the app takes the new
state (every screen observes it), and the screen that asked gets :class:`JobDone` (with the
change's result) or :class:`JobFailed` (with the :class:`StoreError`), handled with ``@on``.
Only this runner touches the store while a job is queued or running; code that reads the store
itself waits with :meth:`StoreJobs.when_idle`.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.message import Message
from textual.message_pump import MessagePump

from timeline_tui.core.annotation_state import OutsideChanges
from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.store import StoreError
from timeline_tui.ui.annotating import AnnotationState

if TYPE_CHECKING:
    from textual.app import App

    from timeline_tui.core.model import Event
    from timeline_tui.core.store import AnnotationStore

GROUP = "store-jobs"


class Job:
    """One change to the store. ``key``: a newer job with the same key replaces a queued one."""

    key: ClassVar[str | None] = None
    #: read the store's state after the change (a selection change does not alter notes or links)
    refresh: ClassVar[bool] = True

    def run(self, store: AnnotationStore) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class AddNote(Job):
    event: Event
    text: str

    def run(self, store: AnnotationStore) -> Note:
        return store.add_note(self.event.id, self.text)


@dataclass(frozen=True)
class UpdateNote(Job):
    """Replace ``note`` (as the editor opened it) with ``text``; refused with
    :class:`~timeline_tui.core.store.EditConflict` if it changed elsewhere meanwhile, unless ``overwrite``."""

    event: Event
    note: Note
    text: str
    overwrite: bool = False

    def run(self, store: AnnotationStore) -> Note:
        return store.update_note(self.note.id, self.text, expected=None if self.overwrite else self.note)


@dataclass(frozen=True)
class DeleteNote(Job):
    """Delete ``note`` (as the user saw it); refused with ``EditConflict`` if it changed elsewhere since."""

    note: Note

    def run(self, store: AnnotationStore) -> object:
        return store.delete_note(self.note.id, expected=self.note)


@dataclass(frozen=True)
class AddLink(Job):
    """Link ``text[start:end]`` of a source to an event (``text`` is the whole source text)."""

    event_id: str
    source_id: str
    text: str
    start: int
    end: int
    comment: str

    def run(self, store: AnnotationStore) -> Link:
        return store.add_link(self.event_id, self.source_id, self.text, self.start, self.end, self.comment)


@dataclass(frozen=True)
class DeleteLink(Job):
    link: Link

    def run(self, store: AnnotationStore) -> object:
        return store.delete_link(self.link.id)


@dataclass(frozen=True)
class Undo(Job):
    """Undo the last note or link change; the result is what the store says was undone."""

    before: AnnotationState

    def run(self, store: AnnotationStore) -> object:
        return store.undo()


@dataclass(frozen=True)
class SaveSelection(Job):
    ids: Sequence[str]
    key: ClassVar[str | None] = "selection"
    refresh: ClassVar[bool] = False

    def run(self, store: AnnotationStore) -> None:
        store.set_selection(list(self.ids))


@dataclass(frozen=True)
class SaveSettings(Job):
    """Keep settings in the store (e.g. the export dialog's last folder and format)."""

    values: tuple[tuple[str, object], ...]

    def run(self, store: AnnotationStore) -> None:
        for key, value in self.values:
            store.set_setting(key, value)


class JobDone(Message, bubble=False):
    """``job`` ran; ``result`` is what its change returned (the app already shows the new state)."""

    def __init__(self, job: Job, result: Any) -> None:
        super().__init__()
        self.job = job
        self.result = result


class JobFailed(Message, bubble=False):
    """``job`` could not be saved; nothing changed in the store."""

    def __init__(self, job: Job, error: StoreError) -> None:
        super().__init__()
        self.job = job
        self.error = error


class StoreJobs:
    """The queue of changes to ``store``, run in a worker of ``app`` (which must handle the messages
    :class:`StoreJobs.Finished` and :class:`StoreJobs.Idle` by calling :meth:`finish` and :meth:`idle`)."""

    class Finished(Message):
        """Posted to the app by the worker: one job's outcome, and the store's state after it."""

        def __init__(self, job: Job, requester: MessagePump, result: Any, error: StoreError | None,
                     state: AnnotationState | None, outside: OutsideChanges | None = None) -> None:
            super().__init__()
            self.job, self.requester, self.result, self.error, self.state = job, requester, result, error, state
            #: what other programs changed, found while saving (and messages such as a file moved aside)
            self.outside = outside

    class Idle(Message):
        """Posted to the app by the worker when the queue is empty."""

    def __init__(self, app: App[Any], store: AnnotationStore) -> None:
        self.app = app
        self.store = store
        self._lock = threading.Lock()
        self._queue: deque[tuple[Job, MessagePump]] = deque()
        self._running = False
        self._idle: list[Callable[[], None]] = []

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._running or bool(self._queue)

    def submit(self, job: Job, requester: MessagePump) -> None:
        """Queue ``job`` (dropping a queued job with the same key); ``requester`` gets its outcome."""
        with self._lock:
            if job.key is not None:
                self._queue = deque(q for q in self._queue if q[0].key != job.key)
            self._queue.append((job, requester))
            start, self._running = not self._running, True
        if start:
            self.app.run_worker(self._drain, thread=True, group=GROUP, exit_on_error=False, name="saving notes")

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread once no change is queued or running (now if none is)."""
        if self.busy:
            self._idle.append(callback)
        else:
            callback()

    def _drain(self) -> None:
        """In the worker thread: run the queued jobs in order until there are none."""
        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    break
                job, requester = self._queue.popleft()
            result: Any = None
            error: StoreError | None = None
            try:
                result = job.run(self.store)
            except StoreError as exc:
                error = exc
            except Exception as exc:  # any failure becomes a message, never a traceback
                error = StoreError(f"Could not save the change ({type(exc).__name__}: {exc}). Nothing was changed.")
            state: AnnotationState | None = None
            outside: OutsideChanges | None = None
            try:
                outside = self.store.refresh()  # what others changed, found while saving: said at once
                if job.refresh or outside:
                    state = AnnotationState.read(self.store)
            except Exception:  # keep the last state shown; the change itself is reported
                state = None
            self.app.post_message(self.Finished(job, requester, result, error, state, outside))
        self.app.post_message(self.Idle())

    def finish(self, message: Finished) -> None:
        """On the UI thread: tell the screen that asked (the app has taken ``message.state`` first)."""
        outcome: Message = (JobDone(message.job, message.result) if message.error is None
                            else JobFailed(message.job, message.error))
        if not message.requester.post_message(outcome) and message.error is not None:
            # the screen that asked is gone: the failure must still be seen
            self.app.notify(str(message.error), title="Not saved", severity="error", markup=False, timeout=10)

    def idle(self) -> None:
        """On the UI thread: run what waited for the queue to empty (unless a new job came meanwhile)."""
        if self.busy:
            return
        waiting, self._idle = self._idle, []
        for callback in waiting:
            callback()

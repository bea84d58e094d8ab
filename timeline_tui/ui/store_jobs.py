"""Store changes run one at a time, in order, in a worker thread, so the UI never waits for a save.

A job is a function of the store. After it runs (still in the worker) the store is read again into
an :class:`~timeline_tui.ui.annotating.AnnotationState`; back on the UI thread the owner gets the
new state, then the job's ``done`` (or ``failed`` with the :class:`StoreError`) callback runs. Only
this runner touches the store while a job is queued or running; code that needs the store itself
(the source viewer, the export dialog) waits with :meth:`StoreJobs.when_idle`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from timeline_tui.core.store import StoreError
from timeline_tui.ui.annotating import AnnotationState

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore

GROUP = "store-jobs"


@dataclass
class Job:
    """One change: ``change(store)``; ``key`` lets a newer job of the same kind replace a queued one."""

    change: Callable[[AnnotationStore], Any]
    done: Callable[[Any], None] | None = None
    failed: Callable[[StoreError], None] | None = None
    key: str | None = None
    refresh: bool = True


@dataclass(frozen=True)
class _Outcome:
    job: Job
    value: Any
    error: StoreError | None
    state: AnnotationState | None


class StoreJobs:
    """The queue of changes to ``store``; ``on_state`` receives the store's state after each change."""

    def __init__(
        self, owner: DOMNode, store: AnnotationStore, on_state: Callable[[AnnotationState], None]
    ) -> None:
        self.owner = owner
        self.store = store
        self.on_state = on_state
        self._queue: deque[Job] = deque()
        self._running = False
        self._idle: list[Callable[[], None]] = []

    @property
    def busy(self) -> bool:
        return self._running or bool(self._queue)

    def submit(self, job: Job) -> None:
        """Queue ``job`` (dropping a queued job with the same key) and start it when its turn comes."""
        if job.key is not None:
            self._queue = deque(j for j in self._queue if j.key != job.key)
        self._queue.append(job)
        self._pump()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the UI thread once no change is queued or running (now if none is)."""
        if self.busy:
            self._idle.append(callback)
        else:
            callback()

    def _pump(self) -> None:
        if self._running:
            return
        if not self._queue:
            waiting, self._idle = self._idle, []
            for callback in waiting:
                callback()
            return
        job = self._queue.popleft()
        self._running = True
        self.owner.run_worker(
            lambda: self._run(job), thread=True, group=GROUP, exit_on_error=False, name="store change"
        )

    def _run(self, job: Job) -> _Outcome:
        """In the worker thread: the change, then the state after it."""
        value: Any = None
        error: StoreError | None = None
        try:
            value = job.change(self.store)
        except StoreError as exc:
            error = exc
        except Exception as exc:  # any failure becomes a message, never a traceback
            error = StoreError(f"Could not save the change ({type(exc).__name__}: {exc}). Nothing was changed.")
        state: AnnotationState | None = None
        if job.refresh:
            try:
                state = AnnotationState.read(self.store)
            except Exception:  # keep the last state shown; the change itself is reported
                state = None
        return _Outcome(job, value, error, state)

    def handle(self, event: Worker.StateChanged) -> bool:
        """Feed the owner's worker events here; True if it was one of ours (finished or failed)."""
        worker = event.worker
        if worker.group != GROUP or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                        WorkerState.CANCELLED):
            return worker.group == GROUP
        self._running = False
        outcome = worker.result if event.state is WorkerState.SUCCESS else None
        if isinstance(outcome, _Outcome):
            if outcome.state is not None:
                self.on_state(outcome.state)
            if outcome.error is not None:
                if outcome.job.failed is not None:
                    outcome.job.failed(outcome.error)
            elif outcome.job.done is not None:
                outcome.job.done(outcome.value)
        self._pump()
        return True

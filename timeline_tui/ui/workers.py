"""The one path for a worker that fails unexpectedly: a notification naming it, never a traceback.

Workers post typed messages with their results; what they cannot foresee (a bug, a disk error in
the middle of a read) ends their worker in the ERROR state, which this mixin turns into words.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from timeline_tui.ui.text import clean


class ReportsWorkerErrors:
    """Mixin for a widget or screen that runs workers (``run_worker``/``@work``, ``exit_on_error=False``)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[object]) -> None:
        """Say that ``worker`` failed (override to also undo what waited for it)."""
        name = worker.name or "A background task"
        notify = getattr(self, "notify")  # noqa: B009 - a DOM node's notify
        notify(f"{name[:1].upper()}{name[1:]} failed: {clean(str(worker.error))}", severity="error", markup=False,
               timeout=10)

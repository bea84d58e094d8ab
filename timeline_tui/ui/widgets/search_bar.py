"""The ``/`` search box: searches as you type and announces what it found.

Up to :data:`SYNC_SEARCH_MAX` events a search runs on the UI thread (well under a millisecond);
above, in a worker thread, so typing never waits, and only the newest query's answer counts.
The bar posts :class:`SearchBar.Searching` (a thread is at work), :class:`SearchBar.Found` (the
matching events, and the row the search started from) and :class:`SearchBar.Closed` (``enter``
keeps the matches; ``esc`` cancels, and the screen goes back to where the search started).
The index (:class:`LiveIndex`) also holds the user's own text on each event (notes, link
comments and passages), so ``/`` finds it.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from textual import on, work
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from timeline_tui.core.model import Event
from timeline_tui.core.search import SearchIndex
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.workers import ReportsWorkerErrors

#: up to this many events a search runs as you type on the UI thread
SYNC_SEARCH_MAX = 5000


class LiveIndex:
    """The search index over ``events`` and the user's text on them, built once (in any thread)."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._extra: dict[str, str] = {}

    def get(self) -> SearchIndex:
        """The index (built now if it was not yet)."""
        with self._lock:
            if self._index is None:
                self._index = SearchIndex(self.events, extra=self._extra)
            return self._index

    def set_extra(self, event_id: str, text: str) -> None:
        """Make the user's ``text`` on ``event_id`` searchable (now, or when the index gets built)."""
        with self._lock:
            if text:
                self._extra[event_id] = text
            else:
                self._extra.pop(event_id, None)
            if self._index is not None:
                self._index.set_extra(event_id, text)

    def search(self, query: str) -> list[int]:
        """Dataset indices of the events matching ``query`` (none for a blank query)."""
        return self.get().search(query) if query.strip() else []


class SearchBar(ReportsWorkerErrors, Input):
    """A one-line search box, hidden until ``/`` opens it."""

    KEY_SCOPE = "search_bar"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    SearchBar { height: 1; border: none; padding: 0 1; background: $boost; }
    SearchBar:focus { border: none; }
    """

    class Searching(Message):
        """``query`` is being searched in a thread; :class:`Found` follows."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Found(Message):
        """The events (dataset indices) matching ``query``; ``origin`` is the row the search started at."""

        def __init__(self, query: str, hits: list[int], origin: int | None) -> None:
            super().__init__()
            self.query, self.hits, self.origin = query, hits, origin

    class Closed(Message):
        """The box closed: kept with ``enter`` (``cancelled`` False), or with ``esc``."""

        def __init__(self, cancelled: bool, origin: int | None) -> None:
            super().__init__()
            self.cancelled, self.origin = cancelled, origin

    class _Answer(Message):
        """A thread's answer to query number ``seq`` (it counts only if no newer query was typed)."""

        def __init__(self, seq: int, query: str, hits: list[int]) -> None:
            super().__init__()
            self.seq, self.query, self.hits = seq, query, hits

    def __init__(self, index: LiveIndex, *, id: str | None = None, sync_max: int = SYNC_SEARCH_MAX) -> None:
        super().__init__(placeholder="search titles, summaries, quotes…", id=id)
        self.index = index
        self.sync_max = sync_max
        self.origin: int | None = None
        self._seq = 0  # bumped by every query; a thread's answer counts only if still current
        self.pending = False  # a thread is searching for the current value

    def on_mount(self) -> None:
        self.display = False

    def open(self, query: str, origin: int) -> None:
        """Show the box with ``query`` in it; ``origin`` is where esc goes back to."""
        self.origin = origin
        self.display = True
        self.value = query  # searches again from the cursor (the matches may have changed)
        self.cursor_position = len(query)
        # focus now, not after a refresh: keys already queued after "/" must land in the box
        self.screen.set_focus(self)

    def _close(self, *, cancelled: bool) -> None:
        self._seq += 1  # an answer still on its way no longer counts
        self.pending = False
        self.display = False
        origin, self.origin = self.origin, None
        self.post_message(self.Closed(cancelled, origin))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        query = event.value
        self._seq += 1
        if len(self.index.events) <= self.sync_max or not query.strip():
            self.pending = False
            self.post_message(self.Found(query, self.index.search(query), self.origin))
            return
        self.pending = True
        self.post_message(self.Searching(query))
        self._search_in_thread(self._seq, query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, name="search")
    def _search_in_thread(self, seq: int, query: str) -> None:
        hits = self.index.search(query)
        if not get_current_worker().is_cancelled:
            self.post_message(self._Answer(seq, query, hits))

    @on(_Answer)
    def _answered(self, message: _Answer) -> None:
        if message.seq == self._seq:  # else a newer query (or closing the box) replaced it
            self.pending = False
            self.post_message(self.Found(message.query, message.hits, self.origin))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.pending:  # enter before the thread answered: finish here, so n/N work at once
            self._seq += 1
            self.pending = False
            self.post_message(self.Found(self.value, self.index.search(self.value), self.origin))
        self._close(cancelled=False)

    def worker_failed(self, worker: Worker[object]) -> None:
        """The search thread failed: say so, and show no matches rather than "searching…" forever."""
        if self.pending:
            self.pending = False
            self.post_message(self.Found(self.value, [], self.origin))
        super().worker_failed(worker)

    def action_cancel(self) -> None:
        """``esc`` in the box: drop the search and go back to where it started."""
        self._close(cancelled=True)

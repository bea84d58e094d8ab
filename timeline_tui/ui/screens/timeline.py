"""The main screen: overview strip, timeline and detail pane, with search, filter and date jumps,
notes and links (``a e d u``), selection (``space V ctrl+a X``) and export (``x y``).

Store changes run through :class:`~timeline_tui.ui.store_jobs.StoreJobs` (a worker thread, in
order); the screen shows the :class:`~timeline_tui.ui.annotating.AnnotationState` read after each.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, Note
from timeline_tui.core.dates import EdtfDate, EdtfPoint
from timeline_tui.core.export import ExportOptions, build_export
from timeline_tui.core.layout import build_layout, year_counts
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.search import Filter, SearchIndex, apply_filter
from timeline_tui.core.store import StoreError
from timeline_tui.ui.annotating import AnnotationState, StateSource, anchor_link, first_line, linked_text, note_label
from timeline_tui.ui.keys import bindings_of
from timeline_tui.ui.screens.note_editor import NoteEditorScreen
from timeline_tui.ui.store_jobs import Job, StoreJobs
from timeline_tui.ui.text import assemble, literal
from timeline_tui.ui.widgets.detail import DetailPane, LinkView
from timeline_tui.ui.widgets.overview import OverviewStrip
from timeline_tui.ui.widgets.timeline_view import TimelineView

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore

#: below this the app shows a "terminal too small" message instead of the timeline
MIN_WIDTH, MIN_HEIGHT = 40, 12
#: at or above this width the detail pane sits beside the timeline
WIDE = 100
#: below this height (when not wide) the panes are shown one at a time, tab switches
STACK_HEIGHT = 24
#: up to this many events a search runs as you type on the UI thread (it takes well under a
#: millisecond); above, it runs in a worker thread so typing never waits for it
SYNC_SEARCH_MAX = 5000


class _KeptTextEditor(NoteEditorScreen):
    """The note editor reopened after a failed save: the text shown is unsaved, so esc asks first."""

    def __init__(self, event_title: str, text: str, baseline: str, *, editing: bool) -> None:
        super().__init__(event_title, text, editing=editing)
        self.baseline = baseline

    @property
    def changed(self) -> bool:
        return self.text != self.baseline


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class TimelineScreen(Screen[None]):
    """Read the timeline: move, search, filter, jump to a date, open an event's source."""

    AUTO_FOCUS = "#timeline"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_source", "Source", tooltip="Open the article at this event's quote",
                id="open_source"),
        # priority: the search box takes focus before the next key is dispatched, so a burst of keys
        # (a paste, tmux send-keys) after "/" lands in the box instead of moving the timeline
        Binding("slash", "search", "Search", key_display="/", id="search", priority=True),
        Binding("n", "next_match", "Next match", show=False, id="search.next"),
        Binding("N", "prev_match", "Previous match", show=False, id="search.previous"),
        Binding("colon", "goto", "Go to date", key_display=":", show=False, id="goto"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("escape", "clear", "Clear range, search, filter, selection", show=False, id="clear"),
        Binding("tab", "switch_pane", "Pane", tooltip="Move between the timeline and the details",
                id="switch_pane"),
        Binding("shift+tab", "switch_pane", "Pane", show=False, id="switch_pane_back"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("a", "add_note", "Note", tooltip="Add a note to this event", id="note.add"),
        Binding("e", "edit_note", "Edit note", show=False, id="note.edit"),
        Binding("d", "delete_note", "Delete note/link", show=False, id="note.delete"),
        Binding("u", "undo", "Undo note/link change", show=False, id="note.undo"),
        Binding("space", "toggle_select", "Select", tooltip="Select or unselect this event", id="select.toggle"),
        Binding("V", "visual", "Select a range", show=False, id="select.range"),
        Binding("ctrl+a", "select_all", "Select all shown", show=False, id="select.all"),
        Binding("X", "clear_selection", "Clear selection", show=False, id="select.clear"),
        Binding("x", "export", "Export", tooltip="Export the selected events", id="export"),
        Binding("y", "copy", "Copy as Markdown", show=False, id="export.copy"),
    ]

    def __init__(self, dataset: Dataset, store: AnnotationStore | None = None) -> None:
        super().__init__()
        self.dataset = dataset
        self.store = store
        self.index: SearchIndex | None = None
        self.filter = Filter()
        self.query_text = ""
        self.match_rows: list[int] = []
        self._search_origin: int | None = None
        self._status_text: str | None = None
        self._timeline_title: str | None = None
        self.sync_search_max = SYNC_SEARCH_MAX
        self._search_seq = 0  # bumped by every search started; a thread's answer counts only if still current
        self._search_pending = False  # a search is running in a thread for query_text
        self._index_lock = threading.Lock()
        self.annotations = AnnotationState()
        self._extra: dict[str, str] = {}  # the user's searchable text per event (see _set_extra)
        self._anchors: dict[int, Anchor] = {}  # link id -> where its passage is now
        self.jobs: StoreJobs | None = None
        self.selected: set[str] = set()
        self._visual_from: int | None = None  # event index where a V range started
        self._told_selection_unsaved = False

    # -- composition ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        ds = self.dataset
        with Horizontal(id="title-bar"):
            yield Static(literal(ds.title), id="title-text")
            yield Static(id="title-info")
        yield OverviewStrip(ds.span.lower.year, ds.span.upper.year, id="overview")
        with Horizontal(id="panes"):
            view = TimelineView(ds, id="timeline")
            view.cursor_listener = self._on_cursor  # details follow in the cursor's frame
            yield view
            yield DetailPane(ds, id="detail")
        yield Input(placeholder="search titles, summaries, quotes…", id="search")
        yield Static(id="status")
        yield Footer(compact=True)
        yield Static(id="too-small")

    def on_mount(self) -> None:
        view = self.timeline
        self.query_one("#detail", DetailPane).border_title = "Details"
        self.query_one("#search", Input).display = False
        self.query_one("#too-small", Static).update(
            literal(f"Terminal too small\n\nResize to at least {MIN_WIDTH}×{MIN_HEIGHT}\n(q quits)")
        )
        if self.store is not None:
            self.jobs = StoreJobs(self, self.store, self._state_changed)
            self.annotations = AnnotationState.read(self.store)
            self._extra = {i: self.annotations.searchable(i) for i in self.annotations.annotated}
            self.selected = {i for i in self.store.selection() if self.dataset.event(i) is not None}
            stale = len(set(self.store.selection())) - len(self.selected)
            if stale:
                self.notify(f"{_plural(stale, 'selected event')} no longer in this dataset; left out.",
                            severity="warning", markup=False)
            view.set_annotated(self.annotations.annotated)
            view.set_selected(self.selected)
            if self.annotations.links:
                self._check_anchors(self.annotations.all_links())
        self._refresh_counts()
        self._apply_size(self.app.size.width, self.app.size.height)
        self._on_cursor(view.cursor_event)
        self.call_after_refresh(self._build_index)

    @property
    def timeline(self) -> TimelineView:
        return self.query_one("#timeline", TimelineView)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def current_event(self) -> Event | None:
        """The event under the cursor."""
        i = self.timeline.cursor_event
        return None if i is None else self.dataset.events[i]

    # -- size ---------------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        wide = width >= WIDE
        stacked = not wide and height >= STACK_HEIGHT
        self.set_class(too_small, "-too-small")
        self.set_class(wide, "-wide")
        self.set_class(stacked, "-stacked")
        self.set_class(not wide and not stacked, "-toggled")
        self.set_class(height < 20, "-short")
        self._show_focused_pane()
        for footer in self.query(Footer):
            footer.compact = True
            footer.show_command_palette = width >= 60  # narrow: the keys need the room (ctrl+p still works)
        if self.is_mounted:
            self._update_status()

    def _show_focused_pane(self) -> None:
        """In the one-pane layout only the focused pane (timeline by default) is shown."""
        detail_focused = self.focused is self.detail
        self.set_class(detail_focused, "-show-detail")

    # -- cursor and counts -----------------------------------------------------------------------
    @on(TimelineView.CursorMoved)
    def _cursor_moved(self, message: TimelineView.CursorMoved) -> None:
        self._on_cursor(message.index)

    def _on_cursor(self, index: int | None) -> None:
        with self.app.batch_update():
            self._show_cursor(index)

    def _show_cursor(self, index: int | None) -> None:
        view = self.timeline
        event = None if index is None else self.dataset.events[index]
        self._show_detail(event)
        if self._visual_from is not None:
            view.set_pending(self._visual_range())
        year = view.cursor_year
        self.query_one("#overview", OverviewStrip).set_cursor_year(year)
        eras = [e.title for e in self.dataset.eras if e.date.lower.year <= year <= e.date.upper.year]
        title = assemble((str(year), "bold"), *((" · " + t) for t in eras), multiline=False)
        if title.plain != self._timeline_title:  # setting it repaints the whole timeline: only on a new year
            self._timeline_title = title.plain
            view.border_title = title
        self._update_status()

    def _refresh_counts(self) -> None:
        view = self.timeline
        order = view.layout_rows.order
        self.query_one("#overview", OverviewStrip).set_counts(year_counts(self.dataset.events, order, self.dataset.span, keys=view.keys))
        total = len(self.dataset.events)
        info = f"{total} events · {len(self.dataset.sources)} sources"
        if self.filter.active:
            info = f"{len(order)} of {info}"
        if self.read_only:
            info += " · notes read-only"
        self.query_one("#title-info", Static).update(literal(info))

    @property
    def read_only(self) -> bool:
        """True when the notes cannot be changed (another instance holds them, or none are open)."""
        return self.store is not None and self.store.read_only

    def _update_status(self) -> None:
        parts: list[str | tuple[str, str]] = []
        lead: list[str | tuple[str, str]] = []
        if self.read_only:
            lead += [("READ-ONLY", "bold reverse"), " notes  "]
        if self._visual_from is not None:
            n = len(self._visual_range())
            lead += [("RANGE", "bold reverse"), f" {_plural(n, 'event')} · space/enter selects · esc cancels  "]
        elif self.selected:
            hint = "  x export · y copy · X clears  " if self.app.size.width >= 60 else "  "
            lead += [(f"● {len(self.selected)} selected", "bold"), hint]
        if self.query_text.strip() and self._search_pending:
            parts += [("/", "bold"), self.query_text, ("  searching…", "bold")]
        elif self.query_text.strip():
            n = len(self.match_rows)
            if n:
                row = self.timeline.cursor_row
                k = bisect_left(self.match_rows, row)
                where = f"{k + 1}/{n}" if k < n and self.match_rows[k] == row else f"–/{n}"
                parts += [("/", "bold"), self.query_text, (f"  {n} match{'es' if n != 1 else ''} ({where})", "bold"),
                          "  n/N next/previous"]
            else:
                parts += [("/", "bold"), self.query_text, ("  no matches", "bold")]
        if self.filter.active:
            if parts:
                parts.append("   ")
            parts += [("Filter: ", "bold"), self.filter.describe(),
                      f"  ({self.timeline.layout_rows.event_count} of {len(self.dataset.events)})"]
        if parts:
            parts.append("  esc clears")
        parts = lead + parts
        content = assemble(*parts, multiline=False) if parts else Content("")
        if content.plain != self._status_text:  # an unchanged status costs no layout pass
            self._status_text = content.plain
            status = self.query_one("#status", Static)
            shown = bool(parts)
            status.update(content, layout=status.display != shown)  # one line, fixed size: no layout pass
            status.display = shown

    # -- search ---------------------------------------------------------------------------------------
    def _index(self) -> SearchIndex:
        with self._index_lock:
            if self.index is None:
                self.index = SearchIndex(self.dataset.events, extra=self._extra)
            return self.index

    def _set_extra(self, event_id: str, text: str) -> None:
        """Make the user's text on ``event_id`` searchable (now, or when the index gets built)."""
        with self._index_lock:
            if text:
                self._extra[event_id] = text
            else:
                self._extra.pop(event_id, None)
            if self.index is not None:
                self.index.set_extra(event_id, text)

    @work(thread=True, exclusive=True, group="search-index")
    def _build_index(self) -> None:
        """Build the search index in the background so the first ``/`` does not wait for it."""
        self._index()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "/" typed in the search box is a character: let the box have the key
        return not (action == "search" and self.focused is not None and self.focused.id == "search")

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        self._search_origin = self.timeline.cursor_row
        box.display = True
        box.value = self.query_text
        self.set_focus(box)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        query = event.value
        if len(self.dataset.events) <= self.sync_search_max or not query.strip():
            self.run_search(query, origin=self._search_origin)
            return
        # Large datasets: search in a thread so typing never waits; the newest query wins.
        self._search_seq += 1
        self.query_text = query
        self._search_pending = True
        self._update_status()
        self._search_in_thread(query, self._search_origin, self._search_seq)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search_in_thread(self, query: str, origin: int | None, seq: int) -> None:
        hits = self._index().search(query)
        if not get_current_worker().is_cancelled:
            self.post_message(self.SearchDone(query, origin, seq, hits))

    class SearchDone(Message):
        """A search run in a thread has its results (``seq`` tells which query they answer)."""

        def __init__(self, query: str, origin: int | None, seq: int, hits: list[int]) -> None:
            super().__init__()
            self.query = query
            self.origin = origin
            self.seq = seq
            self.hits = hits

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        if message.seq == self._search_seq:  # else a newer query (or a cleared search) replaced it
            self._show_search(message.query, message.hits, message.origin)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._search_pending:  # enter before the thread answered: finish it here, so n/N work at once
            self.run_search(self.query_text, origin=self._search_origin)
        self._close_search()

    def _close_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = False
        self._search_origin = None
        self.set_focus(self.timeline)
        self._update_status()

    def run_search(self, query: str, *, origin: int | None = None) -> None:
        """Mark events matching ``query`` among those shown and move to the first at/after ``origin``.

        Runs at once (a search still running in a thread is superseded).
        """
        self._search_seq += 1
        hits = self._index().search(query) if query.strip() else []
        self._show_search(query, hits, origin)

    def _show_search(self, query: str, hits: list[int], origin: int | None) -> None:
        view = self.timeline
        self.query_text = query
        self._search_pending = False
        if not query.strip():
            self.match_rows = []
            view.set_matches((), "")
            self._update_status()
            return
        layout = view.layout_rows
        row_of = layout.row_of_event
        shown = [i for i in hits if row_of(i) is not None]
        rows = sorted(r for i in shown if (r := row_of(i)) is not None)
        self.match_rows = rows
        with self.app.batch_update():
            view.set_matches(shown, query)
            if rows and origin is not None:
                k = bisect_left(rows, origin)
                view.move_to_row(rows[k % len(rows)], scroll="center")
            self._update_status()

    def action_next_match(self) -> None:
        self._step_match(forward=True)

    def action_prev_match(self) -> None:
        self._step_match(forward=False)

    def _step_match(self, *, forward: bool) -> None:
        rows = self.match_rows
        if not rows:
            self.app.bell()
            return
        here = self.timeline.cursor_row
        if forward:
            k = bisect_right(rows, here)
            wrapped = k >= len(rows)
            target = rows[0] if wrapped else rows[k]
        else:
            k = bisect_left(rows, here) - 1
            wrapped = k < 0
            target = rows[-1] if wrapped else rows[k]
        if wrapped and len(rows) > 1:
            self.notify("Search wrapped around", timeout=2)
        self.timeline.move_to_row(target, scroll="center")
        self._update_status()

    # -- filter -----------------------------------------------------------------------------------
    def _annotated(self) -> set[str]:
        return self.annotations.annotated

    def count_for(self, flt: Filter) -> int:
        return len(apply_filter(self.dataset, flt, self._index(), annotated=self._annotated()))

    def action_filter(self) -> None:
        from timeline_tui.ui.screens.filter import FilterScreen

        self.app.push_screen(FilterScreen(self.dataset, self.filter, self.count_for), self._filter_chosen)

    def _filter_chosen(self, flt: Filter | None) -> None:
        if flt is not None:
            self.apply_filter(flt)

    def apply_filter(self, flt: Filter) -> None:
        """Show only events passing ``flt``; the cursor stays on its event, or the nearest one."""
        view = self.timeline
        keep = view.cursor_event
        self._end_visual()
        self.filter = flt
        indices = apply_filter(self.dataset, flt, self._index(), annotated=self._annotated()) if flt.active else None
        layout = build_layout(self.dataset.events, indices, self.dataset.span, keys=view.keys)
        view.set_layout(layout, filtered=flt.active, keep_event=keep)
        self._refresh_counts()
        if self.query_text:
            self.run_search(self.query_text)
        self._on_cursor(view.cursor_event)

    def action_clear(self) -> None:
        """esc: cancel what is being typed or ranged, else clear the search, the filter, the selection."""
        box = self.query_one("#search", Input)
        if box.display:
            origin = self._search_origin
            self.run_search("")
            self._close_search()
            if origin is not None:
                self.timeline.move_to_row(origin)
            return
        if self._visual_from is not None:
            self._end_visual()
            self.notify("Range cancelled", timeout=2)
        elif self.query_text:
            self.run_search("")
            self.notify("Search cleared", timeout=2)
        elif self.filter.active:
            self.apply_filter(Filter())
            self.notify("Filter cleared", timeout=2)
        elif self.selected:
            self.action_clear_selection()

    # -- go to date ---------------------------------------------------------------------------------
    def action_goto(self) -> None:
        from timeline_tui.ui.screens.goto import GotoDateScreen

        self.app.push_screen(GotoDateScreen(), self.go_to_date)

    def go_to_date(self, when: EdtfDate | None) -> None:
        """Move to the shown event nearest ``when``; say so when none is at that date."""
        if when is None:
            return
        view = self.timeline
        k = view.layout_rows.position_for_date(when)
        if k is None:
            self.notify("No events to go to", severity="warning")
            return
        view.move_to_position(k, scroll="center")
        event = self.current_event
        if event is not None and not event.date.overlaps(when):
            self.notify(f"Nothing in {when.display()}; nearest is {event.date.display()}", markup=False, timeout=4)

    # -- panes -------------------------------------------------------------------------------------
    def action_switch_pane(self) -> None:
        if self.focused is self.detail:
            self.set_focus(self.timeline)
        else:
            self.set_focus(self.detail)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_focused_pane()

    @on(OverviewStrip.YearClicked)
    def _year_clicked(self, message: OverviewStrip.YearClicked) -> None:
        self.go_to_date(EdtfDate(EdtfPoint(message.year)))

    def _event_unless_taking_range(self) -> Event | None:
        """The event under the cursor; ``None`` after taking a range being chosen, or (with a bell) on no event."""
        if self._visual_from is not None:
            self._take_visual()
            return None
        event = self.current_event
        if event is None:
            self.app.bell()
        return event

    # -- sources ----------------------------------------------------------------------------------------
    def action_open_source(self) -> None:
        """enter: take a range being chosen, else open the current quote or link (or edit the current note)."""
        event = self._event_unless_taking_range()
        if event is None:
            return
        item = self.detail.current() if self.focused is self.detail else None
        if item is not None and item[0] == "note":
            self._edit(event, self.detail.notes[item[1]])
            return
        if item is not None and item[0] == "link":
            self._open_link(event, self.detail.links[item[1]])
            return
        if not event.quotes:
            links = self.detail.links
            if links:
                self._open_link(event, links[0])
            else:
                self.app.bell()
            return
        q = item[1] if item is not None else 0
        quote = event.quotes[min(q, len(event.quotes) - 1)]
        if self.dataset.source_text(quote.source) is None:
            self.notify(f"The source file for {quote.source} is missing", severity="warning", markup=False)
            return
        self._push_source(quote.source, (quote.start, quote.end), event.id)

    def _open_link(self, event: Event, view: LinkView) -> None:
        link, found = view.link, view.anchor
        if self.dataset.source_text(link.source_id) is None:
            self.notify(f"The source file for {link.source_id} is missing", severity="warning", markup=False)
            return
        if found.status is AnchorStatus.ORPHANED or found.start is None or found.end is None:
            self.notify("This linked passage is no longer in the source (orphaned); showing the source.",
                        severity="warning", markup=False)
            self._push_source(link.source_id, None, event.id)
            return
        self._push_source(link.source_id, (found.start, found.end), event.id)

    def _push_source(self, source_id: str, focus: tuple[int, int] | None, event_id: str) -> None:
        try:
            from timeline_tui.ui.screens.source import SourceScreen
        except ImportError:
            self.notify("The source viewer is not available in this build", severity="error")
            return

        def push() -> None:
            self.app.push_screen(
                SourceScreen(self.dataset, source_id, focus=focus, event_id=event_id, store=self.store),
                self._back_from_source,
            )

        self._when_idle(push)

    def _back_from_source(self, event_id: str | None) -> None:
        # Links may have been added there (the store holds them): show them whatever the result.
        if self.store is not None:
            self._state_changed(AnnotationState.read(self.store))
        if event_id is None:
            return
        index = self.dataset.index_of(event_id)
        if index is None:
            return
        if not self.timeline.move_to_event(index):
            self.apply_filter(Filter())
            self.timeline.move_to_event(index)

    # -- annotations: state -----------------------------------------------------------------------
    def _when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once no store change is pending (screens that read the store wait for it)."""
        if self.jobs is None:
            callback()
        else:
            self.jobs.when_idle(callback)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.jobs is not None and self.jobs.handle(event):
            return
        worker = event.worker
        if worker.group == "search" and event.state is WorkerState.ERROR:
            self._search_pending = False
            self._update_status()
            self.notify(f"Search failed: {worker.error}", severity="error", markup=False)
            return
        if worker.group == "anchors" and event.state is WorkerState.SUCCESS and isinstance(worker.result, dict):
            self._anchors_checked(worker.result)
        elif worker.group == "copy":
            if event.state is WorkerState.SUCCESS and isinstance(worker.result, tuple):
                text, count = worker.result
                self.app.copy_to_clipboard(text)
                self.notify(f"Copied {_plural(count, 'event')} as Markdown to the clipboard "
                            "(via the terminal, OSC 52).", markup=False)
            elif event.state is WorkerState.ERROR:
                self.notify(f"Could not copy: {worker.error}", severity="error", markup=False)

    def _state_changed(self, state: AnnotationState) -> None:
        """Show the store's state after a change: markers, details, search text, filter."""
        old, self.annotations = self.annotations, state
        changed = state.changed_events(old)
        if not changed:
            return
        for event_id in changed:
            self._set_extra(event_id, state.searchable(event_id))
        new_links = [lk for lk in state.all_links() if lk.id not in self._anchors]
        if len(new_links) > 8:
            self._check_anchors(new_links)
        self.timeline.set_annotated(state.annotated)
        if self.filter.annotated_only:
            self.apply_filter(self.filter)  # also re-runs the search and shows the details
        else:
            if self.query_text.strip():
                self.run_search(self.query_text)
            self._show_detail(self.current_event)

    def _anchor(self, link: Link) -> Anchor:
        found = self._anchors.get(link.id)
        if found is None:
            found = self._anchors[link.id] = anchor_link(self.dataset, link)
        return found

    @work(thread=True, group="anchors", exit_on_error=False)
    def _check_anchors(self, links: list[Link]) -> dict[int, Anchor]:
        """Re-find every link's passage in its source (in the background: fuzzy matching can take a while)."""
        return {link.id: anchor_link(self.dataset, link) for link in links}

    def _anchors_checked(self, found: dict[int, Anchor]) -> None:
        self._anchors.update(found)
        orphaned = sum(1 for a in found.values() if a.status is AnchorStatus.ORPHANED)
        fuzzy = sum(1 for a in found.values() if a.status is AnchorStatus.FUZZY)
        if orphaned or fuzzy:
            parts = []
            if orphaned:
                parts.append(f"{_plural(orphaned, 'linked passage')} could not be found in the sources (orphaned)")
            if fuzzy:
                parts.append(f"{fuzzy} only approximately (the text changed)")
            self.notify("; ".join(parts) + ". See the details pane.", severity="warning", markup=False, timeout=8)
        self._show_detail(self.current_event)

    def _show_detail(self, event: Event | None) -> None:
        if event is None:
            self.detail.show_event(None, read_only=self.read_only)
            return
        notes = self.annotations.notes.get(event.id, ())
        links = []
        for link in self.annotations.links.get(event.id, ()):
            found = self._anchor(link)
            links.append(LinkView(link, found, linked_text(self.dataset, link, found)))
        self.detail.show_event(event, notes, links, read_only=self.read_only)

    # -- annotations: notes ---------------------------------------------------------------------------
    def _writable(self) -> bool:
        """True if notes can be changed now; else says why."""
        if self.store is None or self.jobs is None:
            self.notify("No notes file is open, so notes cannot be saved.", severity="error", markup=False)
            return False
        if self.store.read_only:
            self.notify(f"{self._read_only_reason()} Nothing was changed.", title="Notes are read-only",
                        severity="error", markup=False, timeout=8)
            return False
        return True

    def _read_only_reason(self) -> str:
        """Why the notes cannot be changed (the store says, when it can)."""
        reason = str(getattr(self.store, "read_only_reason", "") or "")
        if not reason and self.store is not None:
            reason = f"Another timeline-tui is using {self.store.path}."
        return reason

    @staticmethod
    def _heading(event: Event) -> str:
        return f"{event.date.display()} · {event.title}"

    def _submit(self, job: Job) -> None:
        if self.jobs is not None:
            self.jobs.submit(job)

    def _store_failed(self, title: str) -> Callable[[StoreError], None]:
        def failed(exc: StoreError) -> None:
            self.notify(str(exc), title=title, severity="error", markup=False, timeout=10)
        return failed

    def action_add_note(self) -> None:
        event = self.current_event
        if event is None:
            self.app.bell()
            return
        if self._writable():
            self._open_editor(event, "", None)

    def _open_editor(self, event: Event, text: str, note: Note | None, *, retry: bool = False) -> None:
        """The note editor on ``event`` (``note`` being edited or None); saving runs in the worker.

        A failed save reopens the editor with the text typed, so nothing is lost.
        """
        heading = self._heading(event)
        editor = (_KeptTextEditor(heading, text, note.text if note else "", editing=note is not None) if retry
                  else NoteEditorScreen(heading, text, editing=note is not None))

        def written(result: str | None) -> None:
            if result is None:
                return

            def failed(exc: StoreError) -> None:
                self.notify(f"{exc} Your text is kept in the editor: try again, or copy it.", title="Note not saved",
                            severity="error", markup=False, timeout=12)
                self._open_editor(event, result, note, retry=True)

            def saved(done: object) -> None:
                self.notify("Note saved · u undoes" if note is None else "Note updated · u undoes", timeout=3,
                            markup=False)
                if isinstance(done, Note):
                    self.detail.reveal_note(done.id)

            if note is None:
                self._submit(Job(lambda store: store.add_note(event.id, result), failed=failed, done=saved))
            else:
                self._submit(Job(lambda store: store.update_note(note.id, result), failed=failed, done=saved))

        self.app.push_screen(editor, written)

    def _pick_note(self, question: str, then: Callable[[Event, Note], None]) -> None:
        """The note to act on: the details' current note, the only one, or one chosen from a list."""
        event = self.current_event
        if event is None:
            self.app.bell()
            return
        item = self.detail.current() if self.focused is self.detail else None
        if item is not None and item[0] == "note":
            then(event, self.detail.notes[item[1]])
            return
        notes = list(self.annotations.notes.get(event.id, ()))
        if not notes:
            self.notify("This event has no notes (a adds one).", markup=False, timeout=4)
            return
        if len(notes) == 1:
            then(event, notes[0])
            return
        from timeline_tui.ui.screens.note_picker import NotePickerScreen

        by_id = {n.id: n for n in notes}

        def picked(note_id: int | None) -> None:
            if note_id is not None and note_id in by_id:
                then(event, by_id[note_id])

        self.app.push_screen(NotePickerScreen(question, self._heading(event), notes), picked)

    def action_edit_note(self) -> None:
        item = self.detail.current() if self.focused is self.detail else None
        if item is not None and item[0] == "link":
            self.notify("A link cannot be edited: d deletes it, then link the passage again in the source.",
                        markup=False, timeout=5)
            return
        if self._writable():
            self._pick_note("Edit which note?", self._edit)

    def _edit(self, event: Event, note: Note) -> None:
        if self._writable():
            self._open_editor(event, note.text, note)

    def action_delete_note(self) -> None:
        if not self._writable():
            return
        item = self.detail.current() if self.focused is self.detail else None
        if item is not None and item[0] == "link":
            self._delete_link(self.detail.links[item[1]].link)
            return
        self._pick_note("Delete which note?", self._delete)

    def _delete(self, event: Event, note: Note) -> None:
        question = f"Delete the note of {note_label(note)}?\n“{first_line(note.text, 120)}”"
        self._confirm_delete(question, lambda store: store.delete_note(note.id), "Note deleted")

    def _delete_link(self, link: Link) -> None:
        question = f"Delete your link to “{first_line(link.quote.exact, 120)}”?"
        self._confirm_delete(question, lambda store: store.delete_link(link.id), "Link deleted")

    def _confirm_delete(self, question: str, delete: Callable[[AnnotationStore], object], done: str) -> None:
        """Ask first; on yes, run ``delete`` as a store job and say how to undo it."""
        from timeline_tui.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._submit(Job(delete, failed=self._store_failed("Not deleted"),
                                 done=lambda _: self.notify(f"{done} · u brings it back", timeout=4, markup=False)))

        self.app.push_screen(ConfirmScreen(question, "Delete", "Keep"), answered)

    def action_undo(self) -> None:
        if not self._writable():
            return
        before = self.annotations

        def done(message: object) -> None:
            changed = self.annotations.changed_events(before)
            where = ""
            if len(changed) == 1:
                event = self.dataset.event(next(iter(changed)))
                if event is not None:
                    where = f" on “{event.title}”"
            self.notify(f"Undone: {message}{where}", markup=False, timeout=4)

        def failed(exc: StoreError) -> None:
            nothing = str(exc).startswith("Nothing to undo")
            self.notify(str(exc), severity="information" if nothing else "error", markup=False,
                        timeout=3 if nothing else 10)

        self._submit(Job(lambda store: store.undo(), done=done, failed=failed))

    # -- selection --------------------------------------------------------------------------------
    def _set_selected(self, ids: Iterable[str]) -> None:
        """Show and persist the selection (saving runs in the worker; a newer selection replaces a queued one)."""
        self.selected = set(ids)
        self.timeline.set_selected(self.selected)
        self._update_status()
        if self.jobs is None or self.store is None:
            return
        index_of = self.dataset.index_of
        ordered = sorted(self.selected, key=lambda i: index_of(i) or 0)
        if self.store.read_only and not self._told_selection_unsaved:
            self._told_selection_unsaved = True
            self.notify("Notes are read-only, so the selection will not be kept after you quit.",
                        severity="warning", markup=False, timeout=6)
        self.jobs.submit(Job(lambda store: store.set_selection(ordered), key="selection", refresh=False,
                             failed=self._store_failed("Selection not saved")))

    def action_toggle_select(self) -> None:
        event = self._event_unless_taking_range()
        if event is None:
            return
        if event.id in self.selected:
            self._set_selected(self.selected - {event.id})
        else:
            self._set_selected(self.selected | {event.id})

    def action_visual(self) -> None:
        """V: start a range at the cursor (V again or esc cancels; space/enter takes it)."""
        if self._visual_from is not None:
            self._end_visual()
            return
        index = self.timeline.cursor_event
        if index is None:
            self.app.bell()
            return
        self._visual_from = index
        self.timeline.set_pending(self._visual_range())
        self._update_status()

    def _visual_range(self) -> list[str]:
        """Ids of the shown events between where V was pressed and the cursor."""
        view = self.timeline
        layout = view.layout_rows
        if self._visual_from is None or not layout.event_count:
            return []
        start_row = layout.row_of_event(self._visual_from)
        if start_row is None:
            return []
        a, b = layout.position_of_row(start_row), view.position
        lo, hi = min(a, b), max(a, b)
        return [self.dataset.events[layout.order[k]].id for k in range(lo, hi + 1)]

    def _take_visual(self) -> None:
        chosen = self._visual_range()
        self._end_visual()
        added = set(chosen) - self.selected
        self._set_selected(self.selected | set(chosen))
        self.notify(f"Selected {_plural(len(added), 'more event')} ({len(self.selected)} in all)", timeout=3,
                    markup=False)

    def _end_visual(self) -> None:
        if self._visual_from is None:
            return
        self._visual_from = None
        self.timeline.set_pending(())
        self._update_status()

    def action_select_all(self) -> None:
        """ctrl+a: select every event shown (the search's matches when a search is on)."""
        self._end_visual()
        layout = self.timeline.layout_rows
        events = self.dataset.events
        if self.query_text.strip():
            chosen = {events[i].id for r in self.match_rows if (i := layout.event_at(r)) is not None}
            what = f"matching “{self.query_text.strip()}”"
        else:
            chosen = {events[i].id for i in layout.order}
            what = "shown" if self.filter.active else "in the timeline"
        if not chosen:
            self.notify("No events to select.", markup=False, timeout=3)
            return
        self._set_selected(self.selected | chosen)
        self.notify(f"Selected {_plural(len(chosen), 'event')} {what} ({len(self.selected)} in all)", timeout=4,
                    markup=False)

    def action_clear_selection(self) -> None:
        """X (or esc with nothing else to clear): unselect everything, after saying how many."""
        if self._visual_from is not None:
            self._end_visual()
        n = len(self.selected)
        if not n:
            self.notify("Nothing is selected.", markup=False, timeout=3)
            return
        from timeline_tui.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_selected(())
                self.notify(f"Selection cleared ({_plural(n, 'event')})", timeout=3, markup=False)

        self.app.push_screen(ConfirmScreen(f"Clear {_plural(n, 'selected event')}?", "Clear", "Keep"), answered)

    # -- export -------------------------------------------------------------------------------------
    def _export_ids(self, *, quiet: bool = False) -> list[str] | None:
        """The selected events that pass the filter (chronological), else the event under the cursor.

        ``quiet`` leaves out the notice about selected events the filter hides (the caller shows it).
        """
        layout = self.timeline.layout_rows
        index_of = self.dataset.index_of
        if self.selected:
            shown = [i for i in self.selected if (k := index_of(i)) is not None and layout.row_of_event(k) is not None]
            hidden = len(self.selected) - len(shown)
            if not shown:
                self.notify(f"All {_plural(hidden, 'selected event')} are hidden by the filter "
                            f"({self.filter.describe()}); esc clears it.", severity="warning", markup=False)
                return None
            if hidden and not quiet:
                self.notify(f"{_plural(hidden, 'selected event')} hidden by the filter "
                            f"({self.filter.describe()}) left out; esc clears the filter.",
                            severity="warning", markup=False, timeout=8)
            return sorted(shown, key=lambda i: index_of(i) or 0)
        event = self.current_event
        if event is None:
            self.notify("Nothing to export: select events with space, V or ctrl+a.", severity="warning",
                        markup=False)
            return None
        self.notify("Nothing selected: exporting the event under the cursor (space selects).", markup=False,
                    timeout=4)
        return [event.id]

    def action_export(self) -> None:
        """x: the export dialog for the selection (or the event under the cursor)."""
        self._end_visual()
        ids = self._export_ids(quiet=True)
        if ids is None:
            return
        from timeline_tui.ui.screens.export_dialog import ExportDialog

        description = self.filter.describe()
        hidden = len(self.selected) - len(ids) if self.selected else 0
        note = f"{len(ids)} of {len(self.selected)} selected: {hidden} hidden by the filter left out." if hidden else ""

        def push() -> None:
            self.app.push_screen(ExportDialog(self.dataset, self.store, ids, description, note=note))

        self._when_idle(push)

    def action_copy(self) -> None:
        """y: the selection's Markdown export to the clipboard."""
        self._end_visual()
        ids = self._export_ids()
        if ids is None:
            return
        self._copy(ids, StateSource(self.annotations), ExportOptions(filter_description=self.filter.describe()))

    @work(thread=True, group="copy", exclusive=True, exit_on_error=False)
    def _copy(self, ids: list[str], source: StateSource, options: ExportOptions) -> tuple[str, int]:
        return build_export(self.dataset, source, ids, options), len(ids)

    # -- help -----------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from timeline_tui.ui.screens.help import HelpScreen

        app_bindings = bindings_of(self.app.BINDINGS)
        mine = bindings_of(self.BINDINGS)

        def pick(*actions: str) -> list[Binding]:
            return [b for b in mine if b.action in actions]

        sections = [
            ("Move", bindings_of(TimelineView.BINDINGS)),
            ("Find and jump", pick("search", "next_match", "prev_match", "goto", "filter", "clear")),
            ("Read", pick("open_source", "switch_pane", "help") + bindings_of(DetailPane.BINDINGS)),
            ("Notes and links", pick("add_note", "edit_note", "delete_note", "undo")),
            ("Select and export", pick("toggle_select", "visual", "select_all", "clear_selection", "export", "copy")),
            ("App", app_bindings),
        ]
        if self.store is None:
            store_path = "(notes are not available)"
        else:
            store_path = str(self.store.path)
            if self.store.read_only:
                store_path += f" (read-only) {self._read_only_reason()}"
        badges = "; ".join(
            f"{n} {source.title} ({source.publisher}, {source.published.display()})"
            for n, source in enumerate(self.dataset.sources.values(), start=1)
        )
        facts = [("Dataset", str(self.dataset.path)), ("Notes file", store_path), ("Source badges ⟨n⟩", badges),
                 ("Notes", "e/d act on the current note in the details (tab, j/k), else pick from a list; "
                           "links are made in the source viewer (v selects, l links)"),
                 ("Export", "x and y take the selected events that pass the filter, or the event under the cursor"),
                 ("Command palette", "ctrl+p lists every command; pick “Theme” to change colours")]
        self.app.push_screen(HelpScreen(sections, facts))

"""The main screen: it composes the widgets and routes their messages.

The widgets own their jobs: the title bar, the overview strip, the timeline (cursor, matches,
its year in the border), the detail pane (items, link anchors), the search box (searching, in a
thread when the data is large) and the status line (reactives). The screen listens with ``@on``
and keeps what ties them together: the filter, the query, the annotations the app holds (it
watches them), and the note, selection and source flows (:mod:`.timeline_notes`,
:mod:`.timeline_selection`, :mod:`.timeline_sources`).
"""

from __future__ import annotations

import asyncio
from typing import ClassVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from timeline_tui.core.dates import EdtfDate, EdtfPoint, Precision
from timeline_tui.core.layout import build_layout, year_counts
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.search import Filter, apply_filter
from timeline_tui.ui.annotating import AnnotationState
from timeline_tui.ui.clipboard import copy_message
from timeline_tui.ui.dialogs.full_text import FullTextScreen
from timeline_tui.ui.keys import bindings, current_keymap
from timeline_tui.ui.notes_app import NotesApp
from timeline_tui.ui.screens.legend import timeline_legend
from timeline_tui.ui.screens.timeline_notes import NoteFlow
from timeline_tui.ui.screens.timeline_selection import SelectionFlow
from timeline_tui.ui.screens.timeline_sources import SourceFlow
from timeline_tui.ui.store_jobs import JobDone, JobFailed
from timeline_tui.ui.text import plural
from timeline_tui.ui.widgets.detail import DetailPane
from timeline_tui.ui.widgets.overview import OverviewStrip
from timeline_tui.ui.widgets.search_bar import LiveIndex, SearchBar
from timeline_tui.ui.widgets.status_line import FilterState, SearchState, StatusLine
from timeline_tui.ui.widgets.timeline_view import TimelineView
from timeline_tui.ui.widgets.title_bar import TitleBar
from timeline_tui.ui.workers import ReportsWorkerErrors

#: at or above this width the detail pane sits beside the timeline
WIDE = 100
#: below this (and wide) the detail pane is narrower, so the timeline keeps its tag and source columns
MEDIUM = 120
#: below this height (when not wide) the panes are shown one at a time, tab switches
STACK_HEIGHT = 24


def landing_message(when: EdtfDate, how: str, event: Event, *, filtered: bool = False) -> str:
    """What ``:`` says after landing on ``event`` for the date ``when`` (``how``: a
    :class:`~timeline_tui.core.layout.DateHit`'s); ``""`` when the event is at that date."""
    asked, there = when.display(), event.date.display()
    shown = " shown" if filtered else ""
    on = "on" if when.end is None and when.start.precision is Precision.DAY else "in"
    if how == "before-first":
        return f"{asked} is before the first event{shown}: showing the first, {there}"
    if how == "after-last":
        return f"{asked} is after the last event{shown}: showing the last, {there}"
    if how == "covers":
        return f"No event{shown} starts {on} {asked}; showing {there}, which spans it"
    if how == "nearest":
        return f"No event{shown} {on} {asked}; the nearest is {there}"
    return ""


class TimelineScreen(ReportsWorkerErrors, Screen[None]):
    """Read the timeline: move, search, filter, jump to a date, open an event's source."""

    AUTO_FOCUS = "#timeline"
    KEY_SCOPE = "main"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset
        self.index = LiveIndex(dataset.events)
        self.filter = Filter()
        self.query_text = ""
        self.notes = NoteFlow(self)
        self.selection = SelectionFlow(self)
        self.sources = SourceFlow(self)

    @property
    def notes_app(self) -> NotesApp[int]:
        return cast("NotesApp[int]", self.app)

    # -- composition ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        ds = self.dataset
        # kept at hand: every key updates several of them, and a query per key would walk the DOM
        self._title = TitleBar(ds.title, id="title-bar")
        self._overview = OverviewStrip(ds.span.lower.year, ds.span.upper.year, id="overview")
        self._timeline, self._detail = TimelineView(ds, id="timeline"), DetailPane(ds, id="detail")
        self._search_bar, self._status = SearchBar(self.index, id="search"), StatusLine(id="status")
        yield self._title
        yield self._overview
        with Horizontal(id="panes"):
            yield self._timeline
            yield self._detail
        yield self._search_bar
        yield self._status
        yield Footer(compact=True)

    def on_mount(self) -> None:
        app = self.notes_app
        self.detail.border_title = "Details"
        state = app.annotations
        for event_id in state.annotated:
            self.index.set_extra(event_id, state.searchable(event_id))
        self.timeline.set_annotated(state.annotated)
        self.selection.restore()
        if state.links:
            self.detail.check_anchors(state.all_links())
        self.watch(app, "annotations", self._annotations_changed, init=False)
        self._refresh_counts()
        self._apply_size(self.app.size.width, self.app.size.height)
        self.show_cursor()
        self.call_after_refresh(self._build_index)

    @property
    def timeline(self) -> TimelineView:
        return self._timeline

    @property
    def detail(self) -> DetailPane:
        return self._detail

    @property
    def status(self) -> StatusLine:
        return self._status

    @property
    def current_event(self) -> Event | None:
        """The event under the cursor."""
        i = self.timeline.cursor_event
        return None if i is None else self.dataset.events[i]

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False, name="building the search index")
    def _build_index(self) -> None:
        """Build the search index in the background so the first ``/`` does not wait for it."""
        self.index.get()

    # -- size ---------------------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        wide = width >= WIDE
        stacked = not wide and height >= STACK_HEIGHT
        self.set_class(wide, "-wide")
        self.set_class(wide and width < MEDIUM, "-medium")
        self.set_class(stacked, "-stacked")
        self.set_class(not wide and not stacked, "-toggled")
        self.set_class(height < 20, "-short")
        self._show_focused_pane()
        for footer in self.query(Footer):
            footer.compact = True
            footer.show_command_palette = width >= 60  # narrow: the keys need the room (ctrl+p still works)
        self.status.roomy = width >= 60

    def _show_focused_pane(self) -> None:
        """In the one-pane layout only the focused pane (timeline by default) is shown."""
        self.set_class(self.focused is self.detail, "-show-detail")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_focused_pane()

    # -- cursor, counts and status -------------------------------------------------------------------
    @on(TimelineView.CursorMoved)
    async def _cursor_moved(self, message: TimelineView.CursorMoved) -> None:
        self.show_cursor()
        # The widgets changed here ask the screen for a repaint from their own tasks; yield once so
        # they do before this screen goes idle and paints: the cursor and the details share a frame.
        await asyncio.sleep(0)

    def show_cursor(self) -> None:
        """The details, the overview's year, a range being chosen and the status follow the cursor."""
        view = self.timeline
        with self.app.batch_update():
            self.show_detail()
            self.selection.follow_cursor()
            self._overview.set_cursor_year(view.cursor_year)
            self.sync_status()

    def show_detail(self) -> None:
        event = self.current_event
        state = self.notes_app.annotations
        if event is None:
            self.detail.show_event(None, read_only=self.notes_app.read_only)
            return
        self.detail.show_event(event, state.notes.get(event.id, ()), state.links.get(event.id, ()),
                               read_only=self.notes_app.read_only)

    def _refresh_counts(self) -> None:
        view = self.timeline
        order = view.layout_rows.order
        self._overview.set_counts(
            year_counts(self.dataset.events, order, self.dataset.span, keys=view.keys))
        total = len(self.dataset.events)
        shown = f"{len(order)} of {plural(total, 'event')}" if self.filter.active else plural(total, "event")
        facts = [shown, plural(len(self.dataset.sources), "source")]
        if self.notes_app.read_only:
            facts.append("notes read-only")
        self._title.facts = tuple(facts)

    def sync_status(self) -> None:
        """Tell the status line the state of the range, selection, search and filter."""
        status, view = self.status, self.timeline
        status.read_only = self.notes_app.read_only
        status.range_size = self.selection.range_size()
        status.selected = len(self.selection.value)
        bar = self._search_bar
        if not self.query_text.strip():
            status.search = None
        elif bar.pending:
            status.search = SearchState(self.query_text, pending=True)
        else:
            status.search = SearchState(self.query_text, count=view.match_count, position=view.match_position())
        status.filter = (FilterState(self.filter.describe(), view.layout_rows.event_count, len(self.dataset.events))
                         if self.filter.active else None)

    # -- search ---------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "/" typed in the search box is a character: let the box have the key
        return not (action == "search" and isinstance(self.focused, SearchBar))

    def action_search(self) -> None:
        self._search_bar.open(self.query_text, self.timeline.cursor_row)

    @on(SearchBar.Searching)
    def _searching(self, message: SearchBar.Searching) -> None:
        self.query_text = message.query
        self.sync_status()

    @on(SearchBar.Found)
    def _found(self, message: SearchBar.Found) -> None:
        self.show_matches(message.query, message.hits, message.origin)

    @on(SearchBar.Closed)
    def _search_closed(self, message: SearchBar.Closed) -> None:
        if message.cancelled:
            self.show_matches("", [], None)
            if message.origin is not None:
                self.timeline.move_to_row(message.origin)
        self.set_focus(self.timeline)
        self.sync_status()

    def show_matches(self, query: str, hits: list[int], origin: int | None) -> None:
        """Mark the events matching ``query`` among those shown; go to the first at/after row ``origin``."""
        self.query_text = query
        view = self.timeline
        with self.app.batch_update():
            view.set_matches(hits if query.strip() else (), query)
            if origin is not None:
                view.first_match_from(origin)
            self.sync_status()

    def _search_again(self) -> None:
        """The events or the user's text changed: find the query's matches again (the cursor stays)."""
        if self.query_text.strip():
            self.show_matches(self.query_text, self.index.search(self.query_text), None)

    def action_next_match(self) -> None:
        self._step_match(forward=True)

    def action_prev_match(self) -> None:
        self._step_match(forward=False)

    def _step_match(self, *, forward: bool) -> None:
        wrapped = self.timeline.step_match(forward=forward)
        if wrapped is None:
            self.app.bell()
        elif wrapped:
            self.notify("Search wrapped around", timeout=2)
        self.sync_status()

    # -- filter, clear, go to -------------------------------------------------------------------------
    def count_for(self, flt: Filter) -> int:
        return len(apply_filter(self.dataset, flt, self.index.get(), annotated=self.notes_app.annotations.annotated))

    def action_filter(self) -> None:
        from timeline_tui.ui.dialogs.filter import FilterScreen

        def chosen(flt: Filter | None) -> None:
            if flt is not None:
                self.apply_filter(flt)

        self.app.push_screen(FilterScreen(self.dataset, self.filter, self.count_for), chosen)

    def apply_filter(self, flt: Filter) -> None:
        """Show only events passing ``flt``; the cursor stays on its event, or the nearest one."""
        view = self.timeline
        keep = view.cursor_event
        self.selection.end_range()
        self.filter = flt
        annotated = self.notes_app.annotations.annotated
        indices = apply_filter(self.dataset, flt, self.index.get(), annotated=annotated) if flt.active else None
        with self.app.batch_update():
            view.set_layout(build_layout(self.dataset.events, indices, self.dataset.span, keys=view.keys),
                            filtered=flt.active, keep_event=keep)
            self._refresh_counts()
            self._search_again()
            self.show_cursor()

    def action_clear(self) -> None:
        """esc: cancel a range being chosen, else clear the search, the filter, then (asking) the selection."""
        if self.selection.value.ranging:
            self.selection.end_range()
            self.notify("Range cancelled", timeout=2)
        elif self.query_text:
            self.show_matches("", [], None)
            self.notify("Search cleared", timeout=2)
        elif self.filter.active:
            self.apply_filter(Filter())
            self.notify("Filter cleared", timeout=2)
        elif self.selection.value:
            self.selection.clear()

    def action_goto(self) -> None:
        from timeline_tui.ui.dialogs.goto import GotoDateScreen

        self.app.push_screen(GotoDateScreen(), self.go_to_date)

    def go_to_date(self, when: EdtfDate | None) -> None:
        """Move to the event at ``when`` (exactly, when one is dated so) and say where it landed
        when it is not there: before the first or after the last event, or the nearest one."""
        if when is None:
            return
        view = self.timeline
        hit = view.layout_rows.locate_date(when)
        if hit is None:
            self.notify("No events to go to" + (" (the filter hides them all)" if self.filter.active else ""),
                        severity="warning", markup=False)
            return
        view.move_to_position(hit.position, scroll="center")
        event = self.current_event
        if event is not None:
            said = landing_message(when, hit.how, event, filtered=self.filter.active)
            if said:
                self.notify(said, markup=False, timeout=5)

    @on(OverviewStrip.YearClicked)
    def _year_clicked(self, message: OverviewStrip.YearClicked) -> None:
        self.go_to_date(EdtfDate(EdtfPoint(message.year)))

    def action_switch_pane(self) -> None:
        self.set_focus(self.timeline if self.focused is self.detail else self.detail)

    # -- reading: sources, long texts ---------------------------------------------------------------
    def action_open_source(self) -> None:
        self.sources.open_current()

    def action_full_text(self) -> None:
        """o: the whole text of what the details had to cut (or of the current item, or the summary)."""
        found = self.detail.full_text(focused=self.focused is self.detail)
        if found is None:
            self.app.bell()
            return
        self.app.push_screen(FullTextScreen(*found))

    # -- annotations and selection ------------------------------------------------------------------
    def _annotations_changed(self, old: AnnotationState, new: AnnotationState) -> None:
        """The app read the store after a change: markers, details, search text, filter follow."""
        changed = new.changed_events(old)
        if not changed:
            return
        for event_id in changed:
            self.index.set_extra(event_id, new.searchable(event_id))
        unknown = [lk for lk in new.all_links() if not self.detail.anchors.known(lk)]
        if len(unknown) > 8:
            self.detail.check_anchors(unknown)
        self.timeline.set_annotated(new.annotated)
        if self.filter.annotated_only:
            self.apply_filter(self.filter)  # also searches again and shows the details
        else:
            self._search_again()
            self.show_detail()

    @on(NotesApp.ChangedElsewhere)
    def _changed_elsewhere(self, message: NotesApp.ChangedElsewhere) -> None:
        """Another program changed the store (the annotations already followed): take its selection."""
        if message.changes.selection_changed:
            self.selection.adopt(self.notes_app.annotations.selection)

    @on(JobDone)
    def _job_done(self, message: JobDone) -> None:
        self.notes.done(message.job, message.result)

    @on(JobFailed)
    def _job_failed(self, message: JobFailed) -> None:
        self.notes.failed(message.job, message.error)

    def action_add_note(self) -> None:
        self.notes.add()

    def action_edit_note(self) -> None:
        self.notes.edit()

    def action_delete_note(self) -> None:
        self.notes.delete()

    def action_undo(self) -> None:
        self.notes.undo()

    def action_toggle_select(self) -> None:
        self.selection.toggle()

    def action_visual(self) -> None:
        self.selection.visual()

    def action_select_all(self) -> None:
        self.selection.select_all()

    def action_clear_selection(self) -> None:
        self.selection.clear()

    def action_export(self) -> None:
        self.selection.export()

    def action_copy(self) -> None:
        self.selection.copy()

    @on(SelectionFlow.Copied)
    def _copied(self, message: SelectionFlow.Copied) -> None:
        self.app.copy_to_clipboard(message.text)  # also through the terminal (OSC 52), and for pasting in the app
        what = f"{plural(message.count, 'event')} as Markdown"
        self.notify(copy_message(what, message.tool, web=self.app.is_web), markup=False,
                    timeout=4 if message.tool else 8)

    # -- help -----------------------------------------------------------------------------------------
    def help_legend(self) -> list[tuple[str, str]]:
        return timeline_legend(current_keymap(self))

    def help_facts(self) -> list[tuple[str, str]]:
        app = self.notes_app
        if app.store is None:
            store_path = "(notes are not available)"
        else:
            store_path = str(app.store.path) + (f" (read-only) {app.why_read_only()}" if app.read_only else "")
        badges = "; ".join(f"{n} {source.title} ({source.publisher}, {source.published.display()})"
                           for n, source in enumerate(self.dataset.sources.values(), start=1))
        return [("Dataset", str(self.dataset.path)), ("Notes file", store_path), ("Source badges ⟨n⟩", badges),
                ("Notes", "e/d act on the current note in the details (tab, j/k), else pick from a list; "
                          "links are made in the source viewer (v selects, l links)"),
                ("Export", "x and y take the selected events that pass the filter, or the event under the cursor"),
                ("Command palette", "ctrl+p lists every command by name; “Change theme” changes the colours"),
                app.keymap_fact()]

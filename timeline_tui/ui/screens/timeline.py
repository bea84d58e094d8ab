"""The main screen: overview strip, timeline and detail pane, with search, filter and date jumps."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from timeline_tui.core.dates import EdtfDate, EdtfPoint
from timeline_tui.core.layout import build_layout, year_counts
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.search import Filter, SearchIndex, apply_filter
from timeline_tui.ui.keys import bindings_of
from timeline_tui.ui.text import assemble, literal
from timeline_tui.ui.widgets.detail import DetailPane
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


class TimelineScreen(Screen[None]):
    """Read the timeline: move, search, filter, jump to a date, open an event's source."""

    AUTO_FOCUS = "#timeline"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_source", "Source", tooltip="Open the article at this event's quote",
                id="open_source"),
        Binding("slash", "search", "Search", key_display="/", id="search"),
        Binding("n", "next_match", "Next match", show=False, id="search.next"),
        Binding("N", "prev_match", "Previous match", show=False, id="search.previous"),
        Binding("colon", "goto", "Go to date", key_display=":", id="goto"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("escape", "clear", "Clear search/filter", show=False, id="clear"),
        Binding("tab", "switch_pane", "Pane", tooltip="Move between the timeline and the details",
                id="switch_pane"),
        Binding("shift+tab", "switch_pane", "Pane", show=False, id="switch_pane_back"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
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
        self._index_lock = threading.Lock()

    # -- composition ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        ds = self.dataset
        with Horizontal(id="title-bar"):
            yield Static(literal(ds.title), id="title-text")
            yield Static(id="title-info")
        yield OverviewStrip(ds.span.lower.year, ds.span.upper.year, id="overview")
        with Horizontal(id="panes"):
            yield TimelineView(ds, id="timeline")
            yield DetailPane(ds, id="detail")
        yield Input(placeholder="search titles, summaries, quotes…", id="search")
        yield Static(id="status")
        yield Footer()
        yield Static(id="too-small")

    def on_mount(self) -> None:
        view = self.timeline
        view.border_subtitle = ""
        self.query_one("#detail", DetailPane).border_title = "Details"
        self.query_one("#search", Input).display = False
        self.query_one("#too-small", Static).update(
            literal(f"Terminal too small\n\nResize to at least {MIN_WIDTH}×{MIN_HEIGHT}\n(q quits)")
        )
        if self.store is not None:
            view.set_annotated(self.store.annotated_ids())
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
        self.detail.show_event(event)
        year = view.cursor_year
        self.query_one("#overview", OverviewStrip).set_cursor_year(year)
        eras = [e.title for e in self.dataset.eras if e.date.lower.year <= year <= e.date.upper.year]
        view.border_title = assemble((str(year), "bold"), *((" · " + t) for t in eras), multiline=False)
        shown = view.layout_rows.event_count
        view.border_subtitle = Content(f"{view.position + 1 if shown else 0} / {shown}")
        self._update_status()

    def _refresh_counts(self) -> None:
        view = self.timeline
        order = view.layout_rows.order
        self.query_one("#overview", OverviewStrip).set_counts(year_counts(self.dataset.events, order, self.dataset.span))
        total = len(self.dataset.events)
        info = f"{total} events · {len(self.dataset.sources)} sources"
        if self.filter.active:
            info = f"{len(order)} of {info}"
        self.query_one("#title-info", Static).update(literal(info))

    def _update_status(self) -> None:
        parts: list[str | tuple[str, str]] = []
        if self.query_text.strip():
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
        content = assemble(*parts, multiline=False) if parts else Content("")
        if content.plain != self._status_text:  # an unchanged status costs no layout pass
            self._status_text = content.plain
            status = self.query_one("#status", Static)
            status.update(content)
            status.display = bool(parts)

    # -- search ---------------------------------------------------------------------------------------
    def _index(self) -> SearchIndex:
        with self._index_lock:
            if self.index is None:
                self.index = SearchIndex(self.dataset.events)
            return self.index

    @work(thread=True, exclusive=True, group="search-index")
    def _build_index(self) -> None:
        """Build the search index in the background so the first ``/`` does not wait for it."""
        self._index()

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        self._search_origin = self.timeline.cursor_row
        box.display = True
        box.value = self.query_text
        self.set_focus(box)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value, origin=self._search_origin)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_search()

    def _close_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = False
        self._search_origin = None
        self.set_focus(self.timeline)
        self._update_status()

    def run_search(self, query: str, *, origin: int | None = None) -> None:
        """Mark events matching ``query`` among those shown and move to the first at/after ``origin``."""
        view = self.timeline
        self.query_text = query
        if not query.strip():
            self.match_rows = []
            view.set_matches((), "")
            self._update_status()
            return
        layout = view.layout_rows
        hits = [i for i in self._index().search(query) if layout.row_of_event(i) is not None]
        rows = sorted(r for i in hits if (r := layout.row_of_event(i)) is not None)
        self.match_rows = rows
        view.set_matches(hits, query)
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
        return self.store.annotated_ids() if self.store is not None else set()

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
        self.filter = flt
        indices = apply_filter(self.dataset, flt, self._index(), annotated=self._annotated()) if flt.active else None
        layout = build_layout(self.dataset.events, indices, self.dataset.span, keys=view.keys)
        view.set_layout(layout, filtered=flt.active, keep_event=keep)
        self._refresh_counts()
        if self.query_text:
            self.run_search(self.query_text)
        self._on_cursor(view.cursor_event)

    def action_clear(self) -> None:
        """esc: cancel a search being typed, else clear the search, else clear the filter."""
        box = self.query_one("#search", Input)
        if box.display:
            origin = self._search_origin
            self.run_search("")
            self._close_search()
            if origin is not None:
                self.timeline.move_to_row(origin)
            return
        if self.query_text:
            self.run_search("")
            self.notify("Search cleared", timeout=2)
        elif self.filter.active:
            self.apply_filter(Filter())
            self.notify("Filter cleared", timeout=2)

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

    # -- sources ----------------------------------------------------------------------------------------
    def action_open_source(self) -> None:
        event = self.current_event
        if event is None or not event.quotes:
            self.app.bell()
            return
        q = self.detail.current_quote if self.focused is self.detail else 0
        quote = event.quotes[min(q, len(event.quotes) - 1)]
        if self.dataset.source_text(quote.source) is None:
            self.notify(f"The source file for {quote.source} is missing", severity="warning", markup=False)
            return
        try:
            from timeline_tui.ui.screens.source import SourceScreen
        except ImportError:
            self.notify("The source viewer is not available in this build", severity="error")
            return
        self.app.push_screen(
            SourceScreen(self.dataset, quote.source, focus=(quote.start, quote.end), event_id=event.id,
                         store=self.store),
            self._back_from_source,
        )

    def _back_from_source(self, event_id: str | None) -> None:
        if event_id is None:
            return
        index = self.dataset.index_of(event_id)
        if index is None:
            return
        if not self.timeline.move_to_event(index):
            self.apply_filter(Filter())
            self.timeline.move_to_event(index)

    # -- help -----------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from timeline_tui.ui.screens.help import HelpScreen

        app_bindings = bindings_of(self.app.BINDINGS)
        sections = [
            ("Move", bindings_of(TimelineView.BINDINGS)),
            ("Find and jump", [b for b in bindings_of(self.BINDINGS) if b.action in
                               ("search", "next_match", "prev_match", "goto", "filter", "clear")]),
            ("Read", [b for b in bindings_of(self.BINDINGS) if b.action in ("open_source", "switch_pane", "help")]
             + bindings_of(DetailPane.BINDINGS)),
            ("App", app_bindings),
        ]
        store_path = str(self.store.path) if self.store is not None else "(notes are not available)"
        facts = [("Dataset", str(self.dataset.path)), ("Notes file", store_path),
                 ("Command palette", "ctrl+p lists every command; pick “Theme” to change colours")]
        self.app.push_screen(HelpScreen(sections, facts))

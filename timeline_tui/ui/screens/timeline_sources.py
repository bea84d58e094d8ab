"""Opening sources from the timeline screen (``enter``): the current quote or linked passage in
the source viewer, and back to the event of the passage chosen there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_tui.core.annotations import AnchorStatus
from timeline_tui.core.model import Event
from timeline_tui.core.search import Filter
from timeline_tui.ui.widgets.detail_sections import LinkView

if TYPE_CHECKING:
    from timeline_tui.ui.screens.timeline import TimelineScreen


class SourceFlow:
    """The source actions of one :class:`TimelineScreen`."""

    def __init__(self, screen: TimelineScreen) -> None:
        self.screen = screen

    def open_current(self) -> None:
        """enter: take a range being chosen, else open the current quote or link (or edit the current note)."""
        screen = self.screen
        event = screen.selection.event_unless_taking_range()
        if event is None:
            return
        item = screen.detail.current() if screen.focused is screen.detail else None
        if item is not None and item[0] == "note":
            screen.notes.edit_note(event, screen.detail.notes[item[1]])
            return
        if item is not None and item[0] == "link":
            self._open_link(event, screen.detail.links[item[1]])
            return
        if not event.quotes:
            if screen.detail.links:
                self._open_link(event, screen.detail.links[0])
            else:
                screen.app.bell()
            return
        quote = event.quotes[min(item[1] if item is not None else 0, len(event.quotes) - 1)]
        if self.screen.dataset.source_text(quote.source) is None:
            self.screen.notify(f"The source file for {quote.source} is missing", severity="warning", markup=False)
            return
        self._push_source(quote.source, (quote.start, quote.end), event.id)

    def _open_link(self, event: Event, view: LinkView) -> None:
        link, found = view.link, view.anchor
        if self.screen.dataset.source_text(link.source_id) is None:
            self.screen.notify(f"The source file for {link.source_id} is missing", severity="warning", markup=False)
            return
        if found.status is AnchorStatus.ORPHANED or found.start is None or found.end is None:
            self.screen.notify("This linked passage is no longer in the source (orphaned); showing the source.",
                               severity="warning", markup=False)
            self._push_source(link.source_id, None, event.id)
            return
        self._push_source(link.source_id, (found.start, found.end), event.id)

    def _push_source(self, source_id: str, focus: tuple[int, int] | None, event_id: str) -> None:
        from timeline_tui.ui.screens.source import SourceScreen

        self.screen.app.push_screen(SourceScreen(self.screen.dataset, source_id, focus=focus, event_id=event_id),
                                    self.go_to_event)

    def go_to_event(self, event_id: str | None) -> None:
        """Put the cursor on ``event_id`` (clearing the filter if it hides it); ``None`` stays put."""
        index = self.screen.dataset.index_of(event_id) if event_id is not None else None
        if index is None:
            return
        if not self.screen.timeline.move_to_event(index):
            self.screen.apply_filter(Filter())
            self.screen.timeline.move_to_event(index)

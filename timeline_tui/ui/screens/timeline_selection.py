"""Selecting events on the timeline screen (``space V ctrl+a X``) and exporting them (``x y``).

The selection itself is a pure value (:class:`~timeline_tui.core.selection.Selection`); this
flow changes it, shows it (row marks, status line), saves it as a store job (a newer selection
replaces one still queued) and hands the chosen events to the export dialog or the clipboard.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from timeline_tui.core.export import ExportOptions, build_export
from timeline_tui.core.model import Event
from timeline_tui.core.selection import Selection
from timeline_tui.ui.annotating import StateSource
from timeline_tui.ui.clipboard import copy_with_tool
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.store_jobs import SaveSelection, SaveSettings
from timeline_tui.ui.text import plural

if TYPE_CHECKING:
    from timeline_tui.ui.screens.timeline import TimelineScreen


#: the settings (in the notes store) the export dialog starts from: the last folder and format used
EXPORT_DIRECTORY, EXPORT_FORMAT = "export.directory", "export.format"


class SelectionFlow:
    """The selection of one :class:`TimelineScreen` and the actions on it."""

    class Copied(Message):
        """The selection's Markdown, built in a worker thread; ``tool``: the clipboard program that
        took it (see :mod:`timeline_tui.ui.clipboard`), or ``None``."""

        def __init__(self, text: str, count: int, tool: str | None = None) -> None:
            super().__init__()
            self.text, self.count, self.tool = text, count, tool

    def __init__(self, screen: TimelineScreen) -> None:
        self.screen = screen
        self.value = Selection()
        self._told_unsaved = False
        self._ids = [e.id for e in screen.dataset.events]

    def _notify(self, message: str, **kwargs: object) -> None:
        self.screen.notify(message, markup=False, **kwargs)  # type: ignore[arg-type]

    # -- state ------------------------------------------------------------------------------------------
    def restore(self) -> None:
        """The selection kept in the notes store (events no longer in the dataset left out, and said so)."""
        store = self.screen.notes_app.store
        if store is None:
            return
        saved = set(store.selection())
        self.value = Selection(frozenset(i for i in saved if self.screen.dataset.event(i) is not None))
        stale = len(saved) - len(self.value)
        if stale:
            self._notify(f"{plural(stale, 'selected event')} no longer in this dataset; left out.", severity="warning")
        self.screen.timeline.set_selected(self.value.ids)

    def adopt(self, event_ids: tuple[str, ...] | list[str]) -> None:
        """The selection as the store now has it (merged with what another program selected); not saved
        again. A range being chosen goes on."""
        known = frozenset(i for i in event_ids if self.screen.dataset.event(i) is not None)
        if known == self.value.ids:
            return
        self.value = self.value.only(known)
        self.screen.timeline.set_selected(self.value.ids)
        self.screen.sync_status()

    def range_size(self) -> int | None:
        """How many events a range being chosen covers (``None`` when none is)."""
        if not self.value.ranging:
            return None
        return len(self._range_ids())

    def _range_ids(self) -> list[str]:
        view = self.screen.timeline
        return self.value.range_ids(view.layout_rows, self._ids, view.position)

    def follow_cursor(self) -> None:
        """Mark the range being chosen up to the cursor."""
        if self.value.ranging:
            self.screen.timeline.set_pending(self._range_ids())

    def _set(self, selection: Selection) -> None:
        """Show ``selection`` and save it (in a store job; a newer one replaces a queued one)."""
        before, self.value = self.value, selection
        screen = self.screen
        screen.timeline.set_selected(selection.ids)
        screen.sync_status()
        app = screen.notes_app
        if app.store is None or selection.ids == before.ids:
            return
        if app.read_only and not self._told_unsaved:
            self._told_unsaved = True
            self._notify("Notes are read-only, so the selection will not be kept after you quit.",
                         severity="warning", timeout=6)
        app.submit(SaveSelection(tuple(selection.ordered(screen.dataset.index_of))), screen)

    def end_range(self) -> None:
        if self.value.ranging:
            self.value = self.value.without_range()
            self.screen.timeline.set_pending(())
            self.screen.sync_status()

    def event_unless_taking_range(self) -> Event | None:
        """The event under the cursor; ``None`` after taking a range being chosen, or (with a bell) on no event."""
        if self.value.ranging:
            self._take_range()
            return None
        event = self.screen.current_event
        if event is None:
            self.screen.app.bell()
        return event

    def _take_range(self) -> None:
        view = self.screen.timeline
        taken, added = self.value.taking_range(view.layout_rows, self._ids, view.position)
        view.set_pending(())
        self._set(taken)
        self._notify(f"Selected {plural(added, 'more event')} ({len(taken)} in all)", timeout=3)

    # -- actions ----------------------------------------------------------------------------------------
    def toggle(self) -> None:
        event = self.event_unless_taking_range()
        if event is not None:
            self._set(self.value.toggled(event.id))

    def visual(self) -> None:
        """V: start a range at the cursor (V again or esc cancels; space/enter takes it)."""
        if self.value.ranging:
            self.end_range()
            return
        index = self.screen.timeline.cursor_event
        if index is None:
            self.screen.app.bell()
            return
        self.value = self.value.starting_range(index)
        self.follow_cursor()
        self.screen.sync_status()

    def select_all(self) -> None:
        """ctrl+a: select every event shown (the search's matches when a search is on)."""
        self.end_range()
        screen = self.screen
        view, events = screen.timeline, screen.dataset.events
        if screen.query_text.strip():
            chosen = [events[i].id for i in view.marks.matches]
            what = f"matching “{screen.query_text.strip()}”"
        else:
            chosen = [events[i].id for i in view.layout_rows.order]
            what = "shown" if screen.filter.active else "in the timeline"
        if not chosen:
            self._notify("No events to select.", timeout=3)
            return
        self._set(self.value.adding(chosen))
        self._notify(f"Selected {plural(len(chosen), 'event')} {what} ({len(self.value)} in all)", timeout=4)

    def clear(self) -> None:
        """X (or esc with nothing else to clear): unselect everything, after saying how many."""
        self.end_range()
        n = len(self.value)
        if not n:
            self._notify("Nothing is selected.", timeout=3)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._set(self.value.cleared())
                self._notify(f"Selection cleared ({plural(n, 'event')})", timeout=3)

        self.screen.app.push_screen(ConfirmScreen(f"Clear {plural(n, 'selected event')}?", "Clear", "Keep"), answered)

    # -- export -----------------------------------------------------------------------------------------
    def export_ids(self, *, quiet: bool = False) -> list[str] | None:
        """The selected events that pass the filter (chronological), else the event under the cursor.

        ``quiet`` leaves out the notice about selected events the filter hides (the caller shows it).
        """
        screen = self.screen
        if self.value:
            shown, hidden = self.value.shown(screen.timeline.layout_rows, screen.dataset.index_of)
            if not shown:
                self._notify(f"All {plural(hidden, 'selected event')} are hidden by the filter "
                             f"({screen.filter.describe()}); esc clears it.", severity="warning")
                return None
            if hidden and not quiet:
                self._notify(f"{plural(hidden, 'selected event')} hidden by the filter ({screen.filter.describe()}) "
                             "left out; esc clears the filter.", severity="warning", timeout=8)
            return shown
        event = screen.current_event
        if event is None:
            self._notify("Nothing to export: select events with space, V or ctrl+a.", severity="warning")
            return None
        self._notify("Nothing selected: exporting the event under the cursor (space selects).", timeout=4)
        return [event.id]

    def export(self) -> None:
        """x: the export dialog for the selection (or the event under the cursor)."""
        self.end_range()
        ids = self.export_ids(quiet=True)
        if ids is None:
            return
        from timeline_tui.ui.dialogs.export import ExportDialog

        screen = self.screen
        hidden = len(self.value) - len(ids) if self.value else 0
        note = f"{len(ids)} of {len(self.value)} selected: {hidden} hidden by the filter left out." if hidden else ""
        app = screen.notes_app

        def push() -> None:  # once every queued change is saved, so the export has it
            state = app.annotations
            source = StateSource(state) if app.store is not None else None
            folder = state.settings.get(EXPORT_DIRECTORY)
            directory = Path(folder) if isinstance(folder, str) and Path(folder).is_dir() else None
            fmt = state.settings.get(EXPORT_FORMAT)
            dialog = ExportDialog(screen.dataset, source, ids, screen.filter.describe(), note=note,
                                  directory=directory, fmt=fmt if isinstance(fmt, str) else None)

            def exported(path: Path | None) -> None:
                if path is not None and app.store is not None:  # remembered for the next export
                    app.submit(SaveSettings(((EXPORT_DIRECTORY, str(path.parent)), (EXPORT_FORMAT, dialog.format))),
                               screen)

            app.push_screen(dialog, exported)

        app.when_idle(push)

    def copy(self) -> None:
        """y: the selection's Markdown export to the clipboard."""
        self.end_range()
        ids = self.export_ids()
        if ids is not None:
            self._copy(ids, StateSource(self.screen.notes_app.annotations),
                       ExportOptions(filter_description=self.screen.filter.describe()))

    def _copy(self, ids: list[str], source: StateSource, options: ExportOptions) -> None:
        """Build the Markdown and hand it to a clipboard tool in a worker thread (never one on the
        server when the app runs in a browser); :class:`Copied` brings it back to the screen."""
        screen = self.screen
        web = screen.app.is_web

        def build() -> None:
            text = build_export(screen.dataset, source, ids, options)
            screen.post_message(self.Copied(text, len(ids), None if web else copy_with_tool(text)))

        screen.run_worker(build, thread=True, group="copy", exclusive=True, exit_on_error=False,
                          name="copying as Markdown")

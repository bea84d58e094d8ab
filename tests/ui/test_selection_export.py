"""Pilot tests for selecting events (space, V, ctrl+a, X/esc) and exporting them (x dialog, y clipboard)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest
from pilot_helpers import notified, palette_run, recorder, row_text, running, screen_of, settle, wait_until
from textual.widgets import Input, Static

from timeline_tui.core.export import ExportOptions, build_export
from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.commands import screen_commands
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.export import ExportDialog
from timeline_tui.ui.screens.timeline import TimelineScreen

ORDER = [
    "1945-08-ships-return",
    "1950-1953-rebuild",
    "2005-museum-opens",
    "2009-trade-record",
    "2010-05-08-new-wing",
    "2010-05-08-parade",
]




def status(app: TimelineApp) -> str:
    return screen_of(app).status.text


def messages(app: TimelineApp) -> list[str]:
    return notified(app)


def selected(app: TimelineApp) -> set[str]:
    """The events whose rows carry the selection mark."""
    return {i for i in ORDER if row_text(app, i)[2:3] == "●"}


def chosen(app: TimelineApp) -> set[str]:
    """The selection (including events a filter hides)."""
    return set(screen_of(app).selection.value)


def pending(app: TimelineApp) -> set[str]:
    """The events whose rows carry the mark of a range being chosen."""
    return {i for i in ORDER if row_text(app, i)[2:3] == "○"}


def saved_selection(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    ids: list[str] = data.get("selection", {}).get("1", {}).get("event_ids", [])
    return ids


def without_time(markdown: str) -> str:
    markdown = re.sub(r'^date: ".*"$', 'date: "<date>"', markdown, flags=re.MULTILINE)
    return re.sub(r"^Generated .*$", "Generated <time>.", markdown, flags=re.MULTILINE)


async def test_space_toggles_marks_counts_and_saves(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("space", "j", "j", "space")
        await settle(app, pilot)
        assert chosen(app) == {ORDER[0], ORDER[2]}
        assert selected(app) == {ORDER[0], ORDER[2]}
        assert "● 2 selected" in status(app)
        assert saved_selection(path) == [ORDER[0], ORDER[2]]
        line = "".join(seg.text for seg in screen.timeline.render_line(
            screen.timeline.layout_rows.row_of_event(0) or 0))  # the first event's row (no scroll yet)
        assert "●" in line
        await pilot.press("space")  # again: unselected
        await settle(app, pilot)
        assert saved_selection(path) == [ORDER[0]]
        assert "● 1 selected" in status(app)


async def test_v_range_is_taken_with_space_or_enter_and_cancelled_with_esc(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("j", "V", "j", "j")
        assert pending(app) == set(ORDER[1:4])
        assert "RANGE" in status(app) and "3 events" in status(app)
        assert chosen(app) == set()
        await pilot.press("space")
        assert chosen(app) == set(ORDER[1:4]) and pending(app) == set()
        await pilot.press("G", "V", "k", "escape")  # cancelled: nothing more selected
        assert chosen(app) == set(ORDER[1:4]) and "RANGE" not in status(app)
        await pilot.press("G", "V", "g", "enter")  # a range upwards, taken with enter (no source opened)
        assert app.screen is screen
        assert chosen(app) == set(ORDER)
        await settle(app, pilot)
    assert store.selection() == ORDER
    store.close()


async def test_ctrl_a_selects_what_passes_the_filter_and_the_selection_survives_filtering(
    mini: Dataset, tmp_path: Path
) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("space")  # 1945, before any filter
        screen.apply_filter(Filter(tags=frozenset({"memory"})))
        await pilot.pause()
        await pilot.press("ctrl+a")
        memory = {"2005-museum-opens", "2010-05-08-new-wing", "2010-05-08-parade"}
        assert chosen(app) == memory | {ORDER[0]}
        assert any("Selected 3 events shown" in m for m in messages(app))
        await pilot.press("escape")  # clears the filter, not the selection
        assert not screen.filter.active
        assert chosen(app) == memory | {ORDER[0]}
        # with a search, ctrl+a takes its matches
        await pilot.press("slash", *"trade", "enter", "ctrl+a")
        assert chosen(app) == memory | {ORDER[0], "2009-trade-record"}
        await settle(app, pilot)
    assert set(store.selection()) == memory | {ORDER[0], "2009-trade-record"}
    store.close()


async def test_clearing_asks_with_the_count_first(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("ctrl+a", "X")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.message == "Clear 6 selected events?"
        await pilot.press("n")
        assert chosen(app) == set(ORDER)
        await pilot.press("escape")  # nothing else to clear: esc offers to clear the selection
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and confirm.message == "Clear 6 selected events?"
        await pilot.press("y")
        await settle(app, pilot)
        assert chosen(app) == set() and selected(app) == set()
        assert "selected" not in status(app)
        assert saved_selection(path) == []
        await pilot.press("X")
        assert app.screen is screen and any("Nothing is selected" in m for m in messages(app))


async def test_selection_is_restored_after_a_restart(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        await pilot.press("j", "space", "G", "space")
        await settle(app, pilot)
        await pilot.press("q")
    store.close()
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        assert chosen(app) == {ORDER[1], ORDER[5]}
        assert selected(app) == {ORDER[1], ORDER[5]}
        assert "● 2 selected" in status(app)
    store.close()


async def test_x_exports_the_selection_as_the_exporter_does(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    store.add_note(ORDER[5], "# not a heading [x](javascript:alert(1))")
    target = tmp_path / "out.md"
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("space", "G", "space")
        screen.apply_filter(Filter(tags=frozenset({"memory", "war"})))
        await pilot.pause()
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.event_ids == [ORDER[0], ORDER[5]]
        assert dialog.filter_description == "tag memory or war"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert any(f"Exported 2 events to {target}" in m for m in messages(app))
        expected = build_export(mini, store, [ORDER[0], ORDER[5]],
                                ExportOptions(filter_description="tag memory or war"))
        assert without_time(target.read_text(encoding="utf-8")) == without_time(expected)
        assert "Filters: tag memory or war" in expected
    store.close()


async def test_x_leaves_out_selected_events_hidden_by_the_filter_and_says_so(
    mini: Dataset, tmp_path: Path
) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("space", "G", "space")
        screen.apply_filter(Filter(tags=frozenset({"anniversary"})))
        await pilot.pause()
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.event_ids == [ORDER[5]]
        note = dialog.query_one("#export-note", Static)
        assert str(note.content) == "1 of 2 selected: 1 hidden by the filter left out."
    store.close()


async def test_x_with_nothing_selected_offers_the_event_under_the_cursor(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        await pilot.press("j", "j", "x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and dialog.event_ids == [ORDER[2]]
        assert any("Nothing selected" in m for m in messages(app))
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)
    store.close()


async def test_y_copies_the_selection_markdown(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    store.add_note(ORDER[3], "trade note")
    async with running(mini, store) as (app, pilot):
        await pilot.press("j", "j", "j", "space", "k", "k", "space", "y")
        await settle(app, pilot)
        expected = build_export(mini, store, [ORDER[1], ORDER[3]], ExportOptions(filter_description="no filter"))
        assert app.clipboard and without_time(app.clipboard) == without_time(expected)
        assert "trade note" in app.clipboard
        # no clipboard tool here (tests/ui/conftest.py): it was only sent to the terminal, and says so
        assert any(m.startswith("Sent 2 events as Markdown to the terminal's clipboard (OSC 52)")
                   for m in messages(app))
    store.close()


NEW_ACTIONS = {
    "Add note": "a", "Edit note": "e", "Delete note or link": "d", "Undo the last note or link change": "u",
    "Select or unselect this event": "space", "Select a range of events": "V", "Select all shown events": "ctrl+a",
    "Clear the selection": "X", "Export selection…": "x", "Copy selection as Markdown": "y",
}


async def test_help_lists_the_new_keys_and_the_palette_runs_them(mini: Dataset, tmp_path: Path) -> None:
    from timeline_tui.ui.dialogs.help import HelpScreen

    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        listed = {c.name: c.keys for c in screen_commands(app.screen)}
        for name, key in NEW_ACTIONS.items():
            assert listed.get(name) == key, name  # what the palette lists
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(str(s.content) for s in help_screen.query(Static))
        for expected in ("Notes and links", "Select and export", *NEW_ACTIONS, "ctrl+a", "space",
                         str(tmp_path / "notes.json")):
            assert expected in text, expected
        await pilot.press("escape")
        await palette_run(app, pilot, "select all shown", "Select all shown events")
        await settle(app, pilot)
        assert chosen(app) == set(ORDER)
    store.close()


async def test_quitting_waits_for_a_change_still_being_saved(
    mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    real = store.set_selection

    disk = threading.Event()

    def slow(ids: Iterable[str]) -> None:
        disk.wait(10)  # a slow disk: the save is still running when q is pressed
        real(ids)

    monkeypatch.setattr(store, "set_selection", slow)
    app = TimelineApp(mini, store)
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        await pilot.press("space", "q")
        assert app.is_running  # not yet: the selection is being written
        assert any("Saving your changes" in m for m in messages(app))
        disk.set()  # the save finishes; then the app quits by itself
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0 and not app.is_running
    assert saved_selection(path) == [ORDER[0]]
    store.close()

"""Pilot tests for notes and links on the timeline: a e d u, the detail pane, search, filter, read-only.

Every test uses a real TinyDB store file and checks it on disk (and, where it matters, reopened).
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from pilot_helpers import current, messages, notified, row_text, running, screen_of, settle, shown_ids, status
from textual.pilot import Pilot
from textual.widgets import Checkbox, Static, TextArea

from timeline_tui.core.annotations import AnchorStatus
from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.filter import FilterScreen
from timeline_tui.ui.dialogs.help import HelpScreen
from timeline_tui.ui.dialogs.link_comment import LinkCommentScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.dialogs.note_picker import NotePickerScreen
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.store_jobs import AddNote, JobDone, JobFailed
from timeline_tui.ui.widgets.source_view import SourceView
from timeline_tui.ui.widgets.title_bar import TitleBar

SHIPS = "1945-08-ships-return"
PARADE = "2010-05-08-parade"




def on_disk(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def note_texts(path: Path) -> list[str]:
    return [doc["text"] for doc in on_disk(path).get("notes", {}).values()]


def detail_text(screen: TimelineScreen) -> str:
    return screen.detail.text


async def type_note(app: TimelineApp, pilot: Pilot[int], text: str) -> None:
    editor = app.screen
    assert isinstance(editor, NoteEditorScreen)
    editor.query_one(TextArea).insert(text)
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_a_adds_a_note_saved_on_disk_shown_literally_marked_and_searchable(
    mini: Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    text = "Blockade [bold]lifted[/] \x1b[31mred\nsecond line"
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        assert screen.current_event is not None and screen.current_event.id == SHIPS
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditorScreen)
        await type_note(app, pilot, text)
        assert app.screen is screen
        # the markup is text; the escape sequence that got into the editor is kept as it was shown there
        saved = "Blockade [bold]lifted[/] ␛[31mred\nsecond line"
        assert note_texts(path) == [saved]
        assert "✎" in row_text(app, SHIPS)
        shown = detail_text(screen)
        assert "Blockade [bold]lifted[/]" in shown and "second line" in shown and "\x1b" not in shown
        assert "Your note (1)" in shown
        assert "Note saved" in " ".join(notified(app))
        # / finds the note's words
        await pilot.press("g", "slash", *"lifted", "enter")
        assert "1 match (1/1)" in status(app) and current(app) == SHIPS
    store.close()
    with AnnotationStore.open(path) as reopened:
        assert [(n.event_id, n.text) for n in reopened.notes()] == [(SHIPS, saved)]


async def test_e_edits_the_only_note_and_picks_among_several(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    first = store.add_note(SHIPS, "first note")
    async with running(mini, store) as (app, pilot):
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.editing
        assert editor.text == "first note"
        await type_note(app, pilot, " edited")
        assert note_texts(path) == ["first note edited"]
        await pilot.press("a")
        await type_note(app, pilot, "second note")
        await pilot.press("e")
        picker = app.screen
        assert isinstance(picker, NotePickerScreen)
        assert [n.text for n in picker.notes] == ["second note", "first note edited"]  # newest change first
        await pilot.press("down", "enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.text == "first note edited"
        await type_note(app, pilot, "!")
        assert sorted(note_texts(path)) == ["first note edited!", "second note"]
        assert store.note(first.id) is not None and store.note(first.id).text == "first note edited!"  # type: ignore[union-attr]
        # in the details pane, e acts on the current note without asking which
        screen = screen_of(app)
        await pilot.press("tab", "k", "k", "k", "j")  # the notes first (oldest first), then the quotes
        assert screen.detail.current() == ("note", 1)
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.text == "second note"
        await pilot.press("escape")
        assert app.screen is screen


async def test_d_deletes_after_confirmation_and_u_undoes_several_levels(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("a")
        await type_note(app, pilot, "draft")
        await pilot.press("e")
        await type_note(app, pilot, " v2")
        assert note_texts(path) == ["draft v2"]
        await pilot.press("d")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and "draft v2" in confirm.message
        await pilot.press("n")
        await settle(app, pilot)
        assert note_texts(path) == ["draft v2"]
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert note_texts(path) == []
        assert "✎" not in row_text(app, SHIPS)
        await pilot.press("u")
        await settle(app, pilot)
        assert note_texts(path) == ["draft v2"]
        assert any("restored deleted note" in m for m in notified(app))
        await pilot.press("u")
        await settle(app, pilot)
        assert note_texts(path) == ["draft"]
        await pilot.press("u")
        await settle(app, pilot)
        assert note_texts(path) == []
        await pilot.press("u")
        await settle(app, pilot)
        assert any("Nothing to undo" in m for m in notified(app))
        assert "No notes yet" in detail_text(screen)
    store.close()
    with AnnotationStore.open(path) as reopened:
        assert reopened.notes() == []


async def test_a_failed_save_reports_the_error_and_keeps_the_text(
    mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    store.add_note(PARADE, "kept")
    before = path.read_bytes()

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    async with running(mini, store) as (app, pilot):
        await pilot.press("a")
        monkeypatch.setattr(os, "replace", no_space)
        await type_note(app, pilot, "precious words")
        monkeypatch.undo()
        assert any("No space left" in m for m in notified(app))
        assert path.read_bytes() == before
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)  # reopened with what was typed
        assert editor.text == "precious words"
        await pilot.press("escape")  # unsaved text: esc asks before dropping it
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen is editor
        await pilot.press("ctrl+s")  # the disk has room again
        await settle(app, pilot)
        assert sorted(note_texts(path)) == ["kept", "precious words"]


async def test_read_only_store_is_marked_and_refuses_changes(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    holder = AnnotationStore.open(path)
    holder.add_note(SHIPS, "from the first instance")
    second = AnnotationStore.open(path, read_only=True)  # (a second instance is no longer read-only)
    assert second.read_only
    async with running(mini, second) as (app, pilot):
        screen = screen_of(app)
        assert "READ-ONLY" in status(app)
        assert "read-only" in screen.query_one(TitleBar).info
        assert "from the first instance" in detail_text(screen)
        for key in ("a", "e", "d", "u"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is screen, key
        assert sum("Nothing was changed" in m for m in notified(app)) == 4
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        facts = "\n".join(str(s.content) for s in help_screen.query(Static))
        assert str(path) in facts and "read-only" in facts
    assert note_texts(path) == ["from the first instance"]
    second.close()
    holder.close()


async def test_link_made_in_the_source_viewer_shows_in_details_with_its_health(
    mini: Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("enter")
        source = app.screen
        assert isinstance(source, SourceScreen)
        await pilot.press("v", "e", "e", "l")
        await pilot.pause()
        assert isinstance(app.screen, LinkCommentScreen)
        await pilot.press(*"my [i]comment", "enter")
        await pilot.pause()
        await pilot.press("escape")  # back without jumping anywhere: the link must still show
        await settle(app, pilot)
        assert app.screen is screen
        shown = detail_text(screen)
        assert "Your linked passage (1)" in shown
        assert "✎ Your link · exact" in shown and "“In August”" in shown
        assert "Comment: my [i]comment" in shown
        assert "✎" in row_text(app, SHIPS)
        links = on_disk(path)["links"]
        assert [d["comment"] for d in links.values()] == ["my [i]comment"]
        # the link's comment is searchable
        await pilot.press("slash", *"comment", "enter")
        assert "1 match (1/1)" in status(app) and current(app) == SHIPS
        # enter on the link (details pane) opens the source at the linked passage
        await pilot.press("escape", "tab")  # no notes: the link is the first item
        assert screen.detail.current() == ("link", 0)
        await pilot.press("enter")
        source = app.screen
        assert isinstance(source, SourceScreen)
        view = source.query_one(SourceView)
        assert view.current is not None
        passage = view.passages[view.current]
        assert (passage.kind, view.display_text[passage.start:passage.end]) == ("link", "In August")
        await pilot.press("escape")
        # d on the link deletes it after confirmation; u brings it back
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert on_disk(path)["links"] == {}
        await pilot.press("u")
        await settle(app, pilot)
        assert len(on_disk(path)["links"]) == 1


async def test_links_whose_text_moved_changed_or_vanished_show_their_health(
    mini: Dataset, tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    real = mini.source_text("harbour")
    assert real is not None
    passage = "the first ships returned to the harbour"
    at = real.index(passage)
    moved_text = "XXXXXXXXXX" + real  # the same passage, stored 10 code points later
    store.add_link(PARADE, "harbour", moved_text, at + 10, at + 10 + len(passage), "moved one")
    changed = real.replace("the first ships returned", "the first ship returned")
    start = changed.index("the first ship returned")
    store.add_link(PARADE, "harbour", changed, start, start + len("the first ship returned to the harbour"))
    gone = "A sentence that is nowhere in the article at all, not even close."
    store.add_link(PARADE, "harbour", gone, 0, len(gone), "orphan")
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("G")
        assert screen.current_event is not None and screen.current_event.id == PARADE
        await settle(app, pilot)
        health = [v.anchor.status for v in screen.detail.links]
        assert health == [AnchorStatus.MOVED, AnchorStatus.FUZZY, AnchorStatus.ORPHANED]
        shown = detail_text(screen)
        assert "· moved" in shown and "· fuzzy (9" in shown and "orphaned" in shown
        assert f"“{passage}”" in shown  # the current text where the link anchors
        assert f"“{gone}”" in shown  # the stored text of the orphan
        assert any("could not be found" in m for m in notified(app))
        await pilot.press("tab", "j", "j")  # the three links, then the quote
        assert screen.detail.current() == ("link", 2)
        await pilot.press("enter")  # an orphan opens the source, saying why it is not highlighted
        assert isinstance(app.screen, SourceScreen)
        assert any("orphaned" in m for m in notified(app))


async def test_filter_annotated_only(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    store.add_note(PARADE, "only this one")
    async with running(mini, store) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, FilterScreen)
        box = dialog.query_one("#filter-annotated", Checkbox)
        box.focus()
        await pilot.press("space")
        assert box.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Filter: annotated" in status(app)
        assert shown_ids(app) == [PARADE]
        # a note on another event makes it pass once it is saved
        screen.apply_filter(Filter())
        await pilot.press("g", "a")
        await type_note(app, pilot, "now annotated")
        screen.apply_filter(Filter(annotated_only=True))
        assert shown_ids(app) == [SHIPS, PARADE]
        # deleting the last note of the event under the cursor drops it from the filtered view
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert shown_ids(app) == [PARADE]
    store.close()


async def test_notes_show_their_local_time(
    mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from timeline_tui.core import store as store_module

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(store_module, "_now", lambda: "2025-05-09T12:34:00Z")
    store = AnnotationStore.open(tmp_path / "notes.json")
    note = store.add_note(SHIPS, "timed")
    monkeypatch.setattr(store_module, "_now", lambda: "2025-05-10T08:05:00Z")
    store.update_note(note.id, "timed, edited")
    async with running(mini, store) as (app, _pilot):
        assert "10 May 2025, 08:05 (edited)" in detail_text(screen_of(app))
    store.close()
    monkeypatch.delenv("TZ")
    time.tzset()


async def test_a_saved_note_comes_back_as_a_job_done_message(mini: Dataset, tmp_path: Path) -> None:
    """The store change runs as a job; the screen hears of it with JobDone carrying the new note."""
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store) as (app, pilot):
        await pilot.press("a")
        await type_note(app, pilot, "by message")
        done = [m for m in messages(app, JobDone) if isinstance(m.job, AddNote)]
        assert len(done) == 1 and done[0].result.text == "by message" and done[0].job.event.id == SHIPS
        assert not messages(app, JobFailed)
        assert [n.text for n in store.notes()] == ["by message"]
    store.close()

"""Several programs on one notes store (issue 14, the app's side): a running app shows what another
app instance or ``timeline-tui notes add`` saved, within two seconds and with a quiet notice; an
edit or delete of a note changed elsewhere meanwhile asks what to keep; undo undoes only this
instance's changes; the store's own messages (a damaged file moved aside) are shown."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pilot_helpers import messages, notified, row_text, running, screen_of, settle, within
from textual.widgets import TextArea

from timeline_tui.core.annotations import Note
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.conflict import EditConflictScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.notes_app import NotesApp
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.widgets.source_view import SourceView

SHIPS = "1945-08-ships-return"  # the first event: under the cursor at start
PARADE = "2010-05-08-parade"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[AnnotationStore, AnnotationStore]]:
    """Two stores on one file, as two programs would have: the app's, and another writer's."""
    path = tmp_path / "notes.json"
    store, other = AnnotationStore.open(path), AnnotationStore.open(path)
    yield store, other
    store.close()
    other.close()


def with_note(two: tuple[AnnotationStore, AnnotationStore], text: str) -> Note:
    """A note on SHIPS saved by the app's store, which the other writer has seen."""
    note = two[0].add_note(SHIPS, text)
    two[1].refresh()
    return note


def notes_of(app: NotesApp[int], event_id: str) -> list[str]:
    return [n.text for n in app.annotations.notes.get(event_id, ())]


async def test_a_second_instance_writes_and_the_first_shows_it(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    first_store, second_store = AnnotationStore.open(path), AnnotationStore.open(path)
    async with running(mini, first_store) as (first, one), running(mini, second_store) as (second, two):
        assert not first.read_only and not second.read_only  # neither is locked out by the other
        await two.press("a")
        assert isinstance(second.screen, NoteEditorScreen)
        second.screen.query_one(TextArea).insert("written in the second window")
        await two.press("ctrl+s")
        await settle(second, two)
        assert notes_of(second, SHIPS) == ["written in the second window"]
        await within(one, 2.0, lambda: notes_of(first, SHIPS) == ["written in the second window"])
        await settle(first, one)
        assert "written in the second window" in screen_of(first).detail.text  # the details follow
        assert "✎" in row_text(first, SHIPS)  # and the row's marker
        assert "1 note added elsewhere" in notified(first)
        # the search finds it
        await one.press("slash", *"second window", "enter")
        await settle(first, one)
        assert "1 match" in screen_of(first).status.text
        # ... and the other way round, for the selection: merged, not replaced
        await one.press("escape", "space")
        await two.press("G", "space")
        await within(one, 2.0, lambda: screen_of(first).selection.value.ids == {SHIPS, PARADE})
        await within(two, 2.0, lambda: screen_of(second).selection.value.ids == {SHIPS, PARADE})
    first_store.close()
    second_store.close()


async def test_nothing_changed_nothing_posted(mini: Dataset, tmp_path: Path) -> None:
    """The poll runs but, with no change, neither replaces the state nor says anything."""
    store = AnnotationStore.open(tmp_path / "notes.json")
    store.add_note(SHIPS, "mine")
    async with running(mini, store) as (app, pilot):
        before = app.annotations
        await pilot.pause(2.5)  # two polls or more
        assert app.annotations is before
        assert not messages(app, NotesApp.Polled)  # nothing was posted, so nothing was repainted
        assert not [m for m in notified(app) if "elsewhere" in m]
    store.close()


async def test_notes_add_from_the_command_line_shows_in_the_running_app(mini: Dataset, mini_path: Path,
                                                                         tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    store = AnnotationStore.open(path)
    async with running(mini, store) as (app, pilot):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "timeline_tui", "notes", "--events", str(mini_path), "--notes", str(path),
             "add", SHIPS, "from a script\twith a tab"],
            capture_output=True, text=True, env=env, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        await within(pilot, 2.0, lambda: notes_of(app, SHIPS) == ["from a script\twith a tab"])
        assert "1 note added elsewhere" in notified(app)
        await settle(app, pilot)
        assert "from a script" in screen_of(app).detail.text
    store.close()


async def edit_and_collide(app: NotesApp[int], pilot: object, other: AnnotationStore, note_id: int,
                           *, delete: bool = False) -> EditConflictScreen:
    """Open the editor on the note, let ``other`` change (or delete) it, type, save: the conflict dialog."""
    await pilot.press("e")  # type: ignore[attr-defined]
    editor = app.screen
    assert isinstance(editor, NoteEditorScreen)
    if delete:
        other.delete_note(note_id)
    else:
        other.update_note(note_id, "their version")
    editor.query_one(TextArea).insert(" + mine")
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    dialog = app.screen
    assert isinstance(dialog, EditConflictScreen), dialog
    return dialog


async def test_an_edit_conflict_offers_overwrite_keep_both_or_back(mini: Dataset, two: tuple[AnnotationStore, AnnotationStore]) -> None:
    store, other = two
    note = with_note(two, "original")
    async with running(mini, store) as (app, pilot):
        # overwrite: mine replaces theirs
        dialog = await edit_and_collide(app, pilot, other, note.id)
        assert "their version" in str(dialog.query_one("#conflict-theirs").render())
        assert dialog.query_one("#conflict-overwrite")
        await pilot.press("o")
        await settle(app, pilot)
        assert notes_of(app, SHIPS) == ["original + mine"]
        # keep both: theirs stays, mine is a new note
        other.refresh()
        dialog = await edit_and_collide(app, pilot, other, note.id)
        await pilot.press("b")
        await settle(app, pilot)
        assert notes_of(app, SHIPS) == ["their version", "original + mine + mine"]
    with AnnotationStore.open(store.path, read_only=True) as again:
        assert len(again.notes()) == 2  # nothing dropped, nothing doubled


async def test_back_to_editing_keeps_the_text_and_saves_over_the_version_seen(mini: Dataset, two: tuple[AnnotationStore, AnnotationStore]) -> None:
    store, other = two
    note = with_note(two, "original")
    async with running(mini, store) as (app, pilot):
        await edit_and_collide(app, pilot, other, note.id)
        await pilot.press("escape")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.text == "original + mine"
        editor.query_one(TextArea).insert(" (seen theirs)")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, EditConflictScreen | NoteEditorScreen)
        assert notes_of(app, SHIPS) == ["original + mine (seen theirs)"]


async def test_a_note_deleted_elsewhere_while_edited_can_be_saved_as_new(mini: Dataset, two: tuple[AnnotationStore, AnnotationStore]) -> None:
    store, other = two
    note = with_note(two, "doomed")
    async with running(mini, store) as (app, pilot):
        dialog = await edit_and_collide(app, pilot, other, note.id, delete=True)
        assert dialog.current is None and not dialog.query("#conflict-overwrite")
        await pilot.press("o")  # not offered: nothing happens
        assert app.screen is dialog
        await pilot.press("b")
        await settle(app, pilot)
        assert notes_of(app, SHIPS) == ["doomed + mine"]


async def test_delete_of_a_note_changed_elsewhere_asks_again(mini: Dataset, two: tuple[AnnotationStore, AnnotationStore]) -> None:
    store, other = two
    note = with_note(two, "first words")
    async with running(mini, store) as (app, pilot):
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        other.update_note(note.id, "rewritten elsewhere")
        await pilot.press("y")
        await settle(app, pilot)
        again = app.screen
        assert isinstance(again, ConfirmScreen) and "rewritten elsewhere" in again.message
        await pilot.press("n")  # keep it
        await settle(app, pilot)
        assert notes_of(app, SHIPS) == ["rewritten elsewhere"]


async def test_undo_undoes_only_this_instances_changes(mini: Dataset,
                                                       two: tuple[AnnotationStore, AnnotationStore]) -> None:
    store, other = two
    async with running(mini, store) as (app, pilot):
        await pilot.press("a")
        app.screen.query_one(TextArea).insert("mine")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [mine] = app.annotations.notes[SHIPS]
        other.refresh()
        other.update_note(mine.id, "edited elsewhere")
        other.add_note(PARADE, "theirs")
        await within(pilot, 2.0, lambda: notes_of(app, PARADE) == ["theirs"])
        await pilot.press("u")
        await settle(app, pilot)
        assert any(m.startswith("Not undone") for m in notified(app))
        assert notes_of(app, SHIPS) == ["edited elsewhere"] and notes_of(app, PARADE) == ["theirs"]


async def test_a_damaged_store_is_reported_and_its_move_aside_is_said(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("{ not json", encoding="utf-8")
    store = AnnotationStore.open(path)
    assert store.damage is not None and not store.read_only
    async with running(mini, store, notices=store.notices) as (app, pilot):
        await pilot.press("a")
        app.screen.query_one(TextArea).insert("first after the damage")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any("corrupt-" in m and "kept as" in m for m in notified(app))
        assert notes_of(app, SHIPS) == ["first after the damage"]
    kept = list(tmp_path.glob("notes.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{ not json"
    store.close()


def test_read_only_is_only_a_store_that_cannot_be_written(tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json", read_only=True)
    app = NotesApp[int](store)
    assert app.read_only and app.why_read_only() == store.read_only_reason
    assert "Another timeline-tui" not in app.why_read_only()
    writable = NotesApp[int](AnnotationStore.open(tmp_path / "other.json"))
    assert not writable.read_only and writable.why_read_only() == ""


async def test_a_link_made_elsewhere_is_highlighted_in_the_open_source(
        mini: Dataset, two: tuple[AnnotationStore, AnnotationStore]) -> None:
    store, other = two
    async with running(mini, store) as (app, pilot):
        await pilot.press("enter")
        source = app.screen
        assert isinstance(source, SourceScreen) and source.source_id == "harbour"
        text = mini.source_text("harbour")
        assert text is not None
        start = text.index("the first ships returned")
        other.add_link(SHIPS, "harbour", text, start, start + len("the first ships returned"), "from elsewhere")
        view = source.query_one(SourceView)
        await within(pilot, 2.0, lambda: any(p.kind == "link" and p.start == start for p in view.passages))

"""Two store instances on one file (two apps, or an app and the CLI): refresh, edit conflicts, undo, selection.

Each instance stands for a process; they share nothing but the file (and its lock), exactly as
separate processes do. The CLI tests run the same with real processes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import timeline_tui.core.store_file as store_file
from timeline_tui.core.annotation_state import OutsideChanges
from timeline_tui.core.store import AnnotationStore, EditConflict, StoreError, UndoConflict

TEXT = "In August 1945, the first ships returned to the harbour after years of blockade."


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "notes.json"


def test_a_second_instance_sees_and_writes_while_the_first_is_open(path: Path) -> None:
    """Measured before: the second instance stayed read-only and never saw the other's notes."""
    with AnnotationStore.open(path) as first, AnnotationStore.open(path) as second:
        first.add_note("e1", "from the first")
        changes = second.refresh()
        assert changes is not None and changes.summary() == "1 note added elsewhere"
        assert [n.text for n in second.notes("e1")] == ["from the first"]
        assert second.refresh() is None  # reported once
        second.add_note("e2", "from the second")
        second.add_link("e1", "harbour", TEXT, 16, 40)
        changes = first.refresh()
        assert changes is not None and changes.summary() == "1 note added, 1 link added elsewhere"
        assert changes.events() == {"e1", "e2"}
        assert first.annotated_ids() == {"e1", "e2"} and first.state is not second.state
        assert first.state == second.state
    with AnnotationStore.open(path) as first, AnnotationStore.open(path) as second:
        first.close()  # the first quits: the second goes on as before (it never was read-only)
        assert not second.read_only and second.add_note("e3", "after the first quit").id == 3


def test_refresh_reports_changes_removals_selection_and_settings(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as cli:
        a = app.add_note("e1", "one")
        b = app.add_note("e1", "two")
        cli.refresh()
        cli.update_note(a.id, "one, edited elsewhere")
        cli.delete_note(b.id)
        cli.set_selection(["e3"])
        cli.set_setting("export.format", "csv")
        changes = app.refresh()
        assert changes is not None
        assert [n.text for n in changes.notes_changed] == ["one, edited elsewhere"]
        assert changes.notes_removed == (b,)
        assert changes.selection_changed and changes.settings_changed == {"export.format"}
        assert changes.summary() == "1 note changed, 1 note removed, selection changed elsewhere"
        assert app.selection() == ["e3"] and app.setting("export.format") == "csv"


def test_changes_found_while_saving_are_reported_by_the_next_refresh(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as cli:
        cli.add_note("e1", "elsewhere 1")
        cli.add_note("e1", "elsewhere 2")
        mine = app.add_note("e1", "mine")  # reads the two first, then adds on top
        assert mine.id == 3 and [n.text for n in app.notes()] == ["elsewhere 1", "elsewhere 2", "mine"]
        changes = app.refresh()
        assert changes is not None and changes.summary() == "2 notes added elsewhere"
        assert app.refresh() is None


def test_refresh_costs_a_stat_when_nothing_changed(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with AnnotationStore.open(path) as store:
        store.add_note("e1", "x")
        reads = []
        original = store_file.StoreFile._load

        def counting(self: store_file.StoreFile, generation: int) -> bool:
            if self is store._file:
                reads.append(generation)
            return original(self, generation)

        monkeypatch.setattr(store_file.StoreFile, "_load", counting)
        for _ in range(50):
            assert store.refresh() is None
        assert reads == []  # its own write is not "a change elsewhere", and nothing is re-read
        with AnnotationStore.open(path) as other:
            other.add_note("e1", "y")
        assert store.refresh() is not None and len(reads) == 1


def test_edit_conflict_carries_the_other_version(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        opened = app.add_note("e1", "draft")  # the editor opens this version
        other.refresh()
        theirs = other.update_note(opened.id, "their text")
        with pytest.raises(EditConflict) as raised:
            app.update_note(opened.id, "my text", expected=opened)
        assert raised.value.current == theirs and raised.value.expected == opened
        assert "changed elsewhere while you edited it" in str(raised.value)
        assert app.note(opened.id) == theirs  # the other version is shown now; nothing was saved
        # overwrite: save again without `expected`
        mine = app.update_note(opened.id, "my text")
        assert mine.text == "my text" and app.undo() == "restored the note's previous text"
        assert app.note(opened.id) == theirs  # undo gives back their version, not the draft
        # keep both: save as a new note
        both = app.add_note("e1", "my text")
        assert [n.text for n in app.notes("e1")] == ["their text", "my text"] and both.id == 2


def test_edit_conflict_when_the_note_was_deleted_elsewhere(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        opened = app.add_note("e1", "draft")
        other.refresh()
        other.delete_note(opened.id)
        with pytest.raises(EditConflict, match="deleted elsewhere") as raised:
            app.update_note(opened.id, "my text", expected=opened)
        assert raised.value.current is None and app.notes() == []
        # a delete given `expected` is refused too if the note changed since it was shown
        other.add_note("e2", "x")
        app.refresh()
        shown = app.note(2)
        assert shown is not None
        changed = other.update_note(2, "x, changed")
        with pytest.raises(EditConflict, match="changed elsewhere while you deleted it"):
            app.delete_note(2, expected=shown)
        assert app.note(2) == changed


def test_undo_only_undoes_own_changes_and_never_clobbers(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        mine = app.add_note("e1", "mine")
        theirs = other.add_note("e1", "theirs")
        assert app.undo() == "removed the note just added"  # only mine goes
        assert [n.text for n in app.notes()] == ["theirs"] and not app.can_undo()
        with pytest.raises(StoreError, match="Nothing to undo"):
            app.undo()
        assert other.can_undo()  # their own step is theirs to undo
        edited = app.update_note(theirs.id, "theirs, edited by me")
        other.refresh()
        other.update_note(theirs.id, "theirs, edited again by them")
        with pytest.raises(UndoConflict, match="changed elsewhere since, and that is kept"):
            app.undo()
        assert app.note(theirs.id) is not None and app.note(theirs.id).text == "theirs, edited again by them"  # type: ignore[union-attr]
        assert not app.can_undo()  # the overtaken step is dropped
        assert edited.id == theirs.id and mine.id == 1


def test_undo_of_an_add_deleted_elsewhere_and_a_restore_keeps_its_id(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        a = app.add_note("e1", "a")
        b = app.add_note("e1", "b")
        other.refresh()
        other.delete_note(b.id)
        with pytest.raises(UndoConflict, match="deleted elsewhere"):
            app.undo()
        app.delete_note(a.id)
        c = other.add_note("e1", "c")  # a new id, never one deleted elsewhere
        assert c.id == 3
        assert app.undo() == "restored deleted note"
        assert [(n.id, n.text) for n in app.notes()] == [(1, "a"), (3, "c")]
        link = app.add_link("e1", "harbour", TEXT, 0, 9)
        other.refresh()
        other.delete_link(link.id)
        with pytest.raises(UndoConflict):
            app.undo()
        assert app.links() == []


def test_selections_made_in_two_places_are_merged(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        app.set_selection(["e1", "e2"])
        other.set_selection(["e3"])  # other had not seen app's: adds e3 to it
        assert other.selection() == ["e3", "e1", "e2"]
        app.set_selection(["e1"])  # app drops e2, keeps what it did not know of
        assert app.selection() == ["e1", "e3"]
        changes = other.refresh()
        assert changes is not None and changes.selection_changed and other.selection() == ["e1", "e3"]
        other.set_selection([])  # other clears all it sees
        assert app.refresh() is not None and app.selection() == []


def test_settings_from_two_places_are_kept_key_by_key(path: Path) -> None:
    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        app.set_setting("export.dir", "/a")
        other.set_setting("export.format", "json")
        assert other.setting("export.dir") == "/a"
        assert app.refresh() is not None and app.state.settings == {"export.dir": "/a", "export.format": "json"}


def test_outside_changes_add_up_over_several_syncs() -> None:
    from timeline_tui.core.annotations import Note

    n1, n2 = Note(1, "e1", "a", "t", "t"), Note(2, "e2", "b", "t", "t")
    first = OutsideChanges(notes_added=(n1,), messages=("one",))
    later = OutsideChanges(notes_removed=(n2,), selection_changed=True)
    both = first.then(later)
    assert both.summary() == "1 note added, 1 note removed, selection changed elsewhere"
    assert both.events() == {"e1", "e2"} and both.messages == ("one",)
    assert not OutsideChanges() and OutsideChanges(settings_changed=frozenset({"k"}))
    assert OutsideChanges(settings_changed=frozenset({"k"})).summary() == ""


def test_refresh_from_a_worker_thread_while_another_thread_saves(path: Path) -> None:
    """The app calls refresh() from a poll worker while its store jobs save in another thread."""
    import threading

    with AnnotationStore.open(path) as app, AnnotationStore.open(path) as other:
        done = threading.Event()
        heard: list[OutsideChanges] = []
        errors: list[BaseException] = []

        def poll() -> None:
            try:
                while not done.is_set():
                    changes = app.refresh()
                    if changes:
                        heard.append(changes)
            except BaseException as exc:  # reported below
                errors.append(exc)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            for i in range(60):
                app.add_note("e1", f"mine {i}")
                if i % 3 == 0:
                    other.add_note("e2", f"theirs {i}")
        finally:
            done.set()
            poller.join(timeout=30)
        assert not errors
        last = app.refresh()
        heard += [last] if last else []
        assert sum(len(c.notes_added) for c in heard) == 20  # each of the other's notes heard once
        other.refresh()
        assert app.state == other.state
        with AnnotationStore.open(path, read_only=True) as fresh:
            assert fresh.state.all_notes() == app.state.all_notes() and len(app.notes()) == 80

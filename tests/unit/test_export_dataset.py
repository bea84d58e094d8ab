"""The dataset export: a folder that loads as a dataset of its own, with its notes; and the rules for the folder."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from timeline_tui.core.anchoring import make_selectors
from timeline_tui.core.annotation_state import AnnotationState
from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.export import DatasetExportError, export_dataset
from timeline_tui.core.export import dataset_format as dataset_format_module
from timeline_tui.core.export.dataset_format import source_paths
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore, StoreError

HARBOUR_ONLY = ["1945-08-ships-return"]  # quotes harbour and museum


def _store(tmp_path: Path, mini: Dataset) -> AnnotationStore:
    """A store with notes and links on two events and one on an event that is not exported."""
    store = AnnotationStore.open(tmp_path / "store.json")
    store.add_note("1945-08-ships-return", "first\tnote\r\nwith \x1b[1m markup [bold]x[/bold]")
    store.add_note("2009-trade-record", "not exported")
    store.add_note("1950-1953-rebuild", "second")
    text = mini.source_text("harbour")
    assert text is not None
    store.add_link("1945-08-ships-return", "harbour", text, 64, 86, "a comment")
    return store


def test_the_folder_loads_as_a_dataset_with_its_notes(mini: Dataset, tmp_path: Path) -> None:
    store = _store(tmp_path, mini)
    chosen = ["1950-1953-rebuild", "1945-08-ships-return"]  # any order: the export is chronological
    done = export_dataset(mini, store, chosen, tmp_path / "out")
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["events.json", "notes.json", "sources"]
    assert (done.events, done.sources, done.notes, done.links) == (2, 2, 2, 1)

    loaded = load_dataset(out / "events.json")  # the loader's every rule, sources confined to the folder
    assert loaded.warnings == []
    assert [e.id for e in loaded.events] == ["1945-08-ships-return", "1950-1953-rebuild"]
    for event in loaded.events:
        assert event == mini.event(event.id)  # dates, titles, summaries, tags, quotes and date basis
    assert (loaded.title, loaded.span) == (mini.title, mini.span)
    assert [era.id for era in loaded.eras] == ["war", "rebuild"] and done.eras == 2
    for source_id, source in loaded.sources.items():
        original = mini.sources[source_id]
        assert source.path.startswith("sources/") and "/" not in source.path[len("sources/"):]
        assert (source.title, source.publisher, source.published, source.url) == (
            original.title, original.publisher, original.published, original.url)
        # byte for byte: the quotes' code points hold because the file is the same file
        assert (out / source.path).read_bytes() == (mini.root / original.path).read_bytes()

    with AnnotationStore.open(out / "notes.json", read_only=True) as copied:
        assert copied.damage is None
        assert copied.selection() == ["1945-08-ships-return", "1950-1953-rebuild"]
        expected_notes = [n for n in store.notes() if n.event_id in chosen]
        assert copied.notes() == expected_notes  # ids, text as written, created and updated kept
        assert copied.links() == store.links()
    store.close()
    assert not any(p.name.endswith(".tmp-timeline-tui") for p in tmp_path.iterdir()), "no temporary folder left"


def test_eras_are_those_the_events_overlap_and_the_span_is_kept(mini: Dataset, tmp_path: Path) -> None:
    export_dataset(mini, None, ["2009-trade-record"], tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "events.json").read_text(encoding="utf-8"))
    assert doc["eras"] == [] and doc["span"] == {"start": "1937", "end": "2025"}
    assert doc["schema_version"] == 1 and [s["id"] for s in doc["sources"]] == ["harbour"]
    with AnnotationStore.open(tmp_path / "out" / "notes.json", read_only=True) as copied:
        assert copied.notes() == [] and copied.selection() == ["2009-trade-record"]


def test_exporting_the_export_gives_the_same_files(mini: Dataset, tmp_path: Path) -> None:
    store = _store(tmp_path, mini)
    export_dataset(mini, store, [e.id for e in mini.events], tmp_path / "one")
    store.close()
    again = load_dataset(tmp_path / "one" / "events.json")
    with AnnotationStore.open(tmp_path / "one" / "notes.json", read_only=True) as copied:
        export_dataset(again, copied, copied.selection(), tmp_path / "two")
    for name in ("events.json", "notes.json", "sources/harbour.txt", "sources/museum.txt"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_notes_and_links_can_be_left_out(mini: Dataset, tmp_path: Path) -> None:
    store = _store(tmp_path, mini)
    done = export_dataset(mini, store.state, HARBOUR_ONLY, tmp_path / "out", include_notes=False, include_links=False)
    store.close()
    assert (done.notes, done.links) == (0, 0)
    with AnnotationStore.open(tmp_path / "out" / "notes.json", read_only=True) as copied:
        assert copied.notes() == [] and copied.links() == [] and copied.selection() == HARBOUR_ONLY


def test_a_linked_source_is_copied_even_when_no_quote_cites_it(mini: Dataset, tmp_path: Path) -> None:
    text = mini.source_text("museum")
    assert text is not None
    quote, position = make_selectors(text, 10, 30)
    link = Link(7, "2009-trade-record", "museum", quote, position, "2025-01-01T00:00:00Z", "")
    state = AnnotationState.build([], [link])
    export_dataset(mini, state, ["2009-trade-record"], tmp_path / "out")
    loaded = load_dataset(tmp_path / "out" / "events.json")
    assert set(loaded.sources) == {"harbour", "museum"}
    with AnnotationStore.open(tmp_path / "out" / "notes.json", read_only=True) as copied:
        assert copied.links() == [link]


# -- the folder --------------------------------------------------------------------------------

def test_a_non_empty_folder_is_refused_and_left_alone(mini: Dataset, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(DatasetExportError, match="not empty; use --force"):
        export_dataset(mini, None, HARBOUR_ONLY, target)
    with pytest.raises(DatasetExportError, match="holds more than a dataset export writes"):
        export_dataset(mini, None, HARBOUR_ONLY, target, force=True)  # never deletes what is not an export
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "out"]


def test_an_empty_folder_is_used_and_force_replaces_an_earlier_export(mini: Dataset, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    export_dataset(mini, None, HARBOUR_ONLY, target)
    assert [e.id for e in load_dataset(target / "events.json").events] == HARBOUR_ONLY
    with pytest.raises(DatasetExportError, match="not empty"):
        export_dataset(mini, None, ["2009-trade-record"], target)
    export_dataset(mini, None, ["2009-trade-record"], target, force=True)
    assert [e.id for e in load_dataset(target / "events.json").events] == ["2009-trade-record"]
    assert sorted(p.name for p in (target / "sources").iterdir()) == ["harbour.txt"]  # the old copies went too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "out"]


@pytest.mark.parametrize(("case", "message"), [
    ("file", "is a file"),
    ("symlink", "is a symbolic link"),
    ("no-parent", "does not exist"),
    ("dataset-folder", "holds the dataset being exported"),
    ("its-sources", "holds source files of the dataset being exported"),
])
def test_unusable_targets_are_refused(mini: Dataset, tmp_path: Path, case: str, message: str) -> None:
    dataset = mini
    target = {"file": tmp_path / "file.txt", "symlink": tmp_path / "link", "no-parent": tmp_path / "missing" / "out",
              "dataset-folder": mini.root, "its-sources": mini.root / "earlier"}[case]
    if case == "file":
        target.write_text("x", encoding="utf-8")
    if case == "symlink":
        (tmp_path / "real").mkdir()
        target.symlink_to(tmp_path / "real")
    if case == "dataset-folder":  # a dataset export, exported onto itself
        export_dataset(mini, None, HARBOUR_ONLY, tmp_path / "earlier")
        dataset = load_dataset(tmp_path / "earlier" / "events.json")
        target = dataset.root
    if case == "its-sources":  # a dataset whose sources are the files of an earlier export in its folder
        export_dataset(mini, None, HARBOUR_ONLY, target)
        doc = json.loads(mini.path.read_text(encoding="utf-8"))
        for source in doc["sources"]:
            source["path"] = "earlier/" + source["path"]
        mini.path.write_text(json.dumps(doc), encoding="utf-8")
        dataset = load_dataset(mini.path)
    before = {str(p): p.read_bytes() if p.is_file() else b"" for p in tmp_path.rglob("*")}
    with pytest.raises(DatasetExportError, match=message):
        export_dataset(dataset, None, HARBOUR_ONLY, target, force=True)
    assert {str(p): p.read_bytes() if p.is_file() else b"" for p in tmp_path.rglob("*")} == before


def test_a_failure_half_way_leaves_nothing(mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dataset_format_module, "_write_notes", full_disk)
    with pytest.raises(OSError, match="No space"):
        export_dataset(mini, None, HARBOUR_ONLY, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini"]


def test_an_unreadable_quoted_source_stops_the_export(mini_path: Path, tmp_path: Path) -> None:
    os.remove(mini_path.parent / "sources" / "museum.txt")
    dataset = load_dataset(mini_path, allow_missing_sources=True)  # as the app opens it
    with pytest.raises(DatasetExportError, match=r"source museum cannot be copied: .*not found"):
        export_dataset(dataset, None, HARBOUR_ONLY, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    export_dataset(dataset, None, ["2009-trade-record"], tmp_path / "out")  # harbour only: fine


def test_source_files_keep_plain_names_and_never_collide(mini: Dataset, tmp_path: Path) -> None:
    from dataclasses import replace

    shutil.copy(mini.root / "sources" / "museum.txt", mini.root / "museum copy.txt")
    mini.sources["museum"] = replace(mini.sources["museum"], path="museum copy.txt")  # not a plain name
    assert source_paths(mini, ["harbour", "museum"]) == {"harbour": "sources/harbour.txt", "museum": "sources/museum.txt"}
    mini.sources["museum"] = replace(mini.sources["museum"], path="sources/../sources/harbour.txt")  # the same file
    assert source_paths(mini, ["harbour", "museum"]) == {"harbour": "sources/harbour.txt", "museum": "sources/harbour.txt"}


# -- the store's import --------------------------------------------------------------------------

def test_import_annotations_keeps_ids_and_times_and_refuses_ids_given_out(tmp_path: Path) -> None:
    notes = [Note(5, "e1", "five", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"),
             Note(9, "e2", "nine", "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    with AnnotationStore.open(tmp_path / "s.json") as store:
        store.import_annotations(notes, [], ["e2", "e1"])
        assert store.notes() == notes and store.selection() == ["e2", "e1"]
        assert store.add_note("e1", "next").id == 10  # ids go on after the highest imported
        with pytest.raises(StoreError, match="already given out the id of note 9"):
            store.import_annotations([Note(9, "e3", "again", "x", "x")], [])
        with pytest.raises(StoreError, match="repeat an id"):
            store.import_annotations([Note(20, "e3", "a", "x", "x"), Note(20, "e3", "b", "x", "x")], [])
        assert store.undo() == "removed the note just added"
        assert not store.can_undo()  # the import is a copy, not an edit to undo
    with AnnotationStore.open(tmp_path / "s.json", read_only=True) as again:
        assert again.notes() == notes and again.selection() == ["e2", "e1"]


def test_hostile_text_is_kept_exactly_and_the_file_is_safe_to_print(mini: Dataset, tmp_path: Path) -> None:
    from dataclasses import replace

    hostile = "T\x1b]52;c;eA==\x07 [bold]x[/bold] [@click=app.quit] \u202eevil\u202c \x9b2J\u2028end"
    mini.events[0] = replace(mini.events[0], title=hostile, summary=hostile + "\nline 2", date_basis=hostile,
                             tags=(hostile,))
    export_dataset(mini, None, [mini.events[0].id], tmp_path / "out")
    raw = (tmp_path / "out" / "events.json").read_text(encoding="utf-8")
    assert not any(ch in raw for ch in "\x1b\x07\x9b\u202e\u202c\u2028"), "\\u escapes, not raw controls"
    (event,) = load_dataset(tmp_path / "out" / "events.json").events
    assert (event.title, event.summary, event.date_basis, event.tags) == (hostile, hostile + "\nline 2", hostile,
                                                                         (hostile,))

"""AnnotationStore: notes, links, selection, undo and persistence across reopening."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_tui.core.anchoring import anchor
from timeline_tui.core.annotations import AnchorStatus
from timeline_tui.core.model import Dataset
from timeline_tui.core.slug import slugify
from timeline_tui.core.store import AnnotationStore, ReadOnlyStore, StoreError, default_store_path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "notes.json"


def test_new_store_is_empty_and_creates_nothing_until_a_save(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        assert store.notes() == [] and store.links() == [] and store.selection() == []
        assert not store.read_only and store.notices == [] and not store.can_undo()
        assert not store_path.exists()
        store.add_note("e1", "first")
    assert json.loads(store_path.read_text("ascii"))["notes"]["1"]["text"] == "first"


def test_notes_add_update_delete_persist(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        a = store.add_note("e1", "alpha")
        b = store.add_note("e2", "beta\nsecond line")
        c = store.add_note("e1", "gamma")
        assert (a.id, b.id, c.id) == (1, 2, 3)
        edited = store.update_note(a.id, "alpha, revised")
        assert edited.created == a.created and edited.text == "alpha, revised"
        store.delete_note(c.id)
        assert [n.text for n in store.notes("e1")] == ["alpha, revised"]
        assert store.annotated_ids() == {"e1", "e2"}
    with AnnotationStore.open(store_path) as again:
        assert [(n.id, n.event_id, n.text) for n in again.notes()] == [
            (1, "e1", "alpha, revised"), (2, "e2", "beta\nsecond line")]
        # ids are not reused even for the highest id deleted earlier in another session... within one
        # session they never are:
        d = again.add_note("e3", "delta")
        again.delete_note(d.id)
        assert again.add_note("e3", "epsilon").id == d.id + 1


def test_blank_and_unknown_refused(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        with pytest.raises(StoreError, match="needs some text"):
            store.add_note("e1", "  \n\t ")
        note = store.add_note("e1", "x")
        with pytest.raises(StoreError, match="needs some text"):
            store.update_note(note.id, "")
        with pytest.raises(StoreError, match="no note 99"):
            store.update_note(99, "y")
        with pytest.raises(StoreError, match="no note 99"):
            store.delete_note(99)
        with pytest.raises(StoreError, match="no link 5"):
            store.delete_link(5)
        assert store.update_note(note.id, "x") == note  # unchanged text: no write, no undo step
        assert [n.text for n in store.notes()] == ["x"]


def test_undo_several_levels_back_to_open(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        kept = store.add_note("e0", "from an earlier session")
    with AnnotationStore.open(store_path) as store:
        a = store.add_note("e1", "one")
        store.update_note(a.id, "one, edited")
        store.update_note(kept.id, "earlier, edited")
        store.delete_note(a.id)
        assert store.undo() == "restored deleted note"
        assert store.note(a.id) is not None and store.note(a.id).text == "one, edited"  # type: ignore[union-attr]
        assert store.undo() == "restored the note's previous text"
        assert store.note(kept.id) == kept
        assert store.undo() == "restored the note's previous text"
        assert store.undo() == "removed the note just added"
        assert store.notes() == [kept]
        assert not store.can_undo()
        with pytest.raises(StoreError, match="Nothing to undo"):
            store.undo()
    with AnnotationStore.open(store_path) as again:  # the undos were saved too
        assert again.notes() == [kept]


def test_links_round_trip_and_undo(store_path: Path) -> None:
    text = "In August 1945, the first ships returned to the harbour after years of blockade."
    start = text.index("the first ships")
    end = start + len("the first ships returned")
    with AnnotationStore.open(store_path) as store:
        link = store.add_link("e1", "harbour", text, start, end, comment="see [b]this[/b]")
        assert link.quote.exact == "the first ships returned"
        assert link.quote.prefix == "In August 1945, " and link.quote.suffix.startswith(" to the harbour")
        assert (link.position.start, link.position.end) == (start, end)
        assert store.annotated_ids() == {"e1"}
        with pytest.raises(StoreError, match="Cannot link"):
            store.add_link("e1", "harbour", text, 5, 5)
    with AnnotationStore.open(store_path) as store:
        [again] = store.links("e1")
        assert again == link
        assert anchor(text, again.quote, again.position).status is AnchorStatus.EXACT
        store.delete_link(link.id)
        assert store.links() == []
        assert store.undo() == "restored deleted link"
        assert store.links() == [link]
        second = store.add_link("e2", "harbour", text, 0, 2)
        assert store.undo() == "removed the link just added"
        assert second not in store.links()
    raw = json.loads(store_path.read_text("ascii"))["links"]["1"]
    assert [s["type"] for s in raw["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]


def test_selection_persists_and_dedups(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        store.set_selection(["b", "a", "b"])
        assert store.selection() == ["b", "a"]
        store.set_selection(["c"])
    with AnnotationStore.open(store_path) as store:
        assert store.selection() == ["c"]
        assert not store.can_undo()  # selection is not a note change


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=()), min_size=1).filter(lambda s: s.strip() != ""))
def test_any_unicode_text_round_trips_through_the_file(text: str) -> None:
    """Markup, ESC sequences, control characters, NUL, lone surrogates: all stored exactly."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notes.json"
        with AnnotationStore.open(path) as store:
            note = store.add_note("ev", text)
            store.update_note(note.id, text + "\x1b[31m[bold]")
            store.undo()
        with AnnotationStore.open(path) as store:
            assert [n.text for n in store.notes()] == [text]
            assert store.notices == []
        assert json.loads(path.read_bytes())["notes"]["1"]["text"] == text


def test_markup_and_escape_laden_examples(store_path: Path) -> None:
    nasty = ["[bold red]x[/]", "[@click=app.quit]quit[/]", "\x1b]0;title\x07", "\x9b31m", "a\x00b", "\ud800", "\r\n"]
    with AnnotationStore.open(store_path) as store:
        for text in nasty:
            store.add_note("ev", "note " + text)
    with AnnotationStore.open(store_path) as store:
        assert [n.text for n in store.notes()] == ["note " + t for t in nasty]


def test_default_store_path(mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_TUI_NOTES", str(tmp_path / "override.json"))
    assert default_store_path(mini) == tmp_path / "override.json"
    monkeypatch.delenv("TIMELINE_TUI_NOTES")
    path = default_store_path(mini)
    assert path.parent == tmp_path / "xdg-data" / "timeline-tui"
    assert path.name.startswith("notes-mini-test-dataset-") and path.suffix == ".json"
    assert len(path.stem.rsplit("-", 1)[1]) == 8
    assert default_store_path(mini) == path  # stable
    other = Dataset(mini.title, mini.span, mini.sources, mini.eras, mini.events, tmp_path / "elsewhere" / "events.json")
    assert default_store_path(other) != path  # same title, different file: a different store


def test_default_store_name_keeps_its_mid_word_cut(mini: Dataset, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The file name of a long title must not change (notes already saved under it would be lost)."""
    monkeypatch.delenv("TIMELINE_TUI_NOTES")
    title = "China and Russia: the WWII alliance and its memory, 1937-2025"  # the bundled dataset's title
    named = Dataset(title, mini.span, mini.sources, mini.eras, mini.events, mini.path)
    assert default_store_path(named).name.startswith("notes-china-and-russia-the-wwii-alliance-and-i-")
    assert default_store_path(named).name.removeprefix("notes-")[:40] == slugify(
        title, 40, fallback="dataset", whole_words=False)
    blank = Dataset("!!!", mini.span, mini.sources, mini.eras, mini.events, mini.path)
    assert default_store_path(blank).name.startswith("notes-dataset-")


def test_read_only_refusal_gives_the_real_reason(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    (store_path.parent / (store_path.name + ".lock")).mkdir()  # the lock cannot be created
    with AnnotationStore.open(store_path) as store:
        assert store.read_only and "cannot create" in store.read_only_reason
        with pytest.raises(ReadOnlyStore) as raised:
            store.add_note("e1", "text")
        message = str(raised.value)
        assert "cannot create" in message and "not saved" in message and "another timeline-tui" not in message


def test_a_second_instance_is_never_read_only_and_opening_read_only_says_so(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as writer:
        assert writer.read_only_reason == ""
        writer.add_note("e1", "text")
        with AnnotationStore.open(store_path) as second:
            assert not second.read_only and second.read_only_reason == ""
            second.delete_note(1)
        assert writer.refresh() is not None and writer.notes() == []
    with AnnotationStore.open(store_path, read_only=True) as reader:
        assert reader.read_only and "opened read-only" in reader.read_only_reason
        with pytest.raises(ReadOnlyStore, match="opened read-only") as raised:
            reader.add_note("e1", "more")
        assert "another timeline-tui" not in str(raised.value)


def test_ids_are_never_given_out_twice(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        a = store.add_note("e1", "a")
        b = store.add_note("e1", "b")
        store.delete_note(b.id)
        store.add_link("e1", "harbour", "some source text", 0, 4)
    with AnnotationStore.open(store_path) as store:  # another session: the deleted highest id stays used
        assert store.add_note("e1", "c").id == b.id + 1 and a.id == 1
        link = store.links()[0]
        store.delete_link(link.id)
        assert store.add_link("e1", "harbour", "some source text", 0, 4).id == link.id + 1


def test_settings_persist_and_are_json_values(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        assert store.setting("export.dir") is None and store.setting("export.dir", "~") == "~"
        store.set_setting("export.dir", "/tmp/out")
        store.set_setting("export.format", {"name": "md", "quotes": [True, None, 1.5]})
        with pytest.raises(StoreError, match="cannot be saved"):
            store.set_setting("bad", object())
        assert not store.can_undo()  # settings are not note changes
    with AnnotationStore.open(store_path) as store:
        assert store.setting("export.dir") == "/tmp/out"
        assert store.state.settings == {"export.dir": "/tmp/out",
                                        "export.format": {"name": "md", "quotes": [True, None, 1.5]}}
    with AnnotationStore.open(store_path, read_only=True) as reader:
        reader.set_setting("export.dir", "/elsewhere")  # kept in memory only
        assert reader.setting("export.dir") == "/elsewhere"
    with AnnotationStore.open(store_path) as store:
        assert store.setting("export.dir") == "/tmp/out"


OPS = st.lists(
    st.tuples(st.sampled_from(["add", "update", "delete", "undo", "link", "unlink", "select"]),
              st.integers(0, 20), st.text(max_size=8)),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_file_always_equals_memory_after_mixed_changes(ops: list[tuple[str, int, str]]) -> None:
    """Only changed records are re-serialised: the file must still match the state exactly."""
    source = "The harbour reopened in 1950; ships came back and trade resumed."
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notes.json"
        with AnnotationStore.open(path) as store:
            for op, n, text in ops:
                notes, links = store.notes(), store.links()
                if op == "add":
                    store.add_note(f"e{n % 4}", "t" + text)
                elif op == "update" and notes:
                    store.update_note(notes[n % len(notes)].id, "u" + text)
                elif op == "delete" and notes:
                    store.delete_note(notes[n % len(notes)].id)
                elif op == "undo" and store.can_undo():
                    store.undo()
                elif op == "link":
                    store.add_link(f"e{n % 4}", "harbour", source, n, n + 5, text)
                elif op == "unlink" and links:
                    store.delete_link(links[n % len(links)].id)
                elif op == "select":
                    store.set_selection([f"e{i}" for i in range(n % 5)])
                if path.exists():
                    assert json.loads(path.read_bytes()) == store._file.tables
                    with AnnotationStore.open(path, read_only=True) as fresh:
                        assert fresh.state == store.state
            state = store.notes(), store.links(), store.selection()
        with AnnotationStore.open(path) as again:
            assert (again.notes(), again.links(), again.selection()) == state

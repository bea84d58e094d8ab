"""AnnotationState: built once and changed by new values; the same as building it again from scratch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core.annotation_state import AnnotationState, OutsideChanges
from timeline_tui.core.annotations import Link, Note, TextPositionSelector, TextQuoteSelector


def _note(i: int, event: str, text: str = "t") -> Note:
    return Note(i, event, text, "2025-05-09T10:00:00Z", "2025-05-09T10:00:00Z")


def _link(i: int, event: str) -> Link:
    return Link(i, event, "harbour", TextQuoteSelector("ships"), TextPositionSelector(0, 5), "2025-05-09T10:00:00Z")


OPS = st.lists(st.tuples(st.sampled_from(["note", "edit", "unnote", "link", "unlink", "select", "set"]),
                         st.integers(1, 12), st.sampled_from(["e1", "e2", "e3"])), max_size=40)


@settings(max_examples=150, deadline=None)
@given(OPS)
def test_changes_equal_a_fresh_build(ops: list[tuple[str, int, str]]) -> None:
    state = AnnotationState()
    notes: dict[int, Note] = {}
    links: dict[int, Link] = {}
    selection: list[str] = []
    prefs: dict[str, object] = {}
    for op, n, event in ops:
        before = state
        if op == "note":
            notes[n] = _note(n, event)
            state = state.with_note(notes[n])
        elif op == "edit" and n in notes:
            notes[n] = _note(n, event, f"edited {n}")  # may move to another event
            state = state.with_note(notes[n])
        elif op == "unnote" and n in notes:
            state = state.without_note(notes.pop(n))
        elif op == "link":
            links[n] = _link(n, event)
            state = state.with_link(links[n])
        elif op == "unlink" and n in links:
            state = state.without_link(links.pop(n))
        elif op == "select":
            selection = [event] * (n % 2)
            state = state.with_selection(selection)
        elif op == "set":
            prefs[event] = n
            state = state.with_setting(event, n)
        fresh = AnnotationState.build(notes.values(), links.values(), selection, prefs,
                                      state.last_note_id, state.last_link_id)
        assert state == fresh
        assert state.all_notes() == fresh.all_notes() == sorted(notes.values(), key=lambda x: x.id)
        assert state.all_links() == sorted(links.values(), key=lambda x: x.id)
        assert all(state.note(i) == note for i, note in notes.items())
        for group in state.notes.values():
            assert [x.id for x in group] == sorted(x.id for x in group) and group
        diff = OutsideChanges.between(before, state)
        assert diff.events() == state.changed_events(before)
        assert bool(diff.events()) == (before.notes != state.notes or before.links != state.links)
        assert diff.selection_changed == (before.selection != state.selection)


def test_a_state_is_its_own_export_source_and_reads_a_store() -> None:
    state = AnnotationState.build([_note(2, "e1"), _note(1, "e1")], [_link(1, "e2")], ["e1"], {"k": [1]})
    assert state.state is state and AnnotationState.read(None) == AnnotationState()
    assert [n.id for n in state.notes["e1"]] == [1, 2] and state.annotated == {"e1", "e2"}
    assert state.last_note_id == 2 and state.note_count == 2
    assert state.searchable("e2") == "ships"

"""A just-saved note is on screen right after saving, clear of the toast, and the user's notes are
easy to reach on any event (issue 13, item 7): the details show them before the quotes, and ``tab``
brings the first one into view."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import notified, running, screen_of, screenshot_text, settle, wait_until
from textual.widgets import TextArea

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen

ROOT = Path(__file__).resolve().parents[2]
LONG_QUOTES = "1937-1945-china-soviet-fight-side-by-side"  # four quotes, 944 characters


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(ROOT / "events.json")


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (40, 12), (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_saved_note_is_on_screen_clear_of_the_toast(shipped: Dataset, tmp_path: Path,
                                                              size: tuple[int, int]) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    for n in range(3):  # earlier notes push the new one further down
        store.add_note(LONG_QUOTES, f"earlier note {n} " + "with several words in it " * 6)
    async with running(shipped, store, size, toasts=True) as (app, pilot):
        screen = screen_of(app)
        assert screen.current_event is not None and screen.current_event.id == LONG_QUOTES
        await pilot.press("a")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        editor.query_one(TextArea).insert("Zebra crossing remark")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any(m.startswith("Note saved") for m in notified(app))
        await wait_until(pilot, lambda: "Note saved" in screenshot_text(app))
        text = screenshot_text(app)  # what the terminal shows, the toast included
        assert "Zebra crossing remark" in text, text

    store.close()


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_notes_come_before_the_quotes_and_tab_reaches_them(shipped: Dataset, tmp_path: Path,
                                                                 size: tuple[int, int]) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    store.add_note(LONG_QUOTES, "Mine, about the alliance")
    async with running(shipped, store, size) as (app, pilot):
        detail = screen_of(app).detail
        names = [s.name for s in detail.sections]
        assert names.index("note") < names.index("quotes-head") < names.index("quote")
        await pilot.press("tab")
        await pilot.pause()
        assert detail.current() == ("note", 0)
        assert "Mine, about the alliance" in screenshot_text(app)
    store.close()

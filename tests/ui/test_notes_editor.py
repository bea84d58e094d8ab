"""The note editor and the confirmation modal, driven by keyboard through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import notified, recorder, running, settle
from textual import events
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen

NO_RESULT = object()


class Host(App[None]):
    """Pushes one modal on start and records what it dismissed with."""

    def __init__(self, modal: ModalScreen[object]) -> None:
        super().__init__()
        self.modal = modal
        self.result: object = NO_RESULT

    def compose(self) -> ComposeResult:
        yield Static("timeline underneath")

    def on_mount(self) -> None:
        self.push_screen(self.modal, self._done)

    def _done(self, result: object) -> None:
        self.result = result


def _plain(static: Static) -> str:
    return str(static.visual.plain)  # type: ignore[attr-defined]


async def test_type_and_save_with_ctrl_s() -> None:
    app = Host(NoteEditorScreen("8 May 2010 · Museum opens a new wing"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        assert app.screen.query_one("#note-box").border_title == "New note"
        await pilot.press(*"Ledger", "enter", *"[b]2nd[/b]")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == "Ledger\n[b]2nd[/b]"


async def test_saved_text_goes_to_the_store_and_back(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    app = Host(NoteEditorScreen("1945 · Ships return"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press(*"ships came back", "ctrl+s")
        await pilot.pause()
    assert isinstance(app.result, str)
    with AnnotationStore.open(path) as store:
        note = store.add_note("1945-08-ships-return", app.result)
    with AnnotationStore.open(path) as store:
        [again] = store.notes()
    edit = Host(NoteEditorScreen("1945 · Ships return", again.text))
    async with edit.run_test(message_hook=recorder(edit)) as pilot:
        assert edit.screen.query_one("#note-box").border_title == "Edit note"
        assert edit.screen.query_one("#note-text", TextArea).text == "ships came back"
        await pilot.press(*" in August", "ctrl+s")
        await pilot.pause()
    assert edit.result == "ships came back in August" and note.id == again.id


async def test_blank_note_is_not_saved() -> None:
    app = Host(NoteEditorScreen("title"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press("space", "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert any("needs some text" in n for n in notified(app))
    assert app.result is NO_RESULT


async def test_escape_without_changes_cancels_at_once() -> None:
    app = Host(NoteEditorScreen("title", "existing text"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)
    assert app.result is None


async def test_escape_after_changes_asks_first() -> None:
    app = Host(NoteEditorScreen("title", "existing"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press(*" and more", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard the unsaved note?" in _plain(app.screen.query_one("#confirm-message", Static))
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.query_one("#note-text", TextArea).text == "existing and more"
        assert app.result is NO_RESULT
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # discard
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)
    assert app.result is None


async def test_title_and_text_are_literal() -> None:
    title = "[bold]Not bold[/bold] [@click=app.quit]quit[/] \x1b[31mred"
    app = Host(NoteEditorScreen(title, "[i]note[/i] \x1b]0;x\x07 kept"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.pause()
        shown = _plain(app.screen.query_one("#note-event", Static))
        assert shown == "[bold]Not bold[/bold] [@click=app.quit]quit[/] red"
        # the escape sequence is shown as visible symbols, never sent to the terminal...
        assert app.screen.query_one("#note-text", TextArea).text == "[i]note[/i] ␛]0;x␇ kept"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == "[i]note[/i] \x1b]0;x\x07 kept"  # ...and kept as stored: nobody edited it


async def test_confirm_keys() -> None:
    cases: list[tuple[tuple[str, ...], bool]] = [
        (("y",), True), (("enter",), True), (("n",), False), (("escape",), False),
        (("tab", "enter"), False),  # focus moves to the "no" button
    ]
    for keys, expected in cases:
        app = Host(ConfirmScreen("Delete note 3 \"[b]x[/b]\"?", "Delete", "Keep"))
        async with app.run_test(message_hook=recorder(app)) as pilot:
            assert "[b]x[/b]" in _plain(app.screen.query_one("#confirm-message", Static))
            await pilot.press(*keys)
            await pilot.pause()
        assert app.result is expected, keys


HOSTILE_NOTE = "col1\tcol2\r\nline2 \x1b[1mbold"


async def test_an_unedited_note_is_saved_back_exactly() -> None:
    """Issue 13, item 6: ``e`` then ``ctrl+s`` turned this note into 'col1    col2\\nline2 bold'."""
    app = Host(NoteEditorScreen("title", HOSTILE_NOTE))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        area = app.screen.query_one("#note-text", TextArea)
        assert area.text == "col1\tcol2\nline2 ␛[1mbold"
        assert "control characters" in _plain(app.screen.query_one("#note-symbols", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == HOSTILE_NOTE


async def test_an_edit_changes_only_what_was_typed() -> None:
    app = Host(NoteEditorScreen("title", HOSTILE_NOTE))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        await pilot.press(*" more", "enter", "tab", *"x")  # at the end: a new line in the note's CRLF style
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == HOSTILE_NOTE + " more\r\n\tx"


async def test_a_paste_is_kept_as_it_is_shown() -> None:
    app = Host(NoteEditorScreen("title"))
    async with app.run_test(message_hook=recorder(app)) as pilot:
        area = app.screen.query_one("#note-text", TextArea)
        area.post_message(events.Paste("red \x1b[31mtext\x07\r\nnext"))
        await pilot.pause()
        assert area.text == "red ␛[31mtext␇\nnext"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == "red ␛[31mtext␇\nnext"


async def test_saving_an_unchanged_note_changes_nothing_and_says_so(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "notes.json")
    note = store.add_note("1945-08-ships-return", HOSTILE_NOTE)
    before = (tmp_path / "notes.json").read_bytes()
    async with running(mini, store) as (app, pilot):
        await pilot.press("e")
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Note unchanged; nothing was saved." in notified(app)
        assert not any(m.startswith("Note updated") for m in notified(app))
    assert (tmp_path / "notes.json").read_bytes() == before
    with AnnotationStore.open(tmp_path / "notes.json", read_only=True) as again:
        assert again.notes() == [note]
    store.close()

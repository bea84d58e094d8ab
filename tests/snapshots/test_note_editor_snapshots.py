"""Snapshots of the note editor (and its discard confirmation) at a roomy and a tiny terminal size."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static, TextArea

from timeline_tui.core.annotations import Note
from timeline_tui.ui.dialogs.conflict import EditConflictScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen

TITLE = "7–10 May 2025 · Victory Day parade in Moscow; [bold]Xi[/bold] attends"
TEXT = (
    "Compare with the 2015 parade: the museum article calls it 「胜利日」.\n"
    "Markup stays literal: [red]not red[/red] [@click=app.quit]no link[/]\n"
    "Third line of the note."
)


class EditorHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("The timeline would be underneath this dialog. " * 20)

    def on_mount(self) -> None:
        self.push_screen(NoteEditorScreen(TITLE, TEXT))



async def _steady(pilot: Any) -> None:
    """No blinking cursor in a snapshot."""
    await pilot.pause()
    pilot.app.screen.query_one(TextArea).cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
def test_note_editor(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(EditorHost(), terminal_size=size, run_before=_steady)


def test_note_editor_discard_confirmation(snap_compare: Any) -> None:
    async def change_then_escape(pilot: Any) -> None:
        await _steady(pilot)
        await pilot.press(*" more", "escape")
        await pilot.pause()

    assert snap_compare(EditorHost(), terminal_size=(100, 30), run_before=change_then_escape)


HOSTILE = "col1\tcol2\r\nline2 \x1b[1mbold\x07 and [b]markup[/b]"


class HostileEditorHost(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("The timeline would be underneath this dialog. " * 20)

    def on_mount(self) -> None:
        self.push_screen(NoteEditorScreen(TITLE, HOSTILE))


def test_note_editor_shows_control_characters_as_symbols(snap_compare: Any) -> None:
    """A tab as a tab, CRLF as a line break, ESC and BEL as ␛ ␇ (kept as stored unless edited)."""
    assert snap_compare(HostileEditorHost(), terminal_size=(100, 30), run_before=_steady)


class ConflictHost(App[None]):
    def __init__(self, deleted: bool) -> None:
        super().__init__()
        self.deleted = deleted

    def compose(self) -> ComposeResult:
        yield Static("The timeline would be underneath this dialog. " * 20)

    def on_mount(self) -> None:
        mine = Note(3, "1945-08-ships-return", "The first ships came back.", "2025-05-09T10:00:00Z",
                    "2025-05-09T10:00:00Z")
        theirs = replace(mine, text="The first ships came back in [b]August[/b].\nSecond line.",
                         updated="2025-05-09T10:05:00Z")
        self.push_screen(EditConflictScreen(mine, None if self.deleted else theirs))


@pytest.mark.parametrize(("deleted", "size"), [(False, (100, 30)), (True, (100, 30)), (False, (40, 12))],
                         ids=["changed", "deleted", "changed-40x12"])
def test_edit_conflict_dialog(snap_compare: Any, deleted: bool, size: tuple[int, int], utc: None) -> None:
    """At 40×12 the buttons stack and the text above them scrolls: all three stay in view."""
    assert snap_compare(ConflictHost(deleted), terminal_size=size)

"""Below 40×12 every screen shows one message that fits, and only the quit keys and resizing act
(issue 13, item 4): at 15×5 ``j j space`` selected and saved, ``G a`` opened an editor behind the
message and ``f x / :`` drew dialogs over it; the source viewer showed fragments."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import running_on, screen_of, screenshot_text
from textual.widgets import TextArea

from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.size_guard import MIN_HEIGHT, MIN_WIDTH, TooSmallNotice, notice_lines


def shown_notice(app: object) -> list[str]:
    """The non-blank lines on screen (a screenshot), stripped."""
    return [line.strip() for line in screenshot_text(app).splitlines() if line.strip()]  # type: ignore[arg-type]


async def test_at_15x5_keys_do_nothing_and_the_message_fits(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(15, 5)) as (app, pilot):
        screen = screen_of(app)
        before = screen.timeline.cursor_row
        await pilot.press("j", "j", "space")
        await pilot.pause()
        assert screen.timeline.cursor_row == before
        assert not screen.selection.value
        assert not (tmp_path / "notes.json").exists()  # nothing was saved
        await pilot.press("G", "a")
        await pilot.press("f", "x", "slash", "colon", "question_mark", "ctrl+p")
        await pilot.pause()
        assert app.screen_stack == [screen]  # no editor, no dialog, no help, no palette
        expected = notice_lines(15, 5, quit_key="q")
        assert expected == ["Too small", f"need {MIN_WIDTH}×{MIN_HEIGHT}", "now 15×5", "q quits"]
        assert shown_notice(app) == expected  # every line whole, nothing else on screen
        # back to a usable size: everything acts again
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.too_small and screen.timeline.region.height > 0
        await pilot.press("j")
        assert screen.timeline.cursor_row != before


async def test_the_message_fits_at_every_small_size(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(39, 12)) as (app, pilot):
        for width, height in [(39, 12), (40, 11), (15, 5), (12, 3), (9, 2), (30, 8)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            lines = notice_lines(width, height, quit_key="q")
            assert len(lines) <= height and all(len(line) <= width for line in lines)
            assert shown_notice(app) == [line for line in lines if line], (width, height)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert not app.too_small and not screen_of(app).has_class("-too-small")


async def test_q_quits_when_too_small(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(15, 5)) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert app._exit  # the app is quitting


async def test_the_source_viewer_gets_the_same_rule(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(100, 30)) as (app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        source = app.screen
        assert isinstance(source, SourceScreen)
        await pilot.resize_terminal(15, 5)
        await pilot.pause()
        assert source.has_class("-too-small")
        assert shown_notice(app) == notice_lines(15, 5, quit_key="q")
        await pilot.press("n", "v", "l", "escape")
        await pilot.pause()
        assert app.screen is source  # escape did not leave it, l did not link
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not source.has_class("-too-small")
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)


async def test_a_note_being_written_is_kept_and_q_does_not_drop_it(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(100, 30)) as (app, pilot):
        await pilot.press("a", *"half a thought")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        lines = notice_lines(30, 8, quit_key="ctrl+q", unsaved=True)
        assert shown_notice(app) == lines and any("ctrl+q" in line for line in lines)
        await pilot.press("q", "x", "ctrl+s", "escape")
        await pilot.pause()
        assert app.screen is editor and not app._exit
        assert editor.query_one(TextArea).text == "half a thought"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        for _ in range(20):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if AnnotationStore.open(tmp_path / "notes.json", read_only=True).notes():
                break
        assert [n.text for n in AnnotationStore.open(tmp_path / "notes.json", read_only=True).notes()] == [
            "half a thought"]


async def test_a_screen_pushed_while_too_small_shows_the_notice(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(20, 6)) as (app, pilot):
        app.push_screen(ConfirmScreen("Delete everything?"))  # e.g. a failed save reopening a dialog
        await pilot.pause()
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen) and confirm.has_class("-too-small")
        assert confirm.query_children(TooSmallNotice)
        assert "Delete everything?" not in screenshot_text(app)
        await pilot.press("y")
        assert app.screen is confirm


async def test_a_notification_while_too_small_does_not_cover_the_message(mini: Dataset, tmp_path: Path) -> None:
    async with running_on(mini, tmp_path, size=(15, 5), toasts=True) as (app, pilot):
        app.notify("1 note added elsewhere, and a long line at that", timeout=10)
        await pilot.pause()
        await pilot.pause()
        assert shown_notice(app) == notice_lines(15, 5, quit_key="q")

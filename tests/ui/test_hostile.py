"""A dataset whose every string is markup, escape sequences, control characters or wide text renders literally."""

from __future__ import annotations

import re
from pathlib import Path

from pilot_helpers import notified, recorder, screenshot_text
from rich.cells import cell_len
from textual.app import App

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.screens.timeline import TimelineScreen

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile" / "events.json"
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def hostile() -> Dataset:
    return load_dataset(HOSTILE, allow_missing_sources=True)


def screen_segments(app: App[int]) -> list[str]:
    """The screen's text, line by line, as its screenshot has it (what the terminal would be sent)."""
    return screenshot_text(app).splitlines()


def assert_clean(lines: list[str]) -> None:
    for line in lines:
        assert not CONTROL.search(line), repr(line)


async def test_every_event_renders_literally_and_the_app_survives(tmp_path: Path) -> None:
    ds = hostile()
    assert ds.warnings  # one source file is missing on purpose
    store = AnnotationStore.open(tmp_path / "notes.json")
    app = TimelineApp(ds, store, notices=ds.warnings)
    async with app.run_test(size=(160, 50), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        seen_text = []
        for _ in range(len(ds.events)):
            lines = screen_segments(app)
            assert_clean(lines)
            seen_text.append("\n".join(lines))
            await pilot.press("j")
        everything = "\n".join(seen_text)
        for literal in ("[bold]bold?[/]", "[@click=app.quit]click", "[red]tag[/red]", "[b]Source[/b]",
                        "[i]Pub[/i]", "[@click=app.quit]War[/]", "中国与俄罗斯的友谊", "Café".replace("é", "e\u0301")):
            assert literal in everything, literal
        assert "pwned" not in everything  # the OSC title sequence is dropped, not shown
        # the detail pane of the event with a missing source warns instead of quoting
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        assert screen.current_event is not None and screen.current_event.id == "2010-05-missing-source"
        blocks = [s.text for s in screen.detail.sections if s.bar == "missing"]
        assert blocks and "Source file not available: sources/missing.txt" in blocks[0]
        await pilot.press("enter")  # its source is missing: a warning, no viewer
        assert isinstance(app.screen, TimelineScreen)
        assert any("missing" in n for n in notified(app))
        # keys that open dialogs and search with markup-like text
        await pilot.press("g", "slash", *"[bold]", "enter")
        assert "1 match" in screen.status.text
        await pilot.press("f", "escape", "question_mark", "escape", "colon", "escape", "enter")
        await pilot.pause()
        assert_clean(screen_segments(app))
        assert app.is_running and app.return_code is None
        assert not CONTROL.search(app.title)  # the title also goes to the terminal's window title
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", app.export_screenshot())
        await pilot.press("escape")
    store.close()


async def test_wide_and_combining_characters_keep_columns_aligned(tmp_path: Path) -> None:
    ds = hostile()
    app = TimelineApp(ds, None)
    async with app.run_test(size=(200, 40), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        view = screen.timeline
        width = view.scrollable_content_region.width
        badge_columns = set()
        for y in range(len(view.layout_rows)):
            strip = view.render_line(y)
            assert strip.cell_length == width
            text = strip.text
            if view.layout_rows.event_at(y) is not None:
                badge_columns.add(cell_len(text[: text.index("⟨")]))
        assert len(badge_columns) == 1  # the source badges line up whatever the titles hold

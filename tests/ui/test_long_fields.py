"""A field far longer than the screen (a huge summary, a huge note) is cut in the detail pane, says
how long it is, and can be read whole with ``o`` in a viewer that draws only what is on screen.

The data is built by ``benchmarks/huge_fields.py`` (which also times the first screen with a
20 MB summary and a 10 MB note); here the fields are a few hundred KB, enough to be cut.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pilot_helpers import notified, running, screen_of, settle

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.full_text import FullTextScreen
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.widgets.detail_sections import FIELD_LIMIT
from timeline_tui.ui.widgets.text_view import TextView

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.huge_fields import build  # noqa: E402

SUMMARY, NOTE = 300_000, 300_000


def visible_rows(view: TextView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def test_a_huge_summary_is_cut_and_read_whole_with_o(tmp_path: Path) -> None:
    events, notes = build(tmp_path / "huge", summary_chars=SUMMARY)
    dataset = load_dataset(events)
    summary = dataset.events[0].summary
    assert len(summary) == SUMMARY
    store = AnnotationStore.open(notes)
    async with running(dataset, store, size=(100, 30)) as (app, pilot):
        shown = screen_of(app).detail.section_text("summary")
        assert shown.startswith(summary[:200])
        assert len(shown) < FIELD_LIMIT + 200
        assert f"{SUMMARY:,} characters in all · o reads the whole text" in shown
        await pilot.press("o")
        viewer = app.screen
        assert isinstance(viewer, FullTextScreen)
        view = viewer.query_one(TextView)
        assert app.focused is view
        rows = visible_rows(view)
        assert "".join(rows).startswith(summary[:40])
        # every character is reachable: the last rows hold the end of the text
        await pilot.press("G")
        end = "".join(visible_rows(view))
        assert summary.rstrip()[-30:].replace("\n", "") in end.replace("\n", "")
        assert view.rows >= SUMMARY // view.scrollable_content_region.width
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)
    store.close()


async def test_a_huge_note_is_cut_and_o_on_it_reads_it_whole(tmp_path: Path) -> None:
    events, notes = build(tmp_path / "huge", note_chars=NOTE)
    dataset = load_dataset(events)
    store = AnnotationStore.open(notes)
    text = store.notes()[0].text
    async with running(dataset, store, size=(80, 24)) as (app, pilot):
        screen = screen_of(app)
        note = screen.detail.section_text("note")
        assert f"{NOTE:,} characters in all" in note and len(note) < FIELD_LIMIT + 300
        # from the timeline, o reads what was cut: the note (the summary is short)
        await pilot.press("o")
        viewer = app.screen
        assert isinstance(viewer, FullTextScreen) and "Your note" in viewer.title_text
        assert viewer.text == text
        await pilot.press("escape")
        # too long for the editor: e says so (and how to read or delete it) instead of hanging
        await pilot.press("e")
        assert isinstance(app.screen, TimelineScreen)
        assert any(f"This note has {NOTE:,} characters" in n for n in notified(app))
        # in the details, o reads the current item: past the note, a quote, whole
        await pilot.press("tab", "j", "o")
        viewer = app.screen
        assert isinstance(viewer, FullTextScreen) and viewer.text == dataset.events[0].quotes[0].text
        await pilot.press("escape")
        await settle(app, pilot)
    store.close()

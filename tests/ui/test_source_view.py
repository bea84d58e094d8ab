"""Pilot tests of the source viewer: opening at a quote, exact highlights, passage keys, selection and links."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from pilot_helpers import notified, recorder, settle
from rich.cells import get_character_cell_size
from rich.style import Style
from source_support import UNSET, SourceApp, hostile_dataset
from textual.strip import Strip
from textual.widgets import Input

from timeline_tui.core import passages as P
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.link_comment import LinkCommentScreen
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.widgets.source_view import SourceView


def cell_styles(strip: Strip) -> list[tuple[str, Style]]:
    """One (character, style) per terminal cell (a wide character fills two cells)."""
    out: list[tuple[str, Style]] = []
    for seg in strip:
        for ch in seg.text:
            w = get_character_cell_size(ch)
            out.extend([(ch, seg.style or Style())] * w)
    return out


def screen_cells(view: SourceView, offset: int) -> tuple[int, int] | None:
    """(row on screen, first cell) of the character at ``offset``, or None when scrolled out of view."""
    layout = view.text_layout
    assert layout is not None
    line, col = layout.column_of(offset)
    row = line - round(view.scroll_y)
    if not 0 <= row < view.scrollable_size.height or col >= view.scrollable_size.width:
        return None  # scrolled away, or a space hanging past the right edge
    return row, col


def styled_offsets(view: SourceView, style: Style, first: int, last: int) -> set[int]:
    """Offsets in ``[first, last)`` whose visible cells carry ``style``'s background."""
    found: set[int] = set()
    for offset in range(first, last):
        pos = screen_cells(view, offset)
        if pos is None or view.display_text[offset] == "\n":
            continue
        row, col = pos
        cells = cell_styles(view.render_line(row))
        if col < len(cells) and cells[col][1].bgcolor == style.bgcolor:
            found.add(offset)
    return found


def harbour_passages(mini: Dataset) -> list[tuple[int, int, str]]:
    return sorted((q.start, q.end, e.id) for e in mini.events for q in e.quotes if q.source == "harbour")


def text_after(view: SourceView, needle: str) -> int:
    return view.display_text.index(needle)


@pytest.mark.parametrize("size", [(100, 30), (40, 12)])
async def test_opens_at_the_quote_scrolled_into_view_and_highlighted_exactly(
    mini: Dataset, size: tuple[int, int]
) -> None:
    trade = mini.event("2009-trade-record")
    assert trade is not None
    quote = trade.quotes[0]
    app = SourceApp(mini, "harbour", focus=(quote.start, quote.end), event_id=trade.id)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        assert view.cursor == quote.start
        current = view.current_passage
        assert current is not None and (current.start, current.end, current.event_id) == (
            quote.start,
            quote.end,
            trade.id,
        )
        # Every character of the quote is on screen (it is near the end, so at 40x12 that took scrolling).
        layout = view.text_layout
        assert layout is not None
        rows = {layout.line_of(o) - round(view.scroll_y) for o in range(quote.start, quote.end)}
        assert all(0 <= r < view.scrollable_size.height for r in rows)
        if size == (40, 12):
            assert view.scroll_y > 0
        strong = view.get_component_rich_style("source-view--current")
        text = view.display_text
        highlighted = styled_offsets(view, strong, 0, len(text))
        # Exactly [start:end] is strong, apart from the caret cell at its start.
        expected = {o for o in range(quote.start + 1, quote.end) if text[o] != "\n"}
        visible = {o for o in range(len(text)) if screen_cells(view, o) is not None and text[o] != "\n"}
        assert highlighted == expected & visible
        row, col = screen_cells(view, quote.start) or (0, 0)
        caret = cell_styles(view.render_line(row))[col][1]
        assert caret.bgcolor == view.get_component_rich_style("source-view--cursor").bgcolor


async def test_other_events_quotes_are_marked_quietly(mini: Dataset) -> None:
    ships = mini.event("1945-08-ships-return")
    assert ships is not None
    q = ships.quotes[0]
    app = SourceApp(mini, "harbour", focus=(q.start, q.end), event_id=ships.id)
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        quiet = view.get_component_rich_style("source-view--quote")
        text = view.display_text
        got = styled_offsets(view, quiet, 0, len(text))
        others = {
            o for s, e, ev in harbour_passages(mini) if ev != ships.id for o in range(s, e) if text[o] != "\n"
        }
        assert got == others
        assert quiet.bgcolor != view.get_component_rich_style("source-view--current").bgcolor


async def test_n_and_N_visit_passages_in_order_and_wrap(mini: Dataset) -> None:
    expected = harbour_passages(mini)
    first = expected[0]
    app = SourceApp(mini, "harbour", focus=first[:2], event_id=first[2])
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        view = screen.query_one(SourceView)
        assert screen.status_text().startswith(f"Passage 1 of {len(expected)}")
        for i in range(1, len(expected)):
            await pilot.press("n")
            p = view.current_passage
            assert p is not None and (p.start, p.end, p.event_id) == expected[i]
            assert view.cursor == expected[i][0]
            assert screen.status_text().startswith(f"Passage {i + 1} of {len(expected)}")
        await pilot.press("n")  # wraps to the first
        assert view.cursor == expected[0][0]
        assert "wrapped around" in screen.status_text()
        await pilot.press("N")
        assert view.cursor == expected[-1][0]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert view.cursor == expected[-3][0]
        await pilot.press("right_square_bracket")
        assert view.cursor == expected[-2][0]


async def test_enter_returns_the_passage_event_and_escape_returns_none(mini: Dataset) -> None:
    expected = harbour_passages(mini)
    app = SourceApp(mini, "harbour", focus=expected[0][:2], event_id=expected[0][2])
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "enter")
        await pilot.pause()
        assert app.result == expected[2][2]
        assert not isinstance(app.screen, SourceScreen)
    app = SourceApp(mini, "harbour", focus=expected[0][:2], event_id=expected[0][2])
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None


async def test_enter_off_any_passage_stays(mini: Dataset) -> None:
    app = SourceApp(mini, "harbour")
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        assert view.cursor == 0 and view.passage_under_cursor() is None
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == UNSET and isinstance(app.screen, SourceScreen)
        assert any("highlighted passage" in m for m in notified(app))


async def test_caret_motions(mini: Dataset) -> None:
    app = SourceApp(mini, "harbour")
    async with app.run_test(size=(40, 12), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        text = view.display_text
        await pilot.press("w")
        assert view.cursor == P.word_forward(text, 0) == text.index("town")
        await pilot.press("right", "right")
        assert view.cursor == text.index("town") + 2
        await pilot.press("b")
        assert view.cursor == text.index("town")
        await pilot.press("h")
        assert view.cursor == text.index("town") - 1
        await pilot.press("right_parenthesis")
        assert view.cursor == text.index("PORTVILLE")
        await pilot.press("right_parenthesis", "left_parenthesis")
        assert view.cursor == text.index("PORTVILLE")
        layout = view.text_layout
        assert layout is not None
        line, col = layout.column_of(view.cursor)
        await pilot.press("j")
        assert layout.column_of(view.cursor) == (line + 1, col)
        await pilot.press("k")
        assert view.cursor == text.index("PORTVILLE")
        await pilot.press("G")
        assert view.cursor == len(text)
        assert screen_cells(view, len(text) - 1) is not None  # scrolled to the end
        await pilot.press("g")
        assert view.cursor == 0 and view.scroll_y == 0
        await pilot.press("pagedown")
        assert view.scroll_y > 0 and screen_cells(view, view.cursor) is not None


async def test_resize_rewraps_and_keeps_the_quote_in_view(mini: Dataset) -> None:
    trade = mini.event("2009-trade-record")
    assert trade is not None
    q = trade.quotes[0]
    app = SourceApp(mini, "harbour", focus=(q.start, q.end), event_id=trade.id)
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        assert view.text_layout is not None and view.text_layout.width == view.scrollable_size.width
        wide_lines = len(view.text_layout)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.pause()
        assert view.text_layout is not None and view.text_layout.width == view.scrollable_size.width < 40
        assert len(view.text_layout) > wide_lines
        assert screen_cells(view, view.cursor) is not None


async def test_selection_and_link_are_saved_in_the_store(mini: Dataset, tmp_path: Path) -> None:
    store_path = tmp_path / "links-store.json"
    store = AnnotationStore.open(store_path)
    ships = mini.event("1945-08-ships-return")
    assert ships is not None
    q = ships.quotes[0]
    app = SourceApp(mini, "harbour", focus=(q.start, q.end), event_id=ships.id, store=store)
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        view = screen.query_one(SourceView)
        await pilot.press("v", "e", "e")
        assert view.selection == (q.start, q.start + len("In August"))
        assert "Selected 9 characters" in screen.status_text()
        await pilot.press("w", "e")  # extends over "1945," (a comma is a word of its own)
        assert view.selection == (q.start, q.start + len("In August 1945"))
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LinkCommentScreen)
        await pilot.press(*"[b]key", "enter")
        await settle(app, pilot)  # the link is saved by a store job, then shown
        assert app.screen is screen
        assert view.selection is None
        links = store.links()
        assert len(links) == 1
        link = links[0]
        assert (link.event_id, link.source_id, link.comment) == (ships.id, "harbour", "[b]key")
        assert (link.position.start, link.position.end) == (q.start, q.start + len("In August 1945"))
        assert link.quote.exact == "In August 1945"
        current = view.current_passage
        assert current is not None and current.kind == "link"
        linked = styled_offsets(view, view.get_component_rich_style("source-view--link"), 0, len(view.display_text))
        assert linked == set()  # the new link is the current passage, drawn strongly
        await pilot.press("n", "n")  # on past the quote that starts at the same place
        assert view.cursor == text_after(view, "Between")
        linked = styled_offsets(view, view.get_component_rich_style("source-view--link"), 0, len(view.display_text))
        assert linked == set(range(q.start, q.start + len("In August 1945")))
    store.close()
    # It is on disk: a fresh store sees it, and a fresh viewer highlights it in the link style.
    raw = json.loads(store_path.read_text(encoding="utf-8"))
    assert any(doc["comment"] == "[b]key" for doc in raw["links"].values())
    again = AnnotationStore.open(store_path)
    assert [lk.quote.exact for lk in again.links()] == ["In August 1945"]
    app = SourceApp(mini, "harbour", event_id=ships.id, store=again)
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        kinds = [(p.start, p.kind) for p in view.passages]
        assert (q.start, "link") in kinds
        assert any("your link (exact): [b]key" in p.detail for p in view.passages)
    again.close()


async def test_mouse_drag_selects(mini: Dataset) -> None:
    app = SourceApp(mini, "harbour")
    async with app.run_test(size=(100, 30), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        text = view.display_text
        layout = view.text_layout
        assert layout is not None
        start = text.index("PORTVILLE")
        row, col = screen_cells(view, start) or (0, 0)
        gx, gy = view.content_region.x - view.region.x, view.content_region.y - view.region.y
        await pilot.mouse_down(view, offset=(gx + col, gy + row))
        await pilot.hover(view, offset=(gx + col + 8, gy + row))
        await pilot.mouse_up(view, offset=(gx + col + 8, gy + row))
        assert view.selection == (start, start + len("PORTVILLE"))
        # A plain click only moves the caret.
        await pilot.click(view, offset=(gx + col + 2, gy + row))
        assert view.selection is None and view.cursor == start + 2


async def test_escape_drops_the_selection_before_leaving(mini: Dataset) -> None:
    app = SourceApp(mini, "harbour", event_id="2010-05-08-parade")
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        await pilot.press("v", "w", "w")
        assert view.selection is not None
        await pilot.press("escape")
        assert view.selection is None and not view.selecting
        assert app.result == UNSET
        await pilot.press("q")
        await pilot.pause()
        assert app.result is None


async def test_link_refused_on_a_read_only_store_keeps_the_selection(mini: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "shared-store.json"
    writer = AnnotationStore.open(path)
    reader = AnnotationStore.open(path, read_only=True)
    assert reader.read_only
    app = SourceApp(mini, "harbour", event_id="2010-05-08-parade", store=reader)
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        start = text_after(view, "The town")
        assert view.cursor == start  # at the event's passage
        await pilot.press("v", "e", "l")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)  # no comment dialog
        assert any("read-only" in m for m in notified(app))
        assert view.selection == (start, start + len("The"))
    assert writer.links() == [] and reader.links() == []
    reader.close()
    writer.close()


async def test_failed_save_shows_the_error_and_keeps_the_comment(
    mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "full-disk.json"
    store = AnnotationStore.open(path)
    store.add_note("2010-05-08-parade", "kept")
    before = path.read_bytes()

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    app = SourceApp(mini, "harbour", event_id="2010-05-08-parade", store=store)
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        await pilot.press("v", "e", "l")
        await pilot.pause()
        monkeypatch.setattr(os, "replace", no_space)
        await pilot.press(*"my comment", "enter")
        await settle(app, pilot)  # the store job ran (and failed)
        monkeypatch.undo()
        assert isinstance(app.screen, SourceScreen)
        assert any("No space left" in m for m in notified(app))
        start = text_after(view, "The town")
        assert view.selection == (start, start + len("The"))
        assert store.links() == []
        assert path.read_bytes() == before  # nothing half-written
        await pilot.press("l")  # the typed comment is offered again
        await pilot.pause()
        assert app.screen.query_one(Input).value == "my comment"
        await pilot.press("enter")
        await settle(app, pilot)
        assert [lk.comment for lk in store.links()] == ["my comment"]
    store.close()


async def test_hostile_source_is_shown_literally_with_exact_cjk_highlight(tmp_path: Path) -> None:
    dataset, quote = hostile_dataset(tmp_path)
    ev = dataset.events[0]
    q = next(q for q in ev.quotes if q.source == "harbour")
    app = SourceApp(dataset, "harbour", focus=(q.start, q.end), event_id=ev.id)
    async with app.run_test(size=(40, 12), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SourceView)
        assert len(view.display_text) == len(view.source_text)  # offsets kept
        rows = [view.render_line(y) for y in range(view.scrollable_size.height)]
        shown = "".join(s.text for s in rows)
        for seg in (seg for s in rows for seg in s):
            assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in seg.text), seg.text
        await pilot.press("g")
        top = "".join(view.render_line(y).text for y in range(3))
        assert "[bold]news[/bold]" in top and "[@click=app.quit]click" in top
        assert "\u241b" in top and "\u2407" in top  # ESC and BEL show as their control pictures ␛ ␇
        for y in range(view.scrollable_size.height):
            assert view.render_line(y).cell_length == view.scrollable_size.width
        # The wide characters are highlighted at exactly their cells.
        await pilot.press("n", "n")  # past the markup passage
        assert view.cursor == q.start
        strong = view.get_component_rich_style("source-view--current")
        got = styled_offsets(view, strong, 0, len(view.display_text))
        assert got == set(range(q.start + 1, q.end))
        row, col = screen_cells(view, q.start + 1) or (0, 0)
        cells = cell_styles(view.render_line(row))
        assert cells[col][0] == quote[1] and cells[col + 1][0] == quote[1]  # two cells, one character
        assert shown  # something rendered
    assert app.return_code in (None, 0)


async def test_missing_source_file_says_so(mini_path: Path) -> None:
    (mini_path.parent / "sources" / "museum.txt").unlink()
    dataset = load_dataset(mini_path, allow_missing_sources=True)
    app = SourceApp(dataset, "museum", focus=(51, 77), event_id="2005-museum-opens")
    async with app.run_test(size=(80, 24), message_hook=recorder(app)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        header = str(screen.query_one("#source-header").render())
        assert "Source file not found" in header
        assert screen.status_text() == "The source file is missing."
        await pilot.press("n", "v", "l")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)

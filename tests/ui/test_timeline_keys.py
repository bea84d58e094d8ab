"""Pilot tests for every key of the timeline screen: what is under the cursor, what the status says."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp
from timeline_tui.ui.screens.filter import FilterScreen
from timeline_tui.ui.screens.goto import GotoDateScreen
from timeline_tui.ui.screens.help import HelpScreen
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.widgets.detail import DetailPane

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@asynccontextmanager
async def running(
    dataset: Dataset, tmp_path: Path, size: tuple[int, int] = (100, 30), notices: tuple[str, ...] = ()
) -> AsyncIterator[tuple[TimelineApp, Pilot[int]]]:
    store = AnnotationStore.open(tmp_path / "notes.json")
    app = TimelineApp(dataset, store, notices=notices)
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        store.close()


def screen_of(app: TimelineApp) -> TimelineScreen:
    screen = app.screen
    assert isinstance(screen, TimelineScreen), screen
    return screen


def current(app: TimelineApp) -> str | None:
    event = screen_of(app).current_event
    return None if event is None else event.id


def status(app: TimelineApp) -> str:
    return str(screen_of(app).query_one("#status", Static).content)


MINI_ORDER = [
    "1945-08-ships-return",
    "1950-1953-rebuild",
    "2005-museum-opens",
    "2009-trade-record",
    "2010-05-08-new-wing",
    "2010-05-08-parade",
]


def big_dataset(tmp_path: Path, n: int = 400) -> Dataset:
    """``n`` events spread over 1940-2019 (two a month in some years), quoting the mini sources."""
    src = FIXTURES / "mini"
    dest = tmp_path / "big"
    shutil.copytree(src / "sources", dest / "sources")
    raw = json.loads((src / "events.json").read_text(encoding="utf-8"))
    quote = raw["events"][0]["quotes"][0]
    events = []
    for i in range(n):
        year = 1940 + (i * 80) // n
        month = 1 + i % 12
        events.append({"id": f"e{i:04d}", "date": f"{year}-{month:02d}", "title": f"Event number {i}",
                       "summary": "s", "tags": ["t"], "quotes": [quote]})
    events.sort(key=lambda e: (e["date"], e["id"]))
    raw["events"] = events
    (dest / "events.json").write_text(json.dumps(raw), encoding="utf-8")
    return load_dataset(dest / "events.json")


async def test_starts_on_the_first_event_with_details(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, _pilot):
        assert current(app) == "1945-08-ships-return"
        detail = screen_of(app).query_one(DetailPane)
        assert detail.section_text("date") == "August 1945 (day not given)"
        assert "In August 1945" in detail.section_text("basis")
        assert app.focused is screen_of(app).timeline


async def test_j_k_and_arrows_move_between_events(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        seen = [current(app)]
        for key in ("j", "down", "j", "down", "j"):
            await pilot.press(key)
            seen.append(current(app))
        assert seen == MINI_ORDER
        await pilot.press("j")  # already at the end: stays
        assert current(app) == MINI_ORDER[-1]
        await pilot.press("k", "up")
        assert current(app) == MINI_ORDER[3]
        # the cursor row holds the event, and the border title names its year
        view = screen_of(app).timeline
        assert view.layout_rows.event_at(view.cursor_row) == mini.index_of(MINI_ORDER[3])
        assert "2009" in str(view.border_title)


async def test_g_G_home_end(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("G")
        assert current(app) == MINI_ORDER[-1]
        await pilot.press("g")
        assert current(app) == MINI_ORDER[0]
        await pilot.press("end")
        assert current(app) == MINI_ORDER[-1]
        await pilot.press("home")
        assert current(app) == MINI_ORDER[0]


async def test_page_down_and_up_move_a_screenful(tmp_path: Path) -> None:
    ds = big_dataset(tmp_path)
    async with running(ds, tmp_path, size=(100, 30)) as (app, pilot):
        view = screen_of(app).timeline
        height = view.scrollable_content_region.height
        assert view.position == 0
        await pilot.press("pagedown")
        first_page = view.position
        assert height - 8 <= first_page <= height  # a screenful of rows, minus headers
        assert view.cursor_row - round(view.scroll_y) < height  # still visible
        await pilot.press("pagedown")
        assert view.position > first_page
        await pilot.press("pageup", "pageup")
        assert view.position == 0
        await pilot.press("end")
        assert current(app) == ds.events[-1].id
        assert view.cursor_row - round(view.scroll_y) < height


async def test_brackets_jump_between_years(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("right_square_bracket")
        assert current(app) == "1950-1953-rebuild"
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert current(app) == "2010-05-08-new-wing"  # first event of 2010
        await pilot.press("right_square_bracket")  # no later year: stays
        assert current(app) == "2010-05-08-new-wing"
        await pilot.press("j", "left_square_bracket")  # inside 2010: back to its first event
        assert current(app) == "2010-05-08-new-wing"
        await pilot.press("left_square_bracket")
        assert current(app) == "2009-trade-record"


async def test_braces_jump_between_eras(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("right_curly_bracket")
        assert current(app) == "1950-1953-rebuild"  # era "rebuild" 1950/1953
        await pilot.press("right_curly_bracket")  # no later era: stays
        assert current(app) == "1950-1953-rebuild"
        await pilot.press("G", "left_curly_bracket")
        assert current(app) == "1950-1953-rebuild"
        await pilot.press("left_curly_bracket")
        assert current(app) == "1945-08-ships-return"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2009", "2009-trade-record"),
        ("Aug 1945", "1945-08-ships-return"),
        ("8 May 2010", "2010-05-08-new-wing"),
        ("2010-05", "2010-05-08-new-wing"),
        ("1952", "1950-1953-rebuild"),
        ("1960", "1950-1953-rebuild"),
        ("2024", "2010-05-08-parade"),
    ],
)
async def test_colon_goes_to_a_free_date(mini: Dataset, tmp_path: Path, typed: str, expected: str) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("colon")
        assert isinstance(app.screen, GotoDateScreen)
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert current(app) == expected


async def test_colon_rejects_a_non_date_and_esc_cancels(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("j", "colon", *"soon", "enter")
        assert isinstance(app.screen, GotoDateScreen)
        error = str(app.screen.query_one("#goto-error", Static).content)
        assert "soon" in error
        await pilot.press("escape")
        assert current(app) == MINI_ORDER[1]


async def test_slash_searches_incrementally_with_count_and_n_N(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("slash")
        assert app.focused is screen_of(app).query_one("#search", Input)
        await pilot.press(*"museum")
        # the titles of 2005-museum-opens and 2010-05-08-new-wing mention the museum
        matches = [mini.events[screen_of(app).timeline.layout_rows.event_at(r) or 0].id
                   for r in screen_of(app).match_rows]
        assert matches == ["2005-museum-opens", "2010-05-08-new-wing"]
        assert current(app) == "2005-museum-opens"
        assert "2 matches (1/2)" in status(app)
        await pilot.press("enter")
        assert app.focused is screen_of(app).timeline
        await pilot.press("n")
        assert current(app) == "2010-05-08-new-wing" and "(2/2)" in status(app)
        await pilot.press("n")  # wraps around
        assert current(app) == "2005-museum-opens" and "(1/2)" in status(app)
        await pilot.press("N")
        assert current(app) == "2010-05-08-new-wing"
        await pilot.press("k")  # off the matches: the count still shows
        assert "–/2" in status(app)
        await pilot.press("escape")
        assert screen_of(app).match_rows == [] and not screen_of(app).query_one("#status").display


async def test_search_narrows_as_you_type_and_esc_in_the_box_returns(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("j", "slash", *"parade")
        assert current(app) == "2010-05-08-parade" and "1 match (1/1)" in status(app)
        await pilot.press(*" zzz")
        assert "no matches" in status(app)
        await pilot.press("escape")
        assert current(app) == "1950-1953-rebuild"  # back where the search started
        assert screen_of(app).query_text == ""


async def test_search_in_a_thread_newest_query_wins(mini: Dataset, tmp_path: Path) -> None:
    """Large datasets search in a worker thread: the status says so, the newest query's answer is shown."""
    async with running(mini, tmp_path) as (app, pilot):
        screen = screen_of(app)
        screen.sync_search_max = 0  # as if the dataset were large
        await pilot.press("j", "slash", *"museu")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current(app) == "2005-museum-opens" and "2 matches (1/2)" in status(app)
        # an answer for an older query arriving late is ignored
        screen.post_message(TimelineScreen.SearchDone("mus", None, screen._search_seq - 1, []))
        await pilot.pause()
        assert screen.query_text == "museu" and "2 matches (1/2)" in status(app)
        await pilot.press("m")
        assert screen.query_text == "museum" and "/museum" in status(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_text == "museum" and "2 matches (1/2)" in status(app)
        await pilot.press(*" wing")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current(app) == "2010-05-08-new-wing" and "1 match (1/1)" in status(app)
        # enter while a search is still pending finishes it at once, so n/N act on its matches
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "enter")
        assert screen.query_text == "museum" and not screen._search_pending
        assert len(screen.match_rows) == 2 and app.focused is screen.timeline
        assert current(app) == "2005-museum-opens" and "(1/2)" in status(app)
        await pilot.press("n")
        assert current(app) == "2010-05-08-new-wing" and "(2/2)" in status(app)


async def test_f_filters_by_tag_and_esc_clears(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        tags = app.screen.query_one("#filter-tags", SelectionList)
        assert app.focused is tags
        # tags are sorted: anniversary, economy, memory, trade, war
        await pilot.press("down", "down", "down", "space")
        assert tags.selected == ["trade"]
        assert "2 of 6 events match" in str(app.screen.query_one("#filter-count", Static).content)
        await pilot.press("ctrl+s")
        screen = screen_of(app)
        assert screen.filter.tags == {"trade"}
        shown = [mini.events[i].id for i in screen.timeline.layout_rows.order]
        assert shown == ["1945-08-ships-return", "2009-trade-record"]
        assert "Filter: tag trade" in status(app) and "(2 of 6)" in status(app)
        await pilot.press("j")
        assert current(app) == "2009-trade-record"
        await pilot.press("escape")
        assert not screen.filter.active and screen.timeline.layout_rows.event_count == 6
        assert current(app) == "2009-trade-record"  # the cursor keeps its event


async def test_filter_by_source_and_era_and_cancel(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f", "tab", "down", "space")  # sources: harbour, museum -> museum
        await pilot.press("tab", "down", "space")  # eras: war, rebuild -> rebuild
        assert isinstance(app.screen, FilterScreen)
        assert "0 of 6" in str(app.screen.query_one("#filter-count", Static).content)
        await pilot.press("escape")  # cancel: nothing changes
        assert not screen_of(app).filter.active
        await pilot.press("f", "tab", "down", "space", "f")
        screen = screen_of(app)
        assert screen.filter.sources == {"museum"}
        assert [mini.events[i].id for i in screen.timeline.layout_rows.order] == [
            "1945-08-ships-return", "2005-museum-opens", "2010-05-08-new-wing"]


async def test_filter_then_search_counts_only_shown_events(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f", "down", "down", "down", "space", "ctrl+s")  # tag trade
        await pilot.press("slash", *"harbour", "enter")
        assert "1 match (1/1)" in status(app) and "Filter: tag trade" in status(app)
        assert current(app) == "1945-08-ships-return"
        await pilot.press("escape")  # clears the search first
        assert screen_of(app).filter.active and "match" not in status(app)
        await pilot.press("escape")
        assert not screen_of(app).filter.active


async def test_filter_to_nothing_shows_a_hint(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f", "tab", "down", "space", "tab", "down", "space", "ctrl+s")
        screen = screen_of(app)
        assert screen.timeline.layout_rows.event_count == 0 and current(app) is None
        assert "No event here" in screen.detail.section_text("empty")
        await pilot.press("j", "G", "n", "enter", "right_curly_bracket")  # nothing to do; nothing breaks
        assert current(app) is None


async def test_tab_switches_panes_and_quotes_are_chosen_in_details(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        screen = screen_of(app)
        await pilot.press("tab")
        assert app.focused is screen.detail
        await pilot.press("j")
        assert screen.detail.current_quote == 1
        await pilot.press("j")  # only two quotes
        assert screen.detail.current_quote == 1
        await pilot.press("tab")
        assert app.focused is screen.timeline


async def test_narrow_terminal_shows_one_pane_at_a_time(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path, size=(60, 20)) as (app, pilot):
        screen = screen_of(app)
        assert screen.has_class("-toggled")
        assert screen.timeline.display and screen.detail.styles.display == "none"
        await pilot.press("tab")
        assert screen.has_class("-show-detail") and screen.timeline.styles.display == "none"
        await pilot.press("tab")
        assert not screen.has_class("-show-detail")


async def test_layouts_by_size(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path, size=(120, 40)) as (app, pilot):
        screen = screen_of(app)
        assert screen.has_class("-wide")
        assert screen.detail.region.x > screen.timeline.region.x  # side by side
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        assert screen.has_class("-stacked")
        assert screen.detail.region.y > screen.timeline.region.y  # below
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert screen.has_class("-too-small")
        message = screen.query_one("#too-small", Static)
        assert message.display and "too small" in str(message.content)
        assert screen.timeline.region.area == 0


async def test_enter_opens_the_source_at_the_quote(mini: Dataset, tmp_path: Path) -> None:
    from timeline_tui.ui.screens.source import SourceScreen

    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("enter")
        source = app.screen
        assert isinstance(source, SourceScreen)
        assert source.source_id == "harbour" and source.event_id == "1945-08-ships-return"
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)
        # from the details pane, enter opens the chosen quote's source
        await pilot.press("tab", "j", "enter")
        source = app.screen
        assert isinstance(source, SourceScreen) and source.source_id == "museum"


async def test_back_from_the_source_jumps_to_the_event(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, _pilot):
        screen = screen_of(app)
        screen._back_from_source("2009-trade-record")
        assert current(app) == "2009-trade-record"
        screen._back_from_source(None)
        assert current(app) == "2009-trade-record"


async def test_question_mark_lists_every_key_and_the_notes_path(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(str(s.content) for s in help_screen.query(Static))
        for expected in ("Next event", "Page down", "Next year", "Previous era", "Go to date", "Search",
                         "Next match", "Filter", "Source", "Quit", "PgDn", "[", "}", str(tmp_path / "notes.json")):
            assert expected in text, expected
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)


async def test_command_palette_runs_bound_actions(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to date")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, GotoDateScreen)


async def test_mouse_click_selects_a_row(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        view = screen_of(app).timeline
        row = view.layout_rows.row_of_event(mini.index_of("2009-trade-record") or 0) or 0
        await pilot.click("#timeline", offset=(20, row - round(view.scroll_y)))
        assert current(app) == "2009-trade-record"


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_q_and_ctrl_q_quit(mini: Dataset, tmp_path: Path, key: str) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_start_up_notices_become_notifications(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path, notices=("store moved aside [bold]x[/]",)) as (app, _pilot):
        messages = [n.message for n in app._notifications]
        assert "store moved aside [bold]x[/]" in messages


async def test_theme_change_redraws_cached_rows(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        view = screen_of(app).timeline
        y = view.cursor_row - round(view.scroll_y)
        before = list(view.render_line(y))
        app.theme = "textual-light"
        await pilot.pause()
        after = list(view.render_line(y))
        assert [s.text for s in before] == [s.text for s in after]
        assert [s.style for s in before] != [s.style for s in after]


async def test_a_burst_of_keys_after_slash_lands_in_the_search(mini: Dataset, tmp_path: Path) -> None:
    """Keys queued together (a paste, tmux send-keys) reach the search box, in order, "/" included."""
    async with running(mini, tmp_path) as (app, pilot):
        for key, char in [("g", "g"), ("slash", "/"), *((c, c) for c in "war"), ("slash", "/"), ("y", "y")]:
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        await pilot.pause()
        assert screen_of(app).query_one("#search", Input).value == "war/y"

"""Pilot tests for every key of the timeline screen: what is under the cursor, what the status says."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from pilot_helpers import (
    current,
    messages,
    palette_run,
    row_text,
    running_on,
    screen_of,
    settle,
    shown_ids,
    status,
    wait_until,
)
from textual import events
from textual.notifications import Notify
from textual.widgets import SelectionList, Static

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.ui.commands import screen_commands
from timeline_tui.ui.dialogs.filter import FilterScreen
from timeline_tui.ui.dialogs.goto import GotoDateScreen
from timeline_tui.ui.dialogs.help import HelpScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.size_guard import TooSmallNotice
from timeline_tui.ui.widgets.detail import DetailPane
from timeline_tui.ui.widgets.search_bar import LiveIndex, SearchBar
from timeline_tui.ui.widgets.timeline_view import TimelineView
from timeline_tui.ui.widgets.title_bar import TitleBar

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
running = running_on


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
        # the cursor row holds the event; the sticky header names the top row (everything fits on
        # screen: the empty years before the first event), not the cursor's year
        view = screen_of(app).timeline
        assert view.layout_rows.event_at(view.cursor_row) == mini.index_of(MINI_ORDER[3])
        assert view.top_row == 0 and view.header.startswith("1937–1944 · ")


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
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"museum")
        # the titles of 2005-museum-opens and 2010-05-08-new-wing mention the museum: both rows marked
        marked = [i for i in MINI_ORDER if "›" in row_text(app, i) or i == current(app)]
        assert marked == ["2005-museum-opens", "2010-05-08-new-wing"]
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
        assert status(app) == "" and not any("›" in row_text(app, i) for i in MINI_ORDER)


async def test_search_narrows_as_you_type_and_esc_in_the_box_returns(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("j", "slash", *"parade")
        assert current(app) == "2010-05-08-parade" and "1 match (1/1)" in status(app)
        await pilot.press(*" zzz")
        assert "no matches" in status(app)
        await pilot.press("escape")
        assert current(app) == "1950-1953-rebuild"  # back where the search started
        assert screen_of(app).query_text == ""


async def test_search_in_a_thread_newest_query_wins(
    mini: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large datasets search in a worker thread: the status says so, and only the newest query's answer
    is shown, even when an older query's answer arrives after it."""
    real = LiveIndex.search
    release = threading.Event()

    def search(index: LiveIndex, query: str) -> list[int]:
        if query == "mus":  # the first query is slow: it answers only after the newest one
            release.wait(10)
        return real(index, query)

    monkeypatch.setattr(LiveIndex, "search", search)
    async with running(mini, tmp_path) as (app, pilot):
        screen = screen_of(app)
        screen.query_one(SearchBar).sync_max = 0  # as if the dataset were large
        await pilot.press("j", "slash", *"mus")
        assert "searching…" in status(app)
        await pilot.press(*"eum")
        await wait_until(pilot, lambda: "2 matches" in status(app))
        assert current(app) == "2005-museum-opens" and "2 matches (1/2)" in status(app)
        release.set()  # the stale answer for "mus" now arrives: it must change nothing
        await settle(app, pilot)
        found = [m.query for m in messages(app, SearchBar.Found)]
        assert found[-1] == "museum" and "mus" not in found
        assert screen.query_text == "museum" and "2 matches (1/2)" in status(app)
        await pilot.press(*" wing")
        await settle(app, pilot)
        assert current(app) == "2010-05-08-new-wing" and "1 match (1/1)" in status(app)
        # enter while a search is still pending finishes it at once, so n/N act on its matches
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "enter")
        assert screen.query_text == "museum" and "searching" not in status(app)
        assert app.focused is screen.timeline
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
        assert shown_ids(app) == ["1945-08-ships-return", "2009-trade-record"]
        assert "Filter: tag trade" in status(app) and "(2 of 6)" in status(app)
        assert screen_of(app).query_one(TitleBar).info == "2 of 6 events · 2 sources"
        await pilot.press("j")
        assert current(app) == "2009-trade-record"
        await pilot.press("escape")
        assert "Filter" not in status(app) and len(shown_ids(app)) == 6
        assert current(app) == "2009-trade-record"  # the cursor keeps its event


async def test_filter_by_source_and_era_and_cancel(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f", "tab", "down", "space")  # sources: harbour, museum -> museum
        await pilot.press("tab", "down", "space")  # eras: war, rebuild -> rebuild
        assert isinstance(app.screen, FilterScreen)
        assert "0 of 6" in str(app.screen.query_one("#filter-count", Static).content)
        await pilot.press("escape")  # cancel: nothing changes
        assert "Filter" not in status(app) and len(shown_ids(app)) == 6
        await pilot.press("f", "tab", "down", "space", "f")
        assert "Filter: source museum" in status(app)
        assert shown_ids(app) == ["1945-08-ships-return", "2005-museum-opens", "2010-05-08-new-wing"]


async def test_filter_then_search_counts_only_shown_events(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f", "down", "down", "down", "space", "ctrl+s")  # tag trade
        await pilot.press("slash", *"harbour", "enter")
        assert "1 match (1/1)" in status(app) and "Filter: tag trade" in status(app)
        assert current(app) == "1945-08-ships-return"
        await pilot.press("escape")  # clears the search first
        assert "Filter: tag trade" in status(app) and "match" not in status(app)
        await pilot.press("escape")
        assert status(app) == ""


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
        assert screen.detail.current() == ("quote", 1)
        await pilot.press("j")  # only two quotes
        assert screen.detail.current() == ("quote", 1)
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
        message = screen.query_one(TooSmallNotice)
        assert message.display and "too small" in str(message.content).lower()
        assert screen.timeline.region.area == 0


async def test_enter_opens_the_source_at_the_quote(mini: Dataset, tmp_path: Path) -> None:
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


async def test_enter_on_a_passage_goes_back_to_its_event_even_through_a_filter(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("f", "down", "down", "down", "space", "ctrl+s")  # tag trade: 1945 and 2009 shown
        await pilot.press("enter")  # the harbour article, at the 1945 quote
        source = app.screen
        assert isinstance(source, SourceScreen)
        await pilot.press("n")  # the next passage belongs to another event
        passage = source.view.current_passage
        assert passage is not None and passage.event_id != "1945-08-ships-return"
        await pilot.press("enter")
        assert isinstance(app.screen, TimelineScreen)
        assert current(app) == passage.event_id
        if passage.event_id not in ("1945-08-ships-return", "2009-trade-record"):
            assert "Filter" not in status(app)  # the filter hid it: cleared to show it
        await pilot.press("enter", "escape")  # esc: back where we were, not moved
        assert current(app) == passage.event_id


async def test_question_mark_lists_every_key_and_the_notes_path(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(str(s.content) for s in help_screen.query(Static))
        for expected in ("Go to the next event", "Scroll a page down", "Go to the next year with events", "Go to the previous era",
                         "Go to a date", "Search titles", "Go to the next search match", "Filter events",
                         "Open source", "Quit", "PgDn", "[", "}", "esc", "Legend", "c. 1945", "⟨1 3⟩",
                         str(tmp_path / "notes.json"), "Keymap"):
            assert expected in text, expected
        keys = "\n".join(str(s.content) for s in help_screen.query(".help-keys"))
        assert "right_square_bracket" not in keys and "question_mark" not in keys  # keys as typed
        await pilot.press("escape")
        assert isinstance(app.screen, TimelineScreen)


async def test_command_palette_runs_bound_actions_found_by_name_or_synonym(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, pilot):
        await palette_run(app, pilot, "go to a date", "Go to a date")
        assert isinstance(app.screen, GotoDateScreen)
        await pilot.press("escape")
        await palette_run(app, pilot, "annotate", "Add note")  # a synonym finds "Add note"
        assert isinstance(app.screen, NoteEditorScreen)


async def test_command_palette_lists_commands_with_verbs_and_no_stray_built_ins(mini: Dataset, tmp_path: Path) -> None:
    async with running(mini, tmp_path) as (app, _pilot):
        names = [c.name for c in screen_commands(app.screen)]
        for name in ("Add note", "Open source at this quote", "Export selection…", "Search titles, summaries, quotes and notes",
                     "Show keys and legend", "Change theme", "Go to the next event"):
            assert name in names, name
        assert len(names) == len(set(names))
        for stray in ("Page Left", "Scroll Up", "Scroll Left"):  # Textual's scrolling built-ins
            assert not any(stray.lower() in n.lower() for n in names), stray
        assert not {"Keys", "Maximize", "Quit the application"} & set(names)


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
        notes = [m.notification for m in messages(app, Notify)]
        assert [(n.message, n.markup) for n in notes] == [("store moved aside [bold]x[/]", False)]  # literal text


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
        assert screen_of(app).query_one(SearchBar).value == "war/y"


async def test_moving_posts_cursor_moved_and_the_screen_shows_that_event(mini: Dataset, tmp_path: Path) -> None:
    """The view announces the cursor with a message; the screen (its @on handler) fills the details."""
    async with running(mini, tmp_path) as (app, pilot):
        await pilot.press("j", "G")
        moved = [m.index for m in messages(app, TimelineView.CursorMoved)]
        assert [mini.events[i].id for i in moved if i is not None][-2:] == [MINI_ORDER[1], MINI_ORDER[-1]]
        assert screen_of(app).detail.section_text("title") == mini.events[moved[-1] or 0].title
        assert screen_of(app).timeline.header.startswith("1937–1944")  # the top row, not the cursor's 2010

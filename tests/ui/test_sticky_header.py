"""The timeline's sticky year header names the year (or empty years) and eras of the TOP row on
screen — never the cursor's — after every key, scroll, mouse wheel, resize and filter change
(issue 13, item 1)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pilot_helpers import running_on, screen_of, screenshot_text
from textual import events
from textual.pilot import Pilot

from timeline_tui.core.layout import RowKind
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter
from timeline_tui.ui.app import TimelineApp

ROOT = Path(__file__).resolve().parents[2]


def shipped() -> Dataset:
    return load_dataset(ROOT / "events.json")


def expected_header(app: TimelineApp) -> str:
    """What the header must say, worked out from the layout's top row and the dataset's eras."""
    view = screen_of(app).timeline
    layout, top = view.layout_rows, round(view.scroll_y)
    if not len(layout):
        return ""
    row = layout.row(top)
    first, last = (row.year, row.end_year) if row.kind is RowKind.GAP else (row.year, row.year)
    label = str(first) if first == last else f"{first}–{last}"
    eras = [era.title for era in app.dataset.eras if era.date.lower.year <= last and first <= era.date.upper.year]
    return " · ".join([label, *eras])


def header(app: TimelineApp) -> str:
    return screen_of(app).timeline.header


async def test_after_G_the_header_names_the_rows_on_top_not_the_cursor(tmp_path: Path) -> None:
    """The reproduction: at 100×30 ``G`` showed ``2025 · …`` above the 8 and 9 May 2010 rows."""
    async with running_on(shipped(), tmp_path, size=(100, 30)) as (app, pilot):
        await pilot.press("G")
        await pilot.pause()
        view = screen_of(app).timeline
        assert view.cursor_year == 2025
        top = view.layout_rows.row(view.top_row)
        assert top.kind is RowKind.EVENT and app.dataset.events[top.event].date.start.year == 2010
        assert header(app).startswith("2010 · ") and "2025" not in header(app)
        assert header(app) == expected_header(app)
        lines = screenshot_text(app).splitlines()
        border = next(i for i, line in enumerate(lines) if line.startswith("─2010"))
        assert "8 May" in lines[border + 1]  # the row right under the header is the 2010 one it names
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert header(app) == expected_header(app)
        assert not header(app).startswith("2024")


async def test_mouse_wheel_resize_and_filter_keep_the_header_true(tmp_path: Path) -> None:
    async with running_on(shipped(), tmp_path, size=(100, 30)) as (app, pilot):
        screen = screen_of(app)
        view = screen.timeline
        cursor = view.cursor_row
        for _ in range(6):
            await wheel(pilot, down=True)
        assert view.top_row > 0 and view.cursor_row == cursor  # the wheel scrolls, the cursor stays
        assert header(app) == expected_header(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert header(app) == expected_header(app)
        screen.apply_filter(Filter(tags=frozenset({"trade"})))
        await pilot.pause()
        assert header(app) == expected_header(app)
        screen.apply_filter(Filter(tags=frozenset({"no-such-tag"})))
        await pilot.pause()
        assert header(app) == expected_header(app)


async def wheel(pilot: Pilot[int], *, down: bool) -> None:
    """One turn of the mouse wheel over the timeline."""
    app = pilot.app
    view = screen_of(app).timeline  # type: ignore[arg-type]
    x, y = view.region.x + 5, view.region.y + 3
    kind = events.MouseScrollDown if down else events.MouseScrollUp
    app.post_message(kind(None, x, y, 0, 1 if down else -1, 0, False, False, False, screen_x=x, screen_y=y))
    await pilot.pause()


KEYS = ["j", "k", "pagedown", "pageup", "g", "G", "home", "end", "right_square_bracket", "left_square_bracket",
        "right_curly_bracket", "left_curly_bracket"]
SIZES = [(100, 30), (80, 24), (120, 40), (60, 20), (200, 50), (45, 14)]
FILTERS = [Filter(), Filter(tags=frozenset({"diplomacy"})), Filter(tags=frozenset({"war"})),
           Filter(tags=frozenset({"commemoration", "trade"}))]

Action = tuple[str, object]
actions = st.lists(
    st.one_of(
        st.tuples(st.just("key"), st.sampled_from(KEYS)),
        st.tuples(st.just("wheel"), st.booleans()),
        st.tuples(st.just("resize"), st.sampled_from(SIZES)),
        st.tuples(st.just("filter"), st.sampled_from(range(len(FILTERS)))),
        st.tuples(st.just("click"), st.integers(0, 20)),
    ),
    min_size=1, max_size=30,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_the_header_always_names_the_top_row(tmp_path: Path, steps: list[Action]) -> None:
    asyncio.run(_walk(tmp_path, steps))


async def _walk(tmp_path: Path, steps: list[Action]) -> None:
    dataset = shipped()
    async with running_on(dataset, tmp_path, size=(100, 30)) as (app, pilot):
        screen = screen_of(app)
        assert header(app) == expected_header(app)
        for kind, value in steps:
            if kind == "key":
                await pilot.press(str(value))
            elif kind == "wheel":
                await wheel(pilot, down=bool(value))
            elif kind == "resize":
                width, height = value  # type: ignore[misc]
                await pilot.resize_terminal(width, height)
            elif kind == "filter":
                screen.apply_filter(FILTERS[int(value)])  # type: ignore[call-overload]
            else:
                view = screen.timeline
                if view.region.height:
                    await pilot.click(view, offset=(3, 1 + int(value) % max(1, view.region.height - 1)))
            await pilot.pause()
            assert header(app) == expected_header(app), (kind, value)

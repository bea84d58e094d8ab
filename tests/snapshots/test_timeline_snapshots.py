"""SVG snapshots of the timeline screen: timeline, details, search, help, filter, too small; three sizes.

Deterministic: fixed theme (the app's default), no clock on screen, no cursor blink, relative paths.
Update with ``pytest tests/snapshots --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIZES = [(100, 30), (80, 24), (40, 12)]

Snap = Callable[..., bool]


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], TimelineApp]]:
    """An app on a private copy of a fixture dataset, opened by relative path so paths on screen are stable."""
    stores: list[AnnotationStore] = []

    def make(fixture: str = "mini") -> TimelineApp:
        dest = tmp_path / fixture
        shutil.copytree(FIXTURES / fixture, dest)
        monkeypatch.chdir(dest)
        dataset = load_dataset(Path("events.json"), allow_missing_sources=True)
        store = AnnotationStore.open(Path("notes.json"))
        stores.append(store)
        return TimelineApp(dataset, store)

    yield make
    for store in stores:
        store.close()


async def no_blink(pilot: Pilot[int]) -> None:
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline(snap_compare: Snap, make_app: Callable[[str], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=size, press=["j", "j"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail(snap_compare: Snap, make_app: Callable[[str], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=size, press=["tab"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search(snap_compare: Snap, make_app: Callable[[str], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=size, press=["slash", *"museum"], run_before=no_blink)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare: Snap, make_app: Callable[[str], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=size, press=["question_mark"])


@pytest.mark.parametrize("size", [(100, 30), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_filter_dialog(snap_compare: Snap, make_app: Callable[[str], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=size, press=["f", "down", "down", "down", "space"])


def test_filtered_timeline(snap_compare: Snap, make_app: Callable[[str], TimelineApp]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=(100, 30),
                        press=["f", "down", "down", "down", "space", "ctrl+s"])


def test_goto_dialog(snap_compare: Snap, make_app: Callable[[str], TimelineApp]) -> None:
    async def type_date(pilot: Pilot[int]) -> None:
        await pilot.press("colon", *"Aug 19")
        await no_blink(pilot)

    assert snap_compare(make_app("mini"), terminal_size=(80, 24), run_before=type_date)


@pytest.mark.parametrize("size", [(39, 12), (100, 11), (15, 5)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_too_small(snap_compare: Snap, make_app: Callable[[str], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app("mini"), terminal_size=size)


def test_hostile_data_renders_literally(snap_compare: Snap, make_app: Callable[[str], TimelineApp]) -> None:
    assert snap_compare(make_app("hostile"), terminal_size=(100, 30), press=["j"])

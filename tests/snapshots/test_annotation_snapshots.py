"""SVG snapshots of the user's annotations on the timeline: the detail pane with notes and links
(with their anchor health), and selected rows with a range being chosen, at 100×30 and 40×12.

Deterministic: the store's clock is fixed and times are shown in UTC; the app is opened by relative
paths; store and anchor workers finish and notifications are cleared before the picture is taken.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from timeline_tui.core import store as store_module
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIZES = [(100, 30), (40, 12)]
PARADE = "2010-05-08-parade"

Snap = Callable[..., bool]


@pytest.fixture
def annotated_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc: None
) -> Iterator[Callable[[], TimelineApp]]:
    """The mini dataset with two notes and two links (one exact, one orphaned) on the parade."""
    stores: list[AnnotationStore] = []

    def make() -> TimelineApp:
        dest = tmp_path / "mini"
        shutil.copytree(FIXTURES / "mini", dest)
        monkeypatch.chdir(dest)
        dataset = load_dataset(Path("events.json"))
        store = AnnotationStore.open(Path("notes.json"))
        stores.append(store)
        clock = iter(["2025-05-09T09:15:00Z", "2025-05-09T10:00:00Z", "2025-05-10T18:42:00Z",
                      "2025-05-11T07:05:00Z", "2025-05-12T20:30:00Z"])
        monkeypatch.setattr(store_module, "_now", lambda: next(clock))
        text = dataset.source_text("harbour")
        assert text is not None
        start = text.index("held a parade")
        store.add_link(PARADE, "harbour", text, start, start + len("held a parade"), "the [b]first[/b] parade")
        gone = "A passage since removed from the article."
        store.add_link(PARADE, "harbour", gone, 0, len(gone))
        note = store.add_note(PARADE, "Check the date: Saturday was 8 May.")
        store.update_note(note.id, "Check the date: Saturday was 8 May 2010.\nSecond line of the note.")
        store.add_note(PARADE, "[@click=app.quit]not a link[/] stays text")
        return TimelineApp(dataset, store)

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def plain_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], TimelineApp]]:
    stores: list[AnnotationStore] = []

    def make() -> TimelineApp:
        dest = tmp_path / "mini"
        shutil.copytree(FIXTURES / "mini", dest)
        monkeypatch.chdir(dest)
        store = AnnotationStore.open(Path("notes.json"))
        stores.append(store)
        store.add_note("2009-trade-record", "a note")
        return TimelineApp(load_dataset(Path("events.json")), store)

    yield make
    for store in stores:
        store.close()


def keys_then_settle(*keys: str) -> Callable[[Pilot[int]], object]:
    async def run(pilot: Pilot[int]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.press(*keys)
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


#: to the parade, into the details, down past its quote and two links to the first note
DETAIL_KEYS = ("G", "tab")  # the notes come first, then the links


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail_with_notes_and_links(
    snap_compare: Snap, annotated_app: Callable[[], TimelineApp], size: tuple[int, int]
) -> None:
    assert snap_compare(annotated_app(), terminal_size=size, run_before=keys_then_settle(*DETAIL_KEYS))


def test_detail_links_with_health(snap_compare: Snap, annotated_app: Callable[[], TimelineApp]) -> None:
    assert snap_compare(annotated_app(), terminal_size=(100, 30), run_before=keys_then_settle("G", "tab", "j", "j", "j"))  # past the two notes to the links


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_selected_rows(snap_compare: Snap, plain_app: Callable[[], TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(plain_app(), terminal_size=size,
                        run_before=keys_then_settle("space", "j", "j", "space", "G", "space", "k"))


def test_range_being_chosen(snap_compare: Snap, plain_app: Callable[[], TimelineApp]) -> None:
    assert snap_compare(plain_app(), terminal_size=(100, 30),
                        run_before=keys_then_settle("space", "j", "j", "V", "j", "j"))

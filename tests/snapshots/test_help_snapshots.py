"""SVG snapshots of the ``?`` help (keys, legend, facts) on the timeline and in the source viewer, with
the default keys and with a user keymap, of the whole-text viewer, and of the timeline at 200×50.

Deterministic: fixed theme, relative paths (the app runs in a copy of the fixture), the keymap
file given by a relative path.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.app import TimelineApp

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIZES = [(100, 30), (80, 24), (40, 12), (200, 50)]

Snap = Callable[..., bool]


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., TimelineApp]]:
    """The mini dataset's app, opened by relative paths; ``keymap`` is written to ``config.toml`` when given."""
    stores: list[AnnotationStore] = []

    def make(keymap: str = "", summary: str = "") -> TimelineApp:
        dest = tmp_path / "mini"
        shutil.copytree(FIXTURES / "mini", dest)
        monkeypatch.chdir(dest)
        path = None
        if keymap:
            path = Path("config.toml")
            path.write_text(keymap, encoding="utf-8")
        dataset = load_dataset(Path("events.json"))
        if summary:
            from dataclasses import replace

            dataset.events[0] = replace(dataset.events[0], summary=summary)
        store = AnnotationStore.open(Path("notes.json"))
        stores.append(store)
        return TimelineApp(dataset, store, keymap_path=path or Path("no-keymap.toml"))

    yield make
    for store in stores:
        store.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_help_with_legend(snap_compare: Snap, make_app: Callable[..., TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["question_mark"])


def test_timeline_help_scrolled_to_the_legend(snap_compare: Snap, make_app: Callable[..., TimelineApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), press=["question_mark", "end"])


def test_help_with_a_user_keymap(snap_compare: Snap, make_app: Callable[..., TimelineApp]) -> None:
    keymap = '[keymap]\n"note.add" = "w"\n"select.toggle" = "t"\n'
    assert snap_compare(make_app(keymap), terminal_size=(100, 30), press=["question_mark", "pagedown"])


def test_footer_with_a_user_keymap(snap_compare: Snap, make_app: Callable[..., TimelineApp]) -> None:
    keymap = '[keymap]\n"note.add" = "w"\n"select.toggle" = "t"\n'

    async def clear(pilot: object) -> None:
        app = pilot.app  # type: ignore[attr-defined]
        app.clear_notifications()
        await pilot.pause()  # type: ignore[attr-defined]

    assert snap_compare(make_app(keymap), terminal_size=(100, 30), run_before=clear)


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_source_viewer_help(snap_compare: Snap, make_app: Callable[..., TimelineApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, press=["enter", "question_mark"])


def test_timeline_at_200x50(snap_compare: Snap, make_app: Callable[..., TimelineApp]) -> None:
    assert snap_compare(make_app(), terminal_size=(200, 50), press=["j", "j"])


@pytest.mark.parametrize("size", [(100, 30), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_long_summary_cut_and_read_whole(snap_compare: Snap, make_app: Callable[..., TimelineApp],
                                          size: tuple[int, int]) -> None:
    summary = " ".join(f"Sentence {i} of a very long summary, 「港口」 with a CJK phrase." for i in range(300))
    assert snap_compare(make_app(summary=summary), terminal_size=size, press=["o", "pagedown"])


def test_a_long_summary_in_the_details(snap_compare: Snap, make_app: Callable[..., TimelineApp]) -> None:
    summary = " ".join(f"Sentence {i} of a very long summary." for i in range(300))
    assert snap_compare(make_app(summary=summary), terminal_size=(100, 30), press=["tab", "pagedown", "pagedown"])

"""SVG snapshots of the source viewer: a highlighted quote at three sizes, a selection, the link dialog, hostile text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from source_support import SourceApp, hostile_dataset

from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore

SnapCompare = Callable[..., bool]


def trade_app(mini: Dataset, store: AnnotationStore | None = None) -> SourceApp:
    trade = mini.event("2009-trade-record")
    assert trade is not None
    q = trade.quotes[0]
    return SourceApp(mini, "harbour", focus=(q.start, q.end), event_id=trade.id, store=store)


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (40, 12)])
def test_quote_highlighted(snap_compare: SnapCompare, mini: Dataset, size: tuple[int, int]) -> None:
    assert snap_compare(trade_app(mini), terminal_size=size)


def test_selection_in_progress(snap_compare: SnapCompare, mini: Dataset) -> None:
    assert snap_compare(trade_app(mini), terminal_size=(80, 24), press=["v", "e", "w", "e"])


def test_link_comment_dialog(snap_compare: SnapCompare, mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "snap-store.json")
    try:
        assert snap_compare(trade_app(mini, store), terminal_size=(80, 24), press=["v", "e", "e", "l"])
    finally:
        store.close()


def test_user_link_drawn_in_its_own_style(snap_compare: SnapCompare, mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "snap-store.json")
    text = mini.source_text("harbour")
    assert text is not None
    start = text.index("first ships")
    store.add_link("2009-trade-record", "harbour", text, start, start + len("first ships"), "")
    try:
        assert snap_compare(trade_app(mini, store), terminal_size=(80, 24))
    finally:
        store.close()


def hostile(tmp_path: Path) -> SourceApp:
    dataset, _ = hostile_dataset(tmp_path)
    ev = dataset.events[0]
    q = next(q for q in ev.quotes if q.source == "harbour")
    return SourceApp(dataset, "harbour", focus=(q.start, q.end), event_id=ev.id)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_hostile_text_literal(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(hostile(tmp_path), terminal_size=size)

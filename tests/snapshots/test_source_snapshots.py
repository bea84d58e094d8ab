"""SVG snapshots of the source viewer: a highlighted quote at three sizes, a selection, the link dialog, hostile text."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.screens.source import SourceScreen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SnapCompare = Callable[..., bool]


class SourceApp(App[None]):
    """Opens one SourceScreen, as the timeline does on enter."""

    def __init__(self, dataset: Dataset, source_id: str, **kwargs: Any) -> None:
        super().__init__()
        self.dataset, self.source_id, self.kwargs = dataset, source_id, kwargs

    def on_mount(self) -> None:
        self.push_screen(SourceScreen(self.dataset, self.source_id, **self.kwargs))


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
    root = tmp_path / "hostile-snap"
    shutil.copytree(FIXTURES / "mini", root)
    text = (
        "Breaking [bold]news[/bold] and [@click=app.quit]click me[/] \x1b[31mred\x1b[0m\x07 tab\there\n"
        "中文报道：港口在一九四五年八月重新开放。 Café\u0301 [link=https://x]x[/link]\r\n"
        "Second line \x9b2J with a very long unbroken word " + "x" * 50 + " end.\n"
    )
    (root / "sources" / "harbour.txt").write_text(text, encoding="utf-8", newline="")
    quote = "港口在一九四五年八月重新开放"
    start = text.index(quote)
    data = json.loads((root / "events.json").read_text(encoding="utf-8"))
    for ev in data["events"]:
        ev["quotes"] = [q for q in ev["quotes"] if q["source"] != "harbour"]
    data["events"] = [ev for ev in data["events"] if ev["quotes"]]
    data["events"][0]["quotes"].append({"source": "harbour", "start": start, "end": start + len(quote), "text": quote})
    (root / "events.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dataset = load_dataset(root / "events.json")
    return SourceApp(dataset, "harbour", focus=(start, start + len(quote)), event_id=data["events"][0]["id"])


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_hostile_text_literal(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(hostile(tmp_path), terminal_size=size)

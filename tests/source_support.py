"""Test support for the source viewer: a bare host app and a hostile source text (shared by Pilot and snapshot tests)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.notes_app import NotesApp
from timeline_tui.ui.screens.source import SourceScreen

FIXTURES = Path(__file__).resolve().parent / "fixtures"
UNSET = "<not dismissed>"


class SourceApp(NotesApp[None]):
    """An app (with a notes store, or none) that opens one SourceScreen and records what it dismisses with."""

    def __init__(self, dataset: Dataset, source_id: str, store: AnnotationStore | None = None, **kwargs: Any) -> None:
        super().__init__(store)
        self.dataset, self.source_id, self.kwargs = dataset, source_id, kwargs
        self.result: str | None = UNSET

    def on_mount(self) -> None:
        self.push_screen(SourceScreen(self.dataset, self.source_id, **self.kwargs), self._done)

    def _done(self, result: str | None) -> None:
        self.result = result


def hostile_dataset(tmp_path: Path) -> tuple[Dataset, str]:
    """The mini dataset with a source full of markup, escapes, controls and wide characters."""
    root = tmp_path / "hostile-src"
    shutil.copytree(FIXTURES / "mini", root)
    text = (
        "Breaking [bold]news[/bold] and [@click=app.quit]click me[/] \x1b[31mred\x1b[0m\x07 tab\there\n"
        "中文报道：港口在一九四五年八月重新开放。 Café\u0301 [link=https://x]x[/link]\r\n"
        "Second line \x9b2J with a very long unbroken word " + "x" * 50 + " end.\n"
    )
    (root / "sources" / "harbour.txt").write_text(text, encoding="utf-8", newline="")
    quote = "港口在一九四五年八月重新开放"
    start = text.index(quote)
    markup = "[@click=app.quit]click me[/]"
    m_start = text.index(markup)
    data = json.loads((root / "events.json").read_text(encoding="utf-8"))
    for ev in data["events"]:
        ev["quotes"] = [q for q in ev["quotes"] if q["source"] != "harbour"]
    data["events"] = [ev for ev in data["events"] if ev["quotes"]]
    data["events"][0]["quotes"].append({"source": "harbour", "start": start, "end": start + len(quote), "text": quote})
    data["events"][1]["quotes"].append(
        {"source": "harbour", "start": m_start, "end": m_start + len(markup), "text": markup}
    )
    (root / "events.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_dataset(root / "events.json"), quote

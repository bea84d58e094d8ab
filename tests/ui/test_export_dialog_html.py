"""The export dialog offers the HTML page and the SVG picture, and writes what the command line writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from html_support import by_class, parse_xml
from test_export_dialog import CHOSEN, TODAY, Host, settle
from textual.widgets import Input

from timeline_tui.cli import main
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.dialogs.export import ExportDialog

_GENERATED = re.compile(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")


@pytest.mark.parametrize(("downs", "fmt", "ending"), [(4, "html", ".html"), (5, "svg", ".svg")])
async def test_the_dialog_writes_the_page_and_the_picture(
    mini: Dataset, mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], downs: int, fmt: str, ending: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    store = AnnotationStore.open(tmp_path / "notes-store.json")  # $TIMELINE_TUI_NOTES in tests
    store.add_note("2005-museum-opens", "<script>not run</script>")
    app = Host(ExportDialog(mini, store, CHOSEN, "", today=TODAY))
    async with app.run_test() as pilot:
        await pilot.press(*["down"] * downs, "enter")  # the format list has focus
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == str(tmp_path / f"timeline-export-2025-05-09{ending}")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    store.close()
    written = tmp_path / f"timeline-export-2025-05-09{ending}"
    assert app.result == written
    from_app = written.read_text(encoding="utf-8")
    root = parse_xml(from_app)
    assert [g.get("data-n") for g in by_class(root, "mark")] == ["1", "2", "3"]
    assert main(["export", str(mini_path), "--ids", ",".join(CHOSEN), "--format", fmt, "-o", str(tmp_path / "cli")]) == 0
    capsys.readouterr()
    from_cli = (tmp_path / "cli").read_text(encoding="utf-8")
    assert _GENERATED.sub("", from_app) == _GENERATED.sub("", from_cli), "the app and the command line agree"

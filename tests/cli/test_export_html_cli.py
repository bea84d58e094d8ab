"""``timeline-tui export --format html|svg``: the page and the picture from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from html_support import by_class, local, parse_xml, text_of

from timeline_tui.cli import main
from timeline_tui.core.store import AnnotationStore

Capsys = pytest.CaptureFixture[str]


def test_html_to_a_file_with_the_notes(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    with AnnotationStore.open(tmp_path / "notes-store.json") as store:  # $TIMELINE_TUI_NOTES in tests
        store.add_note("1945-08-ships-return", "<b>not bold</b> & kept")
    target = tmp_path / "out.html"
    assert main(["export", str(mini_path), "--all", "--format", "html", "-o", str(target)]) == 0
    assert "wrote 6 events to" in capsys.readouterr().err
    root = parse_xml(target.read_text(encoding="utf-8"))
    assert len(list(by_class(root, "event"))) == 6 == len(list(by_class(root, "mark")))
    notes = [text_of(el) for el in by_class(root, "notes")]
    assert any("<b>not bold</b> & kept" in n for n in notes)
    assert not [el for el in root.iter() if local(el.tag) == "b"]


def test_svg_to_standard_output(capsys: Capsys, mini_path: Path) -> None:
    assert main(["export", str(mini_path), "--all", "--tag", "economy", "--format", "svg", "-o", "-"]) == 0
    out = capsys.readouterr().out
    root = parse_xml(out)
    assert local(root.tag) == "svg"
    assert [g.get("data-edtf") for g in by_class(root, "mark")] == ["1950/1953", "2009"]


@pytest.mark.parametrize(("fmt", "ending"), [("html", ".html"), ("svg", ".svg")])
def test_default_file_names(capsys: Capsys, mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            fmt: str, ending: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(mini_path), "--all", "--format", fmt]) == 0
    capsys.readouterr()
    assert (tmp_path / f"timeline-export-{date.today().isoformat()}{ending}").is_file()

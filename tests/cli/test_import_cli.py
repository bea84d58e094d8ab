"""``timeline-tui import`` without a terminal: never the review; --json prints, --yes accepts (issue 13, item 12)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from timeline_tui.cli import main
from timeline_tui.core.loader import load_dataset

ARTICLE = (
    "Lighthouse relit\n\n"
    "PORTVILLE, May 9, 2010 (Test Wire) -- The old lighthouse was relit on Saturday after repairs.\n\n"
    "It was first lit in 1950, when the harbour reopened.\n\n"
    "Some say the 65th anniversary of the war's end was marked too.\n"
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "lighthouse.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _sources(mini_path: Path) -> list[str]:
    return sorted(p.name for p in (mini_path.parent / "sources").iterdir())


def test_without_a_terminal_the_review_never_starts(
    capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path
) -> None:
    before, content = _sources(mini_path), mini_path.read_bytes()
    assert main(["import", str(article), "--events", str(mini_path)]) == 2
    err = capsys.readouterr().err
    assert "needs a terminal" in err and "--json" in err and "--yes" in err
    assert _sources(mini_path) == before and mini_path.read_bytes() == content


def test_json_prints_the_candidates_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path
) -> None:
    before, content = _sources(mini_path), mini_path.read_bytes()
    assert main(["import", str(article), "--events", str(mini_path), "--json", "--min-confidence", "0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"]["published"] == "2010-05-09"
    dates = {c["date"] for c in doc["candidates"]}
    assert {"2010-05-08", "1950"} <= dates
    assert _sources(mini_path) == before and mini_path.read_bytes() == content


def test_min_confidence_filters_the_json(capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path) -> None:
    main(["import", str(article), "--events", str(mini_path), "--json", "--min-confidence", "0.7"])
    confidences = [c["confidence"] for c in json.loads(capsys.readouterr().out)["candidates"]]
    assert confidences and min(confidences) >= 0.7


def test_yes_accepts_the_confident_candidates_and_a_second_run_adds_nothing(
    capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path
) -> None:
    before = load_dataset(mini_path)
    assert main(["import", str(article), "--events", str(mini_path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "event(s) added" in out and "previous file kept" in out
    after = load_dataset(mini_path)  # valid, with the copied article as a source
    assert "lighthouse" in after.sources and after.source_text("lighthouse") == ARTICLE
    added = [e for e in after.events if before.event(e.id) is None]
    assert {e.date.edtf() for e in added} >= {"2010-05-08", "1950"}
    assert all(q.source == "lighthouse" for e in added for q in e.quotes)
    # the same article again: it is recognised as the same source, its sentences are already quoted
    assert main(["import", str(article), "--events", str(mini_path), "--yes"]) == 0
    err = capsys.readouterr().err
    assert "already source 'lighthouse'" in err and "nothing written" in err
    assert len(load_dataset(mini_path).events) == len(after.events)


def test_yes_and_json_are_exclusive_and_confidence_is_checked(
    capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path
) -> None:
    assert main(["import", str(article), "--events", str(mini_path), "--yes", "--json"]) == 2
    assert main(["import", str(article), "--events", str(mini_path), "--yes", "--min-confidence", "2"]) == 2
    assert "--min-confidence" in capsys.readouterr().err


def test_yes_with_nothing_confident_enough_copies_nothing(
    capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path
) -> None:
    before = _sources(mini_path)
    assert main(["import", str(article), "--events", str(mini_path), "--yes", "--min-confidence", "1"]) == 0
    assert "nothing written" in capsys.readouterr().err
    assert _sources(mini_path) == before


def test_ctrl_c_in_the_review_removes_the_copy(
    capsys: pytest.CaptureFixture[str], mini_path: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt while reviewing (the copy exists by then) leaves sources/ as it was."""
    import timeline_tui.cli.import_cmd as import_cmd

    def interrupted(*args: object, **kwargs: object) -> object:
        assert "lighthouse.txt" in _sources(mini_path)  # copied for the review
        os.kill(os.getpid(), signal.SIGINT)
        raise AssertionError("not reached")

    before = _sources(mini_path)
    monkeypatch.setattr(import_cmd, "_accept_all", interrupted)
    assert main(["import", str(article), "--events", str(mini_path), "--yes"]) == 130
    assert _sources(mini_path) == before
    assert not list((mini_path.parent / "sources").glob(".*"))

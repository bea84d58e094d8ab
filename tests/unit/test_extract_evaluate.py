"""The evaluation against curated events: the targets hold on the shipped events.json."""

from __future__ import annotations

from pathlib import Path

from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.extract.candidates import Candidate
from timeline_tui.core.extract.evaluate import PRECISION_TARGET, RECALL_TARGET, evaluate, matches
from timeline_tui.core.extract.sentences import Span
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event, Quote


def test_shipped_dataset_meets_the_targets(repo_root: Path) -> None:
    report = evaluate(load_dataset(repo_root / "events.json"))
    assert len(report.sources) == 5
    assert report.recall >= RECALL_TARGET, report.lines()
    assert report.precision >= PRECISION_TARGET, report.lines()
    assert report.meets_targets


def test_shipped_dataset_candidates_stay_out_of_sidebars(repo_root: Path) -> None:
    report = evaluate(load_dataset(repo_root / "events.json"))
    for score in report.sources:
        assert score.extraction is not None
        skipped = [b.span for b in score.extraction.skipped]
        for c in score.extraction.candidates:
            assert not any(s.start < c.quote.end and c.quote.start < s.end for s in skipped)


def test_mini_dataset_is_found_entirely(mini: Dataset) -> None:
    report = evaluate(mini)
    assert report.recall == 1.0
    totals = report.to_json()["total"]
    assert totals["events"] == 8 and totals["found"] == 8


def _candidate(date: str, start: int, end: int) -> Candidate:
    return Candidate(parse_edtf(date), "", Quote("s", start, end, "x" * (end - start)), "t", 0.5, Span(start, start + 1), "year", "body")


def test_matching_needs_date_inside_and_quote_overlap() -> None:
    event = Event("e", parse_edtf("1945-08"), "T", "", (), (Quote("s", 100, 200, "y" * 100),))
    assert matches(_candidate("1945-08-09", 150, 250), event, "s")
    assert not matches(_candidate("1945", 150, 250), event, "s")  # coarser than the event
    assert not matches(_candidate("1945-08", 200, 250), event, "s")  # touches but does not overlap
    assert not matches(_candidate("1945-08", 150, 250), event, "other")


def test_a_candidate_outside_every_event_lowers_precision(mini: Dataset) -> None:
    before = evaluate(mini)
    path = mini.source_path("harbour")
    path.write_text(path.read_text(encoding="utf-8") + "\nThe mayor resigned in 1999 amid protests.\n", encoding="utf-8")
    after = evaluate(load_dataset(mini.path))
    assert after.recall == before.recall
    assert after.precision < before.precision

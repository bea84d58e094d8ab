"""The evaluation against curated events: the targets hold on the shipped events.json."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.extract.candidates import Candidate
from timeline_tui.core.extract.evaluate import PRECISION_TARGET, RECALL_TARGET, evaluate, matches
from timeline_tui.core.extract.sentences import Span
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event, Quote
from timeline_tui.core.order import event_order_key


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


def _with_copies(mini: Dataset, n: int) -> Dataset:
    """``mini`` plus ``n`` copies of each event (new ids): many events to find in the same sentences."""
    copies = [replace(e, id=f"{e.id}-copy-{k}") for k in range(n) for e in mini.events]
    return replace(mini, events=sorted([*mini.events, *copies], key=event_order_key))


def _python_calls(fn: Callable[[], object]) -> int:
    """How many Python-level function calls ``fn()`` makes (a count of work, not a timing)."""
    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def test_evaluation_work_grows_linearly_with_the_events(mini: Dataset) -> None:
    small, medium, large = (_with_copies(mini, n) for n in (40, 80, 160))
    for ds in (small, medium, large):  # read the source texts before counting
        for source_id in ds.sources:
            ds.source_text(source_id)
    evaluate(mini)  # and fill the caches (compiled patterns, parsed dates) that the first run fills
    c1, c2, c3 = (_python_calls(lambda ds=ds: evaluate(ds)) for ds in (small, medium, large))
    # doubling the events at most doubles the extra work (a quadratic scan would quadruple it)
    assert c3 - c2 <= 2.5 * (c2 - c1), (c1, c2, c3)


def test_fast_matching_agrees_with_the_definition(repo_root: Path, mini: Dataset) -> None:
    for ds in (load_dataset(repo_root / "events.json"), _with_copies(mini, 3)):
        report = evaluate(ds)
        for score in report.sources:
            assert score.extraction is not None
            cands = score.extraction.candidates
            events = [e for e in ds.events if score.source_id in e.source_ids]
            found = {e.id for e in events if any(matches(c, e, score.source_id) for c in cands)}
            wrong = [c for c in cands if not any(matches(c, e, score.source_id) for e in events)]
            assert score.found == len(found) and score.events == len(events)
            assert score.missed == [e.id for e in events if e.id not in found]
            assert score.wrong == wrong and score.correct == len(cands) - len(wrong)

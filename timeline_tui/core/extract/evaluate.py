"""Score the extractor against a curated dataset: recall and precision per source and in total.

The extractor runs over each source's text with the source's ``published`` date (as if given by
``--published``). A curated event counts as *found* in a source when some candidate from that
source has a date inside the event's date (``event.lower <= cand.lower`` and ``cand.upper <=
event.upper``) and a quote overlapping one of the event's quotes from that source. A candidate is
*correct* when it finds at least one event. Recall = found / events quoting the source;
precision = correct candidates / candidates. Totals add the counts over sources.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from timeline_tui.core.extract.candidates import Candidate, Extraction, extract
from timeline_tui.core.model import Dataset, Event

__all__ = ["Report", "SourceScore", "evaluate", "matches"]

RECALL_TARGET = 0.8
PRECISION_TARGET = 0.6


def matches(candidate: Candidate, event: Event, source_id: str) -> bool:
    """Whether ``candidate`` finds ``event``: date inside, quote overlapping one from ``source_id``."""
    if not (event.date.lower <= candidate.date.lower and candidate.date.upper <= event.date.upper):
        return False
    c = candidate.quote
    return any(q.source == source_id and q.start < c.end and c.start < q.end for q in event.quotes)


@dataclass(slots=True)
class SourceScore:
    """Counts for one source, plus what was missed and what was wrong (for reading the report)."""

    source_id: str
    events: int
    found: int
    candidates: int
    correct: int
    missed: list[str] = field(default_factory=list)
    wrong: list[Candidate] = field(default_factory=list)
    extraction: Extraction | None = None

    @property
    def recall(self) -> float:
        return self.found / self.events if self.events else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source_id,
            "events": self.events,
            "found": self.found,
            "candidates": self.candidates,
            "correct": self.correct,
            "recall": round(self.recall, 3),
            "precision": round(self.precision, 3),
            "missed": self.missed,
            "wrong": [{"date": c.date.edtf(), "quote": c.quote.text} for c in self.wrong],
        }


@dataclass(slots=True)
class Report:
    sources: list[SourceScore]

    def _sum(self, name: str) -> int:
        return sum(int(getattr(s, name)) for s in self.sources)

    @property
    def recall(self) -> float:
        events = self._sum("events")
        return self._sum("found") / events if events else 1.0

    @property
    def precision(self) -> float:
        cands = self._sum("candidates")
        return self._sum("correct") / cands if cands else 1.0

    @property
    def meets_targets(self) -> bool:
        return self.recall >= RECALL_TARGET and self.precision >= PRECISION_TARGET

    def to_json(self) -> dict[str, Any]:
        return {
            "sources": [s.to_json() for s in self.sources],
            "total": {
                "events": self._sum("events"),
                "found": self._sum("found"),
                "candidates": self._sum("candidates"),
                "correct": self._sum("correct"),
                "recall": round(self.recall, 3),
                "precision": round(self.precision, 3),
            },
            "targets": {"recall": RECALL_TARGET, "precision": PRECISION_TARGET, "met": self.meets_targets},
        }

    def lines(self) -> list[str]:
        """A plain-text table."""
        out = [f"{'source':<36} {'events':>6} {'found':>5} {'recall':>7} {'cands':>5} {'right':>5} {'precision':>9}"]
        for s in self.sources:
            out.append(
                f"{s.source_id:<36} {s.events:>6} {s.found:>5} {s.recall:>7.0%} {s.candidates:>5} {s.correct:>5} {s.precision:>9.0%}"
            )
        out.append(
            f"{'total':<36} {self._sum('events'):>6} {self._sum('found'):>5} {self.recall:>7.0%} "
            f"{self._sum('candidates'):>5} {self._sum('correct'):>5} {self.precision:>9.0%}"
        )
        verdict = "met" if self.meets_targets else "NOT met"
        out.append(f"targets (recall >= {RECALL_TARGET:.0%}, precision >= {PRECISION_TARGET:.0%}): {verdict}")
        return out


class _QuoteIndex:
    """The events quoting one source, by quote span and then by date, for finding matches fast.

    A candidate's quote overlaps a quote ``[a, b)`` when ``a < c.end`` and ``c.start < b``; with
    the spans sorted by start and the longest span known, only the spans starting in
    ``(c.start - longest, c.end)`` can overlap, found by bisection. Events sharing a span are
    grouped by their date bounds, so containment is checked once per distinct date.
    """

    def __init__(self, events: list[Event], source_id: str) -> None:
        groups: dict[tuple[int, int], dict[tuple[date, date], list[str]]] = defaultdict(lambda: defaultdict(list))
        for e in events:
            for q in e.quotes:
                if q.source == source_id:
                    ids = groups[(q.start, q.end)][(e.date.lower, e.date.upper)]
                    if not ids or ids[-1] != e.id:
                        ids.append(e.id)
        self._spans = sorted(groups)
        self._starts = [a for a, _ in self._spans]
        self._groups = groups
        self._longest = max((b - a for a, b in self._spans), default=0)

    def found_by(self, candidate: Candidate) -> set[str]:
        """Ids of the events ``candidate`` finds (same rule as :func:`matches`)."""
        c, lower, upper = candidate.quote, candidate.date.lower, candidate.date.upper
        found: set[str] = set()
        first = bisect_right(self._starts, c.start - self._longest)
        last = bisect_left(self._starts, c.end)
        for a, b in self._spans[first:last]:
            if c.start < b:
                for (e_lower, e_upper), ids in self._groups[(a, b)].items():
                    if e_lower <= lower and upper <= e_upper:
                        found.update(ids)
        return found


def evaluate(dataset: Dataset, *, min_confidence: float = 0.0) -> Report:
    """Run the extractor over every readable source of ``dataset`` and score it."""
    quoting: dict[str, list[Event]] = defaultdict(list)
    for e in dataset.events:
        for source_id in dict.fromkeys(q.source for q in e.quotes):
            quoting[source_id].append(e)
    scores = []
    for source_id, source in dataset.sources.items():
        text = dataset.source_text(source_id)
        if text is None:
            continue
        result = extract(text, source_id=source_id, title=source.title, published=source.published,
                         min_confidence=min_confidence, path=source.path)
        events = quoting.get(source_id, [])
        index = _QuoteIndex(events, source_id)
        found: set[str] = set()
        wrong = []
        for c in result.candidates:
            hits = index.found_by(c)
            found |= hits
            if not hits:
                wrong.append(c)
        scores.append(
            SourceScore(
                source_id,
                len(events),
                len(found),
                len(result.candidates),
                len(result.candidates) - len(wrong),
                [e.id for e in events if e.id not in found],
                wrong,
                result,
            )
        )
    return Report(scores)

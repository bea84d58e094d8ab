"""Score the extractor against a curated dataset: recall and precision per source and in total.

The extractor runs over each source's text with the source's ``published`` date (as if given by
``--published``). A curated event counts as *found* in a source when some candidate from that
source has a date inside the event's date (``event.lower <= cand.lower`` and ``cand.upper <=
event.upper``) and a quote overlapping one of the event's quotes from that source. A candidate is
*correct* when it finds at least one event. Recall = found / events quoting the source;
precision = correct candidates / candidates. Totals add the counts over sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def evaluate(dataset: Dataset, *, min_confidence: float = 0.0) -> Report:
    """Run the extractor over every readable source of ``dataset`` and score it."""
    scores = []
    for source_id, source in dataset.sources.items():
        text = dataset.source_text(source_id)
        if text is None:
            continue
        result = extract(text, source_id=source_id, title=source.title, published=source.published,
                         min_confidence=min_confidence, path=source.path)
        events = [e for e in dataset.events if source_id in e.source_ids]
        found = [e for e in events if any(matches(c, e, source_id) for c in result.candidates)]
        wrong = [c for c in result.candidates if not any(matches(c, e, source_id) for e in events)]
        scores.append(
            SourceScore(
                source_id,
                len(events),
                len(found),
                len(result.candidates),
                len(result.candidates) - len(wrong),
                [e.id for e in events if e not in found],
                wrong,
                result,
            )
        )
    return Report(scores)

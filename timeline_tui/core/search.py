"""Search and filters over a dataset: a case-folded index built once, then cheap queries."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from timeline_tui.core.dates import EdtfDate
from timeline_tui.core.model import Dataset, Event

_SEP = "\x00"
_SAMPLE = 1 << 20  # bytes of the index used to guess which query term is rarest


def event_haystack(event: Event) -> str:
    """The text a search looks in: title, summary, tags, basis and quotes."""
    parts = [event.title, event.summary, " ".join(event.tags), event.date_basis]
    parts.extend(q.text for q in event.quotes)
    return "\n".join(parts)


class SearchIndex:
    """All events' searchable text, case-folded and UTF-8 encoded into one ``bytes`` blob.

    A term is found with ``bytes.find`` (C speed, one byte per ASCII character); because UTF-8 is
    self-synchronising, a byte match of an encoded term is exactly a code-point match. Extra
    per-event text (the user's notes) is kept separately and can be replaced at any time.
    """

    def __init__(self, events: list[Event], extra: Mapping[str, str] | None = None) -> None:
        self._events = events
        parts = [event_haystack(e).casefold().replace(_SEP, " ").encode("utf-8", "surrogatepass") for e in events]
        starts: list[int] = []
        pos = 0
        for part in parts:
            starts.append(pos)
            pos += len(part) + 1
        starts.append(pos)  # sentinel: event k's text is blob[starts[k] : starts[k + 1] - 1]
        self._blob = _SEP.encode().join(parts)
        del parts
        self._starts = starts
        self._extra: dict[int, str] = {}
        self._ids = {e.id: i for i, e in enumerate(events)}
        for event_id, text in (extra or {}).items():
            self.set_extra(event_id, text)

    def set_extra(self, event_id: str, text: str) -> None:
        """Make ``text`` (e.g. the event's notes) searchable for this event; empty removes it."""
        i = self._ids.get(event_id)
        if i is None:
            return
        if text:
            self._extra[i] = text.casefold()
        else:
            self._extra.pop(i, None)

    def _hits_for(self, term: str, encoded: bytes) -> set[int]:
        hits: set[int] = set()
        starts, find = self._starts, self._blob.find
        i = find(encoded)
        while i != -1:
            k = bisect_right(starts, i) - 1
            hits.add(k)
            i = find(encoded, starts[k + 1])  # one hit per event is enough: skip to the next event
        hits.update(k for k, text in self._extra.items() if term in text)
        return hits

    def _contains(self, k: int, term: str, encoded: bytes) -> bool:
        starts = self._starts
        return self._blob.find(encoded, starts[k], starts[k + 1] - 1) != -1 or term in self._extra.get(k, "")

    def search(self, query: str) -> list[int]:
        """Indices (chronological) of events containing every whitespace-separated term."""
        terms = [t for t in query.casefold().replace(_SEP, "").split() if t]
        if not terms:
            return list(range(len(self._events)))
        encoded = [t.encode("utf-8", "surrogatepass") for t in terms]
        # Start from the rarest term, estimated by counting in the first megabyte (cheap, no copy).
        count = self._blob.count
        order = sorted(range(len(terms)), key=lambda j: (count(encoded[j], 0, _SAMPLE), -len(terms[j])))
        first, rest = order[0], order[1:]
        hits = self._hits_for(terms[first], encoded[first])
        for j in rest:
            if not hits:
                break
            hits = {k for k in hits if self._contains(k, terms[j], encoded[j])}
        return sorted(hits)


@dataclass(frozen=True)
class Filter:
    """What a reader narrowed the timeline to; empty fields mean 'no constraint'."""

    tags: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    eras: frozenset[str] = frozenset()
    date_from: EdtfDate | None = None
    date_to: EdtfDate | None = None
    annotated_only: bool = False
    query: str = ""
    ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        return bool(
            self.tags
            or self.sources
            or self.eras
            or self.date_from
            or self.date_to
            or self.annotated_only
            or self.query.strip()
            or self.ids
        )

    def describe(self) -> str:
        """One line for a status bar or an export header."""
        parts: list[str] = []
        if self.query.strip():
            parts.append(f'matching "{self.query.strip()}"')
        if self.tags:
            parts.append("tag " + " or ".join(sorted(self.tags)))
        if self.sources:
            parts.append("source " + " or ".join(sorted(self.sources)))
        if self.eras:
            parts.append("era " + " or ".join(sorted(self.eras)))
        if self.date_from:
            parts.append(f"from {self.date_from.display()}")
        if self.date_to:
            parts.append(f"to {self.date_to.display()}")
        if self.annotated_only:
            parts.append("annotated only")
        if self.ids:
            parts.append(f"{len(self.ids)} chosen id(s)")
        return ", ".join(parts) if parts else "no filter"


def apply_filter(
    dataset: Dataset,
    flt: Filter,
    index: SearchIndex | None = None,
    annotated: Iterable[str] | Callable[[str], bool] = (),
) -> list[int]:
    """Indices of the events that pass ``flt``, in chronological order.

    ``annotated`` is the set of event ids that have notes or links (or a predicate over ids).
    """
    events = dataset.events
    candidates: Iterable[int] = (
        (index or SearchIndex(events)).search(flt.query) if flt.query.strip() else range(len(events))
    )
    is_annotated: Callable[[str], bool]
    if callable(annotated):
        is_annotated = annotated
    else:
        annotated_set = set(annotated)
        is_annotated = annotated_set.__contains__
    # Everything the loop needs is hoisted into locals: this runs over every event (100k+).
    era_bounds = [(era.date.lower, era.date.upper) for era in dataset.eras if era.id in flt.eras]
    lo = flt.date_from.lower if flt.date_from else None
    hi = flt.date_to.upper if flt.date_to else None
    tags, sources, ids, annotated_only = flt.tags, flt.sources, flt.ids, flt.annotated_only
    if flt.eras and not era_bounds:
        return []  # only unknown eras asked for: nothing lies in them
    dated = bool(era_bounds) or lo is not None or hi is not None
    out: list[int] = []
    append = out.append
    for i in candidates:
        e = events[i]
        if tags and tags.isdisjoint(e.tags):
            continue
        if sources and sources.isdisjoint([q.source for q in e.quotes]):
            continue
        if dated:
            lower, upper = e.date.lower, e.date.upper
            if era_bounds and not any(a <= upper and lower <= b for a, b in era_bounds):
                continue
            if lo is not None and upper < lo:
                continue
            if hi is not None and lower > hi:
                continue
        if annotated_only and not is_annotated(e.id):
            continue
        if ids and e.id not in ids:
            continue
        append(i)
    return out

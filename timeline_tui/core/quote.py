"""Locate an exact passage in a source text and build its quote object (the curation tool)."""

from __future__ import annotations

from timeline_tui.core.model import Quote


class QuoteNotFound(LookupError):
    """The passage is missing from the text, or occurs more than once."""


def find_all(text: str, passage: str) -> list[int]:
    """Every start offset (code points) where ``passage`` occurs in ``text``, overlaps included."""
    hits: list[int] = []
    i = text.find(passage)
    while i != -1:
        hits.append(i)
        i = text.find(passage, i + 1)
    return hits


def locate(source_id: str, text: str, passage: str, *, occurrence: int | None = None) -> Quote:
    """The :class:`Quote` for the one place ``passage`` occurs in ``text``.

    Raises :class:`QuoteNotFound` if it is absent, or ambiguous and no ``occurrence`` (1-based)
    picks one.
    """
    if not passage:
        raise QuoteNotFound("the passage is empty")
    hits = find_all(text, passage)
    if not hits:
        raise QuoteNotFound(f"passage not found in {source_id}: {passage!r}")
    if occurrence is not None:
        if not 1 <= occurrence <= len(hits):
            raise QuoteNotFound(
                f"passage occurs {len(hits)} time(s) in {source_id}; --occurrence {occurrence} is out of range"
            )
        start = hits[occurrence - 1]
    elif len(hits) > 1:
        raise QuoteNotFound(
            f"passage is ambiguous: it occurs {len(hits)} times in {source_id} (at {', '.join(map(str, hits))}); "
            "quote more text or pass --occurrence N"
        )
    else:
        start = hits[0]
    return Quote(source_id, start, start + len(passage), passage)

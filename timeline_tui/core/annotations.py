"""Dataclasses for the user's annotations: notes, links to passages (W3C selectors) and anchors.

Shared by the store (persistence), anchoring (re-finding passages), export and the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, slots=True)
class TextQuoteSelector:
    """W3C Web Annotation TextQuoteSelector: the passage and ~32 characters either side."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class TextPositionSelector:
    """W3C Web Annotation TextPositionSelector: code-point offsets, end exclusive."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Note:
    """A user's note on an event; times are ISO 8601 strings in UTC."""

    id: int
    event_id: str
    text: str
    created: str
    updated: str


@dataclass(frozen=True, slots=True)
class Link:
    """A user's link from an event to a passage of a source."""

    id: int
    event_id: str
    source_id: str
    quote: TextQuoteSelector
    position: TextPositionSelector
    created: str
    comment: str = ""


class AnchorStatus(Enum):
    """How well a stored link still fits its source text."""

    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a link's passage is in the current text (``start``/``end`` None when orphaned)."""

    status: AnchorStatus
    start: int | None
    end: int | None
    score: float = 1.0

    def describe(self) -> str:
        if self.status is AnchorStatus.FUZZY:
            return f"fuzzy ({self.score:.0%})"
        return str(self.status.value)

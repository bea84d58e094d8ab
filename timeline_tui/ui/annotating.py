"""What the timeline screen knows of the user's annotations: a snapshot read from the store.

The store is written from a worker thread; the screen never reads it directly while a write may
run. Instead each change ends by reading an :class:`AnnotationState` (in the worker), which the
screen swaps in on the UI thread. Link anchors are cached per link id (links never change; a new
or restored link is anchored when first needed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from timeline_tui.core.anchoring import anchor
from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, Note
from timeline_tui.core.dates import MONTH_NAMES
from timeline_tui.core.model import Dataset

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore


@dataclass(frozen=True)
class AnnotationState:
    """Notes and links by event id (oldest first), as they were when read from the store."""

    notes: Mapping[str, tuple[Note, ...]] = field(default_factory=dict)
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: AnnotationStore | None) -> AnnotationState:
        """The store's current notes and links (empty without a store)."""
        if store is None:
            return cls()
        notes: dict[str, list[Note]] = {}
        links: dict[str, list[Link]] = {}
        for note in store.notes():
            notes.setdefault(note.event_id, []).append(note)
        for link in store.links():
            links.setdefault(link.event_id, []).append(link)
        return cls({k: tuple(v) for k, v in notes.items()}, {k: tuple(v) for k, v in links.items()})

    @property
    def annotated(self) -> set[str]:
        """Events having notes or links."""
        return set(self.notes) | set(self.links)

    def all_links(self) -> list[Link]:
        return [link for links in self.links.values() for link in links]

    def searchable(self, event_id: str) -> str:
        """The user's text on one event for ``/``: notes, link comments and linked passages."""
        parts = [n.text for n in self.notes.get(event_id, ())]
        for link in self.links.get(event_id, ()):
            parts.append(link.quote.exact)
            if link.comment:
                parts.append(link.comment)
        return "\n".join(parts)

    def changed_events(self, other: AnnotationState) -> set[str]:
        """Events whose notes or links differ between ``self`` and ``other``."""
        ids = set(self.notes) | set(other.notes) | set(self.links) | set(other.links)
        return {
            i for i in ids
            if self.notes.get(i, ()) != other.notes.get(i, ()) or self.links.get(i, ()) != other.links.get(i, ())
        }


def anchor_link(dataset: Dataset, link: Link) -> Anchor:
    """Where ``link``'s passage is in its source now (orphaned when the source is gone)."""
    text = dataset.source_text(link.source_id) if link.source_id in dataset.sources else None
    return anchor(text, link.quote, link.position)


def linked_text(dataset: Dataset, link: Link, found: Anchor) -> str:
    """The passage as the source has it now, or the stored text when it cannot be found."""
    if found.status is AnchorStatus.ORPHANED or found.start is None or found.end is None:
        return link.quote.exact
    text = dataset.source_text(link.source_id)
    return link.quote.exact if text is None else text[found.start:found.end]


def local_time(stamp: str) -> str:
    """An ISO 8601 time as ``9 May 2025, 14:02`` in local time (unreadable stamps as they are)."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {MONTH_NAMES[when.month - 1][:3]} {when.year}, {when:%H:%M}"


def note_label(note: Note) -> str:
    """``9 May 2025, 14:02`` (with "edited" when changed since it was written)."""
    label = local_time(note.updated)
    return label + " (edited)" if note.updated != note.created else label


def first_line(text: str, limit: int = 60) -> str:
    """The first non-blank line of ``text``, cut to ``limit`` characters."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


class StateSource:
    """An :class:`AnnotationState` read the way the exporter reads the store (same notes, same order)."""

    def __init__(self, state: AnnotationState) -> None:
        self._state = state

    def notes(self, event_id: str | None = None) -> list[Note]:
        if event_id is not None:
            return list(self._state.notes.get(event_id, ()))
        return sorted((n for ns in self._state.notes.values() for n in ns), key=lambda n: n.id)

    def links(self, event_id: str | None = None) -> list[Link]:
        if event_id is not None:
            return list(self._state.links.get(event_id, ()))
        return sorted(self._state.all_links(), key=lambda lk: lk.id)

"""What every format needs first: events in order, their notes and links (re-anchored), labels."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from timeline_tui.core.anchoring import anchor
from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, Note
from timeline_tui.core.export.options import ExportOptions
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.order import sort_events
from timeline_tui.core.textsafe import json_safe, without_surrogates


@dataclass(frozen=True, slots=True)
class AnchoredLink:
    """A user's link with where its passage is now; ``text`` is the current passage (stored if orphaned)."""

    link: Link
    anchor: Anchor
    text: str

    @property
    def orphaned(self) -> bool:
        return self.anchor.status is AnchorStatus.ORPHANED

    @property
    def start(self) -> int:
        """Offset to cite: the current one, or the stored one when orphaned."""
        return self.link.position.start if self.anchor.start is None else self.anchor.start

    @property
    def end(self) -> int:
        return self.link.position.end if self.anchor.end is None else self.anchor.end


@dataclass(frozen=True, slots=True)
class Gathered:
    """One export's input: the events (as :func:`ordered_events` gives them), the options, the annotations."""

    dataset: Dataset
    events: list[Event]
    options: ExportOptions
    notes: Mapping[str, Sequence[Note]] | None = None
    links: Mapping[str, Sequence[Link]] | None = None

    def notes_of(self, event: Event) -> list[Note]:
        """The event's notes in creation order; none when notes are not included."""
        return event_notes(self.notes, event.id) if self.options.include_notes else []

    def links_of(self, event: Event) -> list[AnchoredLink]:
        """The event's re-anchored links in creation order; none when links are not included."""
        return event_links(self.dataset, self.links, event.id) if self.options.include_links else []

    @property
    def filters(self) -> str:
        """The filter description for the header (``no filter`` when there was none)."""
        return self.options.filter_description.strip() or "no filter"


def json_text(doc: Any) -> str:
    """``doc`` as pretty-printed UTF-8 JSON with one trailing newline; every character of the
    terminal-safety rule (C1 controls, bidi overrides...) a ``\\u`` escape, so the data stays exact,
    except lone surrogates (undecodable bytes in old notes), which other tools reject: U+FFFD.

    Written by orjson (ten times faster than :mod:`json` with an indent, the same text); a lone
    surrogate, which orjson refuses, takes the slow way.
    """
    try:
        text = orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        text = without_surrogates(json.dumps(doc, ensure_ascii=False, indent=2))
    return json_safe(text) + "\n"


def ordered_events(events: Sequence[Event]) -> list[Event]:
    """``events`` without duplicates, in the one chronological order (:mod:`timeline_tui.core.order`)."""
    return sort_events({e.id: e for e in events}.values())


def event_notes(notes: Mapping[str, Sequence[Note]] | None, event_id: str) -> list[Note]:
    """An event's notes in creation order."""
    if not notes:
        return []
    return sorted(notes.get(event_id, ()), key=lambda n: (n.created, n.id))


def event_links(dataset: Dataset, links: Mapping[str, Sequence[Link]] | None, event_id: str) -> list[AnchoredLink]:
    """An event's links in creation order, each re-anchored in the current source text."""
    if not links:
        return []
    out: list[AnchoredLink] = []
    for link in sorted(links.get(event_id, ()), key=lambda lk: (lk.created, lk.id)):
        source_text = dataset.source_text(link.source_id) if link.source_id in dataset.sources else None
        found = anchor(source_text, link.quote, link.position)
        if found.start is not None and found.end is not None and source_text is not None:
            text = source_text[found.start:found.end]
        else:
            text = link.quote.exact
        out.append(AnchoredLink(link, found, text))
    return out


def anchor_phrase(item: AnchoredLink) -> str:
    """How the link fits the current text, in words."""
    status = item.anchor.status
    pos = item.link.position
    if status is AnchorStatus.ORPHANED:
        return "orphaned: no longer found in the current source text; the text shown is the one stored with the link"
    if status is AnchorStatus.EXACT:
        return "anchor exact"
    if status is AnchorStatus.MOVED:
        return f"anchor moved; stored at {pos.start}–{pos.end}"
    return f"anchor {item.anchor.describe()}, the text has changed; stored at {pos.start}–{pos.end}"


def note_time(stamp: str) -> str:
    """An ISO 8601 note time as ``2025-05-09 12:00 UTC`` (unreadable stamps are returned as they are)."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M UTC")

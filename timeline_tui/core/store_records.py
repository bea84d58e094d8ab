"""The store's tables and the annotation records in them: notes, links, selection, settings, ids.

Tables (TinyDB documents by decimal id): ``notes`` (event_id, text, created, updated), ``links``
(event_id, source_id, W3C ``selector`` list, created, comment), and one record (id ``"1"``) each
in ``selection`` (``event_ids``), ``settings`` (key → JSON value) and ``meta`` (``last_note_id``,
``last_link_id``: the highest ids given out). :func:`validate` says why tables cannot be read as a
store; :func:`state_from_tables` builds the :class:`AnnotationState`; ``note_doc``/``link_doc``
are what is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timeline_tui.core.annotation_state import AnnotationState
from timeline_tui.core.annotations import Link, Note, TextPositionSelector, TextQuoteSelector
from timeline_tui.core.store_json import Tables

NOTES, LINKS, SELECTION, SETTINGS, META = "notes", "links", "selection", "settings", "meta"
ONE = "1"  # the id of the one record of selection, settings and meta


def note_of(doc_id: int, doc: dict[str, Any]) -> Note:
    return Note(doc_id, doc["event_id"], doc["text"], doc["created"], doc["updated"])


def note_doc(note: Note) -> dict[str, Any]:
    return {"event_id": note.event_id, "text": note.text, "created": note.created, "updated": note.updated}


def link_of(doc_id: int, doc: dict[str, Any]) -> Link:
    by_type = {sel["type"]: sel for sel in doc["selector"]}
    q, p = by_type["TextQuoteSelector"], by_type["TextPositionSelector"]
    return Link(
        doc_id, doc["event_id"], doc["source_id"],
        TextQuoteSelector(q["exact"], q.get("prefix", ""), q.get("suffix", "")),
        TextPositionSelector(p["start"], p["end"]),
        doc["created"], doc.get("comment", ""),
    )


def link_doc(link: Link) -> dict[str, Any]:
    return {
        "event_id": link.event_id,
        "source_id": link.source_id,
        "selector": [
            {"type": "TextQuoteSelector", "exact": link.quote.exact, "prefix": link.quote.prefix,
             "suffix": link.quote.suffix},
            {"type": "TextPositionSelector", "start": link.position.start, "end": link.position.end},
        ],
        "created": link.created,
        "comment": link.comment,
    }


def validate(data: Tables) -> None:
    """``ValueError`` if a known table holds a record this module cannot read."""
    for doc_id, doc in data.get(NOTES, {}).items():  # (written out: 10,000 notes are read at every change elsewhere)
        get = doc.get
        if not (type(get("event_id")) is str and type(get("text")) is str and type(get("created")) is str
                and type(get("updated")) is str):
            raise ValueError(f"note {doc_id} lacks one of event_id, text, created, updated")
    for doc_id, doc in data.get(LINKS, {}).items():
        try:
            link = link_of(int(doc_id), doc)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"link {doc_id} is incomplete") from exc
        texts = (link.event_id, link.source_id, link.quote.exact, link.quote.prefix, link.quote.suffix,
                 link.created, link.comment)
        numbers = (link.position.start, link.position.end)
        if not all(isinstance(t, str) for t in texts) or not all(type(n) is int for n in numbers):
            raise ValueError(f"link {doc_id} has a field of the wrong type")
    for doc in data.get(SELECTION, {}).values():
        ids = doc.get("event_ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("the selection is not a list of event ids")
    for doc in data.get(META, {}).values():
        if not all(type(doc.get(f, 0)) is int for f in ("last_note_id", "last_link_id")):
            raise ValueError("the record of the last ids given out is not made of numbers")


def state_from_tables(tables: Tables, known: tuple[Tables, AnnotationState] | None = None) -> AnnotationState:
    """The :class:`AnnotationState` of validated tables.

    ``known`` — earlier tables and the state built from them: records that did not change keep
    their objects (cheaper than building 10,000 notes again when another process added one).
    """
    old_tables, old_state = known if known is not None else ({}, AnnotationState())

    def records(name: str, make: Callable[[int, dict[str, Any]], Any], old: Callable[[int], Any]) -> list[Any]:
        before = old_tables.get(name, {})
        out = []
        for key, doc in tables.get(name, {}).items():
            previous = before.get(key)
            item = old(int(key)) if previous is not None and (previous is doc or previous == doc) else None
            out.append(item if item is not None else make(int(key), doc))
        return out

    selection = tables.get(SELECTION, {}).get(ONE, {}).get("event_ids", [])
    settings = tables.get(SETTINGS, {}).get(ONE, {})
    meta = tables.get(META, {}).get(ONE, {})
    return AnnotationState.build(records(NOTES, note_of, old_state.note), records(LINKS, link_of, old_state.link),
                                 dict.fromkeys(selection), settings,
                                 meta.get("last_note_id", 0), meta.get("last_link_id", 0))

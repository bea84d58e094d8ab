"""Add an imported article and the events accepted from it to a dataset's events.json.

* :func:`store_article` copies the article's text into ``sources/`` next to events.json, never
  overwriting a different file (an identical one is reused). A new copy is marked as pending
  (``sources/.<file>.import-pending``) until :func:`write_events` has written events.json that
  refers to it; :func:`remove_abandoned_imports` deletes the copies of an import that was killed
  before that (the next import does it first).
* :class:`MergeIndex` proposes an existing event with the same date for a candidate: built once
  over the dataset (date without qualifiers -> events; word sets computed when first needed),
  then each suggestion is a dictionary look-up. :func:`suggest_merge` is the one-off form.
* :func:`write_events` adds the source, the new events and the quotes merged into existing
  events; it checks the result with the loader *before* replacing anything, keeps a backup of the
  previous file (``events.json.bak-YYYYMMDD-HHMMSS``), writes atomically, keeps the events in
  the loader's order (:func:`~timeline_tui.core.order.event_order_key`), and loads the written
  file once more to confirm it is valid. The check is made in memory (nothing is written for
  it); temp files of a killed atomic write are removed when the next import starts writing.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from timeline_tui.core.atomicio import atomic_write_bytes, atomic_write_text, remove_stale_temps
from timeline_tui.core.dates import EdtfDate, EdtfError, parse_edtf
from timeline_tui.core.extract.candidates import Candidate
from timeline_tui.core.limits import MAX_EVENTS_FILE_BYTES
from timeline_tui.core.loader import DatasetError, Problem, load_dataset
from timeline_tui.core.model import Dataset, Event, Quote
from timeline_tui.core.order import event_order_key
from timeline_tui.core.slug import slugify
from timeline_tui.core.textfile import TextFileError, read_file_bytes, read_source
from timeline_tui.core.textsafe import echo

__all__ = [
    "ApplyError",
    "MergeIndex",
    "NewEvent",
    "WriteResult",
    "discard_article",
    "remove_abandoned_imports",
    "store_article",
    "suggest_merge",
    "unique_id",
    "write_events",
]


class ApplyError(Exception):
    """The events could not be written; ``problems`` lists what the validator objected to."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An accepted candidate, possibly edited: what becomes an event (or a merged quote)."""

    date: EdtfDate
    title: str
    quote: Quote
    summary: str = ""
    tags: tuple[str, ...] = ()
    date_basis: str = ""
    merge_into: str | None = None  # an existing event id: add the quote there instead

    @classmethod
    def from_candidate(cls, c: Candidate) -> NewEvent:
        return cls(c.date, c.title, c.quote, "", (), c.date_basis)


@dataclass(slots=True)
class WriteResult:
    path: Path
    backup: Path | None
    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    dataset: Dataset | None = None


def unique_id(base: str, taken: set[str]) -> str:
    """``base`` as a slug, with ``-2``, ``-3``… appended until it is not in ``taken``."""
    slug = slugify(base)
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


PENDING_SUFFIX = ".import-pending"


def _marker(root: Path, rel_path: str) -> Path:
    copy = root / rel_path
    return copy.with_name(f".{copy.name}{PENDING_SUFFIX}")


def store_article(root: Path, name: str, text: str) -> tuple[str, bool]:
    """Save ``text`` as ``sources/<name>.txt`` under ``root``; returns (relative path, newly created).

    An existing file with the same text is reused; one with other text is never replaced — the
    name gets a ``-2``, ``-3``… suffix instead. A new copy is marked pending (see the module
    docstring) before it is written, so a kill at any moment leaves something the next import
    recognises.
    """
    directory = root / "sources"
    directory.mkdir(parents=True, exist_ok=True)
    if not Path(os.path.realpath(directory)).is_relative_to(os.path.realpath(root)):
        raise OSError(errno.EACCES, "sources/ leads outside the folder of events.json; nothing is copied there")
    stem, n = slugify(name), 1
    while True:
        filename = f"{stem}.txt" if n == 1 else f"{stem}-{n}.txt"
        target = directory / filename
        rel = f"sources/{filename}"
        if not target.exists():
            atomic_write_bytes(_marker(root, rel), b"", overwrite=True)
        try:
            atomic_write_text(target, text, overwrite=False)
            return rel, True
        except FileExistsError:
            _marker(root, rel).unlink(missing_ok=True)
            try:
                if read_source(root, rel) == text:
                    return rel, False
            except TextFileError:
                pass
        except BaseException:
            _marker(root, rel).unlink(missing_ok=True)
            raise
        n += 1


def discard_article(root: Path, rel_path: str) -> None:
    """Remove a copy :func:`store_article` made (and its pending mark) when the import writes nothing."""
    (root / rel_path).unlink(missing_ok=True)
    _marker(root, rel_path).unlink(missing_ok=True)


def remove_abandoned_imports(events_path: Path) -> list[Path]:
    """Delete the article copies of imports that were killed before writing events.json; returns them.

    A copy marked pending that events.json does not refer to is removed with its mark; a mark on
    a copy events.json does refer to is only a leftover of a kill after writing, and goes.
    """
    root = events_path.parent
    directory = root / "sources"
    if not directory.is_dir():
        return []
    try:
        raw = orjson.loads(read_file_bytes(events_path, limit=MAX_EVENTS_FILE_BYTES))
        sources = raw.get("sources") if isinstance(raw, dict) else None
        referenced = {s.get("path") for s in sources if isinstance(s, dict)} if isinstance(sources, list) else set()
    except (TextFileError, orjson.JSONDecodeError):
        return []  # cannot tell what is referenced: leave everything
    removed: list[Path] = []
    for mark in directory.glob(f".*{PENDING_SUFFIX}"):
        name = mark.name[1 : -len(PENDING_SUFFIX)]
        rel = f"sources/{name}"
        copy = directory / name
        with contextlib.suppress(OSError):
            if rel not in referenced and copy.is_file() and not copy.is_symlink():
                copy.unlink()
                removed.append(copy)
            mark.unlink()
    return removed


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


DateKey = tuple[tuple[int, int | None, int | None], ...]


def date_key(d: EdtfDate) -> DateKey:
    """A date without its qualifiers (``1945-08?`` and ``1945-08`` agree): its points' numbers."""
    return tuple((p.year, p.month, p.day) for p in ((d.start,) if d.end is None else (d.start, d.end)))


class MergeIndex:
    """Existing events by date, to suggest which one a candidate could be merged into.

    Building it is one pass over the events; a suggestion is a dictionary look-up, and the word
    sets used to choose among several events of one date are computed once, when first needed.
    """

    def __init__(self, events: Iterable[Event]) -> None:
        self._by_date: dict[DateKey, list[Event]] = {}
        for e in events:
            self._by_date.setdefault(date_key(e.date), []).append(e)
        self._words: dict[str, frozenset[str]] = {}

    def _event_words(self, e: Event) -> frozenset[str]:
        words = self._words.get(e.id)
        if words is None:
            words = frozenset(
                _words(e.title) | _words(e.summary) | {w for q in e.quotes for w in _words(q.text)}
            )
            self._words[e.id] = words
        return words

    def suggest(self, candidate: Candidate) -> Event | None:
        """An existing event with the candidate's date; among several, the one sharing most words."""
        same = self._by_date.get(date_key(candidate.date))
        if not same:
            return None
        if len(same) == 1:
            return same[0]
        words = _words(candidate.quote.text)
        return max(same, key=lambda e: len(words & self._event_words(e)))


def suggest_merge(dataset: Dataset, candidate: Candidate) -> Event | None:
    """:meth:`MergeIndex.suggest` for one candidate (build a :class:`MergeIndex` for several)."""
    return MergeIndex(dataset.events).suggest(candidate)


def _order_key(raw: dict[str, Any]) -> tuple[Any, ...]:
    """:func:`event_order_key` of a raw event (an unreadable date sorts last; validation rejects it)."""
    try:
        when = parse_edtf(str(raw.get("date")))
    except EdtfError:
        return (datetime.max.date(),) * 2 + (str(raw.get("id")),)
    return event_order_key(Event(str(raw.get("id")), when, "", "", (), ()))


def _backup_path(path: Path, now: datetime) -> Path:
    base = path.with_name(f"{path.name}.bak-{now.strftime('%Y%m%d-%H%M%S')}")
    candidate, n = base, 2
    while candidate.exists():
        candidate, n = base.with_name(f"{base.name}-{n}"), n + 1
    return candidate


def write_events(
    events_path: Path,
    source: dict[str, Any],
    accepted: list[NewEvent],
    *,
    now: datetime | None = None,
) -> WriteResult:
    """Add ``source`` (if its id is new) and ``accepted`` to events.json; see the module docstring.

    Raises :class:`ApplyError` (nothing changed) when the result would not validate or the file
    cannot be read or written.
    """
    now = now or datetime.now()
    remove_stale_temps(events_path)  # what a killed write left behind
    try:
        original = read_file_bytes(events_path, limit=MAX_EVENTS_FILE_BYTES)
        raw = orjson.loads(original.removeprefix(b"\xef\xbb\xbf"))
    except (TextFileError, orjson.JSONDecodeError) as exc:
        raise ApplyError(f"cannot read {echo(str(events_path))}: {echo(str(exc), 200)}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("events"), list) or not isinstance(raw.get("sources"), list):
        raise ApplyError(f"{events_path} is not an events.json (no sources/events lists)")
    sources: list[dict[str, Any]] = raw["sources"]
    if not any(isinstance(s, dict) and s.get("id") == source["id"] for s in sources):
        sources.append(source)
    events: list[dict[str, Any]] = raw["events"]
    taken = {str(e.get("id")) for e in events if isinstance(e, dict)}
    by_id = {str(e.get("id")): e for e in events if isinstance(e, dict)}
    result = WriteResult(events_path, None)
    for item in accepted:
        quote = {"source": item.quote.source, "start": item.quote.start, "end": item.quote.end, "text": item.quote.text}
        if item.merge_into is not None:
            target = by_id.get(item.merge_into)
            if target is None:
                raise ApplyError(f"cannot merge into {item.merge_into!r}: no such event")
            quotes = target.setdefault("quotes", [])
            if quote not in quotes:
                quotes.append(quote)
            result.merged.append(item.merge_into)
            continue
        event_id = unique_id(f"{item.date.edtf().split('/')[0].rstrip('?~%')}-{item.title}", taken)
        taken.add(event_id)
        entry: dict[str, Any] = {"id": event_id, "date": item.date.edtf()}
        if item.date_basis:
            entry["date_basis"] = item.date_basis
        entry.update({"title": item.title, "summary": item.summary, "tags": list(item.tags), "quotes": [quote]})
        events.append(entry)
        by_id[event_id] = entry
        result.added.append(event_id)
    events.sort(key=_order_key)
    try:
        text = json.dumps(raw, ensure_ascii=False, indent=2) + "\n"
    except RecursionError:
        raise ApplyError(f"{echo(str(events_path))} is nested too deeply to be rewritten") from None
    _check(events_path, text)
    backup = _backup_path(events_path, now)
    try:
        atomic_write_bytes(backup, original, overwrite=False)
        atomic_write_text(events_path, text)
    except OSError as exc:
        raise ApplyError(f"cannot write {events_path}: {exc.strerror or exc}") from exc
    result.backup = backup
    _marker(events_path.parent, str(source.get("path", ""))).unlink(missing_ok=True)  # the copy is referred to now
    try:
        result.dataset = load_dataset(events_path)
    except DatasetError as exc:  # should not happen: the same text validated a moment ago
        raise ApplyError(f"{events_path} was written but does not validate", exc.problems) from exc
    return result


def _check(events_path: Path, text: str) -> None:
    """Validate ``text`` as if it were ``events_path`` (source paths resolve from its folder), in memory."""
    try:
        load_dataset(events_path, data=text.encode("utf-8"))
    except DatasetError as exc:
        raise ApplyError("the updated events would not be valid: " + "; ".join(map(str, exc.problems[:5])), exc.problems) from exc

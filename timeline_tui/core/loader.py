"""Read events.json and its sources into a :class:`Dataset`, checking every rule on the way.

One pass both validates and builds, so start-up pays for validation once. Each rule is written
once: a check that a well-formed value passes with a few Python operations, and only when it
fails, the message (with the JSON path it concerns and what was expected). ``timeline-tui
validate`` and the app show the same messages.

The input is untrusted: every size is bounded (:mod:`timeline_tui.core.limits`), data echoed in a
message is cut to a few dozen characters, and a source file is read only through
:func:`~timeline_tui.core.textfile.read_source` (relative, inside the dataset's folder, a regular
file within the size limit). A message about a quote never shows more of the source than the
quote's own length.
"""

from __future__ import annotations

import codecs
import gc
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_edtf
from timeline_tui.core.limits import (
    MAX_DATE_BASIS_CHARS,
    MAX_DATE_CHARS,
    MAX_EVENTS_FILE_BYTES,
    MAX_ID_CHARS,
    MAX_JSON_DEPTH,
    MAX_PATH_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_TAG_CHARS,
    MAX_TAGS,
    MAX_TITLE_CHARS,
)
from timeline_tui.core.model import Dataset, Era, Event, Quote, Source
from timeline_tui.core.order import event_order_key
from timeline_tui.core.textfile import TextFileError, read_file_bytes, read_source
from timeline_tui.core.textsafe import echo, echo_repr

SCHEMA_VERSION = 1
ID_RE = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")

#: Problem codes that a reader can live with: the event is shown without the quote.
SOURCE_CODES = frozenset({"source-missing", "source-encoding", "source-path"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One rule broken at a JSON path, e.g. ``events[12].quotes[0]``."""

    path: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DatasetError(Exception):
    """events.json cannot be used; ``problems`` says why. ``not_json`` marks a file that is not JSON."""

    def __init__(self, path: Path, problems: list[Problem], *, not_json: bool = False) -> None:
        self.path = path
        self.problems = problems
        self.not_json = not_json
        super().__init__(f"{path}: {len(problems)} problem(s)\n" + "\n".join(str(p) for p in problems))


@lru_cache(maxsize=65536)
def _cached_date(text: str) -> EdtfDate:
    return parse_edtf(text)


def describe(value: Any) -> str:
    """A JSON value for a message: short scalars as JSON, a string cut to a few dozen characters, containers by kind."""
    if isinstance(value, str):
        return json.dumps(echo(value), ensure_ascii=False)
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return "an object"
    return echo(json.dumps(value))


#: where a value is: a JSON path, or for an event just its index (``events[i]`` is written out only
#: when a problem is recorded, not for every event of a large file)
Where = str | int


def _at(where: Where) -> str:
    return where if isinstance(where, str) else f"events[{where}]"


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


_NO_TAGS: tuple[str, ...] = ()


def _consume(items: list[Any]) -> Iterator[tuple[int, Any]]:
    """Enumerate ``items`` while emptying the list, so each raw JSON object is freed as soon as its
    event is built and the new objects reuse its memory (halves the peak on a large file)."""
    items.reverse()
    pop = items.pop
    for i in range(len(items)):
        yield i, pop()


class _Builder:
    """Walks the raw JSON once, recording problems and building model objects.

    Every check method returns at once for a well-formed value; the messages are built only for a
    value that breaks a rule, so a large valid file costs little more than building its objects.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.problems: list[Problem] = []
        self.texts: dict[str, str | None] = {}
        self.known_quotes: dict[tuple[str, int, int], Quote] = {}
        self.errors: dict[str, str] = {}  # why a source's text could not be read, by source id

    def bad(self, path: str, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(path, message, code))

    # ------------------------------------------------------------------ one value each

    def text(self, value: Any, path: Where, key: str, limit: int) -> str:
        """A required string field: present, not blank, of at most ``limit`` characters."""
        if type(value) is str and len(value) <= limit and value.strip():
            return value
        return self._text_problem(value, path, key, limit, required=True)

    def optional_text(self, value: Any, path: Where, key: str, limit: int) -> str:
        """An optional string field (absent or null is ""), of at most ``limit`` characters."""
        if type(value) is str and len(value) <= limit:
            return value
        if value is None:
            return ""
        return self._text_problem(value, path, key, limit, required=False)

    def _text_problem(self, value: Any, path: Where, key: str, limit: int, *, required: bool) -> str:
        """Record why a string field is not acceptable; returns what can still be shown."""
        if value is None:
            self.bad(f"{_at(path)}.{key}", "missing; expected a string")
            return ""
        if not isinstance(value, str):
            self.bad(f"{_at(path)}.{key}", f"expected a string, got {_type_name(value)}")
            return ""
        if len(value) > limit:
            self.bad(f"{_at(path)}.{key}", f"is {len(value):,} characters long; the limit is {limit:,}", "limit")
            return value[:limit]
        self.bad(f"{_at(path)}.{key}", "must not be empty")
        return value

    def string(self, obj: dict[str, Any], key: str, path: str, limit: int, *, required: bool = True) -> str:
        value = obj.get(key)
        return self.text(value, path, key, limit) if required else self.optional_text(value, path, key, limit)

    def date(self, value: Any, path: Where, key: str) -> EdtfDate | None:
        """An EDTF date string (at most :data:`MAX_DATE_CHARS` long)."""
        if type(value) is str and len(value) <= MAX_DATE_CHARS:
            try:
                return _cached_date(value)
            except EdtfError as exc:
                self.bad(f"{_at(path)}.{key}", str(exc), "date")
                return None
        if isinstance(value, str):
            self.bad(f"{_at(path)}.{key}", f"is {len(value):,} characters long, more than the {MAX_DATE_CHARS} of any "
                     f"EDTF date: {describe(value)}", "date")
        else:
            self.bad(f"{_at(path)}.{key}", f"expected an EDTF date string, got {describe(value)}")
        return None

    def ident(self, value: Any, path: Where, seen: set[str]) -> str:
        """A unique lowercase slug of at most :data:`MAX_ID_CHARS` characters."""
        if type(value) is str and value not in seen and len(value) <= MAX_ID_CHARS and ID_RE.fullmatch(value):
            seen.add(value)
            return value
        ident = self.text(value, path, "id", MAX_ID_CHARS)
        if ident and not ID_RE.fullmatch(ident):
            self.bad(f"{_at(path)}.id", f"{echo_repr(ident)} is not a lowercase slug (a-z, 0-9, '-', '_', '.')")
        if ident and ident in seen:
            self.bad(f"{_at(path)}.id", f"duplicate id {echo_repr(ident)}", "duplicate")
        seen.add(ident)
        return ident

    def tags(self, value: Any, path: Where) -> tuple[str, ...]:
        """A list of at most :data:`MAX_TAGS` strings of at most :data:`MAX_TAG_CHARS` characters."""
        if value is _NO_TAGS:
            return ()
        if type(value) is list and len(value) <= MAX_TAGS:
            for tag in value:
                if type(tag) is not str or len(tag) > MAX_TAG_CHARS:
                    break
            else:
                return tuple(value)
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            self.bad(f"{_at(path)}.tags", "expected a list of strings")
        elif len(value) > MAX_TAGS:
            self.bad(f"{_at(path)}.tags", f"has {len(value):,} tags; the limit is {MAX_TAGS:,}", "limit")
        else:
            longest = max(len(t) for t in value)
            self.bad(f"{_at(path)}.tags", f"a tag is {longest:,} characters long; the limit is {MAX_TAG_CHARS:,}", "limit")
        return ()

    def objects(self, raw: dict[str, Any], key: str, *, required: bool = True) -> list[tuple[str, dict[str, Any]]]:
        value = raw.get(key)
        if value is None:
            if required:
                self.bad(key, "missing; expected a list")
            return []
        if not isinstance(value, list):
            self.bad(key, f"expected a list, got {_type_name(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{key}[{i}]", item))
            else:
                self.bad(f"{key}[{i}]", f"expected an object, got {_type_name(item)}")
        return out

    def source_text(self, source: Source, path: str) -> None:
        try:
            self.texts[source.id] = read_source(self.base, source.path)
        except TextFileError as exc:
            self.texts[source.id] = None
            self.errors[source.id] = str(exc)
            code = "source-missing" if exc.missing else "source-path" if exc.unsafe else "source-encoding"
            # a refused path is named by the message itself; the others say which file is meant
            message = str(exc) if exc.unsafe else f"source file {echo_repr(source.path)}: {exc}"
            self.bad(f"{_at(path)}.path", message, code)

    def quotes(self, value: Any, path: Where, sources: dict[str, Source]) -> tuple[Quote, ...]:
        """An event's quotes: at least one; each a known source, offsets ``0 <= start < end`` within it,
        and the exact text there."""
        if type(value) is not list or not value:
            self.bad(f"{_at(path)}.quotes", "every event needs at least one quote")
            return ()
        texts, known = self.texts, self.known_quotes
        out: list[Quote] = []
        for j, raw in enumerate(value):
            if type(raw) is dict:
                src, start, end, text = raw.get("source"), raw.get("start"), raw.get("end"), raw.get("text")
                if type(src) is str and type(start) is int and type(end) is int and type(text) is str:
                    # a passage quoted before (by another event) is that same checked, immutable Quote
                    key = (src, start, end)
                    same = known.get(key)
                    if same is not None and same.text == text:
                        out.append(same)
                        continue
                    source_text = texts.get(src)
                    if (
                        0 <= start < end
                        and len(text) == end - start
                        and src in sources
                        # (a slice and ==, not startswith: the slice is made as narrow as the quote, so the
                        # comparison is one memcmp; startswith goes character by character across widths)
                        and (source_text is None or source_text[start:end] == text)
                    ):
                        quote = known[key] = Quote(src, start, end, text)
                        out.append(quote)
                        continue
                built = self._quote_problems(raw, f"{_at(path)}.quotes[{j}]", sources)
                if built is not None:
                    out.append(built)
            else:
                self.bad(f"{_at(path)}.quotes[{j}]", "expected an object")
        return tuple(out)

    def _quote_problems(self, raw: dict[str, Any], path: str, sources: dict[str, Source]) -> Quote | None:
        src, start, end, text = raw.get("source"), raw.get("start"), raw.get("end"), raw.get("text")
        ok = True
        if not isinstance(src, str) or src not in sources:
            self.bad(f"{_at(path)}.source", f"unknown source {describe(src)}; expected one of the ids in sources[]")
            ok = False
        for key, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.bad(f"{_at(path)}.{key}", f"expected a non-negative integer offset, got {describe(value)}")
                ok = False
        if not isinstance(text, str) or not text:
            self.bad(f"{_at(path)}.text", "expected the quoted text as a non-empty string")
            ok = False
        if not ok:
            return None
        assert isinstance(src, str) and isinstance(start, int) and isinstance(end, int) and isinstance(text, str)
        if end <= start:
            self.bad(path, f"end {end} must be greater than start {start}")
            return None
        source_text = self.texts.get(src)
        if source_text is not None:
            if end > len(source_text):
                self.bad(path, f"offsets {start}:{end} run past the end of {src} ({len(source_text)} code points)")
            elif source_text[start:end] != text:
                # never show more of the source than the quote's own length
                shown = source_text[start : start + min(end - start, len(text))]
                self.bad(
                    f"{path}",
                    f"text differs from source at {start}:{end} — source has {describe(shown)}"
                    f", quote has {describe(text)}",
                    "quote",
                )
        return Quote(src, start, end, text)

    # ------------------------------------------------------------------ the whole file

    def build(self, raw: Any, path: Path) -> Dataset | None:
        if not isinstance(raw, dict):
            self.bad("", f"expected a JSON object at the top level, got {_type_name(raw)}")
            return None
        version = raw.get("schema_version")
        if type(version) is not int or version != SCHEMA_VERSION:
            self.bad("schema_version", f"expected {SCHEMA_VERSION}, got {describe(version)}")
        title = self.string(raw, "title", "$", MAX_TITLE_CHARS).strip() or path.stem
        span_raw = raw.get("span")
        span: EdtfDate | None = None
        if not isinstance(span_raw, dict):
            self.bad("span", 'expected {"start": "YYYY", "end": "YYYY"}')
        else:
            a, b = self.date(span_raw.get("start"), "span", "start"), self.date(span_raw.get("end"), "span", "end")
            if a and b:
                if b.upper < a.lower:
                    self.bad("span", "ends before it starts")
                else:
                    span = EdtfDate(a.start, (b.end or b.start))
        sources = self.sources(raw)
        eras = self.eras(raw, span)
        events = self.events(raw, span, sources)
        if span is None:
            return None
        ds = Dataset(
            title, span, sources, tuple(eras), events, path, SCHEMA_VERSION if version == SCHEMA_VERSION else 0
        )
        ds._texts.update(self.texts)
        ds._text_errors.update(self.errors)
        return ds

    def sources(self, raw: dict[str, Any]) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        seen: set[str] = set()
        for p, obj in self.objects(raw, "sources"):
            sid = self.ident(obj.get("id"), p, seen)
            published = self.date(obj.get("published"), p, "published")
            spath = self.string(obj, "path", p, MAX_PATH_CHARS)
            src = Source(
                sid,
                self.string(obj, "title", p, MAX_TITLE_CHARS),
                self.string(obj, "publisher", p, MAX_TITLE_CHARS),
                published or parse_edtf("0001"),
                spath,
                self.string(obj, "url", p, MAX_PATH_CHARS, required=False),
            )
            if sid and spath:
                sources[sid] = src
                self.source_text(src, p)
        return sources

    def eras(self, raw: dict[str, Any], span: EdtfDate | None) -> list[Era]:
        eras: list[Era] = []
        seen: set[str] = set()
        for p, obj in self.objects(raw, "eras", required=False):
            eid = self.ident(obj.get("id"), p, seen)
            d = self.date(obj.get("date"), p, "date")
            etitle = self.string(obj, "title", p, MAX_TITLE_CHARS)
            if d is not None:
                self.inside(span, d, f"{p}.date")
                eras.append(Era(eid, etitle, d))
        return eras

    def events(self, raw: dict[str, Any], span: EdtfDate | None, sources: dict[str, Source]) -> list[Event]:
        events: list[Event] = []
        seen: set[str] = set()
        previous: tuple[Any, ...] | None = None
        span_lo, span_hi = (span.lower, span.upper) if span is not None else (None, None)
        raw_events = raw.get("events")
        event = self.event
        for i, obj in _consume(raw_events) if isinstance(raw_events, list) else ():
            built = event(obj, i, seen, sources)
            if built is None:
                continue
            key = event_order_key(built)
            if span_lo is not None and not (span_lo <= built.date.lower and built.date.upper <= span_hi):  # type: ignore[operator]
                self.inside(span, built.date, f"events[{i}].date")
            if previous is not None and key < previous:
                self.bad(
                    f"events[{i}].date",
                    f"out of chronological order: {built.date} ({built.id}) comes after {previous[2]}",
                    "order",
                )
            previous = key
            events.append(built)
        if raw_events is None:
            self.bad("events", "missing; expected a list")
        elif not isinstance(raw_events, list):
            self.bad("events", f"expected a list, got {_type_name(raw_events)}")
        return events

    def inside(self, span: EdtfDate | None, d: EdtfDate, path: str) -> None:
        if span is not None and not (span.lower <= d.lower and d.upper <= span.upper):
            self.bad(path, f"{d} lies outside the span {span}", "span")

    def event(self, obj: Any, i: int, seen: set[str], sources: dict[str, Source]) -> Event | None:
        """One event, every field checked once (see the class docstring); ``None`` when it cannot be built."""
        p = i  # the path events[i] is spelled out only in a problem
        if type(obj) is not dict:
            self.bad(_at(p), f"expected an object, got {_type_name(obj)}")
            return None
        get = obj.get
        eid = self.ident(get("id"), p, seen)
        d = self.date(get("date"), p, "date")
        title = self.text(get("title"), p, "title", MAX_TITLE_CHARS)
        summary = self.optional_text(get("summary"), p, "summary", MAX_SUMMARY_CHARS)
        basis = self.optional_text(get("date_basis"), p, "date_basis", MAX_DATE_BASIS_CHARS)
        tags = self.tags(get("tags", _NO_TAGS), p)
        quotes = self.quotes(get("quotes"), p, sources)
        if d is None or not eid:
            return None
        return Event(eid, d, title, summary, tags, quotes, basis)


_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_json(path: Path, data: bytes | None = None) -> Any:
    """Parse events.json (or ``data``, its would-be content), turning every failure into a
    :class:`DatasetError` with a clear message.

    The file must be a regular file of at most :data:`MAX_EVENTS_FILE_BYTES`; a UTF-8 byte order
    mark is skipped; nesting deeper than :data:`MAX_JSON_DEPTH` is refused.
    """
    shown = echo(str(path))
    if data is None:
        try:
            data = read_file_bytes(path, limit=MAX_EVENTS_FILE_BYTES)
        except TextFileError as exc:
            raise DatasetError(path, [Problem("", str(exc))]) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith(_UTF16_BOMS):
        raise DatasetError(
            path, [Problem("", f"{shown} is UTF-16 or UTF-32 text (it starts with that byte order mark, BOM); "
                               "save it as UTF-8")], not_json=True
        )
    try:
        # orjson parses a large events.json several times faster than json and checks UTF-8 itself
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "depth" in exc.msg:
            message = f"{shown} is nested more than {MAX_JSON_DEPTH} levels deep (events.json needs 5)"
        elif "UTF-8" in exc.msg:
            where = data.decode("utf-8", "replace").find("\ufffd")
            near = f"invalid bytes near character {where}" if where >= 0 else echo(exc.msg)
            message = f"{shown} is not UTF-8 text ({near})"
        else:
            message = f"{shown} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise DatasetError(path, [Problem("", message)], not_json=True) from None


def check(path: Path, data: bytes | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Load and validate; returns the dataset (if it could be built) and every problem found.

    With ``data`` that text is checked as if it were the file at ``path`` (source paths resolve
    from its folder), without writing it anywhere.
    """
    path = Path(path)
    # Parsing and building create millions of objects that all live on: collecting garbage while
    # they are made only rescans them (a third of the load time at 100k events).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        raw = read_json(path, data)
        builder = _Builder(path.parent)
        dataset = builder.build(raw, path)
        del raw
    finally:
        if was_enabled:
            gc.enable()
    return dataset, builder.problems


def load_dataset(path: Path | str, *, allow_missing_sources: bool = False, data: bytes | None = None) -> Dataset:
    """Load a valid dataset or raise :class:`DatasetError`.

    With ``allow_missing_sources`` a missing, undecodable or refused source file is not fatal: it
    becomes a warning in ``dataset.warnings`` and the source's quotes are shown as unavailable.
    ``data`` is checked as if it were the file at ``path`` (see :func:`check`).
    """
    path = Path(path)
    dataset, problems = check(path, data)
    fatal = [p for p in problems if not (allow_missing_sources and p.code in SOURCE_CODES)]
    if fatal or dataset is None:
        raise DatasetError(path, fatal or problems)
    dataset.warnings.extend(str(p) for p in problems)
    return dataset

"""Read events.json and its sources into a :class:`Dataset`, checking every rule on the way.

One pass both validates and builds, so start-up pays for validation once. Each problem carries
the JSON path it concerns and what was expected; ``timeline-tui validate`` and the app show the
same messages.
"""

from __future__ import annotations

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
from timeline_tui.core.model import Dataset, Era, Event, Quote, Source
from timeline_tui.core.order import event_order_key
from timeline_tui.core.textfile import TextFileError, read_exact_text

SCHEMA_VERSION = 1
ID_RE = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")

#: Problem codes that a reader can live with: the event is shown without the quote.
SOURCE_CODES = frozenset({"source-missing", "source-encoding"})


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


def _snippet(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _consume(items: list[Any]) -> Iterator[tuple[int, Any]]:
    """Enumerate ``items`` while emptying the list, so each raw JSON object is freed as soon as its
    event is built and the new objects reuse its memory (halves the peak on a large file)."""
    items.reverse()
    pop = items.pop
    for i in range(len(items)):
        yield i, pop()


class _Builder:
    """Walks the raw JSON once, recording problems and building model objects."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.problems: list[Problem] = []
        self.texts: dict[str, str | None] = {}

    def bad(self, path: str, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(path, message, code))

    def string(self, obj: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(f"{path}.{key}", "missing; expected a string")
            return ""
        if not isinstance(value, str):
            self.bad(f"{path}.{key}", f"expected a string, got {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.bad(f"{path}.{key}", "must not be empty")
        return value

    def date(self, obj: dict[str, Any], key: str, path: str) -> EdtfDate | None:
        value = obj.get(key)
        if not isinstance(value, str):
            self.bad(f"{path}.{key}", f"expected an EDTF date string, got {json.dumps(value)}")
            return None
        try:
            return _cached_date(value)
        except EdtfError as exc:
            self.bad(f"{path}.{key}", str(exc), "date")
            return None

    def ident(self, obj: dict[str, Any], path: str, seen: set[str]) -> str:
        value = self.string(obj, "id", path)
        if value and not ID_RE.fullmatch(value):
            self.bad(f"{path}.id", f"{value!r} is not a lowercase slug (a-z, 0-9, '-', '_', '.')")
        if value and value in seen:
            self.bad(f"{path}.id", f"duplicate id {value!r}", "duplicate")
        seen.add(value)
        return value

    def objects(self, raw: dict[str, Any], key: str, *, required: bool = True) -> list[tuple[str, dict[str, Any]]]:
        value = raw.get(key)
        if value is None:
            if required:
                self.bad(key, "missing; expected a list")
            return []
        if not isinstance(value, list):
            self.bad(key, f"expected a list, got {type(value).__name__}")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{key}[{i}]", item))
            else:
                self.bad(f"{key}[{i}]", f"expected an object, got {type(item).__name__}")
        return out

    def source_text(self, source: Source, path: str) -> None:
        file = self.base / source.path
        try:
            self.texts[source.id] = read_exact_text(file)
        except TextFileError as exc:
            self.texts[source.id] = None
            code = "source-missing" if exc.missing else "source-encoding"
            self.bad(f"{path}.path", f"source file {source.path!r}: {exc}", code)

    def quote(self, raw: dict[str, Any], path: str, sources: dict[str, Source]) -> Quote | None:
        src = raw.get("source")
        start, end, text = raw.get("start"), raw.get("end"), raw.get("text")
        ok = True
        if not isinstance(src, str) or src not in sources:
            self.bad(f"{path}.source", f"unknown source {json.dumps(src)}; expected one of the ids in sources[]")
            ok = False
        for key, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.bad(f"{path}.{key}", f"expected a non-negative integer offset, got {json.dumps(value)}")
                ok = False
        if not isinstance(text, str) or not text:
            self.bad(f"{path}.text", "expected the quoted text as a non-empty string")
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
                self.bad(
                    f"{path}",
                    f"text differs from source at {start}:{end} — source has {json.dumps(_snippet(source_text[start:end]), ensure_ascii=False)}"
                    f", quote has {json.dumps(_snippet(text), ensure_ascii=False)}",
                    "quote",
                )
        return Quote(src, start, end, text)

    def build(self, raw: Any, path: Path) -> Dataset | None:
        if not isinstance(raw, dict):
            self.bad("", f"expected a JSON object at the top level, got {type(raw).__name__}")
            return None
        version = raw.get("schema_version")
        if type(version) is not int or version != SCHEMA_VERSION:
            self.bad("schema_version", f"expected {SCHEMA_VERSION}, got {json.dumps(version)}")
        title = self.string(raw, "title", "$").strip() or path.stem
        span_raw = raw.get("span")
        span: EdtfDate | None = None
        if not isinstance(span_raw, dict):
            self.bad("span", 'expected {"start": "YYYY", "end": "YYYY"}')
        else:
            a, b = self.date(span_raw, "start", "span"), self.date(span_raw, "end", "span")
            if a and b:
                if b.upper < a.lower:
                    self.bad("span", "ends before it starts")
                else:
                    span = EdtfDate(a.start, (b.end or b.start))
        sources: dict[str, Source] = {}
        seen: set[str] = set()
        for p, obj in self.objects(raw, "sources"):
            sid = self.ident(obj, p, seen)
            published = self.date(obj, "published", p)
            spath = self.string(obj, "path", p)
            src = Source(
                sid,
                self.string(obj, "title", p),
                self.string(obj, "publisher", p),
                published or parse_edtf("0001"),
                spath,
                self.string(obj, "url", p, required=False),
            )
            if sid and spath:
                sources[sid] = src
                self.source_text(src, p)
        eras: list[Era] = []
        seen = set()
        for p, obj in self.objects(raw, "eras", required=False):
            eid = self.ident(obj, p, seen)
            d = self.date(obj, "date", p)
            etitle = self.string(obj, "title", p)
            if d is not None:
                self.inside(span, d, f"{p}.date")
                eras.append(Era(eid, etitle, d))
        events: list[Event] = []
        seen = set()
        previous: tuple[Any, ...] | None = None
        span_lo, span_hi = (span.lower, span.upper) if span is not None else (None, None)
        raw_events = raw.get("events")
        fast = self.fast_event
        for i, obj in _consume(raw_events) if isinstance(raw_events, list) else ():
            # The fast path checks a well-formed event with few Python operations; anything it does
            # not like goes through the slow path, which records each problem with its JSON path.
            event = fast(obj, seen, sources)
            if event is None:
                p = f"events[{i}]"
                if not isinstance(obj, dict):
                    self.bad(p, f"expected an object, got {type(obj).__name__}")
                    continue
                event = self.event(obj, p, seen, sources)
                if event is None:
                    continue
            lower, upper = event.date.lower, event.date.upper
            if span_lo is not None and not (span_lo <= lower and upper <= span_hi):  # type: ignore[operator]
                self.inside(span, event.date, f"events[{i}].date")
            key = event_order_key(event)
            if previous is not None and key < previous:
                self.bad(
                    f"events[{i}].date",
                    f"out of chronological order: {event.date} ({event.id}) comes after {previous[2]}",
                    "order",
                )
            previous = key
            events.append(event)
        if raw_events is None:
            self.bad("events", "missing; expected a list")
        elif not isinstance(raw_events, list):
            self.bad("events", f"expected a list, got {type(raw_events).__name__}")
        if span is None:
            return None
        ds = Dataset(
            title, span, sources, tuple(eras), events, path, SCHEMA_VERSION if version == SCHEMA_VERSION else 0
        )
        ds._texts.update(self.texts)
        return ds

    def inside(self, span: EdtfDate | None, d: EdtfDate, path: str) -> None:
        if span is not None and not (span.lower <= d.lower and d.upper <= span.upper):
            self.bad(path, f"{d} lies outside the span {span}", "span")

    def fast_event(self, obj: Any, seen: set[str], sources: dict[str, Source]) -> Event | None:
        """Build a well-formed event cheaply, or return ``None`` (recording nothing) for the slow path."""
        if type(obj) is not dict:
            return None
        get = obj.get
        eid, date_text, title = get("id"), get("date"), get("title")
        summary, basis, tags = get("summary", ""), get("date_basis", ""), get("tags", [])
        if (
            type(eid) is not str
            or eid in seen
            or type(date_text) is not str
            or type(title) is not str
            or not title.strip()
            or type(summary) is not str
            or type(basis) is not str
            or type(tags) is not list
            or not ID_RE.fullmatch(eid)
        ):
            return None
        for tag in tags:
            if type(tag) is not str:
                return None
        quotes_raw = get("quotes")
        if type(quotes_raw) is not list or not quotes_raw:
            return None
        texts = self.texts
        quotes = []
        for q in quotes_raw:
            if type(q) is not dict:
                return None
            src, start, end, text = q.get("source"), q.get("start"), q.get("end"), q.get("text")
            if (
                type(start) is not int
                or type(end) is not int
                or type(text) is not str
                or start < 0
                or len(text) != end - start
            ):
                return None
            source_text = texts.get(src) if type(src) is str else None
            if source_text is None or source_text[start:end] != text or src not in sources:
                return None
            quotes.append(Quote(src, start, end, text))
        try:
            date = _cached_date(date_text)
        except EdtfError:
            return None
        seen.add(eid)
        return Event(eid, date, title, summary, tuple(tags), tuple(quotes), basis)

    def event(self, obj: dict[str, Any], p: str, seen: set[str], sources: dict[str, Source]) -> Event | None:
        eid = self.ident(obj, p, seen)
        d = self.date(obj, "date", p)
        title = self.string(obj, "title", p)
        summary = self.string(obj, "summary", p, required=False)
        basis = self.string(obj, "date_basis", p, required=False)
        tags_raw = obj.get("tags", [])
        tags: tuple[str, ...] = ()
        if not isinstance(tags_raw, list) or not all(isinstance(t, str) for t in tags_raw):
            self.bad(f"{p}.tags", "expected a list of strings")
        else:
            tags = tuple(tags_raw)
        quotes_raw = obj.get("quotes")
        quotes: list[Quote] = []
        if not isinstance(quotes_raw, list) or not quotes_raw:
            self.bad(f"{p}.quotes", "every event needs at least one quote")
        else:
            for j, q in enumerate(quotes_raw):
                if not isinstance(q, dict):
                    self.bad(f"{p}.quotes[{j}]", "expected an object")
                    continue
                quote = self.quote(q, f"{p}.quotes[{j}]", sources)
                if quote is not None:
                    quotes.append(quote)
        if d is None or not eid:
            return None
        return Event(eid, d, title, summary, tags, tuple(quotes), basis)


def read_json(path: Path) -> Any:
    """Parse a JSON file, turning every failure into a :class:`DatasetError` with a clear message."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        # orjson parses a large events.json several times faster than json and checks UTF-8 itself
        return orjson.loads(data)
    except FileNotFoundError:
        raise DatasetError(path, [Problem("", f"{path} not found")]) from None
    except IsADirectoryError:
        raise DatasetError(path, [Problem("", f"{path} is a directory, not an events.json file")]) from None
    except UnicodeDecodeError as exc:
        raise DatasetError(
            path, [Problem("", f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})")], not_json=True
        ) from None
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in exc.msg:
            reason = data.decode("utf-8", "replace").find("\ufffd")
            raise DatasetError(
                path, [Problem("", f"{path} is not UTF-8 text (invalid bytes near character {reason})")], not_json=True
            ) from None
        raise DatasetError(
            path,
            [Problem("", f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")],
            not_json=True,
        ) from None
    except OSError as exc:
        raise DatasetError(path, [Problem("", f"cannot read {path}: {exc.strerror}")]) from None


def check(path: Path) -> tuple[Dataset | None, list[Problem]]:
    """Load and validate; returns the dataset (if it could be built) and every problem found."""
    path = Path(path)
    # Parsing and building create millions of objects that all live on: collecting garbage while
    # they are made only rescans them (a third of the load time at 100k events).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        raw = read_json(path)
        builder = _Builder(path.parent)
        dataset = builder.build(raw, path)
        del raw
    finally:
        if was_enabled:
            gc.enable()
    return dataset, builder.problems


def load_dataset(path: Path | str, *, allow_missing_sources: bool = False) -> Dataset:
    """Load a valid dataset or raise :class:`DatasetError`.

    With ``allow_missing_sources`` a missing or undecodable source file is not fatal: it becomes a
    warning in ``dataset.warnings`` and the source's quotes are shown as unavailable.
    """
    path = Path(path)
    dataset, problems = check(path)
    fatal = [p for p in problems if not (allow_missing_sources and p.code in SOURCE_CODES)]
    if fatal or dataset is None:
        raise DatasetError(path, fatal or problems)
    dataset.warnings.extend(str(p) for p in problems)
    return dataset

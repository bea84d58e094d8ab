"""Propose candidate events from an article: dated sentences of its body, with titles and confidence.

Pipeline: classify lines (:mod:`.boilerplate`), find the publication date (``--published`` or a
timestamp/dateline in the first lines), split the body into sentences (:mod:`.sentences`), find
and resolve temporal expressions in each (:mod:`.temporal`), and make one candidate per distinct
date per sentence. The quote is the whole sentence, at code-point offsets of the article text.

"The Nth anniversary of <year>" proposes the commemoration (year + N), the commemorated year
being a candidate of its own. A bare "Nth anniversary" proposes what is commemorated (anchor
year - N, the anchor being a year stated in the sentence, else the publication year), with a low
confidence: the sentence is usually about the celebration, which its other dates give.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_edtf, parse_free
from timeline_tui.core.extract.boilerplate import Block, classify
from timeline_tui.core.extract.htmltext import html_to_text
from timeline_tui.core.extract.sentences import Span, lines, sentences, strip_span
from timeline_tui.core.extract.temporal import Mention, find_mentions, month_alternation
from timeline_tui.core.limits import MAX_SOURCE_BYTES, MAX_TITLE_CHARS
from timeline_tui.core.model import Quote
from timeline_tui.core.textfile import read_text_file

__all__ = [
    "Article",
    "Candidate",
    "Extraction",
    "extract",
    "find_published",
    "read_article",
    "suggest_title",
]

#: confidence multipliers by the kind of line a sentence sits in
_BLOCK_WEIGHT = {"body": 1.0, "caption": 0.8, "headline": 0.85}


@dataclass(frozen=True, slots=True)
class Article:
    """An article's stored text (plain text; for HTML the converted text) and what we know of it."""

    text: str
    title: str = ""
    published_hint: str = ""  # a timestamp from HTML metadata, if any
    suffix: str = ".txt"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed event: a resolved date and the sentence that carries it."""

    date: EdtfDate
    date_basis: str
    quote: Quote
    title: str
    confidence: float
    expression: Span  # the temporal expression's offsets
    kind: str  # the form of the expression (see temporal.Mention.kind)
    block: str  # body | caption | headline

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.edtf(),
            "date_basis": self.date_basis,
            "quote": {"start": self.quote.start, "end": self.quote.end, "text": self.quote.text},
            "title": self.title,
            "confidence": round(self.confidence, 2),
            "expression": {"start": self.expression.start, "end": self.expression.end, "kind": self.kind},
            "block": self.block,
        }


@dataclass(slots=True)
class Extraction:
    """The result for one article."""

    source_id: str
    title: str
    text: str
    published: EdtfDate | None
    published_from: str | None  # "option" | "text" | None when unknown
    candidates: list[Candidate]
    blocks: list[Block]
    path: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[Block]:
        """Lines judged boilerplate."""
        return [b for b in self.blocks if not b.is_body]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": {
                "id": self.source_id,
                "title": self.title,
                "path": self.path,
                "published": self.published.edtf() if self.published else None,
                "published_from": self.published_from,
            },
            "candidates": [c.to_json() for c in self.candidates],
            "skipped_lines": len(self.skipped),
            "warnings": list(self.warnings),
        }


def read_article(path: Path) -> Article:
    """Read a UTF-8 ``.txt`` (as is) or ``.html``/``.htm`` (converted to text) article.

    Raises :class:`~timeline_tui.core.textfile.TextFileError` (with a readable message) when the
    file is missing, unreadable, not UTF-8, not a regular file (a FIFO or device is never read) or
    larger than :data:`~timeline_tui.core.limits.MAX_SOURCE_BYTES`.
    """
    raw = read_text_file(path, limit=MAX_SOURCE_BYTES)
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        html = html_to_text(raw)
        return Article(html.text, html.title, html.published, ".html")
    return Article(raw, "", "", path.suffix or ".txt")


# ----------------------------------------------------------------------------- publication date

_MONTHS = month_alternation()  # the month names the temporal finder knows, in one place
_DATE_FORMS = (
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}",
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}",
    r"\d{4}/\d\d/\d\d",
)
_ANY_DATE = re.compile("|".join(f"(?:{f})" for f in _DATE_FORMS))
_LABEL = re.compile(r"^\W*(?:published|updated|posted|date|last\s+updated|first\s+published)\b\s*(?:on|at)?\s*:?", re.I)
_TIMESTAMP_FILLER = re.compile(
    r"^[\s,|:()\-–—/.]*(?:(?:\d{1,2}:\d\d(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?|gmt|utc|bst|cst|est|edt|pst|"
    r"beijing\s+time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|updated|published|posted|date|on|at)"
    r"[\s,|:()\-–—/.]*)*$",
    re.I,
)
_DATELINE = re.compile(
    rf"^(?P<head>[A-Z][A-Za-z .'’-]{{1,40}},\s+(?P<date>{_MONTHS}\s+\d{{1,2}}(?:,\s+\d{{4}})?)\s*(?:\([^)]{{1,40}}\))?\s*(?:--|—|–|-|:))"
)


#: a labelled date line longer than this carries article text after the date (a page stored as one line)
_METADATA_LINE = 200


def _parse_stated(text: str) -> EdtfDate | None:
    """A day-precise date in any of the timestamp forms, or ``None``."""
    iso = re.match(r"(\d{4})[-/](\d\d)[-/](\d\d)", text)
    try:
        if iso:
            return parse_edtf(f"{iso.group(1)}-{iso.group(2)}-{iso.group(3)}")
        d = parse_free(re.sub(r"(\d)(?:st|nd|rd|th)", r"\1", text))
    except EdtfError:
        return None
    return d if d.precision == 3 else None


def find_published(text: str, hint: str = "", *, first_lines: int = 12) -> tuple[EdtfDate, Span | None] | None:
    """The publication date stated in the article, and where (``None`` when from metadata).

    Looks at ``hint`` (HTML metadata) first, then the first ``first_lines`` lines for a labelled
    date (``Published: 9 May 2010``), a bare timestamp line (``10:15, May 09, 2010``) or a
    dateline with a year (``MOSCOW, May 9, 2010 (Xinhua) --``).
    """
    if hint:
        found = _ANY_DATE.search(hint)
        if found:
            stated = _parse_stated(found.group(0))
            if stated is not None:
                return stated, None
    for span in lines(text, first_lines):
        line = span.text(text)
        dateline = _DATELINE.match(line)
        if dateline and re.search(r"\d{4}", dateline.group("date")):
            stated = _parse_stated(dateline.group("date"))
            if stated is not None:
                return stated, Span(span.start + dateline.start("date"), span.start + dateline.end("date"))
        found = _ANY_DATE.search(line)
        if not found:
            continue
        rest = line[: found.start()] + " " + line[found.end() :]
        if _LABEL.match(line) or (len(line) <= 80 and _TIMESTAMP_FILLER.match(rest)):
            stated = _parse_stated(found.group(0))
            if stated is not None:
                if len(line) > _METADATA_LINE:  # the article goes on after the date on this line
                    return stated, Span(span.start, span.start + found.end())
                return stated, span
    return None


def _dateline_spans(text: str, blocks: list[Block]) -> list[Span]:
    """Datelines (``PORTVILLE, May 9 (Test Wire) --``) at the start of body lines: not events."""
    out = []
    for b in blocks:
        m = _DATELINE.match(b.span.text(text))
        if m:
            out.append(Span(b.span.start, b.span.start + m.end("head")))
    return out


# ----------------------------------------------------------------------------- titles

_LEAD = re.compile(
    r"^(?:(?:and|but|so|yet|also|then|meanwhile|however|thus|still|now|while|when|which|who|that|where|as|after|"
    r"before|although|though|because|since|according\s+to)\b[\s,]*|[,;:—–\-\s\"'“”‘’(]+)+",
    re.I,
)
_PREP_BEFORE = re.compile(r"(?:\b(?:in|on|at|from|since|by|during|between|until|till|of|for|as|and|when|while)\s+)$", re.I)
_CLAUSE = re.compile(r"[,;:—–]\s+|\s+[-–—]\s+|\s*\(|\)\s*")


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return _LEAD.sub("", text).strip(" ,.;:!?\"'”’“‘")


@lru_cache(maxsize=4)
def _clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """The sentence's clauses as ``(start, end)``, found once for all the dates of one sentence."""
    bounds = [0] + [b for m in _CLAUSE.finditer(sentence) for b in (m.start(), m.end())] + [len(sentence)]
    return tuple((bounds[k], bounds[k + 1]) for k in range(0, len(bounds) - 1, 2))


#: the most characters of a clause a title is made from (a title has at most ten words)
_TITLE_WINDOW = 400


def suggest_title(sentence: str, expr_start: int, expr_end: int, limit: int = 10) -> str:
    """A short title from a sentence: the clause holding the expression, without it, at most ``limit`` words.

    "It has been 65 years since the end of the war" gives "The end of the war"; a clause too short
    to say anything gives way to the sentence's first clause of four or more words. The work is
    bounded by the few hundred characters around the expression, however long the sentence.
    """
    clauses = _clauses(sentence)
    chosen = ""
    first = max(0, bisect_left(clauses, (expr_start,)) - 1)  # the clause holding the expression, or one before
    for a, b in clauses[first:]:
        if a >= expr_end:
            break
        a, b = max(a, expr_start - _TITLE_WINDOW), min(b, expr_end + _TITLE_WINDOW)
        if a <= expr_start < max(b, a + 1) or (a < expr_end <= b):
            expr = sentence[expr_start:expr_end].lower().rstrip()
            tail = sentence[expr_end:b]
            if expr.endswith("since"):
                chosen = _clean(tail)
            elif expr.endswith("anniversary") and re.match(r"\s+of\s", tail):
                chosen = _clean(re.sub(r"^\s+of\s+", "", tail))
            else:
                before = _PREP_BEFORE.sub("", sentence[a:expr_start])
                chosen = _clean(f"{before} {sentence[expr_end:b]}")
            break
    if len(chosen.split()) < 3:
        lo, hi = max(0, expr_start - _TITLE_WINDOW), expr_end + _TITLE_WINDOW
        stripped = _PREP_BEFORE.sub("", sentence[lo:expr_start]) + " " + sentence[expr_end:hi]
        parts = [_clean(p) for p in _CLAUSE.split(stripped)]
        chosen = next((p for p in parts if len(p.split()) >= 4), chosen or (parts[0] if parts else ""))
    words = chosen.split()
    title = " ".join(words[:limit]).rstrip(" ,.;:!?\"'”’“")
    return (title[:1].upper() + title[1:]) if title else "Untitled event"


# ----------------------------------------------------------------------------- extraction


def _published_from(
    article: Article, option: EdtfDate | None
) -> tuple[EdtfDate | None, str | None, Span | None]:
    if option is not None:
        located = find_published(article.text, article.published_hint)
        return option, "option", located[1] if located else None
    located = find_published(article.text, article.published_hint)
    if located is None:
        return None, None, None
    return located[0], "text", located[1]


class _Excluded:
    """Spans (datelines, the publication line) no candidate may come from; overlap tests by bisection."""

    def __init__(self, spans: list[Span]) -> None:
        merged: list[Span] = []
        for s in sorted(spans):
            if merged and s.start <= merged[-1].end:
                merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
            else:
                merged.append(s)
        self.spans = merged
        self.starts = [s.start for s in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.spans[i].end > start

    def containing_start(self, start: int) -> Span | None:
        """The span that ``start`` lies in, if any."""
        i = bisect_left(self.starts, start + 1) - 1
        return self.spans[i] if i >= 0 and self.spans[i].start <= start < self.spans[i].end else None


def extract(
    article: Article | str,
    *,
    source_id: str = "article",
    title: str | None = None,
    published: EdtfDate | None = None,
    min_confidence: float = 0.0,
    path: str = "",
) -> Extraction:
    """Candidate events of one article, in text order."""
    if isinstance(article, str):
        article = Article(article)
    text = article.text
    blocks = classify(text)
    pub, pub_from, pub_span = _published_from(article, published)
    excluded = _Excluded(_dateline_spans(text, blocks) + ([pub_span] if pub_span else []))
    warnings: list[str] = []
    if pub is None:
        warnings.append(
            "no publication date given or found in the text: relative dates (last year, on Saturday, "
            "in February...) were not resolved; pass --published DATE"
        )
    elif pub.precision < 3:
        warnings.append(f"publication date {pub.edtf()} has no day: weekday and day-relative dates were not resolved")
    headline = next((b for b in blocks if b.kind == "headline"), None)
    candidates: list[Candidate] = []
    for block in blocks:
        if not block.is_body:
            continue
        for sent in sentences(text, block.span):
            sent = _after_dateline(text, sent, excluded)
            mentions = [m for m in find_mentions(text, sent.start, sent.end, pub) if not excluded.overlaps(m.start, m.end)]
            candidates.extend(_sentence_candidates(text, sent, mentions, block.kind, source_id))
    candidates = [c for c in candidates if c.confidence >= min_confidence]
    chosen_title = title or article.title or (headline.span.text(text) if headline else "") or source_id
    chosen_title = chosen_title.strip()[:MAX_TITLE_CHARS]
    return Extraction(source_id, chosen_title, text, pub, pub_from, candidates, blocks, path, warnings)


def _after_dateline(text: str, sent: Span, excluded: _Excluded) -> Span:
    """The sentence without a dateline or timestamp that starts it (the quote is the reporting)."""
    span = excluded.containing_start(sent.start)
    if span is not None and span.end < sent.end:
        return strip_span(text, span.end, sent.end)
    return sent


def _sentence_candidates(text: str, sent: Span, mentions: list[Mention], block: str, source_id: str) -> list[Candidate]:
    best: dict[str, Mention] = {}
    for m in mentions:
        key = m.date.edtf()
        if key not in best or m.confidence > best[key].confidence:
            best[key] = m
    sentence = text[sent.start : sent.end]
    quote = Quote(source_id, sent.start, sent.end, sentence)
    out = []
    for m in sorted(best.values(), key=lambda x: x.start):
        confidence = m.confidence * _BLOCK_WEIGHT.get(block, 1.0)
        if len(best) > 1:
            confidence *= 0.95  # a sentence with several dates is less clearly about each
        title = suggest_title(sentence, m.start - sent.start, m.end - sent.start)
        out.append(
            Candidate(m.date, m.basis, quote, title, round(min(1.0, confidence), 3), Span(m.start, m.end), m.kind, block)
        )
    return out

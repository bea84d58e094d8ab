"""Split text into lines and sentences as ``(start, end)`` code-point spans of the original string.

A sentence never crosses a line break (news text puts one paragraph per line). Inside a line it
ends at ``.``, ``!`` or ``?`` (plus closing quotes/brackets) followed by white space and a capital,
digit or opening quote — unless the word before the full stop is a known abbreviation
("Sept.", "U.S.", "Dr.") or a single initial. Spans exclude surrounding white space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "lines", "sentences", "strip_span"]

ABBREVIATIONS = frozenset(
    [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues",
        "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt",
        "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "st", "mt", "ft", "jr", "sr", "co", "corp", "inc",
        "ltd", "no", "nos", "vol", "vols", "p", "pp", "fig", "approx", "est", "dept", "univ", "ave", "blvd", "vs",
        "etc", "al", "e.g", "i.e", "u.s", "u.k", "u.n", "u.s.a"
    ]
)

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
#: how far back a word before a full stop is looked for (longer than any abbreviation)
_LONGEST_WORD = 32


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def strip_span(text: str, start: int, end: int) -> Span:
    """``[start, end)`` shrunk to exclude leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def lines(text: str) -> list[Span]:
    """Every non-blank line (``\\n``, ``\\r\\n`` or ``\\r`` ended), stripped of outer white space."""
    out: list[Span] = []
    for m in re.finditer(r"[^\r\n]+", text):
        span = strip_span(text, m.start(), m.end())
        if span.end > span.start:
            out.append(span)
    return out


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends an abbreviation or an initial rather than a sentence."""
    if text[stop] != ".":
        return False
    # only the word just before the stop matters: searching the whole prefix made this quadratic
    m = _WORD_BEFORE.search(text, max(0, stop - _LONGEST_WORD), stop)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "John F. Kennedy"
    return word in ABBREVIATIONS


def sentences(text: str, within: Span | None = None) -> list[Span]:
    """Sentence spans of ``text`` (or of the part ``within``), never crossing a line break."""
    region = within or Span(0, len(text))
    out: list[Span] = []
    for line in lines(text[region.start : region.end]):
        lo, hi = region.start + line.start, region.start + line.end
        start = lo
        for m in _BOUNDARY.finditer(text, lo, hi):
            if _is_abbreviation(text, m.start()):
                continue
            span = strip_span(text, start, m.end())
            if span.end > span.start:
                out.append(span)
            start = m.end()
        span = strip_span(text, start, hi)
        if span.end > span.start:
            out.append(span)
    return out

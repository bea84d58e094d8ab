"""Split text into lines and sentences as ``(start, end)`` code-point spans of the original string.

The one sentence splitter of the program: the extractor quotes these sentences, and the source
viewer's sentence motions (``(`` ``)``, :func:`timeline_tui.core.passages.sentence_starts`) stop
at their starts. :func:`strip_span` is the one span trim (``passages.trim_span`` is the same).

A sentence never crosses a line break (news text puts one paragraph per line). Inside a line it
ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes/brackets) followed by white space and a
capital, digit or opening quote — unless the word before the full stop is a known abbreviation
("Sept.", "U.S.", "Dr.") or a single initial. Spans exclude surrounding white space. A "sentence"
longer than :data:`~timeline_tui.core.limits.MAX_SENTENCE_CHARS` (a page without full stops) is
cut at the last white space before that length, so no later step ever works on more text at once.
Every step is linear in the length of the text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from timeline_tui.core.limits import MAX_SENTENCE_CHARS

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

# Possessive quantifiers and the look-behind keep a long run of dots or spaces from being rescanned
# at every position (which made a line of 50 MB of "....." quadratic).
# It starts with the character class (and checks the character before it afterwards) so the regex
# engine can skip ahead to the next stop instead of trying every position.
_BOUNDARY = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"'”’»)\]]*+(?=\s++[\"'“‘«(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
#: how far back a word before a full stop is looked for (longer than any abbreviation)
_LONGEST_WORD = 32


class Span(NamedTuple):
    """A half-open range ``[start, end)`` of code points (a tuple: it unpacks as ``start, end``)."""

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


_LINE = re.compile(r"[^\r\n]+")


def lines(text: str, limit: int | None = None) -> list[Span]:
    """Every non-blank line (``\\n``, ``\\r\\n`` or ``\\r`` ended), stripped of outer white space;
    only the first ``limit`` when given."""
    out: list[Span] = []
    for m in _LINE.finditer(text):
        span = strip_span(text, m.start(), m.end())
        if span.end > span.start:
            out.append(span)
            if limit is not None and len(out) >= limit:
                break
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


def _capped(text: str, span: Span, out: list[Span]) -> None:
    """Append ``span`` (already stripped), cut into pieces of at most :data:`MAX_SENTENCE_CHARS` at white space."""
    start, end = span.start, span.end
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(" ", start + 1, limit), text.rfind("\t", start + 1, limit))
        if cut <= start:
            cut = limit  # no white space at all: cut between characters
        piece = strip_span(text, start, cut)
        if piece.end > piece.start:
            out.append(piece)
        start = strip_span(text, cut, end).start
    if end > start:
        out.append(Span(start, end))


def sentences(text: str, within: Span | None = None) -> list[Span]:
    """Sentence spans of ``text`` (or of the part ``within``), never crossing a line break."""
    region = within or Span(0, len(text))
    out: list[Span] = []
    if text.find("\n", region.start, region.end) < 0 and text.find("\r", region.start, region.end) < 0:
        spans = [strip_span(text, region.start, region.end)]  # one line (the extractor's blocks are)
    else:
        spans = [Span(region.start + a, region.start + b) for a, b in lines(text[region.start : region.end])]
    for lo, hi in spans:
        if hi <= lo:
            continue
        start = lo
        for m in _BOUNDARY.finditer(text, lo, hi):
            if _is_abbreviation(text, m.start()):
                continue
            span = strip_span(text, start, m.end())
            if span.end > span.start:
                _capped(text, span, out)
            start = m.end()
        span = strip_span(text, start, hi)
        if span.end > span.start:
            _capped(text, span, out)
    return out

"""Escape untrusted text for Markdown so it can never change the document's structure.

Every string from the dataset or the user goes through here. The rules hold for CommonMark (and
so GFM, markdown-it, Obsidian) and for pandoc's Markdown:

* inline syntax characters (``\\ ` * _ [ ] < > & | ~ $ # { } ^ % @ ' "``) are backslash-escaped,
  so there is no emphasis, code, link, footnote, HTML, entity, table, strike-through, math or
  pandoc citation (``@key``), and pandoc's default ``smart`` extension cannot curl quotes;
* pandoc's other smart punctuation is kept literal too: the second and later ``-`` of a run
  (``--``, ``---`` would become dashes) and every ``.`` of a run of three or more (an ellipsis);
  and the ``:`` that opens an emoji shortcode (``:fire:`` is an emoji in GFM readers);
* at the start of a line any ASCII punctuation is escaped (headings, quotes, lists, thematic
  breaks, setext underlines, fences, definition lists), as is the ``.``/``)`` of ``1.``/``a)``;
* whitespace at either end of a line becomes numeric entities (``&#32;``), so a line cannot
  become indented code, a two-space hard break, or lose its spaces to trimming;
* control characters, terminal escape sequences and bidi overrides are removed (:func:`textsafe.plain`).

Multi-line text keeps its lines (joined by the caller with hard breaks); empty lines separate
paragraphs, and runs of them count as one.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from timeline_tui.core.textsafe import needs_cleaning, plain

_INLINE = re.compile(r"[\\`*_\[\]<>&|~$#{}^%@'\"]")
_DASH_RUN = re.compile(r"(?<=-)-")
_DOTS = re.compile(r"\.{3,}")
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+\-]+:)")
_LIST_NUMBER = re.compile(r"^([0-9A-Za-z]{1,10})([.)])")
_ALNUM = frozenset(string.ascii_letters + string.digits)
#: Punctuation that can open a block construct somewhere (CommonMark, GFM, pandoc, Obsidian).
_PUNCT = frozenset(string.punctuation) - frozenset("\"',;?/")
_EDGE = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


def _entities(ws: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in ws)


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match[0]


def _escape_core(core: str) -> str:
    first = core[0]
    if _INLINE.search(core):
        core = _INLINE.sub(_backslash, core)
    if ":" in core:
        core = _SHORTCODE.sub(r"\\:", core)
    if "--" in core:
        core = _DASH_RUN.sub(r"\\-", core)
    if "..." in core:
        core = _DOTS.sub(lambda m: "\\." * len(m[0]), core)
    if first in _PUNCT:
        if core[0] != "\\":
            core = "\\" + core
    elif first in _ALNUM:
        m = _LIST_NUMBER.match(core)
        if m:
            core = core[: m.end(1)] + "\\" + core[m.end(1):]
    return core


def escape_line(line: str) -> str:
    """One line of text (no newlines) made literal wherever it is placed on a Markdown line."""
    if not line:
        return line
    if not (line[0].isspace() or line[-1].isspace()):
        return _escape_core(line)
    m = _EDGE.match(line)
    assert m is not None  # the pattern matches any string
    lead, core, trail = m.groups()
    return _entities(lead) + (_escape_core(core) if core else "") + _entities(trail)


@lru_cache(maxsize=4096)
def md_text(text: str) -> str:
    """A single-line field (title, tag, date basis...): newlines and controls become spaces."""
    if needs_cleaning(text):
        text = plain(text)
    return escape_line(text)


def md_paragraphs(text: str) -> list[list[str]]:
    """Multi-line text as paragraphs of escaped lines (empty lines split paragraphs).

    The caller joins a paragraph's lines with a hard break (``\\`` + newline) and paragraphs with
    a blank line, so the rendered text keeps every line break.
    """
    if needs_cleaning(text, multiline=True):
        text = plain(text, keep_newlines=True)
    if not text.strip():  # nothing but blanks (and controls): no paragraph, as in the HTML export
        return []
    if "\n" not in text:
        return [[escape_line(text)]] if text else []
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line:
            current.append(escape_line(line))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def join_hard(lines: list[str], prefix: str = "") -> str:
    """Lines of one paragraph joined with backslash hard breaks, each after ``prefix``."""
    return ("\\\n" + prefix).join(lines)


def block(text: str, prefix: str = "", first_prefix: str | None = None) -> list[str]:
    """Multi-line text as Markdown lines, each starting with ``prefix`` (blank separators too).

    ``first_prefix`` replaces the prefix of the very first line (e.g. a list marker).
    """
    out: list[str] = []
    for i, para in enumerate(md_paragraphs(text)):
        if i:
            out.append(prefix.rstrip())
        out.append(prefix + join_hard(para, prefix))
    if out and first_prefix is not None:
        out[0] = first_prefix + out[0][len(prefix):]
    return out

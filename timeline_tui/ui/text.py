"""The one place that turns data and user strings into things the terminal shows.

Everything here is literal: no Rich/Textual markup is parsed (``[bold]`` stays text) and control
characters and escape sequences are removed first (via :mod:`timeline_tui.core.textsafe`), so
spans computed after cleaning always line up.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.style import Style

from timeline_tui.core.textsafe import plain

__all__ = ["ELLIPSIS", "assemble", "block", "clean", "fit", "literal", "plural", "preview", "width_of"]

ELLIPSIS = "…"

Part = str | tuple[str, str | Style]


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """One line of ``text`` safe for a terminal: escapes and controls removed, newlines as spaces."""
    return plain(text)


def block(text: str) -> str:
    """Like :func:`clean` but keeps newlines (for summaries, quotes and notes)."""
    return plain(text, keep_newlines=True)


def literal(text: str, style: str | Style = "", *, multiline: bool = False) -> Content:
    """``text`` as Content shown exactly as written, in one ``style``."""
    safe = block(text) if multiline else clean(text)
    return Content.styled(safe, style) if style else Content(safe)


def assemble(*parts: Part, multiline: bool = True) -> Content:
    """Content from plain strings and ``(text, style)`` pairs; every text is cleaned, none is markup."""
    cleaned: list[str | tuple[str, str | Style]] = []
    for part in parts:
        if isinstance(part, tuple):
            text, style = part
            cleaned.append((block(text) if multiline else clean(text), style))
        else:
            cleaned.append(block(part) if multiline else clean(part))
    return Content.assemble(*cleaned)


def width_of(text: str) -> int:
    """Terminal cells ``text`` takes (wide CJK count two, combining marks none)."""
    return cell_len(text)


def fit(text: str, width: int, *, ellipsis: bool = True) -> str:
    """``text`` cut or padded to exactly ``width`` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    if not ellipsis or width == 1:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 event``, ``2 events`` (``words`` for an irregular plural: ``plural(n, "match", "matches")``)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def preview(text: str, limit: int = 60) -> str:
    """``text`` on one line, runs of white space as one space, cut to ``limit`` characters with an ellipsis."""
    one = " ".join(clean(text[: limit * 4]).split())
    return one if len(one) <= limit else one[: limit - 1] + ELLIPSIS

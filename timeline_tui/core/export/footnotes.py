"""Citations as footnotes, shared by the Markdown and HTML exports: numbered in order of first use, worded once.

A passage quoted by several events shares one footnote; each of your links has its own. The
wording ("published", "file", "code points", "Linked by you") lives here; each format gives a
:class:`CitationStyle` saying how to escape text, set a title in italics, show a web address and
write the definition line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from timeline_tui.core.export.gather import AnchoredLink, anchor_phrase
from timeline_tui.core.model import Dataset, Quote

#: A web address that is safe as a link (no spaces, angle brackets, quotes or controls; http or https).
SAFE_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


@dataclass(frozen=True, slots=True)
class CitationStyle:
    """How one format writes a citation."""

    text: Callable[[str], str]
    """A field from the data, escaped for the format."""
    emphasis: Callable[[str], str]
    """Already escaped text, in italics."""
    url: Callable[[str], str]
    """A source's web address (raw): a link when :data:`SAFE_URL` matches, else escaped text."""
    definition: Callable[[int, str], str]
    """The footnote line for a number and its (escaped) body."""


class Footnotes:
    """Footnote numbers in order of first use, and their definitions in ``definitions``."""

    def __init__(self, dataset: Dataset, style: CitationStyle) -> None:
        self._dataset = dataset
        self._style = style
        self._numbers: dict[object, int] = {}
        self.definitions: list[str] = []
        self._cited: dict[str, str] = {}

    def _citation(self, source_id: str) -> str:
        cached = self._cited.get(source_id)
        if cached is not None:
            return cached
        style = self._style
        source = self._dataset.sources.get(source_id)
        if source is None:
            text = f"Unknown source {style.text(source_id)}"
        else:
            parts = [style.emphasis(style.text(source.title))]
            if source.publisher:
                parts.append(style.text(source.publisher))
            parts.append(f"published {style.text(source.published.display())}")
            text = ", ".join(parts) + f"; file {style.text(source.path)}"
            if source.url:
                text += ", " + style.url(source.url)
        self._cited[source_id] = text
        return text

    def _number(self, key: object, body: Callable[[], str]) -> int:
        """The footnote number of ``key``; a new one gets the next number and its definition."""
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self._numbers) + 1
            self.definitions.append(self._style.definition(number, body()))
        return number

    def quote(self, quote: Quote) -> int:
        return self._number(
            (quote.source, quote.start, quote.end),
            lambda: f"{self._citation(quote.source)}, code points {quote.start}–{quote.end}.",
        )

    def link(self, item: AnchoredLink) -> int:
        return self._number(
            ("link", item.link.id),
            lambda: f"Linked by you: {self._citation(item.link.source_id)}, "
            f"code points {item.start}–{item.end} ({self._style.text(anchor_phrase(item))}).",
        )

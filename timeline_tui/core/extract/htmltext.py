"""Turn an HTML article into the plain text that is stored and quoted.

The stored text is the page's visible text: one line per block element (``p``, ``h1``–``h6``,
``li``, ``div``, ``br``, ``tr``…), runs of white space inside a line collapsed to one space,
character references decoded, list items prefixed with ``• ``. Elements that are never article
text are dropped whole: ``script``, ``style``, ``noscript``, ``template``, ``svg``, ``nav``,
``aside``, ``footer``, ``form``, ``iframe``, ``button``, ``select`` and ``head``; a self-closed
one (``<svg/>``, ``<iframe …/>``) has no content and skips nothing, and a ``<head>`` left
unclosed ends at ``<body>`` or the first tag that cannot stand in it. Candidate offsets refer to
this text, which ``timeline-tui import`` saves as the source's ``.txt`` file.

The page's metadata is kept for the source record: ``<title>`` / ``og:title`` and a publication
timestamp (``article:published_time``, ``<meta name="date">``, the first ``<time datetime>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["HtmlArticle", "html_to_text"]

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "aside", "footer", "form", "iframe",
                   "button", "select", "head"})
#: what may stand in <head>; any other start tag ends a <head> whose end tag was left out
_HEAD_CONTENT = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "table", "tr", "figure", "figcaption", "dl", "dt", "dd", "hr", "address", "time-block",
})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "base", "col", "embed", "param", "track"})
_PUBLISHED_META = ("article:published_time", "og:published_time", "date", "pubdate", "publishdate", "dc.date",
                   "dcterms.created", "datepublished", "sailthru.date", "parsely-pub-date")


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """The stored text of a page and what its markup says about it."""

    text: str
    title: str
    published: str  # the raw timestamp from the markup, or ""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.in_title = False
        self.title = ""
        self.meta_title = ""
        self.published = ""
        self.time_datetime = ""

    def flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key in _PUBLISHED_META and not self.published:
                self.published = values.get("content", "").strip()
            elif key in ("og:title", "twitter:title") and not self.meta_title:
                self.meta_title = values.get("content", "").strip()
            return
        if tag == "title":
            self.in_title = True
            return
        if tag == "time" and not self.time_datetime:
            self.time_datetime = values.get("datetime", "").strip()
        if self.skip_stack == ["head"] and tag not in _HEAD_CONTENT:
            self.skip_stack, self.skip_depth = [], 0  # <body> or body content: <head> ended unclosed
        if self.skip_depth:
            if tag in _SKIP:
                self.skip_stack.append(tag)
                self.skip_depth += 1
            return
        if tag in _SKIP:
            self.skip_stack.append(tag)
            self.skip_depth = 1
            return
        if tag in _BLOCK or tag == "br":
            self.flush()
        if tag == "li":
            self.current.append("• ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<svg/>``, ``<iframe …/>``, ``<br/>``: an element without content, so never a skip level."""
        if tag in _SKIP or tag == "title":
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if self.skip_depth:
            if self.skip_stack and self.skip_stack[-1] == tag:
                self.skip_stack.pop()
                self.skip_depth -= 1
            return
        if tag in _BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if not self.skip_depth:
            self.current.append(data)


def html_to_text(html: str) -> HtmlArticle:
    """The visible text of ``html`` (one line per block, blank line between blocks) and its metadata."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    collector.flush()
    title = re.sub(r"\s+", " ", collector.meta_title or collector.title).strip()
    title = re.split(r"\s+[|–—]\s+|\s+-\s+(?=[^-]+$)", title)[0] if title else title  # drop " | Site name"
    text = "\n\n".join(collector.lines) + ("\n" if collector.lines else "")
    return HtmlArticle(text, title, collector.published or collector.time_datetime)

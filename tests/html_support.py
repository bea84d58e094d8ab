"""Shared by the HTML/SVG export tests (unit and browser): parsing, hostile strings, expected texts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from timeline_tui.core.model import Event
from timeline_tui.core.textsafe import plain

SVG_NS = "{http://www.w3.org/2000/svg}"

#: Text that would be markup, script or a way out of an attribute or element if it were not escaped.
HTML_HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "' onmouseover='window.__pwned = 4' x='",
    "</style><script>window.__pwned = 5</script>",
    "</title></svg><script>window.__pwned = 6</script>",
    "<![CDATA[ ]]> ]]> <!-- comment --> <?pi x?>",
    '<a href="javascript:window.__pwned = 7">click</a>',
    "&amp; &lt;b&gt; &#60;script&#62; &nbsp;",
    "<iframe src=https://example.com></iframe> <link rel=stylesheet href=https://example.com/x.css>",
    "<style>body{display:none}</style>",
    "\x1b[31mred\x1b[0m \x07bell \x00nul \x0bvt",
    "lone surrogate \ud800 and nonchar \uffff \ufffe",
    "line one\nline two\n\n\nafter blanks  ",
    "javascript:window.__pwned=8",
]


def parse_xml(text: str) -> ET.Element:
    """Parse the page or picture as XML: both are written well-formed, so any stray markup breaks this."""
    return ET.fromstring(text.encode("utf-8"))


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def by_class(root: ET.Element, cls: str) -> Iterator[ET.Element]:
    for el in root.iter():
        if cls in (el.get("class") or "").split():
            yield el


def norm(text: str) -> str:
    """Whitespace runs as one space, ends trimmed (how a reader sees text once rendered)."""
    return re.sub(r"\s+", " ", text).strip()


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


def heading_text(event: Event) -> str:
    """An event heading as every export words it."""
    title = plain(event.title)
    return f"{event.date.display()} — {title}" if title.strip() else event.date.display()

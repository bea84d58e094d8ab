"""Untrusted text made safe for HTML and SVG: no control characters, nothing XML forbids, all escaped."""

from __future__ import annotations

import re
from html import escape

from timeline_tui.core.textsafe import plain

#: Code points an XML document may not contain (a lone surrogate cannot even be written as UTF-8).
_NOT_XML = re.compile(r"[\ufffe\uffff\ud800-\udfff]")
#: Anything :func:`plain` or the XML rule would change (controls, escapes, tabs, line ends, the above).
_NEEDS_WORK = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def xml_line(text: str) -> str:
    """A single-line field (title, tag, name...): newlines and controls become spaces; escaped for text and attributes."""
    if _NEEDS_WORK.search(text):
        text = _NOT_XML.sub("\ufffd", plain(text))
    return escape(text, quote=True)


def xml_block(text: str) -> str:
    """Multi-line text (quote, summary, note), escaped, keeping its line breaks but not blank lines at either end.

    Shown with ``white-space: pre-wrap`` it reads exactly as written.
    """
    return escape(_NOT_XML.sub("\ufffd", plain(text, keep_newlines=True)).strip("\n"), quote=True)

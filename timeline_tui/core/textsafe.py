"""Make untrusted text safe for a terminal: no control character, escape sequence or bidi override reaches it raw.

**The rule** (:data:`UNSAFE`): C0 controls (tab and newline are decided by each output), DEL, C1
controls, the bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069:
they reorder what a terminal shows, "Trojan Source") and lone surrogates (undecodable bytes,
which a strict UTF-8 terminal cannot take). Every output applies it in the form its format
allows:

* text for a terminal (CLI output, messages): :func:`visible` shows each such character as a
  visible symbol (ESC as ␛, so ``\\x1b[2J`` prints as ``␛[2J``);
* a whole source text whose offsets must hold (the source viewer): :func:`mask_controls`, the
  same symbols one for one;
* JSON: :func:`json_safe` / :func:`json_for_terminal` write them as ``\\uXXXX`` escapes, so the
  data stays exact;
* Markdown, HTML and the app's rows: :func:`plain` removes escape sequences whole and turns the
  other characters into spaces (or drops them), so the document's structure is kept.

:func:`echo` cuts data quoted in a message to :data:`~timeline_tui.core.limits.ECHO_CHARS`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from timeline_tui.core.limits import ECHO_CHARS

#: the explicit bidirectional formatting characters (embeddings, overrides, isolates and their ends)
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURR = "\ud800-\udfff"

#: The rule: characters that never reach a terminal raw (tab and newline are left to each output).
UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}{_SURR}]")
#: :data:`UNSAFE` plus tab and newline: what a single-line field may not carry.
UNSAFE_IN_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}{_SURR}]")
#: :data:`UNSAFE` except a CR that ends a line (CRLF): what multi-line text for a terminal may not carry.
_UNSAFE_MULTILINE = re.compile(f"\\r(?!\\n)|[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}{_SURR}]")

# ESC-introduced sequences (CSI, OSC, DCS, other two-byte escapes), for plain() which removes them whole.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC ... ST
    r"|\x1b[@-Z\\-_]?"  # other escapes (or a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_SURROGATES = re.compile(f"[{_SURR}]")


def symbol(ch: str) -> str:
    """The visible stand-in for one unsafe character (one code point).

    C0 controls become their Unicode control picture (ESC ␛, BEL ␇, CR ␍, LF ␤), DEL ␡; C1
    controls, bidi controls and lone surrogates U+FFFD.
    """
    code = ord(ch)
    if code == 0x0A:
        return "\u2424"  # ␤ (the control picture for newline)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def _symbol(match: re.Match[str]) -> str:
    return symbol(match.group(0))


def visible(text: str, *, multiline: bool = True) -> str:
    """``text`` for a terminal with every unsafe character shown as its :func:`symbol`.

    ``multiline`` keeps newlines, CRLF line ends and tabs (a lone CR shows as ␍); otherwise the
    text is one line: a tab becomes a space, a newline ␤ and a CR ␍.
    """
    if multiline:
        return _UNSAFE_MULTILINE.sub(_symbol, text)
    if "\t" in text:
        text = text.replace("\t", " ")
    return UNSAFE_IN_LINE.sub(_symbol, text)


def one_line(text: str) -> str:
    """:func:`visible` for one line of terminal output (a message, a row of ``list``)."""
    return visible(text, multiline=False)


def needs_cleaning(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds anything :func:`plain` would change (a fast test before cleaning)."""
    return (UNSAFE if multiline else UNSAFE_IN_LINE).search(text) is not None or (multiline and "\t" in text)


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with escape sequences removed and other unsafe characters turned into spaces or dropped.

    Tabs become four spaces; vertical white space (CR, VT, FF, and newlines unless
    ``keep_newlines``) a space or a newline; other controls and bidi controls are dropped; lone
    surrogates become U+FFFD. For documents (Markdown, HTML) and the app's rows.
    """
    text = _ESCAPES.sub("", text)
    text = text.replace("\t", "    ")
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return UNSAFE.sub(_replacement, text)
    return UNSAFE_IN_LINE.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in "\n\r\x0b\x0c":
        return " "
    return "\ufffd" if "\ud800" <= ch <= "\udfff" else ""


def mask_controls(text: str) -> str:
    """Replace each unsafe character (and tab) one for one, so code-point offsets still hold.

    For showing a whole source text whose quote offsets must keep pointing at the same characters:
    CR becomes a space (CRLF text: the line break already shows), a tab one space, other
    characters their :func:`symbol` (ESC ␛, DEL ␡, C1 and bidi controls and lone surrogates U+FFFD).
    """
    return UNSAFE.sub(_mask, text).replace("\t", " ")


def _mask(match: re.Match[str]) -> str:
    ch = match.group(0)
    return " " if ch == "\r" else symbol(ch)


# JSON: json.dumps escapes C0 controls itself; these are the rest of the rule, plus the JavaScript
# line terminators U+2028/U+2029.
_JSON_UNSAFE = re.compile(f"[\\x7f-\\x9f{_BIDI}{_SURR}\\u2028\\u2029]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def json_safe(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every remaining unsafe character
    written as a ``\\uXXXX`` escape: the same data, safe to print."""
    return _JSON_UNSAFE.sub(_json_escape, json_text)


def json_for_terminal(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text that is safe to print: readable Unicode, but every character of the rule a ``\\uXXXX`` escape."""
    return json_safe(json.dumps(obj, ensure_ascii=False, indent=indent))


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (undecodable bytes) as U+FFFD, so it can be written as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """Data quoted in a message: at most ``limit`` characters (the last one "…" when cut), one line, visible."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return visible(text, multiline=False)


def echo_repr(text: str, limit: int = ECHO_CHARS) -> str:
    """:func:`echo` in Python quotes (``'Bad Id'``), for ids and paths in messages."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")

"""Make untrusted text safe for a terminal: no control characters or escape sequences reach it."""

from __future__ import annotations

import json
import re
from typing import Any

# ESC-introduced sequences (CSI, OSC, DCS, other two-byte escapes), then any remaining C0/DEL/C1.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC ... ST
    r"|\x1b[@-Z\\-_]?"  # other escapes (or a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_NO_NL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# Lone surrogates (from undecodable bytes via surrogateescape) cannot be encoded for a terminal.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with escape sequences removed and other control characters shown as U+FFFD-free spaces.

    Tabs become spaces; newlines are kept only when ``keep_newlines`` (else they become spaces).
    """
    text = _ESCAPES.sub("", text)
    text = text.replace("\t", "    ")
    pattern = _CONTROLS if keep_newlines else _CONTROLS_NO_NL
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATES.sub("\ufffd", pattern.sub(_replacement, text))


def _replacement(match: re.Match[str]) -> str:
    ch = match.group(0)
    return " " if ch in "\n\r\x0b\x0c" else ""


_MASK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code == 0x0D:
        return " "  # CRLF text: the line break already shows, so CR is a blank
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␍ for CR, ␛ for ESC ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def mask_controls(text: str) -> str:
    """Replace each control character (not tab or newline) one-for-one, so code-point offsets still hold.

    For showing a whole source text whose quote offsets must keep pointing at the same characters:
    CR becomes a space, other C0 controls their control picture (ESC shows as ␛), DEL ␡, C1 controls and lone
    surrogates as U+FFFD. A tab becomes one space for the same reason.
    """
    return _MASK.sub(_picture, text).replace("\t", " ")


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff\u2028\u2029]")


def json_for_terminal(obj: Any, *, indent: int | None = 2) -> str:
    """JSON text that is safe to print: readable Unicode, but DEL, C1 controls and lone surrogates
    are ``\\uXXXX`` escapes (json already escapes C0 controls), so they never reach a terminal raw."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)

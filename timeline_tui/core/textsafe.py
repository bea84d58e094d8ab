"""Make untrusted text safe for a terminal: no control characters or escape sequences reach it."""

from __future__ import annotations

import re

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


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with escape sequences removed and other control characters shown as U+FFFD-free spaces.

    Tabs become spaces; newlines are kept only when ``keep_newlines`` (else they become spaces).
    """
    text = _ESCAPES.sub("", text)
    text = text.replace("\t", "    ")
    pattern = _CONTROLS if keep_newlines else _CONTROLS_NO_NL
    if keep_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return pattern.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    ch = match.group(0)
    return " " if ch in "\n\r\x0b\x0c" else ""


_MASK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def mask_controls(text: str, placeholder: str = "\u2400") -> str:
    """Replace each control character (not tab or newline) one-for-one, so code-point offsets still hold.

    For showing a whole source text whose quote offsets must keep pointing at the same characters.
    A tab becomes one space for the same reason.
    """
    return _MASK.sub(placeholder, text).replace("\t", " ")

"""A note as the editor shows it, and back: control characters visible, nothing changed unless edited.

A note is stored exactly as written — tabs, CRLF line ends, escape sequences and other control
characters included — and made safe only where it is shown. The editor cannot show it raw (an
escape sequence would reach the terminal) nor clean it (saving would then change what nobody
edited). So :class:`EditableText` shows each character in a safe, visible form, one shown
character per stored piece:

* a line end (LF, or CRLF) is a line break; a tab stays a tab (the text area draws it to the
  next tab stop);
* every other character the terminal must not get raw (:data:`timeline_tui.core.textsafe.UNSAFE`:
  ESC, a lone CR, other C0/C1 controls, bidi controls) and the line separators U+2028/U+2029 are
  shown as their visible symbol (ESC as ␛, CR as ␍), so ``\\x1b[1m`` reads ``␛[1m``.

:meth:`EditableText.stored` maps the edited text back: the parts the user left alone are the
original characters again (found with a diff of what was shown and what is there now), the
parts typed are stored as typed — a new line end in the note's own style (CRLF in a CRLF note),
a control character that got in raw (a paste) as the symbol it is shown as.
Saving a note nobody edited therefore gives back exactly the stored text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from timeline_tui.core.textsafe import UNSAFE, symbol

#: what is shown as a symbol: the terminal rule, plus the Unicode line and paragraph separators
#: (a text area would split lines there and join them again with a plain newline)
_SHOWN_AS_SYMBOL = re.compile(f"{UNSAFE.pattern}|[\u2028\u2029]")
#: the characters shown otherwise than as themselves (CRLF first: one line end)
_SPECIAL = re.compile(f"(\r\n|\n|\t|{_SHOWN_AS_SYMBOL.pattern})")


def _shown(special: str) -> str:
    """How one special piece (a line end, a tab, a character shown as a symbol) is shown."""
    if special in ("\r\n", "\n"):
        return "\n"
    if special == "\t":
        return special
    return "\u2424" if special in "\u2028\u2029" else symbol(special)


def _split(text: str) -> list[str]:
    """``text`` as alternating runs of ordinary characters (even places) and special pieces (odd)."""
    return _SPECIAL.split(text)


def shown_form(text: str) -> str:
    """``text`` as the editor shows it (no control character raw, line ends as ``\\n``).

    Also what text pasted into the editor becomes: what is seen there is what is saved.
    """
    return "".join(part if i % 2 == 0 else _shown(part) for i, part in enumerate(_split(text)))


@dataclass(frozen=True)
class EditableText:
    """A stored text, the form the editor shows, and how each shown character maps back."""

    original: str
    shown: str
    #: the stored text of each shown character (``shown[i]`` came from ``pieces[i]``)
    pieces: tuple[str, ...]

    @classmethod
    def of(cls, original: str) -> EditableText:
        pieces: list[str] = []
        shown: list[str] = []
        for i, part in enumerate(_split(original)):
            if i % 2 == 0:  # ordinary characters: each is its own piece, shown as itself
                pieces.extend(part)
                shown.append(part)
            else:
                pieces.append(part)
                shown.append(_shown(part))
        return cls(original, "".join(shown), tuple(pieces))

    @property
    def newline(self) -> str:
        """The note's line end style for new lines: CRLF when every line end it has is CRLF."""
        if "\r\n" in self.original and "\n" not in self.original.replace("\r\n", ""):
            return "\r\n"
        return "\n"

    def stored(self, edited: str) -> str:
        """The text to store for ``edited`` (the editor's text): untouched parts as they were stored."""
        shown = self.shown
        if edited == shown:
            return self.original
        if shown == self.original and self.newline == "\n":
            return shown_form(edited)  # nothing was shown differently: what is there is what is stored
        # the common start and end first: an edit is usually one place in a long note
        head = 0
        limit = min(len(shown), len(edited))
        while head < limit and shown[head] == edited[head]:
            head += 1
        tail = 0
        while tail < limit - head and shown[-1 - tail] == edited[-1 - tail]:
            tail += 1
        out = list(self.pieces[:head])
        a, b = shown[head:len(shown) - tail], edited[head:len(edited) - tail]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                out.extend(self.pieces[head + i1:head + i2])
            else:
                typed = shown_form(b[j1:j2])  # (a control character put in raw is kept as it is shown)
                out.append(typed.replace("\n", self.newline) if self.newline != "\n" else typed)
        out.extend(self.pieces[len(shown) - tail:])
        return "".join(out)

"""The base of every dialog: a box centred over the screen (its CSS skeleton defined once here),
its keys from the one key table, and a line of key hints that follows the user's keymap."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from textual.screen import ModalScreen

from timeline_tui.ui.keys import BY_ID, current_keymap, effective_keys, key_label

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal dialog; compose its content inside a container with the ``dialog`` class.

    Subclasses set their box's width (and anything else) with ``Name > .dialog { ... }``.
    """

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > .dialog {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    #: the key table's scope whose keys this dialog binds (see :mod:`timeline_tui.ui.keys`)
    KEY_SCOPE: ClassVar[str] = ""

    def key_hints(self, *pairs: tuple[str, str], sep: str = " · ") -> str:
        """``ctrl+s save · esc cancel`` for ``(("note_editor.save", "save"), ...)``, with the keys as bound now.

        A plain word (no binding id) is passed through, e.g. ``("", "space toggles")``.
        """
        return sep.join(hint_for(self, key_id, verb) for key_id, verb in pairs)


def hint_for(node: object, key_id: str, verb: str, *, every: bool = False) -> str:
    """``f/ctrl+s applies``: the key(s) of ``key_id`` as bound now for ``node``'s app, then ``verb``."""
    if not key_id or key_id not in BY_ID:
        return verb
    keys = [k.strip() for k in effective_keys(key_id, current_keymap(node)).split(",") if k.strip()]
    shown: Sequence[str] = keys if every else keys[:1]
    return f"{'/'.join(key_label(k) for k in shown)} {verb}"

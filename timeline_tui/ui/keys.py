"""How keys are written for people: the help screen and the command palette use the same names."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

_NAMES = {
    "down": "↓", "up": "↑", "left": "←", "right": "→",
    "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End",
    "enter": "enter", "escape": "esc", "tab": "tab", "shift+tab": "shift+tab", "space": "space",
    "slash": "/", "colon": ":", "question_mark": "?", "delete": "del",
    "left_square_bracket": "[", "right_square_bracket": "]",
    "left_curly_bracket": "{", "right_curly_bracket": "}",
}


def key_names(binding: Binding) -> str:
    """``↓ j`` for ``down,j``: every key of a binding, readable."""
    keys = [k.strip() for k in binding.key.split(",")]
    return " ".join(_NAMES.get(k, k) for k in keys)


def bindings_of(items: Iterable[BindingType]) -> list[Binding]:
    """The Binding objects of a BINDINGS list (tuples made into Bindings)."""
    out: list[Binding] = []
    for item in items:
        if isinstance(item, Binding):
            out.append(item)
        else:
            out.append(Binding(*item))
    return out

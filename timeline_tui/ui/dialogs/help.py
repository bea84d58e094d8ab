"""The ``?`` screen: every key of the screen it was opened from (as bound now, keymap included),
grouped, then a legend of what the screen's marks mean, then facts such as the notes file's path.

Everything comes from the key table (:mod:`timeline_tui.ui.keys`): :func:`help_for` collects
the scopes of the screen and of its widgets, so a screen never lists its keys by hand.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Static

from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import KEYS, bindings, current_keymap, effective_keys, keys_label
from timeline_tui.ui.text import assemble, width_of

#: the help box's width (it is narrower on a narrower terminal)
HELP_WIDTH = 100
#: the order of the help's sections (a section not listed comes after these)
SECTION_ORDER = ("Move", "Find and jump", "Read", "Notes and links", "Select and export", "Source viewer",
                 "Move the caret", "Review candidates", "Read the whole text", "App")


@dataclass(frozen=True)
class HelpLine:
    """One line of the help: the keys as typed, what they do, and the binding id a keymap uses."""

    keys: str
    command: str
    key_id: str = ""


@dataclass(frozen=True)
class HelpSection:
    title: str
    lines: tuple[HelpLine, ...]


class HasHelp(Protocol):
    """What a screen may add to its help: a legend of its marks and facts about the data."""

    def help_legend(self) -> Sequence[tuple[str, str]]: ...

    def help_facts(self) -> Sequence[tuple[str, str]]: ...


class HelpScreen(Dialog[None]):
    """A scrollable list of keys by section, a legend, then facts such as the notes file's path."""

    KEY_SCOPE = "help"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    HelpScreen > .dialog { width: 100; background: $surface; }
    HelpScreen .help-section { color: $text-accent; text-style: bold; margin-top: 1; }
    HelpScreen .help-keys { height: auto; }
    HelpScreen #help-facts { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, title: str, sections: Sequence[HelpSection], legend: Sequence[tuple[str, str]] = (),
                 facts: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.sections = sections
        self.legend = legend
        self.facts = facts
        self._laid_out_for = 0  # the terminal width the columns were wrapped for

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="dialog") as body:
            body.border_title = self.title_text
            body.border_subtitle = self.key_hints(("help.close", "closes"))
            self._laid_out_for = self.app.size.width
            inner = min(HELP_WIDTH, self._laid_out_for) - 8  # borders, padding, scrollbar (2)
            for section in self.sections:
                rows = [(ln.keys, ln.command, ln.key_id) for ln in section.lines]
                if _width(rows) > inner:  # no room for the ids a keymap uses: leave them out
                    rows = [(keys, command, "") for keys, command, _id in rows]
                yield Static(assemble(section.title), classes="help-section")
                yield Static(_table(rows, inner), classes="help-keys")
            if self.legend:
                yield Static(assemble("Legend"), classes="help-section")
                yield Static(_table([(mark, meaning, "") for mark, meaning in self.legend], inner), classes="help-keys",
                             id="help-legend")
            facts: list[str | tuple[str, str]] = []
            for label, value in self.facts:
                facts += [(f"{label}: ", "bold"), value, "\n"]
            yield Static(assemble(*facts[:-1]), id="help-facts")

    def on_resize(self) -> None:
        if self.app.size.width != self._laid_out_for:
            self.refresh(recompose=True)  # the columns are wrapped for the width

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_up(animate=False)


def _width(rows: Sequence[tuple[str, str, str]]) -> int:
    """Cells the widest line of :func:`_table` takes when nothing wraps."""
    keys = max((width_of(k) for k, _t, _r in rows), default=4)
    text = max((width_of(t) for _k, t, _r in rows), default=0)
    right = max((width_of(r) for _k, _t, r in rows), default=0)
    return 2 + keys + 2 + text + (2 + right if right else 0)


def _table(rows: Sequence[tuple[str, str, str]], width: int) -> Content:
    """Rows of (left column in bold, text, muted right column) in ``width`` cells, columns lined up;
    a text too long for its column wraps under itself (a hanging indent), never under the keys."""
    keys = max((width_of(k) for k, _t, _r in rows), default=4) + 2
    text_w = max((width_of(t) for _k, t, _r in rows), default=0) + 2
    room = max(12, width - 2 - keys)
    parts: list[str | tuple[str, str]] = []
    for left, text, right in rows:
        lines = textwrap.wrap(text, room) or [""]
        parts += [(f"  {left}" + " " * (keys - width_of(left)), "bold"), lines[0]]
        if right:
            parts += [" " * (text_w - width_of(text)), (right, "dim")]
        for line in lines[1:]:
            parts += ["\n", " " * (2 + keys), line]
        parts.append("\n")
    return assemble(*parts[:-1])


def help_sections(node: DOMNode) -> list[HelpSection]:
    """The keys of ``node`` (a screen) and of the widgets in it, and the app's, grouped by section.

    A key table entry belongs to a scope; a node takes part with its ``KEY_SCOPE``. Keys of one
    scope running the same action (``q`` and ``ctrl+q``) share a line.
    """
    scopes = {getattr(n, "KEY_SCOPE", "") for n in (node, *node.query("*"))} | {"app"}
    keymap = current_keymap(node)
    merged: dict[tuple[str, str], list[str]] = {}
    first: dict[tuple[str, str], str] = {}
    for key in KEYS:
        if key.scope in scopes:
            slot = (key.scope, key.action)
            merged.setdefault(slot, []).append(effective_keys(key.id, keymap))
            first.setdefault(slot, key.id)
    sections: dict[str, list[HelpLine]] = {}
    for slot, key_id in first.items():
        key = next(k for k in KEYS if k.id == key_id)
        keys = " ".join(keys_label(k) for k in merged[slot])
        ids = [k.id for k in KEYS if (k.scope, k.action) == slot]
        sections.setdefault(key.section or "Keys", []).append(HelpLine(keys, key.command, " ".join(ids)))
    order = {title: n for n, title in enumerate(SECTION_ORDER)}
    return [HelpSection(title, tuple(lines))
            for title, lines in sorted(sections.items(), key=lambda kv: order.get(kv[0], len(order)))]


def help_for(screen: DOMNode, title: str = "Keys") -> HelpScreen:
    """The help for ``screen``: its keys, and the legend and facts it offers (see :class:`HasHelp`)."""
    legend = screen.help_legend() if hasattr(screen, "help_legend") else ()
    facts = screen.help_facts() if hasattr(screen, "help_facts") else ()
    return HelpScreen(title, help_sections(screen), legend, facts)

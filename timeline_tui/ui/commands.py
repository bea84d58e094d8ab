"""The command palette: every action of the screen it was opened from, by a name that starts with a
verb ("Add note", "Open source at this quote", "Export selection…"), found by that name or by a
synonym ("annotate", "article", "csv"), with its keys as bound now; plus changing the theme.

The commands come from the key table (:mod:`timeline_tui.ui.keys`), like the footer and the help,
so the palette lists nothing the table does not (no scrolling built-ins such as "Page Left").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from timeline_tui.ui.keys import KEYS, current_keymap, effective_keys, keys_label


@dataclass(frozen=True)
class Command:
    """A palette entry: its name, the words it is also found by, its keys, and what it runs."""

    name: str
    synonyms: tuple[str, ...]
    keys: str
    run: Callable[[], object]


def screen_commands(screen: DOMNode) -> list[Command]:
    """The table's commands for ``screen``, its widgets and the app (each action once)."""
    app = screen.app
    nodes: dict[str, DOMNode] = {"app": app}
    for node in (screen, *screen.query("*")):
        scope = getattr(node, "KEY_SCOPE", "")
        if scope:
            nodes.setdefault(scope, node)
    keymap = current_keymap(app)
    merged: dict[tuple[str, str], list[str]] = {}
    for key in KEYS:
        if key.scope in nodes:
            merged.setdefault((key.scope, key.action), []).append(effective_keys(key.id, keymap))
    out: list[Command] = []
    seen: set[tuple[str, str]] = set()
    for key in KEYS:
        slot = (key.scope, key.action)
        if key.scope not in nodes or not key.palette or slot in seen:
            continue
        seen.add(slot)
        keys = " ".join(keys_label(k) for k in merged[slot])
        out.append(Command(key.command, key.synonyms, keys, partial(app.run_action, key.action, nodes[key.scope])))
    out.append(Command("Change theme", ("colours", "colors", "dark", "light", "appearance"), "",
                       app.action_change_theme))
    return out


class KeyCommands(Provider):
    """Every action of the current screen, searchable by name and synonyms."""

    def _commands(self) -> list[Command]:
        return screen_commands(self.screen)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=_help(command))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            via = ""
            for word in command.synonyms:
                s = matcher.match(word)
                if s > score:
                    score, via = s, word
            if score > 0:
                shown = matcher.highlight(command.name) if not via else command.name
                yield Hit(score, shown, command.run, help=_help(command, via))


def _help(command: Command, via: str = "") -> str:
    parts: Iterator[str] = (p for p in (f"key: {command.keys}" if command.keys else "",
                                         f"also: {via}" if via else "") if p)
    return " · ".join(parts)

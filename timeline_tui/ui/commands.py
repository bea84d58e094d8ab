"""Command palette provider: every described key binding of the screen is also a command."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from timeline_tui.ui.keys import key_names


class BindingCommands(Provider):
    """Lists the actions bound on the screen the palette was opened from, with their keys."""

    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        seen: set[str] = set()
        found: list[tuple[str, str, DOMNode, str]] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or binding.system:
                continue
            seen.add(binding.description)
            found.append((binding.description, key_names(binding), active.node, binding.action))
        return sorted(found)

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for name, keys, node, action in self._commands():
            yield DiscoveryHit(name, partial(self._run, node, action), help=f"key: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, keys, node, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, node, action), help=f"key: {keys}")

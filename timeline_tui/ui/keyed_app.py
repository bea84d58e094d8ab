"""What every app of timeline-tui shares: keys from the one key table, the user's keymap (with its
problems and clashes reported at start-up), ``?`` help on every screen, and the command palette.

The keymap is a TOML file, ``[keymap]`` then ``binding.id = "keys"`` (see README, "Keys"), read from
``--keymap PATH``, else ``$TIMELINE_TUI_KEYMAP``, else ``config.toml`` in the platform's user
config directory (``~/.config/timeline-tui/`` on Linux).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, TypeVar

import platformdirs
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider

from timeline_tui.core.keymap import Clash, KeymapFile, find_clashes, read_keymap
from timeline_tui.ui.commands import KeyCommands
from timeline_tui.ui.dialogs.help import help_for
from timeline_tui.ui.keys import BY_ID, SCOPE_NAMES, TOGETHER, bindings, defaults, key_label, keys_label
from timeline_tui.ui.text import clean

ReturnType = TypeVar("ReturnType")

KEYMAP_ENV = "TIMELINE_TUI_KEYMAP"


def default_keymap_path() -> Path:
    """``$TIMELINE_TUI_KEYMAP``, else ``config.toml`` in the user config directory."""
    env = os.environ.get(KEYMAP_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("timeline-tui", appauthor=False)) / "config.toml"


def describe_clash(clash: Clash, path: Path | None) -> str:
    """One sentence naming the key, the actions it would run and where to change it."""
    actions = " and ".join(f"“{BY_ID[i].command}” ({i})" for i in clash.ids)
    where = " / ".join(dict.fromkeys(SCOPE_NAMES.get(s, s) for s in clash.scopes))
    return (f"Keymap clash: {key_label(clash.key)} is bound to both {actions} in {where}; "
            f"only one of them will run. Change one in {path or 'your keymap'}.")


class KeyedApp(App[ReturnType]):
    """An app whose keys, footer, help and palette all come from :mod:`timeline_tui.ui.keys`."""

    KEY_SCOPE = "app"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {KeyCommands}  # our commands and the theme; not Textual's "Keys"/"Quit"/"Maximize"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, *, keymap_path: Path | None = None) -> None:
        super().__init__()
        path = keymap_path or default_keymap_path()
        self.keymap_file: KeymapFile = read_keymap(path, BY_ID)
        #: binding id -> keys, as the user's keymap sets them (the defaults are in the key table)
        self.keymap: dict[str, str] = dict(self.keymap_file.keymap)
        clashes = find_clashes(defaults(), TOGETHER, self.keymap)
        self.keymap_problems: list[str] = [*self.keymap_file.problems,
                                           *(describe_clash(c, path) for c in clashes)]
        if self.keymap:
            self.set_keymap(self.keymap)

    def on_mount(self) -> None:
        for problem in self.keymap_problems:  # they quote a path and the file's text: shown cleaned
            self.notify(clean(problem), title="Keymap", severity="warning", markup=False, timeout=15)

    def watch_app_focus(self, focus: bool) -> None:
        """A screen built while the app was blurred (a browser page still loading, under ``serve``)
        skipped its ``AUTO_FOCUS``: give it that focus once the app has focus, so keys work at once."""
        screen = self.screen
        target = screen.AUTO_FOCUS if screen.AUTO_FOCUS is not None else self.AUTO_FOCUS
        if not focus or screen.focused is not None or not target:
            return
        for widget in screen.query(target):
            if widget.focusable:
                screen.set_focus(widget, scroll_visible=False)
                return

    def get_key_display(self, binding: Binding) -> str:
        """Keys as typed, the same in the footer, the help and the palette (``(`` not ``left_parenthesis``)."""
        return binding.key_display or keys_label(binding.key)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: object) -> None:
        """Clashes were reported once at start-up (Textual would call this on every key press)."""

    def action_help(self) -> None:
        """``?``: the keys, legend and facts of the screen in front."""
        self.push_screen(help_for(self.screen))

    def keymap_fact(self) -> tuple[str, str]:
        """A line for the help: where the keymap is read from and what it changed."""
        path = self.keymap_file.path
        if self.keymap:
            state = f"{len(self.keymap)} action(s) rebound"
        elif path is not None and path.is_file():
            state = "no action rebound"
        else:
            state = "not present: the default keys"
        return "Keymap", f"{path} ({state}); [keymap] then id = \"key\", ids listed in README"

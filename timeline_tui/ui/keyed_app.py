"""What every app of timeline-tui shares: keys from the one key table, the user's keymap (with its
problems and clashes reported at start-up), ``?`` help on every screen, and the command palette.

The keymap is a TOML file, ``[keymap]`` then ``binding.id = "keys"`` (see README, "Keys"), read from
``--keymap PATH``, else ``$TIMELINE_TUI_KEYMAP``, else ``config.toml`` in the platform's user
config directory (``~/.config/timeline-tui/`` on Linux).

Below the smallest usable size every screen shows only a message, and only the quit keys and
resizing act (:mod:`timeline_tui.ui.size_guard`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, TypeVar

import platformdirs
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen

from timeline_tui.core.keymap import Clash, KeymapFile, find_clashes, read_keymap
from timeline_tui.ui.commands import KeyCommands
from timeline_tui.ui.dialogs.help import help_for
from timeline_tui.ui.keys import (
    BY_ID,
    SCOPE_NAMES,
    TOGETHER,
    bindings,
    defaults,
    effective_keys,
    hint,
    key_label,
    keys_label,
)
from timeline_tui.ui.size_guard import CSS as SIZE_GUARD_CSS
from timeline_tui.ui.size_guard import MIN_HEIGHT, MIN_WIDTH, TooSmallNotice
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

    CSS = SIZE_GUARD_CSS
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
        #: True while the terminal is smaller than the app can be used at (only quitting acts)
        self.too_small = False

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self._guard_size()
        for problem in self.keymap_problems:  # they quote a path and the file's text: shown cleaned
            self.notify(clean(problem), title="Keymap", severity="warning", markup=False, timeout=15)

    # -- too small: one message on every screen, only quitting acts ------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._guard_size(event.size.width, event.size.height)  # (self.size is set after this handler)

    def _screen_changed(self, screen: Screen[object]) -> None:
        if self.too_small:
            screen.add_class("-too-small")  # before its first frame; the notice follows
            self.call_later(self._guard_size)

    def _unsaved_text(self) -> bool:
        """A screen on the stack holds text the user typed and has not saved (a note being edited)."""
        return any(getattr(screen, "unsaved_text", False) for screen in self.screen_stack)

    def _guard_size(self, width: int | None = None, height: int | None = None) -> None:
        """Show or hide the too-small notice on every screen of the stack, worded for the size now."""
        if width is None or height is None:
            width, height = self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if not small and not self.too_small:
            return
        self.too_small = small
        unsaved = small and self._unsaved_text()
        quit_key = hint("quit_now" if unsaved else "quit", self.keymap)
        for screen in self.screen_stack:
            screen.set_class(small, "-too-small")
            if not small:
                continue
            notices = screen.query_children(TooSmallNotice)
            notice = notices.first() if notices else TooSmallNotice()
            notice.show_for(width, height, quit_key=quit_key, unsaved=unsaved)
            if not notices:
                screen.mount(notice)

    async def on_event(self, event: events.Event) -> None:
        """While too small, drop keys (but the quit keys), mouse events and pastes before any screen sees them."""
        if self.too_small and isinstance(event, events.InputEvent | events.Paste) and not event.is_forwarded:
            if isinstance(event, events.Key) and self._quits_when_too_small(event.key):
                await self.run_action("quit")
            return
        await super().on_event(event)

    def _quits_when_too_small(self, key: str) -> bool:
        """``ctrl+q`` quits; ``q`` too, unless a note being edited would be lost."""
        def keys(key_id: str) -> set[str]:
            return {k.strip() for k in effective_keys(key_id, self.keymap).split(",")}

        return key in keys("quit_now") or (key in keys("quit") and not self._unsaved_text())

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

"""A user keymap (TOML) changes the footer, the help, the palette and what the keys do; clashes and
mistakes in it are reported at start-up, and the app still starts with the default keys."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pilot_helpers import notified, running, screenshot_text, settle, status
from textual.widgets import Static

from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.ui.commands import screen_commands
from timeline_tui.ui.dialogs.help import HelpScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.keyed_app import KEYMAP_ENV, default_keymap_path
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.screens.timeline import TimelineScreen


def keymap_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def footer(app: object) -> str:
    return screenshot_text(app).splitlines()[-1]  # type: ignore[arg-type]


def help_keys(help_screen: HelpScreen) -> str:
    """The key lines of the help (not the legend)."""
    return "\n".join(str(s.content) for s in help_screen.query(".help-keys") if s.id != "help-legend")


def help_entries(help_screen: HelpScreen) -> dict[str, str]:
    """command -> keys, as the help's key lines show them ("  w      Add note  note.add")."""
    out = {}
    for line in help_keys(help_screen).splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) >= 2:
            out[parts[1]] = parts[0]
    return out


async def test_rebinding_two_actions_changes_footer_help_palette_and_behaviour(mini: Dataset, tmp_path: Path) -> None:
    keymap = keymap_file(tmp_path, '[keymap]\nnote.add = "w"\n"select.toggle" = "t"\n"help" = "F1"\n')
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store, keymap=keymap) as (app, pilot):
        assert not [n for n in notified(app) if "Keymap" in n]  # no clash, no mistake
        bar = footer(app)
        assert "w Note" in bar and "t Select" in bar and "F1 Help" in bar
        assert "a Note" not in bar and "space Select" not in bar
        commands = {c.name: c.keys for c in screen_commands(app.screen)}
        assert commands["Add note"] == "w" and commands["Select or unselect this event"] == "t"
        # the keys do what the keymap says, and the old keys no longer do it
        await pilot.press("a", "space")
        assert isinstance(app.screen, TimelineScreen) and "selected" not in status(app)
        await pilot.press("t")
        await settle(app, pilot)
        assert "● 1 selected" in status(app)
        await pilot.press("w")
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("escape")
        # the help lists the new keys, and says where the keymap is
        await pilot.press("question_mark")
        assert isinstance(app.screen, TimelineScreen)  # ? is no longer help
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        entries = help_entries(help_screen)
        assert entries["Add note"] == "w" and entries["Select or unselect this event"] == "t"
        assert entries["Show keys and legend"] == "F1"
        facts = str(help_screen.query_one("#help-facts", Static).content)
        assert str(keymap) in facts and "3 action(s) rebound" in facts
        # the status line's hints follow the keymap too
        await pilot.press("escape", "V")
        assert "t/enter selects" in status(app)
    store.close()


async def test_a_clash_and_mistakes_are_reported_at_start_up(mini: Dataset, tmp_path: Path) -> None:
    keymap = keymap_file(tmp_path, '[keymap]\nnote.add = "n"\nnope.nothing = "z"\nfilter = "ctlr+f"\n')
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store, keymap=keymap) as (app, pilot):
        said = notified(app)
        clash = [n for n in said if n.startswith("Keymap clash")]
        assert len(clash) == 1
        assert "n is bound to both" in clash[0] and "note.add" in clash[0] and "search.next" in clash[0]
        assert str(keymap) in clash[0]
        assert any("unknown action 'nope.nothing'" in n for n in said)
        assert any("filter: unknown modifier 'ctlr'" in n and "default key is kept" in n for n in said)
        # the mistaken binding keeps its default key; the app works
        await pilot.press("f")
        assert not isinstance(app.screen, TimelineScreen)
    store.close()


async def test_a_broken_keymap_file_is_reported_and_the_defaults_are_used(mini: Dataset, tmp_path: Path) -> None:
    keymap = keymap_file(tmp_path, "[keymap\nnote.add = ")
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store, keymap=keymap) as (app, pilot):
        assert any("not valid TOML" in n and "default keys are used" in n for n in notified(app))
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditorScreen)
    store.close()


async def test_the_source_viewer_has_help_too_and_takes_the_keymap(mini: Dataset, tmp_path: Path) -> None:
    keymap = keymap_file(tmp_path, '[keymap]\n"source.link" = "L"\n')
    store = AnnotationStore.open(tmp_path / "notes.json")
    async with running(mini, store, keymap=keymap) as (app, pilot):
        await pilot.press("enter")
        assert isinstance(app.screen, SourceScreen)
        assert "L Link" in footer(app)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        entries = help_entries(help_screen)
        assert entries["Link the selection to the event"] == "L"
        assert entries["Move to the next sentence"] == ")" and entries["Move to the previous sentence"] == "("
        assert entries["Go to the next highlighted passage"] == "n ]"
        assert "right_parenthesis" not in help_keys(help_screen)
        assert "Legend" in "\n".join(str(s.content) for s in help_screen.query(".help-section"))
    store.close()


def test_the_keymap_path_comes_from_the_environment_or_the_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYMAP_ENV, str(tmp_path / "mine.toml"))
    assert default_keymap_path() == tmp_path / "mine.toml"
    monkeypatch.delenv(KEYMAP_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_keymap_path() == tmp_path / "cfg" / "timeline-tui" / "config.toml"

"""The one key table: every screen's and widget's keys come from it, every command starts with a verb,
and the README lists exactly its binding ids (a user's keymap names them)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from timeline_tui.ui import keys as key_table
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.conflict import EditConflictScreen
from timeline_tui.ui.dialogs.edit_candidate import EditCandidateScreen
from timeline_tui.ui.dialogs.export import ExportDialog
from timeline_tui.ui.dialogs.filter import FilterScreen
from timeline_tui.ui.dialogs.full_text import FullTextScreen
from timeline_tui.ui.dialogs.goto import GotoDateScreen
from timeline_tui.ui.dialogs.help import HelpScreen
from timeline_tui.ui.dialogs.link_comment import LinkCommentScreen
from timeline_tui.ui.dialogs.note_editor import NoteEditorScreen
from timeline_tui.ui.dialogs.note_picker import NotePickerScreen
from timeline_tui.ui.keyed_app import KeyedApp
from timeline_tui.ui.screens.review import ReviewScreen
from timeline_tui.ui.screens.source import SourceScreen
from timeline_tui.ui.screens.timeline import TimelineScreen
from timeline_tui.ui.widgets.detail import DetailPane
from timeline_tui.ui.widgets.search_bar import SearchBar
from timeline_tui.ui.widgets.source_view import SourceView
from timeline_tui.ui.widgets.text_view import TextView
from timeline_tui.ui.widgets.timeline_view import TimelineView

README = Path(__file__).resolve().parents[2] / "README.md"
KEYED = [KeyedApp, TimelineScreen, TimelineView, DetailPane, SearchBar, SourceScreen, SourceView, ReviewScreen,
         TextView, ConfirmScreen, GotoDateScreen, FilterScreen, NoteEditorScreen, NotePickerScreen, ExportDialog,
         LinkCommentScreen, EditCandidateScreen, HelpScreen, FullTextScreen, EditConflictScreen]
VERBS = {"Go", "Scroll", "Search", "Filter", "Clear", "Open", "Switch", "Add", "Edit", "Delete", "Undo", "Select",
         "Export", "Copy", "Link", "Move", "Start", "Drop", "Accept", "Reject", "Merge", "Finish", "Leave", "Show",
         "Quit", "Cancel", "Save", "Apply", "Close", "Yes", "No"}


def test_every_class_takes_its_keys_from_the_table_and_the_table_has_no_orphans() -> None:
    scopes = set()
    for cls in KEYED:
        own = [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
        assert own, cls
        assert own == key_table.bindings(cls.KEY_SCOPE), cls  # type: ignore[attr-defined]
        scopes.add(cls.KEY_SCOPE)  # type: ignore[attr-defined]
    assert {k.scope for k in key_table.KEYS} == scopes


def test_commands_start_with_a_verb_and_are_unique_per_scope() -> None:
    for key in key_table.KEYS:
        assert key.command.split()[0] in VERBS, key.command
    seen = {(k.scope, k.command, k.action) for k in key_table.KEYS}
    by_name: dict[tuple[str, str], set[str]] = {}
    for scope, command, action in seen:
        by_name.setdefault((scope, command), set()).add(action)
    assert all(len(actions) == 1 for actions in by_name.values()), by_name


def test_the_readme_lists_exactly_the_binding_ids() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Your own keys"):text.index("## Command line")]
    listed = set(re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)`", section.split("| Where | Ids |")[1]))
    assert listed == set(key_table.BY_ID)


def test_keys_are_shown_as_typed() -> None:
    assert key_table.keys_label("down,j") == "↓ j"
    assert key_table.keys_label("left_parenthesis,right_square_bracket,question_mark") == "( ] ?"
    assert key_table.keys_label("ctrl+a,pagedown,escape,f3") == "ctrl+a PgDn esc F3"

"""Every key of the app, defined once.

Each action is a :class:`Key`: its binding id (what a user keymap names), default keys, the
Textual action it runs, a short footer label, a command name that starts with a verb (the
command palette and the help screen use it), synonyms the palette also matches, and the help
section it belongs to. Each screen and widget takes its ``BINDINGS`` from :func:`bindings` for its
``scope``; the footer, the palette (:mod:`timeline_tui.ui.commands`), the ``?`` help and the user
keymap (:mod:`timeline_tui.core.keymap`) all read the same table, so a key changed here, or by a
user's keymap, changes everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import format_key

from timeline_tui.core.keymap import Bound


@dataclass(frozen=True)
class Key:
    """One action and the keys that run it (``keys``: Textual key names, comma-separated)."""

    id: str
    keys: str
    action: str
    label: str
    command: str
    scope: str
    section: str = ""
    synonyms: tuple[str, ...] = ()
    show: bool = False
    priority: bool = False
    palette: bool = True
    key_display: str | None = None

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, priority=self.priority,
                       key_display=self.key_display, tooltip=self.command, id=self.id)


def _keys(scope: str, section: str, *rows: tuple[object, ...]) -> list[Key]:
    """Rows of ``(id, keys, action, label, command, synonyms, options...)`` in one scope and section."""
    out = []
    for row in rows:
        binding_id, keys, action, label, command, synonyms, *options = row
        flags = dict(options[0]) if options else {}  # type: ignore[call-overload]
        out.append(Key(str(binding_id), str(keys), str(action), str(label), str(command), scope, section,
                       tuple(synonyms), **flags))  # type: ignore[arg-type]
    return out


SHOW = {"show": True}
HIDDEN = {"palette": False}

#: the whole table, in the order the help screen lists it
KEYS: tuple[Key, ...] = (
    *_keys("timeline", "Move",
           ("timeline.down", "down,j", "cursor_down", "Next event", "Go to the next event", ("down",)),
           ("timeline.up", "up,k", "cursor_up", "Previous event", "Go to the previous event", ("up",)),
           ("timeline.page_down", "pagedown", "page_down", "Page down", "Scroll a page down", ("scroll",)),
           ("timeline.page_up", "pageup", "page_up", "Page up", "Scroll a page up", ("scroll",)),
           ("timeline.first", "g,home", "first", "First event", "Go to the first event", ("start", "top", "home")),
           ("timeline.last", "G,end", "last", "Last event", "Go to the last event", ("bottom", "end")),
           ("timeline.next_year", "right_square_bracket", "next_year", "Next year",
            "Go to the next year with events", ("jump",)),
           ("timeline.prev_year", "left_square_bracket", "prev_year", "Previous year",
            "Go to the previous year with events", ("jump",)),
           ("timeline.next_era", "right_curly_bracket", "next_era", "Next era", "Go to the next era", ("period",)),
           ("timeline.prev_era", "left_curly_bracket", "prev_era", "Previous era", "Go to the previous era",
            ("period",))),
    *_keys("main", "Read",
           ("open_source", "enter", "open_source", "Source", "Open source at this quote",
            ("article", "read", "passage", "quote"), SHOW)),
    *_keys("main", "Find and jump",
           # priority: the search box takes focus before the next key is dispatched, so a burst of
           # keys (a paste, tmux send-keys) after "/" lands in the box instead of moving the timeline
           ("search", "slash", "search", "Search", "Search titles, summaries, quotes and notes",
            ("find", "look for", "query"), {"show": True, "priority": True}),
           ("search.next", "n", "next_match", "Next match", "Go to the next search match", ("find next",)),
           ("search.previous", "N", "prev_match", "Previous match", "Go to the previous search match",
            ("find previous",)),
           ("goto", "colon", "goto", "Go to date", "Go to a date", ("jump", "year", "when")),
           ("filter", "f", "filter", "Filter", "Filter events by tag, source or era",
            ("narrow", "tag", "source", "era", "annotated"), SHOW),
           ("clear", "escape", "clear", "Clear", "Clear the range, search, filter or selection",
            ("reset", "cancel"))),
    *_keys("search_bar", "Find and jump",
           ("search_bar.cancel", "escape", "cancel", "Cancel", "Cancel the search (in the search box)", (),
            HIDDEN)),
    *_keys("main", "Read",
           ("full_text", "o", "full_text", "Read in full", "Open the whole text of a long field",
            ("long", "summary", "note", "full text", "truncated")),
           ("switch_pane", "tab", "switch_pane", "Pane", "Switch between the timeline and the details",
            ("focus", "details", "detail pane"), SHOW),
           ("switch_pane_back", "shift+tab", "switch_pane", "Pane", "Switch pane", (), HIDDEN)),
    *_keys("detail", "Read",
           ("detail.next_item", "down,j", "next_item", "Next item", "Go to the next quote, link or note",
            ("down",)),
           ("detail.previous_item", "up,k", "previous_item", "Previous item",
            "Go to the previous quote, link or note", ("up",))),
    *_keys("main", "Notes and links",
           ("note.add", "a", "add_note", "Note", "Add note", ("annotate", "write", "comment"), SHOW),
           ("note.edit", "e", "edit_note", "Edit note", "Edit note", ("change", "annotation")),
           ("note.delete", "d", "delete_note", "Delete", "Delete note or link", ("remove", "annotation")),
           ("note.undo", "u", "undo", "Undo", "Undo the last note or link change", ("revert", "restore"))),
    *_keys("main", "Select and export",
           ("select.toggle", "space", "toggle_select", "Select", "Select or unselect this event",
            ("mark", "pick", "toggle"), SHOW),
           ("select.range", "V", "visual", "Range", "Select a range of events", ("visual", "several", "many")),
           ("select.all", "ctrl+a", "select_all", "Select all", "Select all shown events", ("every", "everything")),
           ("select.clear", "X", "clear_selection", "Unselect all", "Clear the selection",
            ("deselect", "unselect", "none")),
           ("export", "x", "export", "Export", "Export selection…",
            ("save", "file", "markdown", "json", "csv", "timelinejs", "write"), SHOW),
           ("export.copy", "y", "copy", "Copy", "Copy selection as Markdown", ("clipboard", "yank", "osc 52"))),
    *_keys("source", "Source viewer",
           ("source.next", "n,right_square_bracket", "next_passage", "Next", "Go to the next highlighted passage",
            ("quote", "highlight", "link"), {"show": True, "key_display": "n"}),
           ("source.previous", "N,left_square_bracket", "previous_passage", "Prev",
            "Go to the previous highlighted passage", ("quote", "highlight", "link"),
            {"show": True, "key_display": "N"}),
           ("source.to_event", "enter", "go_to_event", "To event", "Go back to this passage's event",
            ("timeline", "jump"), SHOW),
           ("source.link", "l", "link", "Link", "Link the selection to the event", ("connect", "annotate", "save"),
            SHOW),
           ("source.back", "escape,q", "back", "Back", "Go back to the timeline", ("close", "leave"), SHOW)),
    *_keys("source_view", "Move the caret",
           ("source_view.down", "down,j", "line_down", "Line down", "Move down a line", ()),
           ("source_view.up", "up,k", "line_up", "Line up", "Move up a line", ()),
           ("source_view.left", "left,h", "char_left", "Left", "Move left a character", ()),
           ("source_view.right", "right", "char_right", "Right", "Move right a character", ()),
           ("source_view.word", "w", "word_forward", "Next word", "Move to the next word", ()),
           ("source_view.word_end", "e", "word_end", "End of word", "Move to the end of the word", ()),
           ("source_view.word_back", "b", "word_backward", "Previous word", "Move to the previous word", ()),
           ("source_view.sentence", "right_parenthesis", "sentence_forward", "Next sentence",
            "Move to the next sentence", ()),
           ("source_view.sentence_back", "left_parenthesis", "sentence_backward", "Previous sentence",
            "Move to the previous sentence", ()),
           ("source_view.page_down", "pagedown,space", "page_down", "Page down", "Scroll a page down", ("scroll",)),
           ("source_view.page_up", "pageup", "page_up", "Page up", "Scroll a page up", ("scroll",)),
           ("source_view.top", "g,home", "top", "Top", "Go to the start of the text", ("beginning",)),
           ("source_view.bottom", "G,end", "bottom", "Bottom", "Go to the end of the text", ("end",)),
           ("source_view.select", "v", "toggle_selection", "Select", "Start or drop a selection",
            ("mark", "visual"), SHOW),
           ("source_view.unselect", "escape", "drop_selection", "Unselect", "Drop the selection", (), SHOW)),
    *_keys("review", "Review candidates",
           ("review.accept", "y", "accept", "Accept", "Accept this candidate", ("yes", "keep"),
            {"show": True, "priority": True}),
           ("review.reject", "n", "reject", "Reject", "Reject this candidate", ("no", "drop"),
            {"show": True, "priority": True}),
           ("review.edit", "e", "edit", "Edit", "Edit this candidate, then accept it", ("change",),
            {"show": True, "priority": True}),
           ("review.merge", "m", "merge", "Merge", "Merge into the event with the same date", ("join",),
            {"show": True, "priority": True}),
           ("review.next", "right_square_bracket", "step(1)", "Next", "Go to the next candidate", (),
            {"show": True, "priority": True, "key_display": "]"}),
           ("review.previous", "left_square_bracket", "step(-1)", "Prev", "Go to the previous candidate", (),
            {"show": True, "priority": True, "key_display": "["}),
           ("review.finish", "f", "finish", "Finish & write", "Finish and write the accepted events",
            ("save", "done"), {"show": True, "priority": True}),
           ("review.leave", "q,escape", "leave", "Quit", "Leave without writing", ("cancel", "exit"), SHOW)),
    *_keys("app", "App",
           ("help", "question_mark", "help", "Help", "Show keys and legend", ("help", "keys", "legend", "shortcuts"),
            SHOW),
           ("command_palette", "ctrl+p", "command_palette", "Commands", "Open the command palette", (), HIDDEN),
           ("quit", "q", "quit", "Quit", "Quit", ("exit", "close"), SHOW),
           ("quit_now", "ctrl+q", "quit", "Quit", "Quit", (), {"priority": True, "palette": False})),
    # dialogs: their own keys (each dialog's border lists them)
    *_keys("confirm", "",
           ("confirm.yes", "y", "answer(True)", "Yes", "Yes", (), SHOW),
           ("confirm.enter", "enter", "answer(True)", "Yes", "Yes", ()),
           ("confirm.no", "n", "answer(False)", "No", "No", (), SHOW),
           ("confirm.escape", "escape", "answer(False)", "No", "No", ())),
    *_keys("goto", "", ("goto.cancel", "escape", "cancel", "Cancel", "Cancel", (), SHOW)),
    *_keys("filter", "",
           ("filter.cancel", "escape", "cancel", "Cancel", "Cancel", (), SHOW),
           ("filter.apply", "f,ctrl+s", "apply", "Apply", "Apply the filter", (), SHOW),
           ("filter.clear", "c,delete", "clear", "Clear all", "Clear every choice", (), SHOW)),
    *_keys("note_editor", "",
           ("note_editor.save", "ctrl+s", "save", "Save", "Save the note", (), {"show": True, "priority": True}),
           # priority: the text area (where tab inserts a tab) would take esc to move the focus
           ("note_editor.cancel", "escape", "cancel", "Cancel", "Cancel", (), {"show": True, "priority": True})),
    *_keys("note_picker", "", ("note_picker.cancel", "escape", "cancel", "Cancel", "Cancel", (), SHOW)),
    *_keys("conflict", "",
           ("conflict.overwrite", "o", "choose('overwrite')", "Overwrite", "Save your text over theirs", (), SHOW),
           ("conflict.both", "b", "choose('both')", "Keep both", "Save yours as a new note, theirs kept", (), SHOW),
           ("conflict.back", "escape", "choose('back')", "Back", "Go back to editing, your text kept", (), SHOW)),
    *_keys("export_dialog", "",
           ("export_dialog.export", "ctrl+s", "export", "Export", "Export", (), {"show": True, "priority": True}),
           ("export_dialog.cancel", "escape", "cancel", "Cancel", "Cancel", (), SHOW)),
    *_keys("link_comment", "", ("link_comment.cancel", "escape", "cancel", "Cancel", "Cancel", (), SHOW)),
    *_keys("edit_candidate", "",
           ("edit_candidate.cancel", "escape", "cancel", "Cancel", "Cancel", (), SHOW),
           ("edit_candidate.save", "ctrl+s", "save", "Save", "Save and accept", (), SHOW)),
    *_keys("help", "",
           ("help.close", "escape,q,question_mark", "close", "Close", "Close the help", (), SHOW),
           ("help.down", "down,j", "scroll_down", "Scroll down", "Scroll down", ()),
           ("help.up", "up,k", "scroll_up", "Scroll up", "Scroll up", ())),
    *_keys("text_view", "Read the whole text",
           ("text_view.down", "down,j", "line_down", "Line down", "Scroll down a line", ()),
           ("text_view.up", "up,k", "line_up", "Line up", "Scroll up a line", ()),
           ("text_view.page_down", "pagedown,space", "page_down", "Page down", "Scroll a page down", ()),
           ("text_view.page_up", "pageup", "page_up", "Page up", "Scroll a page up", ()),
           ("text_view.top", "g,home", "top", "Top", "Go to the start", ()),
           ("text_view.bottom", "G,end", "bottom", "Bottom", "Go to the end", ())),
    *_keys("full_text", "", ("full_text.close", "escape,q", "close", "Close", "Close", (), SHOW)),
)

BY_ID: dict[str, Key] = {k.id: k for k in KEYS}
assert len(BY_ID) == len(KEYS), "binding ids must be unique"

#: scopes that are active at the same time (innermost first): a key may mean one thing in each group
TOGETHER: tuple[tuple[str, ...], ...] = (
    ("timeline", "main", "app"),
    ("detail", "main", "app"),
    ("search_bar", "main", "app"),
    ("source_view", "source", "app"),
    ("source_view", "review", "app"),
    *((scope,) for scope in dict.fromkeys(k.scope for k in KEYS)
      if scope not in {"timeline", "main", "detail", "search_bar", "source_view", "source", "review", "app"}),
)

#: what each scope is called when a clash is reported
SCOPE_NAMES = {"timeline": "the timeline", "main": "the timeline screen", "detail": "the detail pane",
               "search_bar": "the search box",
               "source": "the source viewer", "source_view": "the source viewer", "review": "the import review",
               "app": "every screen", "text_view": "the whole-text viewer", "full_text": "the whole-text viewer"}


def bindings(scope: str) -> list[BindingType]:
    """The ``BINDINGS`` of the screen or widget that owns ``scope``."""
    return [k.binding() for k in KEYS if k.scope == scope]


def defaults() -> dict[str, Bound]:
    """Every binding id with its scope, default keys and action (for the keymap's clash check)."""
    return {k.id: Bound(k.scope, k.keys, k.action) for k in KEYS}


# -- how keys are written for people ------------------------------------------------------------------
_NAMES = {
    "down": "↓", "up": "↑", "left": "←", "right": "→",
    "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End",
    "escape": "esc", "delete": "del", "backspace": "backspace", "enter": "enter", "tab": "tab",
    "space": "space",
    "slash": "/", "backslash": "\\", "minus": "-", "plus": "+", "at": "@", "underscore": "_",
}


def key_label(key: str) -> str:
    """One key as it is typed: ``(`` for ``left_parenthesis``, ``ctrl+a``, ``PgDn``, ``F3``."""
    if key.endswith("++"):
        mods, base = key[:-2].split("+"), "plus"
    else:
        *mods, base = key.split("+")
    if base in _NAMES:
        text = _NAMES[base]
    elif len(base) > 1 and base[0] == "f" and base[1:].isdigit():
        text = base.upper()
    else:
        text = format_key(base)
    return "+".join([*mods, text])


def keys_label(keys: str) -> str:
    """``↓ j`` for ``down,j``: every key of a list, as typed."""
    return " ".join(key_label(k.strip()) for k in keys.split(",") if k.strip())


def effective_keys(key_id: str, keymap: Mapping[str, str]) -> str:
    """The keys bound to ``key_id`` now: the user's keymap, else the default."""
    return keymap.get(key_id) or BY_ID[key_id].keys


def hint(key_id: str, keymap: Mapping[str, str]) -> str:
    """The first key of ``key_id`` as typed (for hints such as "a adds one")."""
    return key_label(effective_keys(key_id, keymap).split(",")[0].strip())


def in_scopes(scopes: Iterable[str]) -> list[Key]:
    """The table's keys in ``scopes``, in table order."""
    wanted = set(scopes)
    return [k for k in KEYS if k.scope in wanted]


def current_keymap(node: object) -> Mapping[str, str]:
    """The user keymap in effect for ``node`` (a DOM node or an app); empty when there is none."""
    app = getattr(node, "app", node)
    keymap = getattr(app, "keymap", None)
    return keymap if isinstance(keymap, Mapping) else {}

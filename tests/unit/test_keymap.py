"""The keymap file: keys written as typed, mistakes reported (never raised), clashes found."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core.keymap import (
    Bound,
    KeyError_,
    find_clashes,
    normalize_key,
    normalize_keys,
    parse_keymap,
    read_keymap,
)

KNOWN = {"note.add", "search.next", "filter", "quit", "quit_now", "source.back", "help"}
DEFAULTS = {
    "note.add": Bound("main", "a", "add_note"),
    "search.next": Bound("main", "n", "next_match"),
    "filter": Bound("main", "f", "filter"),
    "quit": Bound("app", "q", "quit"),
    "quit_now": Bound("app", "ctrl+q", "quit"),
    "source.back": Bound("source", "escape,q", "back"),
    "help": Bound("app", "question_mark", "help"),
}
TOGETHER = (("main", "app"), ("source", "app"))


@pytest.mark.parametrize(("typed", "name"), [
    ("?", "question_mark"), ("(", "left_parenthesis"), (")", "right_parenthesis"), ("/", "slash"), ("-", "minus"),
    ("ctrl+n", "ctrl+n"), ("Ctrl+Shift+X", "ctrl+shift+X"), ("F3", "f3"), ("PgDn", "pagedown"), ("esc", "escape"),
    ("N", "N"), ("ctrl++", "ctrl+plus"), ("less_than_sign", "less_than_sign"), ("é", "é"), (" space ", "space"),
])
def test_keys_are_written_as_typed_and_stored_as_the_ui_names_them(typed: str, name: str) -> None:
    assert normalize_key(typed) == name


@pytest.mark.parametrize("bad", ["", "ctlr+n", "ctrl+", "no such key", "\x1b", "shift+"])
def test_impossible_keys_are_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(KeyError_):
        normalize_key(bad)


def test_a_list_of_keys_is_normalized_once_each() -> None:
    assert normalize_keys("n, ctrl+n,n") == "n,ctrl+n"
    with pytest.raises(KeyError_, match="comma"):
        normalize_keys("n,,m")


def test_the_keymap_table_reads_dotted_ids_and_reports_every_mistake(tmp_path: Path) -> None:
    text = '[keymap]\nnote.add = "w"\n"search.next" = "ctrl+n, F3"\nfilter = 3\nnope = "x"\nquit = "ctlr+q"\n[other]\n'
    got = parse_keymap(text, KNOWN, tmp_path / "config.toml")
    assert got.keymap == {"note.add": "w", "search.next": "ctrl+n,f3"}
    assert len(got.problems) == 4
    assert any("filter must be a string" in p for p in got.problems)
    assert any("unknown action 'nope'" in p for p in got.problems)
    assert any("quit: unknown modifier 'ctlr'" in p for p in got.problems)
    assert any("only [keymap] is read" in p for p in got.problems)


def test_files_that_cannot_be_used_give_one_message_and_no_keymap(tmp_path: Path) -> None:
    assert read_keymap(tmp_path / "missing.toml", KNOWN).keymap == {}
    assert read_keymap(tmp_path / "missing.toml", KNOWN).problems == ()
    (tmp_path / "dir.toml").mkdir()
    assert "not a regular file" in read_keymap(tmp_path / "dir.toml", KNOWN).problems[0]
    (tmp_path / "bad.toml").write_bytes(b"\xff\xfe[keymap]")
    assert "not UTF-8" in read_keymap(tmp_path / "bad.toml", KNOWN).problems[0]
    (tmp_path / "big.toml").write_text("#" * 300_000, encoding="utf-8")
    assert "larger than" in read_keymap(tmp_path / "big.toml", KNOWN).problems[0]
    (tmp_path / "bom.toml").write_text('\ufeff[keymap]\nhelp = "F1"\n', encoding="utf-8")
    assert read_keymap(tmp_path / "bom.toml", KNOWN).keymap == {"help": "f1"}


def test_clashes_are_keys_the_keymap_makes_ambiguous() -> None:
    assert find_clashes(DEFAULTS, TOGETHER, {}) == []  # the defaults' own overlaps are by design (q, esc)
    clash = find_clashes(DEFAULTS, TOGETHER, {"note.add": "n"})
    assert [(c.key, c.ids, c.scopes) for c in clash] == [("n", ("note.add", "search.next"), ("main",))]
    # moving the other action away resolves it; two ids for one action are no clash
    assert find_clashes(DEFAULTS, TOGETHER, {"note.add": "n", "search.next": "ctrl+n"}) == []
    assert find_clashes(DEFAULTS, TOGETHER, {"quit_now": "q"}) == []
    # an app key against a screen key is a clash in each group the app is part of
    assert [c.ids for c in find_clashes(DEFAULTS, TOGETHER, {"help": "f"})] == [("filter", "help")]


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (controls and DEL as \\u escapes)."""
    body = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F or c in '"\\' else c for c in text)
    return f'"{body}"'


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_keymap_or_a_reason_never_an_exception(text: str) -> None:
    got = parse_keymap(text, KNOWN)
    assert set(got.keymap) <= KNOWN
    for keys in got.keymap.values():
        assert keys == normalize_keys(keys)  # stored normalized: normalizing again changes nothing


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(KNOWN)),
                       st.text(st.characters(exclude_categories=["Cs"]), max_size=12), max_size=5))
def test_any_table_of_strings_is_read_or_reported(table: dict[str, str]) -> None:
    text = "[keymap]\n" + "".join(f"{toml_string(k)} = {toml_string(v)}\n" for k, v in table.items())
    got = parse_keymap(text, KNOWN)
    assert set(got.keymap) | {p.split(":")[0] for p in got.problems} >= set(table)

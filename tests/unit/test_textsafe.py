"""Untrusted text never carries control characters or escape sequences to the terminal."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.textsafe import json_for_terminal, mask_controls, plain

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from(["\x1b", "\x9b", "[", "]", "\x07", "\n", "\t", "\r", "\udcff", "\ud800"])
    ),
    max_size=60,
)


@given(HOSTILE)
def test_plain_removes_every_control_character(text: str) -> None:
    out = plain(text)
    assert not CONTROL.search(out)
    out.encode("utf-8")  # no lone surrogates left: a strict UTF-8 terminal can take it
    assert "\n" not in out and "\t" not in out


@given(HOSTILE)
def test_plain_keeping_newlines(text: str) -> None:
    out = plain(text, keep_newlines=True)
    assert not CONTROL.search(out)
    assert "\r" not in out


@given(HOSTILE)
def test_mask_controls_keeps_offsets(text: str) -> None:
    out = mask_controls(text)
    assert len(out) == len(text)
    assert not CONTROL.search(out)
    for a, b in zip(text, out, strict=True):
        if not CONTROL.match(a) and a != "\t" and not "\ud800" <= a <= "\udfff":
            assert a == b  # only controls, tabs and lone surrogates are replaced
    out.encode("utf-8")


def test_escape_sequences_vanish_whole_and_markup_is_untouched() -> None:
    assert plain("red \x1b[31mALERT\x1b[0m done") == "red ALERT done"
    assert plain("title \x1b]0;pwned\x07 end") == "title  end"
    assert plain("[bold]x[/] [@click=app.quit]q[/]") == "[bold]x[/] [@click=app.quit]q[/]"
    assert plain("a\tb\nc") == "a    b c"
    assert plain("a\r\nb", keep_newlines=True) == "a\nb"


@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), HOSTILE), lambda c: st.lists(c, max_size=3)))
def test_json_for_terminal_is_valid_json_without_raw_controls(obj: object) -> None:
    out = json_for_terminal(obj)
    assert json.loads(out) == obj
    assert not CONTROL.search(out)
    out.encode("utf-8")


def test_mask_controls_shows_pictures() -> None:
    assert mask_controls("a\x1bb\r\nc\x7f\x85") == "a\u241bb \nc\u2421\ufffd"

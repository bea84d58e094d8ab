"""The store file's JSON: tables written whole or record by record give the same bytes and read back."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_tui.core.store_json import parse_tables, record_json, table_pieces

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
TABLES = st.dictionaries(
    st.text(max_size=6),
    st.dictionaries(st.integers(1, 10_000).map(str), st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4),
                    max_size=6),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(TABLES)
def test_whole_tables_and_records_one_by_one_are_the_same_text(tables: dict[str, dict[str, dict[str, object]]]) -> None:
    whole = b"{" + b",".join(b"".join(table_pieces(name, table)) for name, table in tables.items()) + b"}"
    by_record = b"{" + b",".join(
        json.dumps(name).encode("ascii") + b":{" + b",".join(record_json(name, k, doc) for k, doc in table.items())
        + b"}" for name, table in tables.items()) + b"}"
    assert whole == by_record and whole.isascii()
    assert parse_tables(whole) == tables


@pytest.mark.parametrize(("text", "reason"), [
    ("[1]", "top level is not a JSON object"), ('{"notes": []}', "is not a JSON object"),
    ('{"notes": {"x": {}}}', "non-numeric id"), ('{"notes": {"1": 5}}', "is not a JSON object"),
    ('{"notes": {"1": {}}} trailing', "Extra data"), ('{"notes": {"1": {}', "Expecting"), ("", "Expecting"),
])
def test_what_is_not_a_store_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_tables(text.encode())


def test_a_record_id_must_be_decimal_to_be_written() -> None:
    with pytest.raises(ValueError, match="non-numeric id"):
        record_json("notes", "1e3", {})
    with pytest.raises(ValueError, match="non-numeric id"):
        table_pieces("notes", {"-1": {}})


def test_nesting_too_deep_is_a_recursion_error_not_a_crash() -> None:
    with pytest.raises(RecursionError):
        parse_tables(b'{"notes": {"1": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}")


def test_lone_surrogates_and_bad_utf8() -> None:
    """An escaped lone surrogate (old notes may hold one) is read; undecodable bytes are not."""
    assert parse_tables(b'{"notes": {"1": {"text": "a\\ud800b"}}}') == {"notes": {"1": {"text": "a\ud800b"}}}
    with pytest.raises(UnicodeDecodeError):
        parse_tables(b'{"notes": {"1": {"text": "\xc3\x28"}}}')

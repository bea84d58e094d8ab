"""The store file's JSON: read with every record's exact text, written back byte for byte."""

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


def _file(tables: dict[str, dict[str, dict[str, object]]]) -> str:
    parts = [b"".join(table_pieces(name, [record_json(k, doc) for k, doc in table.items()]))
             for name, table in tables.items()]
    return (b"{" + b",".join(parts) + b"}").decode("ascii")


@settings(max_examples=200, deadline=None)
@given(TABLES)
def test_written_tables_read_back_with_their_texts(tables: dict[str, dict[str, dict[str, object]]]) -> None:
    text = _file(tables)
    parsed, texts, pieces = parse_tables(text)
    assert parsed == tables == json.loads(text)
    for name, table in tables.items():
        assert texts[name] == {k: record_json(k, doc) for k, doc in table.items()}
    assert "{" + ",".join(b"".join(p).decode() for p in pieces.values()) + "}" == text


@pytest.mark.parametrize("text", [
    '{ "notes" : { "1" : {"a": 1} , "2":{} } ,\n "x": {} }\n',  # spaced, as another tool might write it
    '{"notes": {"1": {"a": 1}, "1": {"a": 2}}}',  # a duplicate id: the last one counts, as in json
])
def test_other_layouts_read_like_json(text: str) -> None:
    parsed, _, pieces = parse_tables(text)
    assert parsed == json.loads(text)
    if pieces:
        assert json.loads("{" + ",".join(b"".join(p).decode() for p in pieces.values()) + "}") == parsed


@pytest.mark.parametrize(("text", "reason"), [
    ("[1]", "top level is not a JSON object"), ('{"notes": []}', "is not a JSON object"),
    ('{"notes": {"x": {}}}', "non-numeric id"), ('{"notes": {"1": 5}}', "is not a JSON object"),
    ('{"notes": {"1": {}}} trailing', "Extra data"), ('{"notes": {"1": {}', "Expecting"), ("", "Expecting"),
])
def test_what_is_not_a_store_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_tables(text)


def test_nesting_too_deep_is_a_recursion_error_not_a_crash() -> None:
    with pytest.raises(RecursionError):
        parse_tables('{"notes": {"1": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}}")

"""The store file's format: one JSON object of TinyDB tables, each an object of records by decimal id.

``{"notes":{"1":{"event_id":"…","text":"…",…},…},"links":{…},…}`` — compact ASCII JSON, one
record after the other, so that any string (even a lone surrogate) round-trips and a record's text
can be kept and reused until the record changes.

* :func:`parse_tables` reads the file's text into tables *and* the exact text of every record and
  table, in one pass (the C scanner parses each record), so the first save after reading need not
  serialise everything again. ``ValueError`` (or ``RecursionError`` for values nested too deeply)
  says why a text is not a store.
* :func:`record_json` writes one record; :func:`table_pieces` one table as pieces to write one
  after the other (adding a record appends a piece instead of copying the whole table).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Tables as TinyDB hands them over: table name -> record id (a decimal string) -> record.
Tables = dict[str, dict[str, dict[str, Any]]]
#: The record texts of each table (``"id":{…}``), by table and record id.
RecordTexts = dict[str, dict[str, bytes]]
#: A table's JSON as pieces written one after the other: ``"name":{`` + records, then ``}``.
Pieces = tuple[bytes, ...]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _NotScanned(ValueError):
    """The fast scan met something it does not handle (the full parser says what is wrong)."""


def check_shape(data: object) -> Tables:
    """``data`` as TinyDB tables, or ``ValueError`` saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not a JSON object")
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit()):
                raise ValueError(f"table {name!r} has a record with the non-numeric id {doc_id!r}")
            if not isinstance(doc, dict):
                raise ValueError(f"record {doc_id} of table {name!r} is not a JSON object")
    return data


def record_json(key: str, doc: dict[str, Any]) -> bytes:
    """One record as the file holds it: ``"id":{…}``."""
    if not (key.isascii() and key.isdigit()):
        raise ValueError(f"record id {key!r} is not numeric")
    return (f'"{key}":' + json.dumps(doc, separators=(",", ":"))).encode("ascii")


def table_pieces(name: str, records: list[bytes]) -> Pieces:
    """A table made of record texts."""
    return json.dumps(name).encode("ascii") + b":{" + b",".join(records), b"}"


def parse_tables(text: str) -> tuple[Tables, RecordTexts, dict[str, Pieces]]:
    """The tables in ``text``, the text of each record and the pieces of each table.

    Raises ``ValueError`` saying why ``text`` is not a store (``RecursionError`` if nested too deeply).
    """
    try:
        return _scan(text)
    except (_NotScanned, IndexError, ValueError):
        data = check_shape(json.loads(text))  # says what is wrong; or a valid store the scan does not take
        return data, {}, {}


def _skip(text: str, i: int) -> int:
    match = _WHITESPACE.match(text, i)
    return match.end() if match else i


def _expect(text: str, i: int, char: str) -> int:
    if text[i] != char:
        raise _NotScanned(f"expected {char!r} at {i}")
    return _skip(text, i + 1)


def _string(text: str, i: int) -> tuple[str, int]:
    if text[i] != '"':
        raise _NotScanned(f"expected a name at {i}")
    value, end = _DECODER.raw_decode(text, i)
    return str(value), end


def _scan(text: str) -> tuple[Tables, RecordTexts, dict[str, Pieces]]:
    """An object of objects of records, keeping texts; ``_NotScanned`` for anything else."""
    tables: Tables = {}
    texts: RecordTexts = {}
    pieces: dict[str, Pieces] = {}
    i = _expect(text, _skip(text, 0), "{")
    while text[i] != "}":
        if tables:
            i = _expect(text, i, ",")
        name, i = _string(text, i)
        i = _expect(text, _skip(text, i), ":")
        start = i
        if text[i] != "{" or name in tables:
            raise _NotScanned(f"table {name!r}")
        table: dict[str, dict[str, Any]] = {}
        records: dict[str, bytes] = {}
        i = _skip(text, i + 1)
        while text[i] != "}":
            if table:
                i = _expect(text, i, ",")
            key_at = i
            key, i = _string(text, i)
            i = _expect(text, _skip(text, i), ":")
            doc, i = _DECODER.raw_decode(text, i)
            if key in table or not isinstance(doc, dict) or not (key.isascii() and key.isdigit()):
                raise _NotScanned(f"record {key!r} of table {name!r}")
            table[key], records[key] = doc, text[key_at:i].encode("utf-8")
            i = _skip(text, i)
        tables[name], texts[name] = table, records
        pieces[name] = (json.dumps(name).encode("ascii") + b":" + text[start:i].encode("utf-8"), b"}")
        i = _skip(text, i + 1)
    if _skip(text, i + 1) != len(text):
        raise _NotScanned("text after the end")
    return tables, texts, pieces

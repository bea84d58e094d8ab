"""The store file's format: one JSON object of TinyDB tables, each an object of records by decimal id.

``{"notes":{"1":{"event_id":"…","text":"…",…},…},"links":{…},…}`` — compact ASCII JSON, so any
string (even a lone surrogate) round-trips. A table's text is kept as *pieces* written one after
the other (``"name":{`` and the records, then ``}``), so adding a record appends a piece instead of
serialising or copying the whole table again.

* :func:`parse_tables` — the tables in a file's bytes, or ``ValueError`` saying why it is not a
  store (``RecursionError`` when values are nested too deeply to parse).
* :func:`table_pieces` — one table's text (one C-speed ``json.dumps``); :func:`record_json` — one
  record's, to append.
"""

from __future__ import annotations

import json
from typing import Any

#: Tables as TinyDB hands them over: table name -> record id (a decimal string) -> record.
Tables = dict[str, dict[str, dict[str, Any]]]
#: A table's JSON as pieces written one after the other: ``"name":{`` + records, …, then ``}``.
Pieces = tuple[bytes, ...]

_COMPACT = (",", ":")


def check_shape(data: object) -> Tables:
    """``data`` as TinyDB tables, or ``ValueError`` saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not a JSON object")
        for doc_id, doc in table.items():
            if not (doc_id.isdigit() and doc_id.isascii()):
                _check_id(name, doc_id)
            if type(doc) is not dict:
                raise ValueError(f"record {doc_id} of table {name!r} is not a JSON object")
    return data


def _check_id(name: str, doc_id: object) -> None:
    if not (isinstance(doc_id, str) and doc_id.isascii() and doc_id.isdigit()):
        raise ValueError(f"table {name!r} has a record with the non-numeric id {doc_id!r}")


def parse_tables(raw: bytes) -> Tables:
    """The tables in a file's bytes; ``ValueError`` (``RecursionError``: nested too deeply) if it is not a store.

    (:mod:`json`, not orjson: a note may hold a lone surrogate, which orjson refuses, and at the
    sizes of a notes file orjson gains little.)
    """
    return check_shape(json.loads(raw.decode("utf-8")))


def record_json(name: str, key: str, doc: dict[str, Any]) -> bytes:
    """One record as the file holds it: ``"id":{…}``."""
    _check_id(name, key)
    return (f'"{key}":' + json.dumps(doc, separators=_COMPACT)).encode("ascii")


def table_pieces(name: str, table: dict[str, dict[str, Any]]) -> Pieces:
    """A whole table's text: ``"name":{"1":{…},…`` and ``}``."""
    for key in table:
        _check_id(name, key)
    text = json.dumps(name) + ":" + json.dumps(table, separators=_COMPACT)
    return text[:-1].encode("ascii"), b"}"

"""The validator: one broken fixture per rule, each reported with its JSON path and expectation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.core.loader import DatasetError, check, load_dataset

Mutation = Callable[[dict[str, Any], Path], None]


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any], root: Path) -> None:
        target: Any = data
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _delete_source_file(data: dict[str, Any], root: Path) -> None:
    (root / "sources" / "museum.txt").unlink()


def _latin1_source(data: dict[str, Any], root: Path) -> None:
    (root / "sources" / "museum.txt").write_bytes("caf\xe9 ".encode("latin-1") * 50)


def _swap_events(data: dict[str, Any], root: Path) -> None:
    data["events"][0], data["events"][1] = data["events"][1], data["events"][0]


def _duplicate_id(data: dict[str, Any], root: Path) -> None:
    data["events"][2]["id"] = data["events"][3]["id"]


CASES: list[tuple[str, Mutation, str, str]] = [
    ("schema version", _set("schema_version", 2), "schema_version", "expected 1"),
    ("schema version bool", _set("schema_version", True), "schema_version", "expected 1"),
    ("id with newline", _set("events.0.id", "1945-08-ships-return\n"), "events[0].id", "not a lowercase slug"),
    ("title type", _set("title", 5), "$.title", "expected a string"),
    ("span", _set("span", "1937-2025"), "span", "expected {"),
    ("id slug", _set("events.0.id", "Bad Id"), "events[0].id", "not a lowercase slug"),
    ("duplicate id", _duplicate_id, "events[3].id", "duplicate id"),
    ("date grammar", _set("events.0.date", "Aug 1945"), "events[0].date", "not an EDTF date"),
    ("impossible day", _set("events.0.date", "1945-02-30"), "events[0].date", "does not exist"),
    ("outside span", _set("events.0.date", "1936"), "events[0].date", "outside the span"),
    ("order", _swap_events, "events[1].date", "out of chronological order"),
    ("no quotes", _set("events.0.quotes", []), "events[0].quotes", "at least one quote"),
    ("unknown source", _set("events.0.quotes.0.source", "nope"), "events[0].quotes[0].source", "unknown source"),
    ("negative offset", _set("events.0.quotes.0.start", -1), "events[0].quotes[0].start", "non-negative integer"),
    ("end before start", _set("events.0.quotes.0.end", 3), "events[0].quotes[0]", "must be greater than start"),
    (
        "text differs",
        _set(
            "events.0.quotes.0.text", "In August 1945, the first ships returned to the harbour after years of BLOCKADE."
        ),
        "events[0].quotes[0]",
        "text differs from source at",
    ),
    ("past the end", _set("events.0.quotes.0.end", 99999), "events[0].quotes[0]", "run past the end"),
    ("tags", _set("events.0.tags", "war"), "events[0].tags", "list of strings"),
    ("missing title", _set("events.0.title", ""), "events[0].title", "must not be empty"),
    ("source file missing", _delete_source_file, "sources[1].path", "not found"),
    ("source not utf-8", _latin1_source, "sources[1].path", "not UTF-8"),
    ("era date", _set("eras.0.date", "1930/1945"), "eras[0].date", "outside the span"),
    ("published", _set("sources.0.published", "May 2010"), "sources[0].published", "not an EDTF date"),
]


@pytest.mark.parametrize(("name", "mutate", "path", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_reported_with_its_path(
    mini_path: Path, name: str, mutate: Mutation, path: str, fragment: str
) -> None:
    data = json.loads(mini_path.read_text(encoding="utf-8"))
    mutate(data, mini_path.parent)
    _write(mini_path, data)
    _, problems = check(mini_path)
    matching = [p for p in problems if p.path == path and fragment in p.message]
    assert matching, f"expected a problem at {path} containing {fragment!r}; got {[str(p) for p in problems]}"


def test_valid_fixture_has_no_problems(mini_path: Path) -> None:
    dataset, problems = check(mini_path)
    assert problems == []
    assert dataset is not None and len(dataset.events) == 6


def test_text_difference_shows_what_the_source_has(mini_path: Path) -> None:
    data = json.loads(mini_path.read_text(encoding="utf-8"))
    data["events"][0]["quotes"][0]["start"] += 1
    data["events"][0]["quotes"][0]["end"] += 1
    _write(mini_path, data)
    _, problems = check(mini_path)
    message = next(str(p) for p in problems if "text differs" in p.message)
    assert message.startswith("events[0].quotes[0]: text differs from source at ")
    assert 'source has "n August 1945' in message


def test_not_json_is_flagged(tmp_path: Path) -> None:
    bad = tmp_path / "events.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        check(bad)
    assert info.value.not_json
    assert "not valid JSON" in str(info.value.problems[0])


def test_missing_source_is_only_a_warning_when_allowed(mini_path: Path) -> None:
    (mini_path.parent / "sources" / "museum.txt").unlink()
    with pytest.raises(DatasetError):
        load_dataset(mini_path)
    dataset = load_dataset(mini_path, allow_missing_sources=True)
    assert any("museum.txt" in w for w in dataset.warnings)
    assert dataset.source_text("museum") is None
    assert dataset.source_text("harbour") is not None


def test_loaded_quotes_match_source_text(mini: Any) -> None:
    for event in mini.events:
        for quote in event.quotes:
            assert mini.source_text(quote.source)[quote.start : quote.end] == quote.text


def test_a_refused_source_says_why_and_names_its_path_once(mini_path: Path, tmp_path: Path) -> None:
    data = json.loads(mini_path.read_text(encoding="utf-8"))
    data["sources"][1]["path"] = "../outside.txt"
    (tmp_path / "outside.txt").write_text("not for reading", encoding="utf-8")
    _write(mini_path, data)
    _, problems = check(mini_path)
    (problem,) = [p for p in problems if p.path == "sources[1].path"]
    assert problem.code == "source-path" and problem.message.count("../outside.txt") == 1
    assert "leads outside the folder of events.json" in problem.message
    dataset = load_dataset(mini_path, allow_missing_sources=True)
    assert dataset.source_text("museum") is None
    assert "leads outside" in (dataset.source_error("museum") or "")
    assert dataset.source_error("harbour") is None

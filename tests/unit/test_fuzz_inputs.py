"""Fuzzing the two readers of untrusted input: any JSON into the loader, any text into the extractor.

Each must give a result or a clear error (a :class:`DatasetError` with readable problems), never
another exception, within hypothesis's deadline per example.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_tui.core.extract.candidates import extract
from timeline_tui.core.loader import DatasetError, Problem, check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KEYS = ["schema_version", "title", "span", "start", "end", "eras", "sources", "events", "id", "date", "path",
        "published", "publisher", "quotes", "source", "text", "tags", "summary", "date_basis", "url"]
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["1945", "2010-05-09", "1937/1945", "sources/harbour.txt", "../../etc/passwd", "/dev/zero", "harbour", ""]
)
SCALARS = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.floats(
    allow_nan=False, allow_infinity=False) | TEXT
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.sampled_from(KEYS) | TEXT, children, max_size=6),
    max_leaves=40,
)
FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])


def _check_bytes(data: bytes, with_sources: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if with_sources:
            shutil.copytree(FIXTURES / "mini" / "sources", root / "sources")
        path = root / "events.json"
        path.write_bytes(data)
        try:
            _dataset, problems = check(path)
        except DatasetError as exc:
            problems = exc.problems
            assert problems
        for problem in problems:
            assert isinstance(problem, Problem) and str(problem)


@FUZZ
@given(JSON)
def test_any_json_value_gives_a_dataset_or_problems(value: Any) -> None:
    _check_bytes(json.dumps(value).encode("utf-8"))


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


MINI = json.loads((FIXTURES / "mini" / "events.json").read_text(encoding="utf-8"))
MINI_PATHS = _paths(MINI)[1:]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(MINI_PATHS), JSON), min_size=1, max_size=4))
def test_a_valid_dataset_with_parts_replaced_gives_a_dataset_or_problems(changes: list[tuple[Any, Any]]) -> None:
    doc = json.loads(json.dumps(MINI))
    for path, value in changes:
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    _check_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_give_problems_not_a_crash(data: bytes) -> None:
    _check_bytes(data, with_sources=False)


ARTICLE_WORDS = st.sampled_from(
    ["May", "9,", "2010", "1945", "the", "65th", "anniversary", "last", "year", "on", "Saturday", "from", "to", "-",
     "Published:", "Source:", "•", "|", "\n", "\n\n", ".", "Mr.", "U.S.", "ago", "years", "since", "for", "(Xinhua)",
     "…", "\u202e", "\x1b[2J", "\r\n"]
)


@FUZZ
@given(st.text(max_size=400) | st.lists(ARTICLE_WORDS | st.text(max_size=8), max_size=120).map(" ".join))
def test_any_text_gives_candidates_that_quote_it_exactly(text: str) -> None:
    result = extract(text, source_id="fuzz")
    for c in result.candidates:
        assert text[c.quote.start : c.quote.end] == c.quote.text
        assert c.quote.start <= c.expression.start < c.expression.end <= c.quote.end
        assert 0.0 <= c.confidence <= 1.0
    json.dumps(result.to_json())

"""Writing accepted candidates into events.json: copy without clobbering, backup, order, validity."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from timeline_tui.core.atomicio import remove_stale_temps
from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.extract.apply import (
    ApplyError,
    MergeIndex,
    NewEvent,
    date_key,
    remove_abandoned_imports,
    store_article,
    suggest_merge,
    write_events,
)
from timeline_tui.core.extract.candidates import extract
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event

ARTICLE = (
    "Lighthouse keepers remembered\n\n"
    "PORTVILLE, May 9, 2010 (Test Wire) -- The lighthouse was first lit in 1950 and automated last year.\n\n"
    "In August 1945, the first ships returned, the keepers recalled.\n"
)


def _source(rel: str) -> dict[str, str]:
    return {"id": "lighthouse", "title": "Lighthouse keepers remembered", "publisher": "Test Wire",
            "published": "2010-05-09", "path": rel}


def test_store_article_never_clobbers(tmp_path: Path) -> None:
    rel, created = store_article(tmp_path, "Light House", "one")
    assert (rel, created) == ("sources/light-house.txt", True)
    assert store_article(tmp_path, "Light House", "one") == ("sources/light-house.txt", False)
    rel2, created2 = store_article(tmp_path, "Light House", "two")
    assert (rel2, created2) == ("sources/light-house-2.txt", True)
    assert (tmp_path / rel).read_text(encoding="utf-8") == "one"
    assert (tmp_path / rel2).read_text(encoding="utf-8") == "two"


def test_write_accepted_and_merged_events(mini: Dataset, mini_path: Path) -> None:
    rel, _ = store_article(mini.root, "lighthouse", ARTICLE)
    result = extract(ARTICLE, source_id="lighthouse")
    by_date = {c.date.edtf(): c for c in result.candidates}
    assert set(by_date) == {"1950", "2009", "1945-08"}
    merge_target = suggest_merge(mini, by_date["1945-08"])
    assert merge_target is not None and merge_target.id == "1945-08-ships-return"
    edited = NewEvent.from_candidate(by_date["1950"])
    edited = NewEvent(edited.date, "Lighthouse first lit", edited.quote, "A light.", ("memory",), edited.date_basis)
    merged = NewEvent.from_candidate(by_date["1945-08"])
    merged = NewEvent(merged.date, merged.title, merged.quote, merge_into=merge_target.id)
    before = mini_path.read_bytes()
    out = write_events(mini_path, _source(rel), [edited, merged], now=datetime(2030, 1, 2, 3, 4, 5))
    assert out.backup == mini_path.with_name("events.json.bak-20300102-030405")
    assert out.backup.read_bytes() == before
    assert out.added == ["1950-lighthouse-first-lit"] and out.merged == ["1945-08-ships-return"]
    ds = load_dataset(mini_path)  # valid
    assert "lighthouse" in ds.sources
    new = ds.event("1950-lighthouse-first-lit")
    assert new is not None and new.tags == ("memory",) and new.quotes[0].source == "lighthouse"
    ships = ds.event("1945-08-ships-return")
    assert ships is not None and any(q.source == "lighthouse" for q in ships.quotes)
    keys = [(e.date.lower, e.date.upper, e.id) for e in ds.events]
    assert keys == sorted(keys)
    raw = json.loads(mini_path.read_text(encoding="utf-8"))
    assert [e["id"] for e in raw["events"]] == [e.id for e in ds.events]


def test_invalid_result_changes_nothing(mini: Dataset, mini_path: Path) -> None:
    rel, _ = store_article(mini.root, "lighthouse", ARTICLE)
    result = extract(ARTICLE, source_id="lighthouse")
    outside = NewEvent(parse_edtf("1920"), "Too early", result.candidates[0].quote)
    before = mini_path.read_bytes()
    with pytest.raises(ApplyError) as err:
        write_events(mini_path, _source(rel), [outside])
    assert any(p.code == "span" for p in err.value.problems)
    assert mini_path.read_bytes() == before
    assert not list(mini_path.parent.glob("events.json.bak-*"))
    assert not list(mini_path.parent.glob(".events.json*"))


def test_quote_must_match_the_stored_text(mini: Dataset, mini_path: Path) -> None:
    rel, _ = store_article(mini.root, "lighthouse", ARTICLE.replace("1950", "1951"))
    result = extract(ARTICLE, source_id="lighthouse")
    with pytest.raises(ApplyError):
        write_events(mini_path, _source(rel), [NewEvent.from_candidate(result.candidates[0])])


def test_two_writes_in_one_second_keep_both_backups(mini: Dataset, mini_path: Path) -> None:
    rel, _ = store_article(mini.root, "lighthouse", ARTICLE)
    now = datetime(2030, 1, 1)
    a = write_events(mini_path, _source(rel), [], now=now)
    b = write_events(mini_path, _source(rel), [], now=now)
    assert a.backup != b.backup and a.backup is not None and b.backup is not None
    assert a.backup.exists() and b.backup.exists()


_KILLED_DURING_CHECK = """
import os, signal, sys
from pathlib import Path
import timeline_tui.core.extract.apply as apply

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # as if the import were killed while checking

apply.load_dataset = killed
apply.write_events(Path(sys.argv[1]), {"id": "harbour"}, [])
"""


def test_a_killed_check_leaves_nothing_behind(mini_path: Path) -> None:
    """The would-be events.json is validated in memory: a kill during the check leaves no file."""
    before = sorted(p.name for p in mini_path.parent.iterdir())
    content = mini_path.read_bytes()
    done = subprocess.run([sys.executable, "-c", _KILLED_DURING_CHECK, str(mini_path)], check=False)
    assert done.returncode == -signal.SIGKILL
    assert sorted(p.name for p in mini_path.parent.iterdir()) == before
    assert mini_path.read_bytes() == content
    assert remove_stale_temps(mini_path) == []


def test_a_killed_review_leaves_a_copy_the_next_import_removes(mini: Dataset, mini_path: Path) -> None:
    rel, created = store_article(mini.root, "lighthouse", ARTICLE)  # the review starts...
    assert created and (mini.root / rel).exists()  # ...and is killed: the copy stays, marked pending
    assert remove_abandoned_imports(mini_path) == [mini.root / rel]
    assert sorted(p.name for p in (mini.root / "sources").iterdir()) == ["harbour.txt", "museum.txt"]


def test_a_written_import_keeps_its_copy(mini: Dataset, mini_path: Path) -> None:
    rel, _ = store_article(mini.root, "lighthouse", ARTICLE)
    write_events(mini_path, _source(rel), [])
    assert remove_abandoned_imports(mini_path) == []
    assert (mini.root / rel).exists()
    assert not list((mini.root / "sources").glob(".*"))  # the pending mark went with the write


def _shared(words: set[str], e: Event) -> int:
    text = " ".join([e.title, e.summary, *(q.text for q in e.quotes)]).lower()
    return len(words & set(re.findall(r"[a-z0-9]{4,}", text)))


def test_merge_index_agrees_with_a_full_scan(repo_root: Path) -> None:
    ds = load_dataset(repo_root / "events.json")
    index = MergeIndex(ds.events)
    checked = 0
    for source_id in ds.sources:
        text = ds.source_text(source_id)
        assert text is not None
        for c in extract(text, source_id=source_id, published=ds.sources[source_id].published).candidates:
            same = [e for e in ds.events if date_key(e.date) == date_key(c.date)]
            got = index.suggest(c)
            if not same:
                assert got is None
                continue
            checked += 1
            words = set(re.findall(r"[a-z0-9]{4,}", c.quote.text.lower()))

            assert got is not None and got in same
            assert _shared(words, got) == max(_shared(words, e) for e in same)
    assert checked >= 10


def test_date_key_ignores_qualifiers_only() -> None:
    assert date_key(parse_edtf("1945-08?")) == date_key(parse_edtf("1945-08"))
    assert date_key(parse_edtf("1945~/1946")) == date_key(parse_edtf("1945/1946"))
    assert date_key(parse_edtf("1945")) != date_key(parse_edtf("1945-01-01/1945-12-31"))

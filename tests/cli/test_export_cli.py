"""``timeline-tui export``: which events, formats, output, no-clobber, atomic overwrite, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from markdown_support import commonmark

from timeline_tui.cli import main
from timeline_tui.core.export import ExportOptions, build_export
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
ALL_IDS = [
    "1945-08-ships-return", "1950-1953-rebuild", "2005-museum-opens", "2009-trade-record", "2010-05-08-new-wing",
    "2010-05-08-parade",
]

Capsys = pytest.CaptureFixture[str]


def export(capsys: Capsys, mini_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["export", str(mini_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def headings(markdown: str) -> list[str]:
    tokens = commonmark().parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]


def ids_in(markdown: str) -> list[str]:
    return [line.rsplit("*ID:* ", 1)[1] for line in markdown.splitlines() if "*ID:* " in line]


def store_path(tmp_path: Path) -> Path:
    return tmp_path / "notes-store.json"  # $TIMELINE_TUI_NOTES in tests (conftest)


# -- which events ------------------------------------------------------------------------------

def test_all_to_stdout(capsys: Capsys, mini_path: Path) -> None:
    code, out, err = export(capsys, mini_path, "--all", "-o", "-")
    assert code == 0 and err == ""
    assert len(headings(out)) == 6 and ids_in(out) == ALL_IDS
    assert "Filters: no filter.\\" in out


def test_ids_are_exported_in_chronological_order(capsys: Capsys, mini_path: Path) -> None:
    code, out, _ = export(capsys, mini_path, "--ids", "2009-trade-record, 1945-08-ships-return", "-o", "-")
    assert code == 0 and ids_in(out) == ["1945-08-ships-return", "2009-trade-record"]
    code, out, _ = export(capsys, mini_path, "--ids", "2009-trade-record", "--ids", "2005-museum-opens", "-o", "-")
    assert code == 0 and ids_in(out) == ["2005-museum-opens", "2009-trade-record"]


def test_unknown_ids_are_bad_input(capsys: Capsys, mini_path: Path) -> None:
    code, out, err = export(capsys, mini_path, "--ids", "2009-trade-record,nope,gone", "-o", "-")
    assert (code, out) == (1, "")
    assert "unknown event id(s): nope, gone" in err


def test_filters_narrow_the_choice(capsys: Capsys, mini_path: Path) -> None:
    code, out, _ = export(capsys, mini_path, "--tag", "trade", "-o", "-")
    assert code == 0 and ids_in(out) == ["1945-08-ships-return", "2009-trade-record"]
    assert "Filters: tag trade.\\" in out
    code, out, _ = export(capsys, mini_path, "--all", "--from", "2009", "--to", "May 2010", "-o", "-")
    assert code == 0 and ids_in(out) == ["2009-trade-record", "2010-05-08-new-wing", "2010-05-08-parade"]
    code, out, _ = export(capsys, mini_path, "--source", "museum", "--query", "wing", "-o", "-")
    assert code == 0 and ids_in(out) == ["2010-05-08-new-wing"]
    code, out, err = export(capsys, mini_path, "--ids", "2005-museum-opens", "--tag", "war", "-o", "-")
    assert (code, out) == (1, "") and "no events match" in err


def test_default_is_the_selection_then_an_error(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    code, out, err = export(capsys, mini_path, "-o", "-")
    assert (code, out) == (2, "") and "--all" in err and "--ids" in err
    code, _, err = export(capsys, mini_path, "--selection", "-o", "-")
    assert code == 1 and "no events are selected" in err
    dataset = load_dataset(mini_path)
    with AnnotationStore.open(store_path(tmp_path)) as store:
        store.set_selection(["2010-05-08-parade", "1950-1953-rebuild"])
    code, out, _ = export(capsys, mini_path, "-o", "-")
    assert code == 0 and ids_in(out) == ["1950-1953-rebuild", "2010-05-08-parade"]
    code, out, _ = export(capsys, mini_path, "--selection", "--tag", "memory", "-o", "-")
    assert code == 0 and ids_in(out) == ["2010-05-08-parade"]
    assert dataset.event("2010-05-08-parade") is not None


def test_annotated_and_notes_from_the_store(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    with AnnotationStore.open(store_path(tmp_path)) as store:
        store.add_note("2005-museum-opens", "# my note\n> not a quote")
    before = store_path(tmp_path).read_bytes()
    code, out, _ = export(capsys, mini_path, "--annotated", "-o", "-")
    assert code == 0 and ids_in(out) == ["2005-museum-opens"]
    assert "  \\# my note\\\n  \\> not a quote" in out
    code, out, _ = export(capsys, mini_path, "--annotated", "--no-notes", "-o", "-")
    assert code == 0 and "my note" not in out and "Your notes" not in out
    assert store_path(tmp_path).read_bytes() == before  # export only reads the store


def test_notes_path_option(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-store.json"
    with AnnotationStore.open(other) as store:
        store.add_note("2009-trade-record", "from the other store")
    code, out, _ = export(capsys, mini_path, "--all", "--notes", str(other), "-o", "-")
    assert code == 0 and "from the other store" in out
    code, out, err = export(capsys, mini_path, "--all", "--notes", str(tmp_path / "missing.json"), "-o", "-")
    assert (code, out) == (1, "") and "no notes store" in err


def test_a_damaged_store_is_an_error_and_left_as_it_is(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    deep = b'{"notes": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"  # was a RecursionError traceback
    for damaged, args in ((b"{not json", ()), (b"{not json", ("--notes", str(store_path(tmp_path)))), (deep, ())):
        store_path(tmp_path).write_bytes(damaged)
        code, out, err = export(capsys, mini_path, "--all", "-o", "-", *args)
        assert (code, out) == (1, "") and "cannot be read" in err and "left as it is" in err
        assert store_path(tmp_path).read_bytes() == damaged
        assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "notes-store.json"]  # no lock, nothing moved


# -- formats -----------------------------------------------------------------------------------

def test_formats(capsys: Capsys, mini_path: Path) -> None:
    code, out, _ = export(capsys, mini_path, "--all", "--format", "json", "-o", "-")
    assert code == 0 and [e["id"] for e in json.loads(out)["events"]] == ALL_IDS
    code, out, _ = export(capsys, mini_path, "--all", "--format", "csv", "-o", "-")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))  # one row per quote
    assert code == 0 and list(dict.fromkeys(r["id"] for r in rows)) == ALL_IDS
    assert len(rows) == sum(len(e.quotes) for e in load_dataset(mini_path).events)
    code, out, _ = export(capsys, mini_path, "--all", "--format", "csv", "--no-quotes", "-o", "-")
    assert code == 0 and [r["id"] for r in csv.DictReader(io.StringIO(out, newline=""))] == ALL_IDS
    assert "quote_text" not in out.splitlines()[0]
    code, out, _ = export(capsys, mini_path, "--all", "--format", "timelinejs", "-o", "-")
    assert code == 0 and [e["unique_id"] for e in json.loads(out)["events"]] == ALL_IDS
    code, out, _ = export(capsys, mini_path, "--all", "--no-quotes", "-o", "-")
    assert code == 0 and "[^" not in out and "> " not in out


def test_cli_and_core_give_the_same_bytes_apart_from_the_time(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    chosen = ["2010-05-08-parade", "1945-08-ships-return", "2005-museum-opens"]
    with AnnotationStore.open(store_path(tmp_path)) as store:
        store.add_note("2005-museum-opens", "note *one*")
        store.set_selection(chosen)
    code, out, _ = export(capsys, mini_path, "--selection", "-o", "-")
    assert code == 0
    dataset = load_dataset(mini_path)
    with AnnotationStore.open(store_path(tmp_path), read_only=True) as store:
        core = build_export(dataset, store, chosen, ExportOptions(filter_description="no filter"))
    different = [(a, b) for a, b in zip(out.splitlines(), core.splitlines(), strict=True) if a != b]
    assert all(a.startswith(("Generated ", "date: ")) and b.startswith(("Generated ", "date: ")) for a, b in different)


# -- output files ------------------------------------------------------------------------------

def test_default_path_no_clobber_and_force(
    capsys: Capsys, mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, err = export(capsys, mini_path, "--all")
    target = work / f"timeline-export-{date.today().isoformat()}.md"
    assert code == 0 and out == "" and f"wrote 6 events to {target.name}" in err
    first = target.read_text(encoding="utf-8")
    assert len(headings(first)) == 6
    code, _, err = export(capsys, mini_path, "--ids", "2009-trade-record")
    assert code == 1 and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == first
    inode = target.stat().st_ino
    code, _, _ = export(capsys, mini_path, "--ids", "2009-trade-record", "--force")
    assert code == 0 and ids_in(target.read_text(encoding="utf-8")) == ["2009-trade-record"]
    assert target.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in work.iterdir()) == [target.name]  # no temp files left
    code, _, _ = export(capsys, mini_path, "--all", "--format", "csv")
    assert code == 0 and (work / f"timeline-export-{date.today().isoformat()}.csv").is_file()


def test_output_path_errors(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    code, out, err = export(capsys, mini_path, "--all", "-o", str(tmp_path / "missing" / "x.md"))
    assert (code, out) == (1, "") and "does not exist" in err
    assert not (tmp_path / "missing").exists()
    code, _, err = export(capsys, mini_path, "--all", "-o", str(tmp_path))
    assert code == 1 and "is a directory" in err


def test_tilde_expands(capsys: Capsys, mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    code, _, _ = export(capsys, mini_path, "--all", "-o", "~/out.md")
    assert code == 0 and (tmp_path / "out.md").is_file()


def test_invalid_dataset_is_bad_input(capsys: Capsys, tmp_path: Path) -> None:
    bad = tmp_path / "events.json"
    bad.write_text('{"schema_version": 1, "events": [}', encoding="utf-8")
    code, out, err = export(capsys, bad, "--all", "-o", "-")
    assert (code, out) == (1, "") and "cannot be used" in err


@pytest.mark.parametrize(
    "args",
    [["--all", "--selection"], ["--all", "--from", "not a date"], ["--all", "--format", "docx"], ["--bogus"]],
)
def test_usage_errors_exit_2(capsys: Capsys, mini_path: Path, args: list[str]) -> None:
    assert main(["export", str(mini_path), *args]) == 2
    assert "usage: timeline-tui export" in capsys.readouterr().err


def test_real_command_and_closed_pipe(mini_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TIMELINE_TUI_NOTES": str(tmp_path / "s.json")}
    cmd = [sys.executable, "-m", "timeline_tui", "export", str(mini_path), "--all", "-o", "-"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and len(headings(done.stdout)) == 6
    # a reader that stops early (like `| head -1`) gives no traceback
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err


def test_unknown_tag_is_bad_input_not_an_empty_export(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    code, out, err = export(capsys, mini_path, "--all", "--tag", "wars", "-o", "-")
    assert code == 1
    assert out == ""
    assert "unknown tag 'wars'" in err


# -- the dataset folder ------------------------------------------------------------------------

def _note_texts(notes_file: Path, events: Path, capsys: Capsys) -> list[tuple[str, str]]:
    assert main(["notes", "--events", str(events), "--notes", str(notes_file), "list", "--json"]) == 0
    return [(n["event_id"], n["text"]) for n in json.loads(capsys.readouterr().out)]


def test_dataset_round_trip_through_the_command_line(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    """Export a selection, open the folder as it is, export it again: same events, quotes and notes."""
    chosen = ["2010-05-08-parade", "1945-08-ships-return"]
    with AnnotationStore.open(store_path(tmp_path)) as store:
        store.add_note("1945-08-ships-return", "my =note\twith a tab")
        store.add_note("2009-trade-record", "not selected")
        store.set_selection(chosen)
    one = tmp_path / "one"
    code, out, err = export(capsys, mini_path, "--format", "dataset", "-o", str(one))  # the app's selection
    assert (code, out) == (0, "")
    assert f"wrote 2 events, 2 sources, 1 note, 0 links to {one}/" in err
    assert f"timeline-tui {one / 'events.json'} --notes {one / 'notes.json'}" in err
    assert main(["validate", str(one / "events.json")]) == 0
    capsys.readouterr()
    # opened as it is: list and export read it like any dataset, its notes file like any store
    assert main(["list", str(one / "events.json"), "--json"]) == 0
    assert [e["id"] for e in json.loads(capsys.readouterr().out)] == ["1945-08-ships-return", "2010-05-08-parade"]
    assert _note_texts(one / "notes.json", one / "events.json", capsys) == [("1945-08-ships-return", "my =note\twith a tab")]
    two = tmp_path / "two"
    code, _, _ = export(capsys, one / "events.json", "--notes", str(one / "notes.json"), "--format", "dataset",
                        "-o", str(two))
    assert code == 0
    first, second = load_dataset(one / "events.json"), load_dataset(two / "events.json")
    assert first.events == second.events and [e.id for e in first.events] == ["1945-08-ships-return", "2010-05-08-parade"]
    assert all(e == load_dataset(mini_path).event(e.id) for e in first.events)  # quotes and all, unchanged
    assert _note_texts(two / "notes.json", two / "events.json", capsys) == _note_texts(one / "notes.json", one / "events.json", capsys)
    # the same Markdown from the copy as from the original (quotes, notes, citations), but for the count
    # of events in the dataset and the time
    md_copy = export(capsys, one / "events.json", "--notes", str(one / "notes.json"), "-o", "-")[1]
    md_original = export(capsys, mini_path, "-o", "-")[1]
    differ = ("Generated", "date:", "Exported 2 of ")
    assert [line for line in md_copy.splitlines() if not line.startswith(differ)] == [
        line for line in md_original.splitlines() if not line.startswith(differ)]
    assert "Exported 2 of 2 events" in md_copy and "Exported 2 of 6 events" in md_original


def test_dataset_folder_rules(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("mine", encoding="utf-8")
    code, _, err = export(capsys, mini_path, "--all", "--format", "dataset", "-o", str(out))
    assert code == 1 and "not empty; use --force" in err
    code, _, err = export(capsys, mini_path, "--all", "--format", "dataset", "-o", str(out), "--force")
    assert code == 1 and "holds more than a dataset export writes (mine.txt)" in err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    code, _, err = export(capsys, mini_path, "--all", "--format", "dataset", "-o", str(tmp_path / "no" / "out"))
    assert code == 1 and "does not exist" in err


def test_dataset_follows_the_no_match_rule(capsys: Capsys, mini_path: Path, tmp_path: Path) -> None:
    code, out, err = export(capsys, mini_path, "--all", "--from", "2030", "--format", "dataset", "-o", str(tmp_path / "o"))
    assert (code, out) == (1, "") and "no events match (from 2030)" in err and "nothing was written" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "-"], "writes a folder; give its name with -o DIR"),
    (["--no-quotes", "-o", "x"], "drop --no-quotes"),
])
def test_dataset_usage_errors(capsys: Capsys, mini_path: Path, args: list[str], message: str) -> None:
    code, out, err = export(capsys, mini_path, "--all", "--format", "dataset", *args)
    assert (code, out) == (2, "") and message in err


def test_dataset_default_folder(capsys: Capsys, mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = export(capsys, mini_path, "--all", "--format", "dataset")
    assert code == 0 and (tmp_path / f"timeline-export-{date.today().isoformat()}" / "events.json").is_file()

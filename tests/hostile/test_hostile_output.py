"""Hostile text in the data reaches no terminal raw; failing standard output never gives a traceback (items 3-4).

Titles, summaries, tags, date bases and notes carry ESC sequences (OSC 52 clipboard write, OSC 0
window title, ``ESC[2J``), BEL, CR, BS, the 8-bit CSI U+009B and the bidi override U+202E. Every
command and export format is run as a real process; its output may hold none of them raw, and
the JSON exports keep the data exact.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_support import RAW_UNSAFE, ROOT, assert_safe, dataset, env_with_secret, run_cli, run_shell

HOSTILE = (
    "A\x1b]52;c;cm0gLXJmIH4=\x07B\x1b]0;pwned\x07C\x1b[2J\x1b[HD\x07E\rF\x08G\x9b31mH\u202eI\u2066J\x7fK"
)
FIELDS = {
    "title": "Title " + HOSTILE,
    "summary": "Summary " + HOSTILE + "\nsecond line",
    "date_basis": "Basis " + HOSTILE,
    "tags": ["tag" + HOSTILE, "war"],
}
FORMATS = ["md", "json", "csv", "timelinejs"]


@pytest.fixture
def hostile_data(tmp_path: Path) -> Path:
    path = dataset(tmp_path, title="Dataset " + HOSTILE, event_fields=FIELDS, n_probe_quotes=0)
    note = run_cli(["notes", "--events", str(path), "add", "1945-08-ships", "-"], tmp_path, stdin="Note " + HOSTILE)
    assert note.returncode == 0, note.stderr
    return path


def test_validate_and_list_show_controls_as_symbols(hostile_data: Path, tmp_path: Path) -> None:
    assert_safe(run_cli(["validate", str(hostile_data)], tmp_path), allowed=(0,))
    listed = run_cli(["list", str(hostile_data)], tmp_path)
    assert_safe(listed, allowed=(0,))
    assert "␛]52;c;" in listed.stdout and "␛[2J" in listed.stdout  # visible, not sent
    assert len(listed.stdout.splitlines()) == 2  # a CR or newline in a title does not break the row


def test_list_json_is_exact(hostile_data: Path, tmp_path: Path) -> None:
    run = run_cli(["list", str(hostile_data), "--json"], tmp_path)
    assert_safe(run, allowed=(0,))
    assert json.loads(run.stdout)[0]["title"] == FIELDS["title"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_format_is_safe_to_print(hostile_data: Path, tmp_path: Path, fmt: str) -> None:
    run = run_cli(["export", str(hostile_data), "--all", "--format", fmt, "-o", "-"], tmp_path)
    assert_safe(run, allowed=(0,))
    if fmt == "json":
        doc = json.loads(run.stdout)
        event = doc["events"][0]
        assert (event["title"], event["summary"], event["tags"]) == (FIELDS["title"], FIELDS["summary"], FIELDS["tags"])
        assert event["notes"][0]["text"] == "Note " + HOSTILE  # \\u escapes keep the data exact
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(run.stdout, newline="")))
        assert rows[1][3].startswith("Title A␛]52;c;")  # one row per event, symbols instead of controls


def test_notes_list_is_safe(hostile_data: Path, tmp_path: Path) -> None:
    for args in (["notes", "--events", str(hostile_data), "list"], ["notes", "--events", str(hostile_data), "list", "--json"]):
        assert_safe(run_cli(args, tmp_path), allowed=(0,))


def test_extract_output_is_safe(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(f"Headline {HOSTILE}\n\nPublished: 9 May 2010\n\nIn 1945 the war {HOSTILE} ended.\n",
                       encoding="utf-8")
    for args in (["extract", str(article)], ["extract", str(article), "--json"]):
        assert_safe(run_cli(args, tmp_path), allowed=(0,))


# --------------------------------------------------------------------------- failing standard output

COMMANDS = {
    "validate": "validate {ds}",
    "list": "list {ds}",
    "export": "export {ds} --all -o -",
    "quote": "quote ok 'In August 1945' --events {ds}",
    "extract": "extract {article}",
    "notes list": "notes --events {ds} list",
    "import --json": "import {article} --events {ds} --json",
    "help": "list --help",
}


@pytest.fixture
def prepared(tmp_path: Path) -> dict[str, str]:
    ds = dataset(tmp_path, n_probe_quotes=0)
    run_cli(["notes", "--events", str(ds), "add", "1945-08-ships", "a note"], tmp_path)
    article = tmp_path / "article.txt"
    article.write_text("Harbour news\n\nPublished: 9 May 2010\n\nThe quay was rebuilt in 1953.\n", encoding="utf-8")
    return {"ds": str(ds), "article": str(article)}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_full_disk_is_one_line_and_exit_1(prepared: dict[str, str], tmp_path: Path, name: str) -> None:
    run = run_shell(f"$T {COMMANDS[name].format(**prepared)} > /dev/full", tmp_path)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1] == "timeline-tui: cannot write to standard output: No space left on device"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_closed_stdout_is_one_line_and_exit_1(prepared: dict[str, str], tmp_path: Path, name: str) -> None:
    run = run_shell(f"$T {COMMANDS[name].format(**prepared)} >&-", tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stderr.splitlines()[-1] == "timeline-tui: cannot write to standard output: standard output is closed"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_reader_that_leaves_is_a_quiet_exit_0(prepared: dict[str, str], tmp_path: Path, name: str) -> None:
    run = run_shell(f"$T {COMMANDS[name].format(**prepared)} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}", tmp_path)
    assert run.returncode == 0 and run.stderr == ""


def test_a_closed_pipe_is_exit_0_whatever_the_size(tmp_path: Path) -> None:
    big = ROOT / "events.json"
    for args in (["export", str(big), "--all", "-o", "-"], ["export", str(dataset(tmp_path, n_probe_quotes=0)),
                                                            "--all", "-o", "-"]):
        proc = subprocess.Popen([sys.executable, "-m", "timeline_tui", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env_with_secret(tmp_path), cwd=tmp_path)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # `| head -c 10`: the reader leaves after ten bytes
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0 and err == ""


def test_ctrl_c_is_exit_130_without_a_traceback(tmp_path: Path) -> None:
    import signal
    import time

    ds = dataset(tmp_path, n_probe_quotes=0)
    # `notes add ID -` waits for standard input, which this pipe never gives: interrupt it there
    proc = subprocess.Popen([sys.executable, "-m", "timeline_tui", "notes", "--events", str(ds), "add",
                             "1945-08-ships", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env_with_secret(tmp_path))
    wchan = Path(f"/proc/{proc.pid}/wchan")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "pipe" not in (wchan.read_text() if wchan.exists() else "pipe"):
        time.sleep(0.05)  # until it blocks reading the pipe (Linux says so in wchan)
    assert proc.poll() is None  # still waiting for its input
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and b"Traceback" not in err


# --------------------------------------------------------------------------- small items (item 6)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = dataset(tmp_path, n_probe_quotes=0)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run = run_cli(["validate", str(path)], tmp_path)
    assert run.returncode == 0 and "valid" in run.stdout


def test_a_utf16_file_says_so(tmp_path: Path) -> None:
    path = dataset(tmp_path, n_probe_quotes=0)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    run = run_cli(["validate", str(path)], tmp_path)
    assert run.returncode == 2 and "BOM" in run.stderr and "UTF-8" in run.stderr


@pytest.mark.parametrize("field", ["date", "id", "title", "tags"])
def test_echoed_data_is_cut_short(tmp_path: Path, field: str) -> None:
    huge = "9" * 100_000 if field == "date" else "x" * 100_000
    value = [huge] if field == "tags" else huge
    path = dataset(tmp_path, event_fields={field: value}, n_probe_quotes=0)
    run = run_cli(["validate", str(path)], tmp_path)
    assert_safe(run, allowed=(1,))
    assert max(len(line) for line in run.output.splitlines()) < 300
    assert "100,000" in run.stdout  # the message says how long it is, and what the limit is


def test_deep_nesting_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    run = run_cli(["validate", str(path)], tmp_path)
    assert_safe(run, allowed=(2,))
    assert "nested more than 1024 levels" in run.stderr


def test_a_deep_value_inside_an_event_is_described_not_printed(tmp_path: Path) -> None:
    deep: object = "leaf"
    for _ in range(900):
        deep = [deep]
    path = dataset(tmp_path, event_fields={"date": deep}, n_probe_quotes=0)
    run = run_cli(["validate", str(path)], tmp_path)
    assert_safe(run, allowed=(1,))
    assert "expected an EDTF date string, got a list of 1 item(s)" in run.stdout


def test_empty_output_name_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli(["export", str(dataset(tmp_path, n_probe_quotes=0)), "--all", "-o", ""], tmp_path)
    assert run.returncode == 2 and "-o needs a file name" in run.stderr
    assert not list(tmp_path.glob("timeline-export-*"))


def test_a_fifo_as_events_json_does_not_hang(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "events.json"
    os.mkfifo(fifo)
    for args in (["validate", str(fifo)], ["list", str(fifo)], [str(fifo)]):
        run = run_cli(args, tmp_path)
        assert_safe(run, allowed=(1,))
        assert "FIFO" in run.stderr


def test_no_line_of_any_message_carries_a_raw_control(tmp_path: Path) -> None:
    path = dataset(tmp_path, event_fields={"id": "bad\x1b[2J\u202eid", "date": "\x1b]0;x\x07"}, n_probe_quotes=0)
    run = run_cli(["validate", str(path)], tmp_path)
    assert_safe(run, allowed=(1,))
    assert RAW_UNSAFE.search(run.output) is None
    assert re.search(r"events\[0\]\.id: 'bad\\x1b\[2J\\u202eid' is not a lowercase slug", run.stdout)

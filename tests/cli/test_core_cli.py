"""``timeline-tui validate``, ``list`` and ``quote``: exit codes and output, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline_tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input=stdin,
        check=False,
    )


def test_validate_valid(mini_path: Path) -> None:
    result = cli("validate", str(mini_path))
    assert result.returncode == 0, result.stderr
    assert "valid — 6 events, 8 quotes, 2 sources, 2 eras" in result.stdout


def test_validate_invalid_lists_problems_with_paths(mini_path: Path) -> None:
    data = json.loads(mini_path.read_text(encoding="utf-8"))
    data["events"][1]["quotes"][0]["text"] = "Between 1950 and 1953 the harbour was REBUILT"
    data["events"][2]["date"] = "2005-13"
    mini_path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("validate", str(mini_path))
    assert result.returncode == 1
    assert "events[1].quotes[0]: text differs from source at" in result.stdout
    assert "events[2].date: '2005-13': month 13 is not 01-12" in result.stdout
    assert "2 problem(s)" in result.stderr


def test_validate_not_json_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "events.json"
    bad.write_text("[1, 2,", encoding="utf-8")
    result = cli("validate", str(bad))
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr


def test_validate_missing_file_exits_1(tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert "not found" in result.stderr


def test_list_text_and_filters(mini_path: Path) -> None:
    result = cli("list", str(mini_path), "--from", "2000", "--tag", "memory")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("  ")[0].strip() for line in lines] == ["2005", "8 May 2010", "8 May 2010"]
    assert "Museum opens" in lines[0] and "[harbour, museum]" in lines[0]


def test_list_json(mini_path: Path) -> None:
    result = cli("list", str(mini_path), "--json", "--source", "museum", "--to", "Dec 2005")
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["1945-08-ships-return", "2005-museum-opens"]
    assert rows[0]["display_date"] == "August 1945"


def test_list_bad_date_is_a_usage_error(mini_path: Path) -> None:
    result = cli("list", str(mini_path), "--from", "someday")
    assert result.returncode == 2
    assert "cannot read 'someday' as a date" in result.stderr
    assert "Traceback" not in cli("list", str(mini_path), "--from", "0000").stderr


def test_quote_prints_offsets_found_by_code(mini_path: Path) -> None:
    result = cli("quote", "museum", "“a day the town will never forget”", "--events", str(mini_path))
    assert result.returncode == 0, result.stderr
    quote = json.loads(result.stdout)
    text = (mini_path.parent / "sources" / "museum.txt").read_text(encoding="utf-8")
    assert text[quote["start"] : quote["end"]] == quote["text"] == "“a day the town will never forget”"


def test_quote_missing_and_ambiguous_fail(mini_path: Path) -> None:
    missing = cli("quote", "museum", "not in the text", "--events", str(mini_path))
    assert missing.returncode == 1 and "not found" in missing.stderr
    ambiguous = cli("quote", "harbour", "the harbour", "--events", str(mini_path))
    assert ambiguous.returncode == 1 and "ambiguous" in ambiguous.stderr
    picked = cli("quote", "harbour", "the harbour", "--occurrence", "2", "--events", str(mini_path))
    assert picked.returncode == 0 and json.loads(picked.stdout)["start"] > 0


def test_help_lists_commands() -> None:
    result = cli("--help")
    assert result.returncode == 0
    for name in ("validate", "list", "quote", "notes", "export", "extract"):
        assert name in result.stdout


def test_closed_pipe_exits_quietly(mini_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "timeline_tui", "list", str(ROOT / "events.json")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before the writer starts
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in err


def test_list_unknown_tag_or_source_is_bad_input(mini_path: Path) -> None:
    result = cli("list", str(mini_path), "--tag", "War", "--source", "nope")
    assert result.returncode == 1
    assert "unknown tag 'War'; known tags: anniversary, economy, memory, trade, war" in result.stderr
    assert "unknown source 'nope'; known sources: harbour, museum" in result.stderr
    assert result.stdout == ""


def test_list_and_export_agree_on_no_matching_events(mini_path: Path) -> None:
    """One rule (documented in both --help texts): nothing on stdout, a message, exit 1, like grep."""
    listed = cli("list", str(mini_path), "--from", "2030")
    assert (listed.returncode, listed.stdout) == (1, "")
    assert "no events match (from 2030)" in listed.stderr
    as_json = cli("list", str(mini_path), "--from", "2030", "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout) == []
    exported = cli("export", str(mini_path), "--from", "2030", "-o", "-")
    assert (exported.returncode, exported.stdout) == (1, "")
    assert "no events match (from 2030)" in exported.stderr
    for command in ("list", "export"):
        assert "no matching events:" in cli(command, "--help").stdout


def test_a_closed_stdin_is_empty_input(mini_path: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m timeline_tui notes --events "{mini_path}" --notes "{notes}" '
                       f'add 1945-08-ships-return - <&-'],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr and "needs some text" in done.stderr


def test_an_unexpected_error_is_one_line_unless_debugging(
    capsys: pytest.CaptureFixture[str], mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline_tui.cli import list_cmd, main

    def broken(args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(list_cmd, "run", broken)
    assert main(["list", str(mini_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error (ZeroDivisionError: a bug)" in err
    monkeypatch.setenv("TIMELINE_TUI_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["list", str(mini_path)])

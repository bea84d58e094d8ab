"""``timeline-tui notes list/add/rm``: exit codes, output, the shared store and its lock."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from timeline_tui.cli import main
from timeline_tui.core.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
EVENT = "1945-08-ships-return"


def notes(capsys: pytest.CaptureFixture[str], mini_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["notes", *args, "--events", str(mini_path)])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_rm(capsys: pytest.CaptureFixture[str], mini_path: Path, tmp_path: Path) -> None:
    code, out, err = notes(capsys, mini_path, "add", EVENT, "Check the harbour ledger.")
    assert (code, out, err) == (0, f"added note 1 to {EVENT}\n", "")
    assert notes(capsys, mini_path, "add", EVENT, "second")[0] == 0
    code, out, _ = notes(capsys, mini_path, "list")
    assert code == 0
    assert out.splitlines()[0].startswith(f"#1  {EVENT}  First ships return to the harbour  [")
    assert out.splitlines()[1] == "    Check the harbour ledger."
    code, out, _ = notes(capsys, mini_path, "rm", "1")
    assert (code, out) == (0, f"removed note 1 from {EVENT}\n")
    code, out, _ = notes(capsys, mini_path, "list", "--json")
    rows = json.loads(out)
    assert [(r["id"], r["event_id"], r["text"]) for r in rows] == [(2, EVENT, "second")]
    # the default store ($TIMELINE_TUI_NOTES in tests) is what the app opens too
    with AnnotationStore.open(tmp_path / "notes-store.json") as store:
        assert [n.text for n in store.notes()] == ["second"]


def test_list_filters_by_event(capsys: pytest.CaptureFixture[str], mini_path: Path) -> None:
    notes(capsys, mini_path, "add", EVENT, "on the ships")
    notes(capsys, mini_path, "add", "2005-museum-opens", "on the museum")
    code, out, _ = notes(capsys, mini_path, "list", "--event", "2005-museum-opens", "--json")
    assert code == 0 and [r["text"] for r in json.loads(out)] == ["on the museum"]


def test_text_output_is_literal_and_terminal_safe(capsys: pytest.CaptureFixture[str], mini_path: Path) -> None:
    nasty = "[bold red]not bold[/] [@click=app.quit]x[/]\x1b[2J\x1b]0;pwned\x07 \x9b31m end\nline two"
    assert notes(capsys, mini_path, "add", EVENT, nasty)[0] == 0
    _, out, _ = notes(capsys, mini_path, "list")
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "    [bold red]not bold[/] [@click=app.quit]x[/]  end\n    line two\n" in out
    _, out, _ = notes(capsys, mini_path, "list", "--json")
    assert "\x1b" not in out and "\x9b" not in out
    assert json.loads(out)[0]["text"] == nasty  # JSON keeps the exact text, escaped


def test_text_from_stdin(capsys: pytest.CaptureFixture[str], mini_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("first line\nsecond line\n"))
    assert notes(capsys, mini_path, "add", EVENT, "-")[0] == 0
    _, out, _ = notes(capsys, mini_path, "list", "--json")
    assert json.loads(out)[0]["text"] == "first line\nsecond line"


def test_refusals_exit_1(capsys: pytest.CaptureFixture[str], mini_path: Path) -> None:
    code, out, err = notes(capsys, mini_path, "add", "no-such-event", "text")
    assert code == 1 and out == "" and "unknown event id 'no-such-event'" in err
    code, _, err = notes(capsys, mini_path, "list", "--event", "nope")
    assert code == 1 and "unknown event id 'nope'" in err
    code, _, err = notes(capsys, mini_path, "rm", "42")
    assert code == 1 and "There is no note 42." in err
    code, _, err = notes(capsys, mini_path, "add", EVENT, "   ")
    assert code == 1 and "needs some text" in err
    code = main(["notes", "list", "--events", str(mini_path.parent / "missing.json")])
    assert code == 1


def test_explicit_notes_path_and_damaged_store_notice(capsys: pytest.CaptureFixture[str], mini_path: Path,
                                                      tmp_path: Path) -> None:
    store = tmp_path / "elsewhere" / "my-notes.json"
    store.parent.mkdir()
    store.write_text("{ truncated", encoding="utf-8")
    code = main(["notes", "--notes", str(store), "--events", str(mini_path), "add", EVENT, "kept"])
    _, err = capsys.readouterr()
    assert code == 0 and "could not be read" in err and ".corrupt-" in err
    with AnnotationStore.open(store) as opened:
        assert [n.text for n in opened.notes()] == ["kept"]


def test_second_process_holding_the_lock(mini_path: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "locked.json"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from pathlib import Path
            from timeline_tui.core.store import AnnotationStore
            store = AnnotationStore.open(Path({str(store_path)!r}))
            store.add_note({EVENT!r}, "by the app")
            print("ready", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "timeline_tui", "notes", *args, "--events", str(mini_path),
                 "--notes", str(store_path)],
                capture_output=True, text=True, cwd=ROOT, check=False,
            )

        added = cli("add", EVENT, "from the command line")
        assert added.returncode == 1
        assert "another timeline-tui is using" in added.stderr and "Nothing changed." in added.stderr
        assert added.stderr.count("another timeline-tui is using") == 1  # the notice is the refusal: said once
        removed = cli("rm", "1")
        assert removed.returncode == 1
        listed = cli("list", "--json")  # reading is fine while the app runs
        assert listed.returncode == 0 and "read-only" in listed.stderr
        assert [r["text"] for r in json.loads(listed.stdout)] == ["by the app"]
    finally:
        holder.communicate("bye\n", timeout=10)
    after = cli("add", EVENT, "now it works")
    assert after.returncode == 0, after.stderr


def _cli_bytes(*args: bytes, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    """The real command with byte arguments, on a strict UTF-8 stdout/stdin (as a UTF-8 terminal is)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "timeline_tui", "notes", *args], input=stdin,
                          capture_output=True, cwd=ROOT, env=env, check=False)


def test_non_utf8_argument_and_stdin_are_stored_with_replacement_characters(mini_path: Path) -> None:
    events = ("--events", str(mini_path))
    added = _cli_bytes(b"add", EVENT.encode(), b"bad \xff byte", *map(os.fsencode, events))
    assert added.returncode == 0, added.stderr
    piped = _cli_bytes(b"add", EVENT.encode(), b"-", *map(os.fsencode, events), stdin=b"x\xffy \xe2\x82\n")
    assert piped.returncode == 0, piped.stderr
    listed = _cli_bytes(b"list", b"--json", *map(os.fsencode, events))
    assert listed.returncode == 0, listed.stderr
    assert [r["text"] for r in json.loads(listed.stdout)] == ["bad \ufffd byte", "x\ufffdy \ufffd"]
    text = _cli_bytes(b"list", *map(os.fsencode, events))
    assert text.returncode == 0, text.stderr
    assert "    bad \ufffd byte\n" in text.stdout.decode("utf-8")


def test_a_stored_lone_surrogate_still_lists_on_a_strict_terminal(mini_path: Path, tmp_path: Path) -> None:
    """Notes saved before the fix may hold lone surrogates; listing must not crash on them."""
    with AnnotationStore.open(tmp_path / "notes-store.json") as store:  # $TIMELINE_TUI_NOTES (conftest)
        store.add_note(EVENT, "old \udcff note")
    for extra in ((), (b"--json",)):
        listed = _cli_bytes(b"list", *extra, b"--events", os.fsencode(mini_path))
        assert listed.returncode == 0, listed.stderr
        out = listed.stdout.decode("utf-8")
        assert ("old \ufffd note" in out) if not extra else (json.loads(out)[0]["text"] == "old \udcff note")


def test_an_uncreatable_lock_is_reported_as_such_not_as_in_use(capsys: pytest.CaptureFixture[str],
                                                               mini_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "notes.json"
    (tmp_path / "notes.json.lock").mkdir()  # the lock file cannot be created (even by root)
    code, out, err = notes(capsys, mini_path, "--notes", str(store), "add", EVENT, "text")
    assert code == 1 and out == ""
    assert "cannot create" in err and ".lock" in err and "Nothing changed." in err
    assert "another timeline-tui" not in err and "in use" not in err
    assert err.count("cannot create") == 1


def test_a_note_over_the_limit_is_refused(
    capsys: pytest.CaptureFixture[str], mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline_tui.cli.notes_cmd as notes_cmd

    monkeypatch.setattr(notes_cmd, "MAX_NOTE_CHARS", 10)
    code, _, err = notes(capsys, mini_path, "add", EVENT, "x" * 11)
    assert code == 1 and "11 characters long; the limit is 10" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("y" * 1000))  # from stdin, only so much is ever read
    code, _, err = notes(capsys, mini_path, "add", EVENT, "-")
    assert code == 1 and "the limit is 10" in err
    assert notes(capsys, mini_path, "add", EVENT, "x" * 10)[0] == 0
    _, out, _ = notes(capsys, mini_path, "list", "--json")
    assert [n["text"] for n in json.loads(out)] == ["x" * 10]

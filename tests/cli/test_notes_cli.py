"""``timeline-tui notes list/add/rm``: exit codes, output, a store shared with running apps, damaged and missing stores."""

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
    assert "left as it is" not in err  # said once, as what happened
    with AnnotationStore.open(store) as opened:
        assert [n.text for n in opened.notes()] == ["kept"]
    [aside] = store.parent.glob("my-notes.json.corrupt-*")
    assert aside.read_text(encoding="utf-8") == "{ truncated"


def _cli(mini_path: Path, store_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline_tui", "notes", *args, "--events", str(mini_path), "--notes", str(store_path)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )


def test_the_cli_writes_while_an_app_has_the_store_open(mini_path: Path, tmp_path: Path) -> None:
    """Measured before: `notes add` was refused while the app was open. Now it waits its turn and writes."""
    store_path = tmp_path / "shared.json"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import json, sys
            from pathlib import Path
            from timeline_tui.core.store import AnnotationStore
            store = AnnotationStore.open(Path({str(store_path)!r}))
            store.add_note({EVENT!r}, "by the app")
            print("ready", flush=True)
            sys.stdin.readline()
            changes = store.refresh()
            store.add_note({EVENT!r}, "by the app again")
            print(json.dumps([changes.summary() if changes else "", [n.text for n in store.notes()]]), flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "ready"
        added = _cli(mini_path, store_path, "add", EVENT, "from the command line")
        assert (added.returncode, added.stdout, added.stderr) == (0, f"added note 2 to {EVENT}\n", "")
        listed = _cli(mini_path, store_path, "list", "--json")
        assert listed.returncode == 0 and listed.stderr == ""
        assert [r["text"] for r in json.loads(listed.stdout)] == ["by the app", "from the command line"]
        holder.stdin.write("go\n")
        holder.stdin.flush()
        summary, seen = json.loads(holder.stdout.readline())
        assert summary == "1 note added elsewhere"
        assert seen == ["by the app", "from the command line", "by the app again"]
        removed = _cli(mini_path, store_path, "rm", "1")
        assert removed.returncode == 0, removed.stderr
    finally:
        holder.communicate("bye\n", timeout=10)
    with AnnotationStore.open(store_path) as after:
        assert [(n.id, n.text) for n in after.notes()] == [(2, "from the command line"), (3, "by the app again")]


def test_a_symlinked_store_and_its_target_are_one_store(mini_path: Path, tmp_path: Path) -> None:
    """Measured before: the app on link.json and the CLI on real/notes.json each had a lock; the CLI's note was lost."""
    real = tmp_path / "real" / "notes.json"
    real.parent.mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with AnnotationStore.open(link) as app:  # as `timeline-tui --notes link.json` opens it
        app.add_note(EVENT, "app note 1")
        assert _cli(mini_path, real, "add", EVENT, "cli note").returncode == 0
        third = app.add_note(EVENT, "app note 2")
        assert third.id == 3  # the app read the CLI's note 2 before saving
        assert [n.text for n in app.notes()] == ["app note 1", "cli note", "app note 2"]
    assert link.is_symlink()
    assert sorted(p.name for p in real.parent.iterdir()) == ["notes.json", "notes.json.lock"]  # one lock
    with AnnotationStore.open(real) as store:
        assert [n.text for n in store.notes()] == ["app note 1", "cli note", "app note 2"]


def test_list_on_a_damaged_store_is_an_error_and_changes_nothing(capsys: pytest.CaptureFixture[str],
                                                                 mini_path: Path, tmp_path: Path) -> None:
    store = tmp_path / "notes.json"
    deep = b'{"notes": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"  # a RecursionError before
    for damaged in (b"{ truncated", deep):
        store.write_bytes(damaged)
        code, out, err = notes(capsys, mini_path, "--notes", str(store), "list")
        assert (code, out) == (1, "") and "cannot be read" in err and "left as it is" in err
        assert "Traceback" not in err
        assert store.read_bytes() == damaged
        assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "notes.json"]  # no lock, nothing moved
    code, out, err = notes(capsys, mini_path, "--notes", str(store), "add", EVENT, "after")
    assert code == 0 and ".corrupt-" in err
    [aside] = tmp_path.glob("notes.json.corrupt-*")
    assert aside.read_bytes() == deep


def test_a_missing_store_lists_nothing_and_creates_nothing(capsys: pytest.CaptureFixture[str], mini_path: Path,
                                                           tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    assert notes(capsys, mini_path, "--notes", str(tmp_path / "missing.json"), "list") == (0, "", "")
    assert notes(capsys, mini_path, "list", "--json") == (0, "[]\n", "")  # $TIMELINE_TUI_NOTES, missing too
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no stray .lock


def test_a_chosen_path_in_a_missing_folder_is_an_error_naming_it(capsys: pytest.CaptureFixture[str],
                                                                 mini_path: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no-such-dir" / "n.json"
    for action in (("list",), ("add", EVENT, "text"), ("rm", "1")):
        code, out, err = notes(capsys, mini_path, "--notes", str(missing), *action)
        assert (code, out) == (1, "") and f"{missing.parent} for the notes file n.json does not exist" in err
    monkeypatch.setenv("TIMELINE_TUI_NOTES", str(missing))
    code, _, err = notes(capsys, mini_path, "add", EVENT, "text")
    assert code == 1 and str(missing.parent) in err
    assert not missing.parent.exists()


def test_the_default_data_folder_is_created_on_the_first_change(capsys: pytest.CaptureFixture[str],
                                                                mini_path: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIMELINE_TUI_NOTES")
    data_dir = tmp_path / "xdg-data" / "timeline-tui"  # XDG_DATA_HOME in tests (conftest)
    assert notes(capsys, mini_path, "list") == (0, "", "")
    assert not data_dir.exists()  # reading creates nothing
    assert notes(capsys, mini_path, "add", EVENT, "first")[0] == 0
    [store] = data_dir.glob("notes-*.json")
    with AnnotationStore.open(store) as opened:
        assert [n.text for n in opened.notes()] == ["first"]


def test_notes_are_stored_exactly_as_written(capsys: pytest.CaptureFixture[str], mini_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "tab\there\rCR \x1b[31mred\x1b[0m \\n not a newline [b]x[/b]\x00"
    assert notes(capsys, mini_path, "add", EVENT, raw)[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("piped\tline\r\nsecond\r\n"))
    assert notes(capsys, mini_path, "add", EVENT, "-")[0] == 0
    _, out, _ = notes(capsys, mini_path, "list", "--json")
    assert [r["text"] for r in json.loads(out)] == [raw, "piped\tline\r\nsecond"]  # only the final line end goes
    _, out, _ = notes(capsys, mini_path, "list")
    assert "\x1b" not in out and "\r" not in out and "\x00" not in out  # sanitised for display only


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

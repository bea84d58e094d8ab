"""Several processes write one notes store at once: nothing refused, nothing lost.

Two loops of ``timeline-tui notes add`` — one through a symlink to the store, one through its real
path — run in parallel with a third process that adds notes through the store API in a loop (as
the app does). Every note whose add was acknowledged must be in the store, with its text, and no
add may be refused. (Measured before this was fixed: 12 of 400 adds refused with "another
timeline-tui is using …", and through a symlink 2 of 200 acknowledged notes lost.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from timeline_tui.core.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ("1945-08-ships-return", "2005-museum-opens", "2010-05-08-parade")

# One loop of CLI runs: each run is a fresh process (forked from this single-threaded driver, so
# no interpreter start-up per run) calling the real `timeline-tui` entry point.
CLI_LOOP = textwrap.dedent(
    """
    import json, os, sys
    from timeline_tui.cli import main
    import timeline_tui.cli.notes_cmd  # imported once here, not in every run
    events, notes, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    event_ids = json.loads(sys.argv[5])
    sys.stdin.readline()  # start together
    results = []
    for i in range(count):
        text = f"{tag} {i}\\t«tab» \\x1b[1mraw\\x1b[0m"
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            os.dup2(write_fd, 1)
            os.dup2(write_fd, 2)
            code = main(["notes", "add", event_ids[i % len(event_ids)], text, "--events", events, "--notes", notes])
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            output = pipe.read().decode()
        _, status = os.waitpid(pid, 0)
        results.append([os.waitstatus_to_exitcode(status), output, text])
    print(json.dumps(results))
    """
)

# The app stand-in: one store instance, open all along, adding notes in a loop (at least ``count``,
# and on until the stop file appears) and taking in the others' notes as the app's poll does.
API_LOOP = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from timeline_tui.core.store import AnnotationStore, StoreError
    notes, count, stop = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[4])
    event_ids = json.loads(sys.argv[3])
    store = AnnotationStore.open(notes)
    sys.stdin.readline()
    store.refresh()
    results, outside, i, initial = [], 0, 0, len(store.notes())
    while i < count or not stop.exists():
        text = f"api {i}"
        try:
            note = store.add_note(event_ids[i % len(event_ids)], text)
            results.append([0, note.id, text])
        except StoreError as exc:
            results.append([1, str(exc), text])
        changes = store.refresh()
        outside += len(changes.notes_added) if changes else 0
        i += 1
        time.sleep(0.002)
    changes = store.refresh()
    outside += len(changes.notes_added) if changes else 0
    print(json.dumps({"results": results, "outside": outside, "initial": initial, "seen": len(store.notes())}))
    """
)


def _start(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _run_together(procs: list[subprocess.Popen[str]], stop: Path, timeout: float) -> list[str]:
    """Start the loops at once; when all but the last (the API writer) are done, stop it too."""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = []
    for n, proc in enumerate(procs):
        if n == len(procs) - 1:
            stop.touch()
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


def _store_with_link(tmp_path: Path) -> tuple[Path, Path]:
    real = tmp_path / "real" / "notes.json"
    real.parent.mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    return real, link


@pytest.mark.slow
def test_two_cli_loops_and_an_api_writer_in_parallel_lose_and_refuse_nothing(mini_path: Path, tmp_path: Path) -> None:
    real, link = _store_with_link(tmp_path)
    ids = json.dumps(EVENTS)
    procs = [
        _start(CLI_LOOP, str(mini_path), str(link), "via-link", "200", ids),
        _start(CLI_LOOP, str(mini_path), str(real), "via-real", "200", ids),
        _start(API_LOOP, str(real), "200", ids, str(tmp_path / "stop")),
    ]
    via_link, via_real, api_out = _run_together(procs, tmp_path / "stop", timeout=900)
    acknowledged: dict[int, str] = {}
    for loop in (json.loads(via_link), json.loads(via_real)):
        assert len(loop) == 200
        for code, output, text in loop:
            assert code == 0, output  # none refused
            assert output.startswith("added note ") and output.endswith("\n"), output
            note_id = int(output.split()[2])
            assert note_id not in acknowledged, f"id {note_id} acknowledged twice"
            acknowledged[note_id] = text
    api = json.loads(api_out)
    for code, note_id, text in api["results"]:
        assert code == 0, note_id
        assert note_id not in acknowledged
        acknowledged[note_id] = text
    assert len(acknowledged) == 400 + len(api["results"]) >= 600
    with AnnotationStore.open(real, read_only=True) as store:
        stored = {n.id: n.text for n in store.notes()}
    assert stored == acknowledged  # every acknowledged note, with its exact text; nothing else
    assert sorted(p.name for p in real.parent.iterdir()) == ["notes.json", "notes.json.lock"]  # one lock, no temps
    # The app stand-in heard of every note added elsewhere while it ran, each once.
    assert api["seen"] == len(api["results"]) + api["outside"] + api["initial"] == len(acknowledged)
    print(f"\n{len(acknowledged)} notes acknowledged (400 by 400 CLI runs, {len(api['results'])} by the API writer), "
          f"all stored, none refused; the API writer heard of {api['outside']} added elsewhere")


def test_real_commands_in_parallel_with_a_writer(mini_path: Path, tmp_path: Path) -> None:
    """The same with the installed command itself (fewer runs: each starts an interpreter)."""
    real, link = _store_with_link(tmp_path)
    loop = textwrap.dedent(
        """
        import json, subprocess, sys
        cmd = [sys.executable, "-m", "timeline_tui", "notes", "add"]
        sys.stdin.readline()
        runs = []
        for i in range(int(sys.argv[3])):
            text = f"{sys.argv[2]} {i}"
            done = subprocess.run(cmd + ["1945-08-ships-return", text, "--events", sys.argv[4], "--notes", sys.argv[1]],
                                  capture_output=True, text=True)
            runs.append([done.returncode, done.stdout + done.stderr, text])
        print(json.dumps(runs))
        """
    )
    procs = [
        _start(loop, str(link), "link", "8", str(mini_path)),
        _start(loop, str(real), "real", "8", str(mini_path)),
        _start(API_LOOP, str(link), "30", json.dumps(EVENTS), str(tmp_path / "stop")),
    ]
    via_link, via_real, api_out = _run_together(procs, tmp_path / "stop", timeout=300)
    acknowledged = {}
    for runs in (json.loads(via_link), json.loads(via_real)):
        for code, output, text in runs:
            assert code == 0, output
            acknowledged[int(output.split()[2])] = text
    for code, note_id, text in json.loads(api_out)["results"]:
        assert code == 0, note_id
        acknowledged[note_id] = text
    with AnnotationStore.open(link, read_only=True) as store:
        assert {n.id: n.text for n in store.notes()} == acknowledged
    assert len(acknowledged) == 16 + len(json.loads(api_out)["results"])

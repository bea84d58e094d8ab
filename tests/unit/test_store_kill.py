"""kill -9 during saves, in a loop: the store always parses and keeps every save that had returned."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from timeline_tui.core.store import AnnotationStore

ITERATIONS = 200


def _writer(path: Path, iteration: int, report: int) -> None:
    """Child process: save notes as fast as possible, reporting each save after it returned."""
    rng = random.Random(iteration)
    store = AnnotationStore.open(path)
    if store.read_only:
        os._exit(3)
    os.write(report, b"open\n")
    i = 0
    while True:
        mine = [n for n in store.notes() if n.event_id.startswith("kill-")]
        if mine and i % 4 == 3:
            note = rng.choice(mine)
            text = f"edit {iteration}.{i} «{rng.random()}» [b]x[/b]\n\x1b[2J 港"
            os.write(report, (json.dumps(["pending", note.id, text]) + "\n").encode())
            store.update_note(note.id, text)
            os.write(report, (json.dumps(["updated", note.id, text]) + "\n").encode())
        else:
            text = f"note {iteration}.{i} «{rng.random()}» " + "x" * rng.randrange(0, 400)
            note = store.add_note(f"kill-{i % 7}", text)
            os.write(report, (json.dumps(["added", note.id, text]) + "\n").encode())
        i += 1


def _read_all(fd: int, chunks: list[bytes]) -> list[list[object]]:
    """The events reported: ``chunks`` already read, then the rest of the pipe."""
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    lines = b"".join(chunks).decode().splitlines()
    return [json.loads(line) for line in lines if line != "open"]


@pytest.mark.slow
def test_kill_9_during_saves_never_loses_a_saved_note(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    rng = random.Random(1945)
    confirmed: dict[int, str] = {}  # note id -> text the child saw returned last
    saves = kills_mid_write = 0
    started = time.monotonic()
    for iteration in range(ITERATIONS):
        temps_before = set(tmp_path.glob(".notes.json.*.tmp-timeline-tui"))
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                os.close(read_fd)
                _writer(path, iteration, write_fd)
            finally:
                os._exit(2)
        os.close(write_fd)
        early: list[bytes] = []
        with os.fdopen(read_fd, "rb", buffering=0, closefd=False) as pipe:
            assert pipe.readline() == b"open\n", "the writer did not start"
            # Every other writer is killed only once a save has returned: a process's first save
            # costs the most, and the loop must also kill writers in their stride.
            while iteration % 2 and not (early and early[-1].startswith((b'["added"', b'["updated"'))):
                line = pipe.readline()
                assert line, "the writer stopped"
                early.append(line)
        time.sleep(rng.uniform(0, 0.03))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the writer died on its own"
        events = _read_all(read_fd, early)
        os.close(read_fd)
        pending: dict[int, str] = {}
        for kind, note_id, text in events:
            assert isinstance(note_id, int) and isinstance(text, str)
            if kind == "pending":
                pending[note_id] = text
            else:
                confirmed[note_id] = text
                pending.pop(note_id, None)
                saves += 1
        if set(tmp_path.glob(".notes.json.*.tmp-timeline-tui")) - temps_before:
            kills_mid_write += 1  # (the temp files stay until a writer finds them a minute old)
        json.loads(path.read_bytes())  # parses after every kill
        with AnnotationStore.open(path) as store:
            assert store.notices == [] and store.damage is None and not store.read_only
            stored = {n.id: n.text for n in store.notes()}
        for note_id, text in confirmed.items():
            assert note_id in stored, f"iteration {iteration}: saved note {note_id} lost"
            assert stored[note_id] in (text, pending.get(note_id)), f"iteration {iteration}: note {note_id} changed"
            confirmed[note_id] = stored[note_id]  # an interrupted edit may or may not have landed
        assert list(tmp_path.glob("*.corrupt-*")) == []
    elapsed = time.monotonic() - started
    print(
        f"\nkill -9 loop: {ITERATIONS} kills in {elapsed:.1f} s, {saves} confirmed saves, "
        f"{len(confirmed)} notes at the end, {kills_mid_write} kills left a temp file (mid-write), 0 lost"
    )
    assert saves > ITERATIONS  # the loop really saved while being killed
    assert kills_mid_write > 0  # and some kills landed inside a write

"""The store's file: damaged files left to readers and moved aside by writers, the per-change lock, failed writes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB
from tinydb.operations import delete, increment

from timeline_tui.core.store import AnnotationStore, StoreBusy, StoreError
from timeline_tui.core.store_file import STALE_TEMP_AGE, StoreFile

TEXT = "In August 1945, the first ships returned to the harbour after years of blockade."


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "notes.json"


def _valid_store_bytes(path: Path) -> bytes:
    with AnnotationStore.open(path) as store:
        for i in range(20):
            store.add_note(f"e{i % 3}", f"note number {i} — 「記録」")
    data = path.read_bytes()
    path.unlink()
    return data


def _corrupt_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def _case(path: Path, name: str) -> bytes:
    if name == "garbage":
        return b"\x00\xff not json at all {"
    if name == "empty":
        return b""
    if name == "whitespace":
        return b"  \n"
    if name == "truncated":
        data = _valid_store_bytes(path)
        return data[: len(data) // 2]
    if name == "not-an-object":
        return b"[1, 2, 3]"
    if name == "bad-record":
        return json.dumps({"notes": {"1": {"event_id": "e", "text": 5, "created": "", "updated": ""}}}).encode()
    if name == "bad-id":
        return json.dumps({"notes": {"one": {}}}).encode()
    if name == "bad-utf8":
        return b'{"notes": {"1": {"text": "\xc3\x28"}}}'
    if name == "null":
        return b"null"
    raise AssertionError(name)


@pytest.mark.parametrize(
    "case", ["garbage", "empty", "whitespace", "truncated", "not-an-object", "bad-record", "bad-id", "bad-utf8",
             "null"]
)
def test_damaged_store_is_left_to_readers_and_moved_aside_by_the_first_change(store_path: Path, case: str) -> None:
    damaged = _case(store_path, case)
    store_path.write_bytes(damaged)
    before = sorted(p.name for p in store_path.parent.iterdir())
    with AnnotationStore.open(store_path) as store:  # opening (as the app does) changes nothing
        assert not store.read_only and store.notes() == []
        assert store.damage is not None and ("it is empty" in store.damage) == (case in ("empty", "whitespace"))
        assert len(store.notices) == 1 and "left as it is" in store.notices[0]
        assert store_path.read_bytes() == damaged and _corrupt_files(store_path) == []
        assert sorted(p.name for p in store_path.parent.iterdir()) == before  # no lock, nothing
        assert store.refresh() is None  # the same damaged file is not reported twice
        store.add_note("e1", "fresh start")  # a writer moves it aside first
        [aside] = _corrupt_files(store_path)
        assert store.moved_aside == aside and aside.read_bytes() == damaged
        assert str(aside) in store.notices[-1] and "new, empty store" in store.notices[-1]
        assert store.damage is None
        changes = store.refresh()  # the UI hears of it through refresh()
        assert changes is not None and changes.messages == (store.notices[-1],)
    assert aside.read_bytes() == damaged
    with AnnotationStore.open(store_path) as store:
        assert [n.text for n in store.notes()] == ["fresh start"] and store.notices == []


def test_nested_too_deep_is_damage_not_a_crash(store_path: Path) -> None:
    deep = b'{"notes": {"1": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}}"
    store_path.write_bytes(deep)
    with AnnotationStore.open(store_path, read_only=True) as reader:
        assert reader.damage is not None and "nested too deeply" in reader.damage
    assert store_path.read_bytes() == deep
    with AnnotationStore.open(store_path) as writer:
        writer.add_note("e1", "after the damage")
    [aside] = _corrupt_files(store_path)
    assert aside.read_bytes() == deep


def test_a_running_instance_keeps_what_it_had_when_the_file_is_damaged_under_it(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        for i in range(3):
            store.add_note("e1", f"note {i}")
        store_path.write_bytes(b"{ truncated by another program")
        changes = store.refresh()
        assert changes is not None and "cannot be read" in changes.messages[0]
        assert len(store.notes()) == 3  # still shown
        store.add_note("e1", "one more")  # moves the damaged file aside, writes what it had plus the change
        assert "with the notes read before" in store.notices[-1]
    with AnnotationStore.open(store_path) as again:
        assert [n.text for n in again.notes()] == ["note 0", "note 1", "note 2", "one more"]
    [aside] = _corrupt_files(store_path)
    assert aside.read_bytes() == b"{ truncated by another program"


def test_two_damaged_files_in_the_same_second_both_kept(store_path: Path) -> None:
    for content in (b"first {", b"second {"):
        store_path.write_bytes(content)
        with AnnotationStore.open(store_path) as store:
            store.add_note("e", "x")
        store_path.write_bytes(content)
    kept = sorted(p.read_bytes() for p in _corrupt_files(store_path))
    assert kept == [b"first {", b"second {"]


def _temp(path: Path, name: str, age: float) -> Path:
    tmp = path.parent / f".{path.name}.{name}.tmp-timeline-tui"
    tmp.write_bytes(b'{"notes": {"1": {"half')
    stamp = time.time() - age
    os.utime(tmp, (stamp, stamp))
    return tmp


def test_only_abandoned_temp_files_are_removed_and_only_by_a_writer(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        store.add_note("e", "kept")
    old = _temp(store_path, "x1y2z3", STALE_TEMP_AGE + 5)
    recent = _temp(store_path, "a1b2c3", 1)  # may be a live writer's (of an older version, say)
    with AnnotationStore.open(store_path) as store:
        assert old.exists() and recent.exists()  # opening removes nothing
        assert [n.text for n in store.notes()] == ["kept"]
        store.add_note("e", "more")  # under the lock: the old one is provably abandoned
        assert not old.exists() and recent.exists()


def _hold_lock_in_child(path: Path, seconds: float) -> subprocess.Popen[str]:
    """A process that holds the store's lock for ``seconds`` (as a stuck writer would)."""
    code = textwrap.dedent(
        f"""
        import fcntl, os, sys, time
        fd = os.open({str(path) + ".lock"!r}, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep({seconds})
        """
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    return child


def test_a_writer_waits_for_the_lock_then_saves(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        store.add_note("e1", "before")
        holder = _hold_lock_in_child(store_path, 0.6)
        started = time.monotonic()
        store.add_note("e1", "after waiting")  # not refused: it waits its turn
        waited = time.monotonic() - started
        holder.wait(timeout=10)
    assert waited > 0.2  # it really waited for the holder (no upper bound: machines are slow)
    with AnnotationStore.open(store_path) as again:
        assert [n.text for n in again.notes()] == ["before", "after waiting"]


def test_a_lock_held_too_long_is_a_clear_error_and_changes_nothing(store_path: Path) -> None:
    with AnnotationStore.open(store_path, lock_timeout=0.3) as store:
        store.add_note("e1", "before")
        on_disk = store_path.read_bytes()
        holder = _hold_lock_in_child(store_path, 5)
        try:
            with pytest.raises(StoreBusy, match=r"kept it locked for 0\.3 s\. Nothing was changed"):
                store.add_note("e1", "refused after waiting")
            assert [n.text for n in store.notes()] == ["before"] and not store.read_only
        finally:
            holder.kill()
            holder.wait()
        assert store_path.read_bytes() == on_disk
        store.add_note("e1", "once it is free")
        assert [n.text for n in store.notes()] == ["before", "once it is free"]


def test_a_lock_file_removed_by_someone_is_recreated(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        store.add_note("e1", "one")
        (store_path.parent / "notes.json.lock").unlink()
        store.add_note("e1", "two")
    with AnnotationStore.open(store_path) as again:
        assert [n.text for n in again.notes()] == ["one", "two"]


def test_readers_never_create_lock_or_files(store_path: Path) -> None:
    missing = store_path.parent / "missing.json"
    with AnnotationStore.open(missing) as store:
        assert store.notes() == [] and store.damage is None and store.refresh() is None
    with AnnotationStore.open(missing, read_only=True) as store:
        assert store.notes() == []
    assert list(store_path.parent.iterdir()) == []


def test_same_process_second_open_writes_too(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as first, AnnotationStore.open(store_path) as second:
        assert not first.read_only and not second.read_only
        a = first.add_note("e1", "first")
        b = second.add_note("e1", "second")
        assert (a.id, b.id) == (1, 2)
        assert first.refresh() is not None and [n.text for n in first.notes()] == ["first", "second"]


# -- fault injection -----------------------------------------------------------------------------

def _enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _HalfWritingFile:
    """A real file whose write() puts half the bytes on disk, then fails with ENOSPC."""

    def __init__(self, fh: Any) -> None:
        self._fh = fh

    def write(self, data: bytes) -> int:
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        _enospc()
        return 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _HalfWritingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def _inject(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if kind == "fsync":
        monkeypatch.setattr(os, "fsync", _enospc)
    elif kind == "replace":
        monkeypatch.setattr(os, "replace", _enospc)
    elif kind == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _HalfWritingFile(real_fdopen(*a, **k)))
    else:
        raise AssertionError(kind)


OPERATIONS: dict[str, Callable[[AnnotationStore], object]] = {
    "add_note": lambda s: s.add_note("e9", "new"),
    "update_note": lambda s: s.update_note(1, "changed"),
    "delete_note": lambda s: s.delete_note(2),
    "undo": lambda s: s.undo(),
    "add_link": lambda s: s.add_link("e1", "harbour", TEXT, 3, 9),
    "delete_link": lambda s: s.delete_link(1),
    "set_selection": lambda s: s.set_selection(["e2", "e3"]),
}


def _snapshot(store: AnnotationStore) -> tuple[object, ...]:
    return store.notes(), store.links(), store.selection(), store.annotated_ids(), store.can_undo()


@pytest.mark.parametrize("kind", ["fsync", "replace", "write"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_failed_write_changes_nothing(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, operation: str
) -> None:
    with AnnotationStore.open(store_path) as store:
        store.add_note("e1", "one")
        store.add_note("e2", "two")
        store.add_link("e1", "harbour", TEXT, 16, 40)
        store.set_selection(["e1"])
        store.update_note(1, "one, edited")  # something to undo
        on_disk = store_path.read_bytes()
        before = _snapshot(store)
        with monkeypatch.context() as patch:
            _inject(kind, patch)
            with pytest.raises(StoreError, match="No space left on device") as info:
                OPERATIONS[operation](store)
        assert "Nothing was changed" in str(info.value)
        assert store_path.read_bytes() == on_disk
        assert _snapshot(store) == before
        assert store._file.tables == json.loads(on_disk)  # the file layer's own memory too
        assert sorted(p.name for p in store_path.parent.iterdir()) == ["notes.json", "notes.json.lock"]
        OPERATIONS[operation](store)  # works once the disk has room again
        after = _snapshot(store)
    with AnnotationStore.open(store_path) as again:
        assert _snapshot(again)[:4] == after[:4]


def test_tinydb_generic_api_goes_through_the_store_file(store_path: Path) -> None:
    """Plain TinyDB use (insert/search/update/remove/truncate) works and every write is a whole file."""
    db = TinyDB(str(store_path), storage=StoreFile)
    table = db.table("things")
    ids = [table.insert({"n": i}) for i in range(5)]
    table.update({"n": 99}, doc_ids=[ids[0]])
    table.update({"m": [1]}, doc_ids=[ids[2]])
    table.update(increment("n"), doc_ids=[ids[3]])  # operations change records in place
    table.update({"k": 1}, doc_ids=[ids[4]])
    table.update(delete("k"), doc_ids=[ids[4]])
    table.remove(doc_ids=[ids[1]])
    assert sorted(d["n"] for d in table.all()) == [2, 4, 4, 99]
    assert json.loads(store_path.read_bytes())["things"] == {"1": {"n": 99}, "3": {"n": 2, "m": [1]}, "4": {"n": 4},
                                                             "5": {"n": 4}}
    db.storage.write({"other": {"7": {"x": [1, {"y": "\x1b"}]}}})
    assert json.loads(store_path.read_bytes()) == {"other": {"7": {"x": [1, {"y": "\x1b"}]}}}
    table.truncate()
    db.close()
    assert json.loads(store_path.read_bytes()) == {"other": {"7": {"x": [1, {"y": "\x1b"}]}}, "things": {}}


def test_a_plain_tinydb_write_refuses_to_overwrite_a_newer_file(store_path: Path) -> None:
    db = TinyDB(str(store_path), storage=StoreFile)
    db.table("t").insert({"n": 1})
    with AnnotationStore.open(store_path) as other:
        other.add_note("e1", "written meanwhile")
    with pytest.raises(OSError, match="changed since it was read"):
        db.table("t").insert({"n": 2})
    assert "written meanwhile" in store_path.read_text("ascii")
    assert db.storage.poll()  # read again, the write goes through
    db.table("t").insert({"n": 2})
    assert "written meanwhile" in store_path.read_text("ascii")
    assert sorted(d["n"] for d in json.loads(store_path.read_bytes())["t"].values()) == [1, 2]


def test_directory_fsync_failing_after_the_rename_keeps_memory_equal_to_disk(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline_tui.core.atomicio as atomicio

    with AnnotationStore.open(store_path) as store:
        store.add_note("e1", "one")
        monkeypatch.setattr(atomicio, "fsync_directory", _enospc)
        store.add_note("e1", "two")  # the new file is in place: this counts as saved
        assert store._file.tables == json.loads(store_path.read_bytes())
    with AnnotationStore.open(store_path) as again:
        assert [n.text for n in again.notes()] == ["one", "two"]


def test_shared_records_are_never_changed_in_place(store_path: Path) -> None:
    """The store shares records between versions (no copies per save): changing one in place is refused."""
    file = StoreFile(store_path, copy_records=False)
    db = TinyDB(storage=lambda: file)
    table = db.table("t")
    table.insert({"n": 1})
    on_disk = store_path.read_bytes()
    with pytest.raises(TypeError, match="not changed in place"):
        table.update({"n": 2}, doc_ids=[1])
    assert store_path.read_bytes() == on_disk and file.tables == {"t": {"1": {"n": 1}}}
    table.remove(doc_ids=[1])  # replacing is the way
    table.insert({"n": 2})
    assert json.loads(store_path.read_bytes()) == {"t": {"2": {"n": 2}}}

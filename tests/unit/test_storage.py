"""The atomic TinyDB storage: damaged files moved aside, the single-writer lock, failed writes."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.core.storage import AtomicJSONStorage, AtomicTinyDB
from timeline_tui.core.store import AnnotationStore, ReadOnlyStore, StoreError

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
def test_damaged_store_is_moved_aside_and_never_overwritten(store_path: Path, case: str) -> None:
    damaged = _case(store_path, case)
    store_path.write_bytes(damaged)
    with AnnotationStore.open(store_path) as store:
        assert not store.read_only
        assert store.notes() == []
        [aside] = _corrupt_files(store_path)
        assert store.moved_aside == aside
        assert aside.read_bytes() == damaged
        assert len(store.notices) == 1 and str(aside) in store.notices[0]
        assert ("it is empty" in store.notices[0]) == (case in ("empty", "whitespace"))
        assert not store_path.exists()
        store.add_note("e1", "fresh start")
    assert aside.read_bytes() == damaged
    with AnnotationStore.open(store_path) as store:
        assert [n.text for n in store.notes()] == ["fresh start"] and store.notices == []


def test_two_damaged_files_in_the_same_second_both_kept(store_path: Path) -> None:
    for content in (b"first {", b"second {"):
        store_path.write_bytes(content)
        AnnotationStore.open(store_path).close()
    kept = sorted(p.read_bytes() for p in _corrupt_files(store_path))
    assert kept == [b"first {", b"second {"]


def test_stale_temp_files_removed_at_start(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as store:
        store.add_note("e", "kept")
    stale = store_path.parent / f".{store_path.name}.x1y2z3.tmp-timeline-tui"
    stale.write_bytes(b'{"notes": {"1": {"half')
    with AnnotationStore.open(store_path) as store:
        assert not stale.exists()
        assert [n.text for n in store.notes()] == ["kept"]


def _hold_lock_in_child(path: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from timeline_tui.core.store import AnnotationStore
        store = AnnotationStore.open(Path({str(path)!r}))
        assert not store.read_only
        store.add_note("e1", "written by the first instance")
        print("ready", flush=True)
        sys.stdin.readline()
        store.close()
        """
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


@pytest.fixture
def lock_holder(store_path: Path) -> Iterator[subprocess.Popen[str]]:
    child = _hold_lock_in_child(store_path)
    yield child
    if child.poll() is None:
        child.communicate("bye\n", timeout=10)


def test_second_instance_is_read_only(store_path: Path, lock_holder: subprocess.Popen[str]) -> None:
    stale_looking = store_path.parent / f".{store_path.name}.abc.tmp-timeline-tui"
    stale_looking.write_bytes(b"the writer may be writing this right now")
    before = store_path.read_bytes()
    with AnnotationStore.open(store_path) as store:
        assert store.read_only
        assert "another timeline-tui" in store.notices[0] and "read-only" in store.notices[0]
        assert [n.text for n in store.notes()] == ["written by the first instance"]
        with pytest.raises(ReadOnlyStore, match="read-only"):
            store.add_note("e1", "second")
        with pytest.raises(ReadOnlyStore):
            store.delete_note(1)
        with pytest.raises(ReadOnlyStore):
            store.add_link("e1", "harbour", TEXT, 0, 5)
        store.set_selection(["e1"])  # kept in memory only
        assert store.selection() == ["e1"]
    assert store_path.read_bytes() == before
    assert stale_looking.exists()  # only the lock holder cleans up temp files
    lock_holder.communicate("bye\n", timeout=10)
    with AnnotationStore.open(store_path) as store:
        assert not store.read_only and store.notices == []
        assert not stale_looking.exists()
        store.add_note("e1", "now writable")


def test_read_only_instance_leaves_a_damaged_file_alone(store_path: Path, lock_holder: subprocess.Popen[str]) -> None:
    # (a damaged file under a live writer cannot happen with atomic writes; simulate it anyway)
    store_path.write_bytes(b"{ damaged")
    with AnnotationStore.open(store_path) as store:
        assert store.read_only and store.notes() == []
        assert any("cannot be read" in n for n in store.notices)
    assert store_path.read_bytes() == b"{ damaged" and _corrupt_files(store_path) == []


def test_same_process_second_open_is_read_only(store_path: Path) -> None:
    with AnnotationStore.open(store_path) as first, AnnotationStore.open(store_path) as second:
        assert not first.read_only and second.read_only
    with AnnotationStore.open(store_path) as third:
        assert not third.read_only  # the lock was released by close()


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
        assert store._storage.read() == json.loads(on_disk)  # the storage's own memory too
        assert sorted(p.name for p in store_path.parent.iterdir()) == ["notes.json", "notes.json.lock"]
        OPERATIONS[operation](store)  # works once the disk has room again
        after = _snapshot(store)
    with AnnotationStore.open(store_path) as again:
        assert _snapshot(again)[:4] == after[:4]


def test_tinydb_generic_api_goes_through_the_atomic_storage(store_path: Path) -> None:
    """Plain TinyDB use (insert/search/update/remove/truncate) works and every write is a whole file."""
    db = AtomicTinyDB(str(store_path), storage=AtomicJSONStorage)
    table = db.table("things")
    ids = [table.insert({"n": i}) for i in range(5)]
    table.update({"n": 99}, doc_ids=[ids[0]])
    table.remove(doc_ids=[ids[1]])
    assert sorted(d["n"] for d in table.all()) == [2, 3, 4, 99]
    assert json.loads(store_path.read_bytes())["things"] == {"1": {"n": 99}, "3": {"n": 2}, "4": {"n": 3},
                                                             "5": {"n": 4}}
    db.storage.write({"other": {"7": {"x": [1, {"y": "\x1b"}]}}})
    assert json.loads(store_path.read_bytes()) == {"other": {"7": {"x": [1, {"y": "\x1b"}]}}}
    table.truncate()
    db.close()
    assert json.loads(store_path.read_bytes()) == {"other": {"7": {"x": [1, {"y": "\x1b"}]}}, "things": {}}


def test_directory_fsync_failing_after_the_rename_keeps_memory_equal_to_disk(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline_tui.core.atomicio as atomicio

    with AnnotationStore.open(store_path) as store:
        store.add_note("e1", "one")
        monkeypatch.setattr(atomicio, "fsync_directory", _enospc)
        store.add_note("e1", "two")  # the new file is in place: this counts as saved
        assert store._storage.read() == json.loads(store_path.read_bytes())
    with AnnotationStore.open(store_path) as again:
        assert [n.text for n in again.notes()] == ["one", "two"]

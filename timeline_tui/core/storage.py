"""A TinyDB storage that never loses a saved write: atomic, durable, single-writer.

Every write serialises the whole database, writes a temp file in the same directory, flushes and
fsyncs it, renames it over the store and fsyncs the directory (:mod:`timeline_tui.core.atomicio`).
A kill at any moment leaves either the previous file or the new one. One process at a time may
write: the first takes an exclusive ``flock`` on ``<name>.lock``; later ones open read-only.
A file that cannot be parsed is moved aside to ``<name>.corrupt-<timestamp>`` (never overwritten)
and the store starts empty. The last state known to be on disk is kept in memory, so a failed
write (ENOSPC, EIO...) leaves both the file and the in-memory state as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from timeline_tui.core.atomicio import atomic_write_bytes, fsync_directory, remove_stale_temps

Tables = dict[str, dict[str, Any]]
#: Raises ``ValueError`` (with a readable reason) if parsed data is not a usable store.
Validator = Callable[[Tables], None]


def lock_path(path: Path) -> Path:
    """The lock file that guards ``path``."""
    return path.with_name(path.name + ".lock")


def _check_shape(data: object) -> Tables:
    """``data`` as TinyDB tables, or ``ValueError`` saying what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not a JSON object")
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit()):
                raise ValueError(f"table {name!r} has a record with the non-numeric id {doc_id!r}")
            if not isinstance(doc, dict):
                raise ValueError(f"record {doc_id} of table {name!r} is not a JSON object")
    return data


class AtomicJSONStorage(Storage):  # type: ignore[misc]
    """TinyDB storage: atomic durable writes, a single-writer lock, corrupt files moved aside.

    After construction, ``read_only`` says whether this instance may write and ``notices`` holds
    human-readable messages about what happened while opening (lock held, file moved aside...).
    """

    def __init__(
        self, path: str | os.PathLike[str], *, fsync: bool = True, validator: Validator | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self.read_only = read_only
        self.notices: list[str] = []
        self.moved_aside: Path | None = None
        self._lock_fd: int | None = None
        self._data: dict[str, dict[int, dict[str, Any]]] | None = None
        # What is on disk: tables of records by id, and their JSON text (records, whole tables).
        self._texts: dict[str, dict[int, str]] = {}
        self._table_texts: dict[str, str] = {}
        if not self.read_only:
            self._acquire_lock()
        if not self.read_only:
            remove_stale_temps(self.path)
        self._data = self._load(validator)

    # -- opening -------------------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            self.read_only = True
            self.notices.append(f"Notes are read-only: cannot create {lock_path(self.path)} ({exc.strerror}).")
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            self.read_only = True
            self.notices.append(
                f"Notes are read-only: another timeline-tui is using {self.path}. "
                "Close it to add, edit or delete notes here."
            )
            return
        self._lock_fd = fd
        with contextlib.suppress(OSError):  # informational only: who holds the lock
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def _load(self, validator: Validator | None) -> dict[str, dict[int, dict[str, Any]]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            # Unreadable but maybe fine: never write over what we could not read.
            self.read_only = True
            self.notices.append(f"Notes are read-only: cannot read {self.path} ({exc.strerror}).")
            return None
        try:
            data = _check_shape(json.loads(raw.decode("utf-8")))
            if validator is not None:
                validator(data)
        except (UnicodeDecodeError, ValueError) as exc:
            reason = "it is empty" if not raw.strip() else f"it is damaged ({_short(exc)})"
            if self.read_only:
                self.notices.append(f"Notes store {self.path} cannot be read: {reason}. Showing no notes.")
                return None
            self._move_aside(reason)
            return None
        return self._remember(data)

    def _move_aside(self, reason: str) -> None:
        """Rename the unusable store to a ``.corrupt-<timestamp>`` name that does not exist yet."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            suffix = f".corrupt-{stamp}" + (f"-{n}" if n else "")
            dest = self.path.with_name(self.path.name + suffix)
            try:
                os.link(self.path, dest)  # refuses to clobber an existing file
            except FileExistsError:
                continue
            except OSError as exc:
                self.read_only = True
                self.notices.append(
                    f"Notes store {self.path} could not be read: {reason}, and could not be moved aside "
                    f"({exc.strerror}); notes are read-only until it is fixed or removed."
                )
                return
            os.unlink(self.path)
            fsync_directory(self.path.parent)
            self.moved_aside = dest
            self.notices.append(
                f"Notes store {self.path} could not be read: {reason}. It was kept as {dest} "
                "and a new, empty store was started."
            )
            return
        self.read_only = True
        self.notices.append(f"Notes store {self.path} could not be read ({reason}); notes are read-only.")

    # -- TinyDB Storage API --------------------------------------------------------------------

    def read(self) -> Tables | None:
        """A copy of the last state written (TinyDB mutates what it reads)."""
        if self._data is None:
            return None
        return {name: {str(k): dict(doc) for k, doc in table.items()} for name, table in self._data.items()}

    def write(self, data: Tables) -> None:
        """Replace the whole database with ``data``, atomically and durably; on failure nothing changes.

        Raises ``PermissionError`` when read-only and ``OSError`` when the write failed.
        """
        tables: dict[str, dict[int, dict[str, Any]]] = {}
        for name, table in data.items():
            docs: dict[int, dict[str, Any]] = {}
            for key, doc in table.items():
                if not (key.isascii() and key.isdigit()):
                    raise ValueError(f"record id {key!r} of table {name!r} is not numeric")
                docs[int(key)] = dict(doc)
            tables[name] = docs
        self._commit(tables, {name: set(docs) for name, docs in tables.items()})

    def update_table(self, name: str, updater: Callable[[dict[int, dict[str, Any]]], None]) -> None:
        """Apply a TinyDB table updater and save: the fast path used by :class:`AtomicTable`.

        Only records the updater touched are copied and serialised again, so a save costs little
        more than the write itself even with many records.
        """
        if self.read_only:
            raise PermissionError(f"{self.path} is open read-only")
        base = (self._data or {}).get(name, {})
        working = _CopyOnAccess(base)
        updater(working)
        changed = working.touched | (working.keys() - base.keys())
        tables = dict(self._data or {})
        tables[name] = dict(working)
        self._commit(tables, {name: changed})

    def close(self) -> None:
        """Release the lock (idempotent)."""
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- serialisation -------------------------------------------------------------------------

    def _commit(self, tables: dict[str, dict[int, dict[str, Any]]], changed: dict[str, set[int]]) -> None:
        """Write ``tables`` (records in ``changed`` are new or modified); adopt them only once on disk."""
        if self.read_only:
            raise PermissionError(f"{self.path} is open read-only")
        texts, table_texts = self._serialise(tables, changed)
        payload = ("{" + ",".join(table_texts.values()) + "}").encode("ascii")
        try:
            if self.fsync:
                atomic_write_bytes(self.path, payload, mode=0o600)  # notes are private
            else:
                _write_without_fsync(self.path, payload)
        except OSError:
            # Only the directory fsync can fail after the rename: then the new file is in place,
            # and memory must follow what is on disk.
            if not self._holds(payload):
                raise
        self._data, self._texts, self._table_texts = tables, texts, table_texts

    def _holds(self, payload: bytes) -> bool:
        try:
            return self.path.read_bytes() == payload
        except OSError:
            return False

    def _remember(self, data: Tables) -> dict[str, dict[int, dict[str, Any]]]:
        """Adopt freshly loaded ``data`` as the state on disk (and cache its JSON)."""
        tables = {name: {int(k): doc for k, doc in table.items()} for name, table in data.items()}
        self._texts, self._table_texts = self._serialise(tables, {n: set(t) for n, t in tables.items()})
        return tables

    def _serialise(
        self, tables: dict[str, dict[int, dict[str, Any]]], changed: dict[str, set[int]]
    ) -> tuple[dict[str, dict[int, str]], dict[str, str]]:
        """JSON text of every record and table, reusing the cache for what is not in ``changed``.

        Records are compact ASCII JSON (any string, even a lone surrogate, round-trips).
        """
        texts: dict[str, dict[int, str]] = {}
        table_texts: dict[str, str] = {}
        for name, docs in tables.items():
            dirty = changed.get(name)
            old = self._texts.get(name)
            if not dirty and old is not None and old.keys() == docs.keys():
                texts[name], table_texts[name] = old, self._table_texts[name]
                continue
            if old is None or dirty is None:
                table = {key: _record_json(key, doc) for key, doc in docs.items()}
            else:
                table = dict(old)
                for gone in old.keys() - docs.keys():
                    del table[gone]
                for key in sorted(docs.keys() & dirty):
                    table[key] = _record_json(key, docs[key])
            texts[name] = table
            table_texts[name] = json.dumps(name) + ":{" + ",".join(table.values()) + "}"
        return texts, table_texts


def _record_json(key: int, doc: dict[str, Any]) -> str:
    return f'"{key}":' + json.dumps(doc, separators=(",", ":"))


class _CopyOnAccess(dict[int, dict[str, Any]]):
    """A table handed to a TinyDB updater: a record is copied when first looked up (TinyDB
    mutates it in place), so the state on disk stays untouched until the write succeeds, and the
    keys looked up are the only ones that may have changed."""

    def __init__(self, base: dict[int, dict[str, Any]]) -> None:
        super().__init__(base)
        self.touched: set[int] = set()

    def __getitem__(self, key: int) -> dict[str, Any]:
        if key not in self.touched:
            super().__setitem__(key, dict(super().__getitem__(key)))
            self.touched.add(key)
        return super().__getitem__(key)

    def __setitem__(self, key: int, value: dict[str, Any]) -> None:
        self.touched.add(key)
        super().__setitem__(key, value)


class AtomicTable(Table):  # type: ignore[misc]
    """TinyDB table whose updates go through :meth:`AtomicJSONStorage.update_table`."""

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        storage = self._storage
        if isinstance(storage, AtomicJSONStorage):
            storage.update_table(self.name, updater)
            self.clear_cache()
        else:
            super()._update_table(updater)


class AtomicTinyDB(TinyDB):  # type: ignore[misc]
    """TinyDB using :class:`AtomicTable` (pass ``storage=AtomicJSONStorage`` or a factory of it)."""

    table_class = AtomicTable


def _write_without_fsync(path: Path, payload: bytes) -> None:
    """Atomic (temp + rename) but not durable: for benchmarks that compare with fsync off."""
    tmp = path.with_name(f".{path.name}.nofsync.tmp-timeline-tui")
    try:
        tmp.write_bytes(payload)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:117] + "..."

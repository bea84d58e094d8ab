"""The file under the annotation store: one JSON document of TinyDB tables, shared by every process.

:class:`StoreFile` is a TinyDB :class:`~tinydb.storages.Storage` (TinyDB's public storage API:
``read``/``write``/``close``) with these rules, so that several app instances and the command line
can use one store at once without refusing or losing anything:

* **Reading never changes a file.** Opening, :meth:`StoreFile.poll` and ``read`` never create,
  lock, move or rename anything. A missing file is an empty store. A file that cannot be used —
  not UTF-8, not JSON, nested too deeply to parse, a record of the wrong shape — is *damaged*:
  :attr:`StoreFile.damage` says why, the last good tables stay in memory (none if none was ever
  read) and the file is left as it is.
* **The lock is held for one change at a time.** :meth:`StoreFile.change` takes an exclusive
  ``flock`` on ``<file>.lock`` beside the *resolved* file (a symlink and its target share one
  lock: :mod:`~timeline_tui.core.store_lock`), waiting at most ``lock_timeout`` seconds (then
  :class:`~timeline_tui.core.store_lock.LockTimeout`); reads the file
  again if it changed since this process last read or wrote it; lets TinyDB apply the change
  (its writes are gathered, so one change is one write); writes the result atomically and
  durably (temp file, fsync, rename, directory fsync: :mod:`~timeline_tui.core.atomicio`); and
  releases the lock. A writer that finds the file damaged moves it aside to
  ``<name>.corrupt-<timestamp>`` (never overwriting anything) and carries on from the last good
  tables it had read.
* **A changed file is noticed cheaply**: its identity (device, inode, size, mtime_ns) and the
  counter every writer bumps in the lock file. :meth:`StoreFile.poll` costs two system calls
  when nothing changed.
* **A failed write changes nothing**: neither the file nor the tables in memory.
* **Records are kept read-only** (:class:`Record`) once read or written, and shared from one
  version of the tables to the next: a save copies no record, and a table to which records were
  only added gets their text appended (:mod:`~timeline_tui.core.store_json`). TinyDB gets copies
  it may change (``copy_records=True``, the default), or — for the store, which replaces records
  instead of changing them — the shared records themselves, which refuse to be changed in place.
* **Temp files** a killed writer left are removed by a later writer, only while it holds the
  lock (so no live writer owns them) and only when they are older than :data:`STALE_TEMP_AGE`.

A plain TinyDB write outside :meth:`StoreFile.change` takes the lock too, and refuses
(:class:`FileChanged`) if the file changed since it was last read. Not thread-safe: the store
(:mod:`timeline_tui.core.store`) calls it under its own lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from timeline_tui.core.atomicio import atomic_write_bytes, fsync_directory, remove_stale_temps
from timeline_tui.core.store_json import Pieces, Tables, parse_tables, record_json, table_pieces
from timeline_tui.core.store_lock import held, lock_path, read_counter, write_counter

#: Raises ``ValueError`` (with a readable reason) if parsed data is not a usable store.
Validator = Callable[[Tables], None]

#: Seconds a writer waits for another one's lock before giving up.
LOCK_TIMEOUT = 5.0
#: Seconds a temp file must have been left untouched before a writer removes it.
STALE_TEMP_AGE = 60.0
_CLEANUP_EVERY = 60.0
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_MAX_PIECES = 64


class FileChanged(OSError):
    """A plain TinyDB write found the file changed since it was read (nothing was written)."""


@dataclass(frozen=True, slots=True)
class Identity:
    """One version of the file: ``(device, inode, size, mtime_ns)`` (None: no file) and the writers' counter."""

    file: tuple[int, int, int, int] | None
    generation: int


class Record(dict[str, Any]):
    """A record as kept in memory once read or written: never changed in place (a new one replaces
    it), so unchanged records are shared from one version of the tables to the next and are known
    unchanged by identity. Changing one in place raises ``TypeError``."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise TypeError("a stored record is not changed in place: replace it (remove, then insert)")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = __ior__ = _refuse  # type: ignore[assignment]


def _frozen(tables: Tables, known: Tables) -> Tables:
    """``tables`` with every record a :class:`Record`: the very one of ``known`` if it is equal."""
    frozen: Tables = {}
    for name, table in tables.items():
        old = known.get(name, {})
        frozen[name] = {key: old[key] if key in old and old[key] == doc else Record(doc) for key, doc in table.items()}
    return frozen


class _TablesView(dict[str, dict[str, dict[str, Any]]]):
    """What ``read`` hands TinyDB: the tables, each one copied when first looked up (its records
    too, unless they are shared read-only), so TinyDB never changes the tables known to be on
    disk. Tables TinyDB does not touch stay the very same objects: ``write`` knows them unchanged."""

    def __init__(self, tables: Tables, copy_records: bool) -> None:
        super().__init__(tables)
        self._copy_records = copy_records
        self._copied: set[str] = set()

    def __getitem__(self, name: str) -> dict[str, dict[str, Any]]:
        if name not in self._copied:
            table = super().__getitem__(name)
            copied = {key: dict(doc) for key, doc in table.items()} if self._copy_records else dict(table)
            super().__setitem__(name, copied)
            self._copied.add(name)
        return super().__getitem__(name)

    def __setitem__(self, name: str, table: dict[str, dict[str, Any]]) -> None:
        self._copied.add(name)
        super().__setitem__(name, table)


class StoreFile(Storage):  # type: ignore[misc]
    """The store's JSON file (see the module doc). ``read_only_reason`` is ``""`` when it may be written."""

    def __init__(
        self, path: str | os.PathLike[str], *, fsync: bool = True, validator: Validator | None = None,
        read_only: bool = False, create_dir: bool = True, lock_timeout: float = LOCK_TIMEOUT,
        copy_records: bool = True,
    ) -> None:
        self.path = Path(path)
        self.real_path = Path(os.path.realpath(self.path))
        self.lock_path = lock_path(self.real_path)
        self.fsync = fsync
        self.validator = validator
        self.create_dir = create_dir
        self.lock_timeout = lock_timeout
        self.copy_records = copy_records
        self.notices: list[str] = []
        self.damage: str | None = None
        self.moved_aside: Path | None = None
        self.read_only_reason = "opened read-only" if read_only else ""
        self._tables: Tables = {}
        self._table_texts: dict[str, Pieces] = {}  # JSON of each table in _tables, once written
        self._seen = Identity(None, 0)  # the version _tables came from
        self._pending: Tables | None = None  # TinyDB's writes during change()
        self._last_cleanup = -_CLEANUP_EVERY
        try:
            self._load(self._generation())
        except OSError as exc:
            # Unreadable but maybe fine: never write over what could not be read.
            self.read_only_reason = f"Notes are read-only: cannot read {self.path} ({exc.strerror or exc})."
            self.notices.append(self.read_only_reason)
        if not self.read_only_reason:
            self.read_only_reason = self._probe_writable()

    @property
    def tables(self) -> Tables:
        """The tables as last read or written (do not modify them)."""
        return self._tables

    # -- reading (never changes a file) ---------------------------------------------------------

    def _generation(self, fd: int | None = None) -> int:
        return read_counter(self.lock_path, fd)

    def _identity(self, generation: int) -> Identity:
        try:
            st = os.stat(self.real_path)
        except FileNotFoundError:
            return Identity(None, generation)
        return Identity((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), generation)

    def _load(self, generation: int) -> bool:
        """Read the file as it is now (no lock: renames are atomic). True if the tables were read anew.

        Raises ``OSError`` when the file exists but cannot be read.
        """
        try:
            fd = os.open(self.real_path, os.O_RDONLY | os.O_NONBLOCK | _O_CLOEXEC)
        except FileNotFoundError:
            had = bool(self._tables) or self._seen.file is not None
            self._seen, self.damage = Identity(None, generation), None
            self._tables, self._table_texts = {}, {}
            return had
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                raw = fh.read()
        finally:
            os.close(fd)
        self._seen = Identity((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), generation)
        try:
            data = parse_tables(raw)
            if self.validator is not None:
                self.validator(data)
        except RecursionError:
            self._damaged("it is damaged (values nested too deeply to read)")
            return False
        except ValueError as exc:  # also UnicodeDecodeError and json.JSONDecodeError
            self._damaged("it is empty" if not raw.strip() else f"it is damaged ({_short(exc)})")
            return False
        self.damage = None
        self._tables, self._table_texts = _frozen(data, self._tables), {}
        return True

    def _damaged(self, reason: str) -> None:
        if self.damage != reason:
            shown = "the notes read before it was damaged" if self._has_records() else "no notes"
            self.notices.append(
                f"Notes store {self.path} cannot be read: {reason}. It is left as it is and {shown} are shown; "
                "the next change saved moves it aside (kept) first."
            )
        self.damage = reason

    def poll(self) -> bool:
        """Read the file again if another process changed it; True if the tables were read anew.

        Cheap when nothing changed (a ``stat`` and a read of the lock file's counter); never
        changes a file. A file that cannot be read now keeps the last tables (see ``notices``).
        """
        if self._pending is not None:
            return False
        generation = self._generation()
        try:
            if self._identity(generation) == self._seen:
                return False
            return self._load(generation)
        except OSError as exc:
            message = f"Notes store {self.path} cannot be read now ({exc.strerror or exc}); showing the notes read before."
            if not self.notices or self.notices[-1] != message:
                self.notices.append(message)
            return False

    # -- TinyDB Storage API --------------------------------------------------------------------

    def read(self) -> Tables | None:
        """The tables, copied as TinyDB touches them (it changes records in place)."""
        return _TablesView(self._pending if self._pending is not None else self._tables, self.copy_records)

    def write(self, data: Tables) -> None:
        """Replace the whole database with ``data``: gathered while a :meth:`change` runs, else
        written at once under the lock (``FileChanged`` if the file changed since it was read).
        On failure nothing changes."""
        tables = dict(dict.items(data))
        if self._pending is not None:
            self._pending = tables
            return
        self._check_writable()
        with self._locked() as fd:
            generation = self._generation(fd)
            if self._identity(generation) != self._seen or self.damage is not None:
                raise FileChanged(errno.EAGAIN, f"{self.path} changed since it was read; nothing was written")
            self._commit(tables, fd, generation)

    def close(self) -> None:
        """Nothing to release: the lock is only held during a change."""

    # -- changing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def change(self) -> Iterator[bool]:
        """Hold the lock for one change (see the module doc); yields True if the file was read anew.

        Inside, TinyDB's reads and writes see the file's current tables; the result is written
        once when the block ends without an exception (nothing is written if it raises).
        """
        self._check_writable()
        if self._pending is not None:
            raise RuntimeError("store changes do not nest")
        with self._locked() as fd:
            generation = self._generation(fd)
            reloaded = False
            if self._identity(generation) != self._seen:
                reloaded = self._load(generation)
            if self.damage is not None:
                self._move_aside(self.damage)
                self._seen = Identity(None, generation)
            self._remove_abandoned_temps()
            self._pending = self._tables
            try:
                yield reloaded
                if self._pending is not self._tables:
                    self._commit(self._pending, fd, generation)
            finally:
                self._pending = None

    def _check_writable(self) -> None:
        if self.read_only_reason:
            raise PermissionError(errno.EACCES, self.read_only_reason)

    def _probe_writable(self) -> str:
        """Why this process could not save changes, found without changing anything (``""``: it can)."""
        try:
            st = os.stat(self.lock_path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            return f"Notes are read-only: cannot use {self.lock_path} ({exc.strerror})."
        else:
            if not stat.S_ISREG(st.st_mode):
                what = "Is a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
                return f"Notes are read-only: cannot create {self.lock_path} ({what})."
        directory = self.real_path.parent
        if directory.is_dir() and not os.access(directory, os.W_OK | os.X_OK):
            return f"Notes are read-only: cannot write in {directory} (Permission denied)."
        return ""

    @contextlib.contextmanager
    def _locked(self) -> Iterator[int]:
        """The lock, held (waiting up to ``lock_timeout``); the file's folder made first if it may be."""
        if self.create_dir:
            self.real_path.parent.mkdir(parents=True, exist_ok=True)
        with held(self.lock_path, self.lock_timeout) as fd:
            yield fd

    def _remove_abandoned_temps(self) -> None:
        """Under the lock no live writer owns a temp file; still spare recent ones. At most once a minute."""
        now = time.monotonic()
        if now - self._last_cleanup >= _CLEANUP_EVERY:
            self._last_cleanup = now
            remove_stale_temps(self.real_path, older_than=STALE_TEMP_AGE)

    def _move_aside(self, reason: str) -> None:
        """Rename the unusable file to a ``.corrupt-<timestamp>`` name that does not exist yet."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            dest = self.real_path.with_name(self.real_path.name + f".corrupt-{stamp}" + (f"-{n}" if n else ""))
            try:
                os.link(self.real_path, dest)  # refuses to clobber an existing file
            except FileExistsError:
                continue
            except FileNotFoundError:
                self.damage = None  # gone already
                return
            except OSError as exc:
                raise OSError(exc.errno, f"the damaged file could not be moved aside ({exc.strerror})") from exc
            os.unlink(self.real_path)
            fsync_directory(self.real_path.parent)
            self.moved_aside, self.damage = dest, None
            kept = "a new store was started with the notes read before" if self._has_records() else \
                "a new, empty store was started"
            self.notices.append(f"Notes store {self.path} could not be read: {reason}. It was kept as {dest} and {kept}.")
            return
        raise OSError(errno.EEXIST, "the damaged file could not be moved aside (too many kept copies)")

    def _has_records(self) -> bool:
        return any(self._tables.values())

    def _commit(self, tables: Tables, fd: int, generation: int) -> None:
        """Write ``tables``; adopt them (and the new identity) only once they are on disk."""
        tables, table_texts = self._prepare(tables)
        payload = [b"{", *_joined(list(table_texts.values())), b"}"]
        try:
            if self.fsync:
                atomic_write_bytes(self.real_path, payload, mode=0o600)  # notes are private
            else:
                _write_without_fsync(self.real_path, b"".join(payload))
        except OSError:
            # Only the directory fsync can fail after the rename: then the new file is in place,
            # and memory must follow what is on disk.
            if not self._holds(b"".join(payload)):
                raise
        generation += 1
        write_counter(fd, generation)
        self._tables, self._table_texts = tables, table_texts
        self._seen = self._identity(generation)

    def _holds(self, payload: bytes) -> bool:
        try:
            return self.real_path.read_bytes() == payload
        except OSError:
            return False

    def _prepare(self, tables: Tables) -> tuple[Tables, dict[str, Pieces]]:
        """The tables to keep once written (records made :class:`Record`) and the text of each,
        reusing what was written before for tables that did not change.

        A table to which records were only added (the usual change, checked in C) keeps its
        records and gets the new ones' text appended; any other changed table is written again
        whole (one C-speed ``json.dumps``).
        """
        kept: Tables = {}
        texts: dict[str, Pieces] = {}
        for name, table in tables.items():
            old_table, known = self._tables.get(name), self._table_texts.get(name)
            if known is not None and table is old_table:
                kept[name], texts[name] = table, known
            elif known is not None and old_table is not None and old_table.items() <= table.items():
                keys = sorted(table.keys() - old_table.keys(), key=int)
                added = {key: Record(table[key]) for key in keys}
                kept[name] = {**old_table, **added}
                body = b",".join(record_json(name, key, doc) for key, doc in added.items())
                pieces = (*known[:-1], b"," + body if old_table else body, b"}") if keys else known
                texts[name] = pieces if len(pieces) <= _MAX_PIECES else (b"".join(pieces[:-1]), b"}")
            else:
                kept[name] = {key: doc if type(doc) is Record else Record(doc) for key, doc in table.items()}
                texts[name] = table_pieces(name, kept[name])
        return kept, texts


def _joined(tables: list[Pieces]) -> list[bytes]:
    """The pieces of the tables' texts, with a comma between tables."""
    out: list[bytes] = []
    for i, pieces in enumerate(tables):
        if i:
            out.append(b",")
        out.extend(pieces)
    return out


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

"""The lock beside a store file: one writer at a time, for one change, and a counter of changes.

* :func:`held` — the lock file ``<file>.lock`` open and exclusively ``flock``-ed, for one change.
  A writer that finds it taken tries again every millisecond or two (so it gets its turn between
  another writer's changes) until the timeout, then :class:`LockTimeout`. The lock file is never
  removed (removing lock files races); if someone removes it anyway, the one at the path is locked.
* :func:`read_counter` / :func:`write_counter` — a number every writer bumps in the lock file
  after each change, so readers tell versions of the store apart even when the file's identity
  (device, inode, size, mtime) cannot: two writes in one clock tick, an inode number reused.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class LockTimeout(OSError):
    """Another process held the store's lock for longer than the wait allowed."""


def lock_path(path: Path) -> Path:
    """The lock file that guards ``path`` (pass the resolved path: a symlink and its target share it)."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def held(lock: Path, timeout: float) -> Iterator[int]:
    """``lock`` (created if needed) open and exclusively locked, waiting up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | _O_CLOEXEC, 0o644)
        try:
            _wait_for(fd, deadline, lock)
            mine, there = os.fstat(fd), os.stat(lock)
        except FileNotFoundError:  # removed meanwhile: lock the one that is there now
            os.close(fd)
            continue
        except BaseException:
            os.close(fd)
            raise
        if (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino):
            break
        os.close(fd)
    try:
        yield fd
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _wait_for(fd: int, deadline: float, lock: Path) -> None:
    delay = 0.0005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LockTimeout(errno.EWOULDBLOCK, "another program kept the notes locked", str(lock))
        time.sleep(min(remaining, delay * random.uniform(0.5, 1.5)))
        delay = min(delay * 2, 0.002)


def read_counter(lock: Path, fd: int | None = None) -> int:
    """The writers' counter (0 when there is no lock file); ``fd``: the lock already held."""
    try:
        if fd is None:
            fd_read = os.open(lock, os.O_RDONLY | _O_CLOEXEC)
            try:
                raw = os.pread(fd_read, 32, 0)
            finally:
                os.close(fd_read)
        else:
            raw = os.pread(fd, 32, 0)
        return int(raw.split(b"\n", 1)[0] or b"0")
    except (OSError, ValueError):
        return 0


def write_counter(fd: int, value: int) -> None:
    """Set the counter in the held lock file (fixed width: a reader never sees half of it)."""
    with contextlib.suppress(OSError):  # the store file's identity changed anyway
        os.pwrite(fd, f"{value:020d}\n".encode(), 0)

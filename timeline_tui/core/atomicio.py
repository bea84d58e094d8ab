"""Durable, atomic file replacement: temp file in the same directory, fsync, rename, fsync the directory.

A reader (or a crash) sees either the old file or the new one, never a half-written file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import stat
import time
from collections.abc import Sequence
from pathlib import Path

TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp-timeline-tui"


def fsync_directory(directory: Path) -> None:
    """Persist a rename in ``directory`` (no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_temp(path: Path, mode: int) -> tuple[int, Path]:
    """Create a fresh temp file beside ``path`` (``mode`` is filtered by the umask)."""
    for _ in range(100):
        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temp file beside {path}")


def atomic_write_bytes(
    path: Path, data: bytes | Sequence[bytes], *, overwrite: bool = True, mode: int | None = None
) -> None:
    """Replace ``path`` with ``data`` (bytes, or pieces written one after the other) atomically and durably.

    With ``overwrite=False`` an existing file is never replaced (``FileExistsError``), checked
    atomically with a hard link. A symlink is followed (its target is replaced). The new file keeps
    the old file's permissions, or gets ``mode`` (default ``0o666`` less the umask, like any new
    file). On any ``OSError`` the temp file is removed and the target is untouched.
    """
    path = Path(os.path.realpath(path))
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(f"directory {directory} does not exist")
    keep: int | None = None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            # renaming over a device, FIFO or socket would replace it, not write to it
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        keep = stat.S_IMODE(st.st_mode)
    fd, tmp = _open_temp(path, mode if mode is not None else 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            final_mode = mode if mode is not None else keep
            if final_mode is not None:
                os.fchmod(fh.fileno(), final_mode)
            for piece in [data] if isinstance(data, bytes) else data:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with FileExistsError rather than clobbering
            tmp.unlink()
        fsync_directory(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_text(path: Path, text: str, *, overwrite: bool = True, mode: int | None = None) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text (newlines written as given)."""
    atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite, mode=mode)


def remove_stale_temps(path: Path, *, older_than: float | None = None) -> list[Path]:
    """Delete temp files a killed writer of ``path`` left behind; returns what was removed.

    Call it only while no other writer of ``path`` can be writing (holding the file's lock).
    ``older_than`` (seconds) spares temp files modified more recently than that.
    """
    path = Path(path)
    removed = []
    now = time.time()
    for tmp in path.parent.glob(f"{glob.escape(TEMP_PREFIX + path.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if older_than is not None and now - tmp.lstat().st_mtime < older_than:
                continue
            tmp.unlink()
            removed.append(tmp)
    return removed

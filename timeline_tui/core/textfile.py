"""Read text files that others may have prepared: regular files only, bounded, and confined where asked.

* :func:`read_text_file` reads a file the user named (an article for ``extract``, a source for
  ``quote``): it must be a regular file (a FIFO, a device or a directory is refused before it is
  read, and opening never blocks) no larger than the limit.
* :func:`read_source` reads a dataset's source: ``path`` comes from events.json, so it must also be
  relative, free of NUL, and stay inside the dataset's folder after symlinks are resolved
  (:func:`check_source_path`). The file is opened at its resolved path with ``O_NOFOLLOW`` and the
  opened descriptor's own path is compared with the folder again, so a symlink swapped in between
  the check and the open cannot lead outside either.

Text is decoded as UTF-8 with newlines untouched (code-point offsets hold). Every failure is a
:class:`TextFileError` with one readable message that quotes the path at most
:data:`~timeline_tui.core.limits.ECHO_CHARS` characters long.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

from timeline_tui.core.limits import MAX_PATH_CHARS, MAX_SOURCE_BYTES, size_text
from timeline_tui.core.textsafe import echo

#: what stops ``open`` from blocking on a FIFO, following a final symlink or taking a terminal
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class TextFileError(Exception):
    """A text file cannot be used; ``missing`` marks a file that does not exist, ``unsafe`` a path or
    file refused before reading (outside the dataset, not a regular file, too large)."""

    def __init__(self, message: str, *, missing: bool = False, unsafe: bool = False) -> None:
        super().__init__(message)
        self.missing = missing
        self.unsafe = unsafe


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_fd(fd: int, shown: str, limit: int) -> bytes:
    """Read an open descriptor (closing it), refusing anything but a regular file of at most ``limit`` bytes."""
    with os.fdopen(fd, "rb", closefd=True) as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise TextFileError(f"{shown} is {_kind(st.st_mode)}, not a regular file; not read", unsafe=True)
        if st.st_size > limit:
            raise TextFileError(f"{shown} is {size_text(st.st_size)}, more than the {size_text(limit)} limit",
                                unsafe=True)
        # read what fstat says is there (not a buffer of the limit's size); only a file that grew
        # or a /proc file (size 0) is read on, and never past the limit
        data = fh.read(min(st.st_size, limit) + 1)
        if len(data) > st.st_size:
            chunks = [data]
            total = len(data)
            while total <= limit:
                chunk = fh.read(min(1 << 20, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    if len(data) > limit:
        raise TextFileError(f"{shown} is more than the {size_text(limit)} limit", unsafe=True)
    return data


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TextFileError(f"{shown} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _os_error(exc: OSError, shown: str) -> TextFileError:
    if isinstance(exc, FileNotFoundError):
        return TextFileError(f"{shown} not found", missing=True)
    if isinstance(exc, IsADirectoryError):
        return TextFileError(f"{shown} is a directory, not a text file", unsafe=True)
    if exc.errno == errno.ELOOP:
        return TextFileError(f"{shown} changed into a symbolic link while it was being opened; not read", unsafe=True)
    return TextFileError(f"cannot read {shown}: {exc.strerror or exc}")


def read_file_bytes(path: Path | str, *, limit: int) -> bytes:
    """The bytes of a regular file the user named, or :class:`TextFileError` (never blocks, never reads past ``limit``)."""
    shown = echo(str(path))
    if "\x00" in str(path):
        raise TextFileError(f"{shown}: a file name cannot contain a NUL character", unsafe=True)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_error(exc, shown) from None
    try:
        return _read_fd(fd, shown, limit)
    except OSError as exc:
        raise _os_error(exc, shown) from None


def read_text_file(path: Path | str, *, limit: int = MAX_SOURCE_BYTES) -> str:
    """The UTF-8 text of a regular file the user named (newlines untouched), or :class:`TextFileError`."""
    return _decode(read_file_bytes(path, limit=limit), echo(str(path)))


def read_exact_text(path: Path | str) -> str:
    """The file's text with code-point offsets intact (no newline translation): :func:`read_text_file`."""
    return read_text_file(path)


def check_source_path(root: Path, path: str) -> Path:
    """The resolved location of a dataset's source ``path`` (relative to ``root``), after the rules.

    Raises :class:`TextFileError` (``unsafe``) for an empty, absolute or over-long path, a NUL in it,
    or a path that leads outside ``root`` once symlinks are resolved; (``missing``) when nothing is
    there; nothing is opened.
    """
    shown = echo(path)
    if not path:
        raise TextFileError("the source path is empty", unsafe=True)
    if "\x00" in path:
        raise TextFileError(f"source path {shown!r} contains a NUL character", unsafe=True)
    if len(path) > MAX_PATH_CHARS:
        raise TextFileError(f"source path is {len(path):,} characters, more than the {MAX_PATH_CHARS:,} limit", unsafe=True)
    if PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute() or PureWindowsPath(path).drive:
        raise TextFileError(f"source path {shown!r} is absolute; it must be relative to the folder of events.json",
                            unsafe=True)
    base = Path(os.path.realpath(root))
    resolved = Path(os.path.realpath(base / path))
    if not resolved.is_relative_to(base):
        raise TextFileError(
            f"source path {shown!r} leads outside the folder of events.json; not read",
            unsafe=True,
        )
    try:
        st = os.stat(resolved)
    except FileNotFoundError:
        raise TextFileError(f"{echo(str(root / path))} not found", missing=True) from None
    except OSError as exc:
        raise _os_error(exc, echo(str(root / path))) from None
    if not stat.S_ISREG(st.st_mode):
        raise TextFileError(f"source path {shown!r} is {_kind(st.st_mode)}, not a text file; not read", unsafe=True)
    return resolved


def _opened_path(fd: int) -> str | None:
    """Where an open descriptor really points, if the system can say (Linux /proc, macOS F_GETPATH)."""
    if sys.platform.startswith("linux"):
        try:
            return os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return None
    if sys.platform == "darwin":
        import fcntl

        getpath: int | None = getattr(fcntl, "F_GETPATH", None)
        if getpath is None:
            return None
        try:
            raw = fcntl.fcntl(fd, getpath, b"\0" * 1024)
        except OSError:
            return None
        return os.fsdecode(raw.split(b"\0", 1)[0])
    return None


def read_source(root: Path, path: str, *, limit: int = MAX_SOURCE_BYTES) -> str:
    """The text of a dataset's source file, confined to ``root`` (see the module docstring)."""
    resolved = check_source_path(root, path)
    base = Path(os.path.realpath(root))
    shown = echo(str(root / path))
    try:
        fd = os.open(resolved, _OPEN_FLAGS | _NOFOLLOW)
    except OSError as exc:
        raise _os_error(exc, shown) from None
    where = _opened_path(fd)
    if where is not None and not Path(where).is_relative_to(base):
        os.close(fd)
        raise TextFileError(f"source path {echo(path)!r} led outside the folder of events.json when opened; not read",
                            unsafe=True)
    if where is None:
        # no way to ask the descriptor: it must at least be the file that was checked
        same = os.fstat(fd)
        try:
            now = os.stat(resolved)
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (same.st_dev, same.st_ino):
            os.close(fd)
            raise TextFileError(f"source path {echo(path)!r} changed while it was being opened; not read", unsafe=True)
    try:
        return _decode(_read_fd(fd, shown, limit), shown)
    except OSError as exc:
        raise _os_error(exc, shown) from None

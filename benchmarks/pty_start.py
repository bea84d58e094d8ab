"""Real-process start-up: spawn a command in a pseudo-terminal and time its first useful screen.

The child gets a pty of a fixed size (set on the slave before ``exec``) and ``TERM=xterm-256color``.
The clock runs from just before ``fork`` to the moment the bytes read from the pty, with escape
sequences removed, first contain one of the given strings (an event title); then ``q`` is sent
and the child must exit (it is terminated if it does not within a few seconds). Standard
library only (``pty``, ``select``, ``termios``), no pexpect.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import strip_ansi  # noqa: E402


class PtyTimeout(RuntimeError):
    """The child did not show any of the expected strings in time; ``output`` is what it showed."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def _wait_exit(pid: int, timeout: float) -> int | None:
    """The child's exit status once it has exited (reaping it), or ``None`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.02)


def _drain(fd: int) -> None:
    while True:
        ready, _, _ = select.select([fd], [], [], 0)
        if not ready:
            return
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def time_to_text(
    argv: Sequence[str],
    needles: Iterable[str],
    *,
    size: tuple[int, int] = (120, 40),
    env: Mapping[str, str] | None = None,
    timeout: float = 120.0,
    quit_key: bytes = b"q",
) -> float:
    """Milliseconds from spawning ``argv`` in a pty until its screen shows one of ``needles``."""
    wanted = [n for n in needles if n]
    cols, rows = size
    child_env = dict(os.environ if env is None else env)
    child_env["TERM"] = "xterm-256color"
    child_env.pop("COLUMNS", None)
    child_env.pop("LINES", None)
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: fix the terminal size, then become the program
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], list(argv), child_env)
        finally:
            os._exit(127)
    raw: list[bytes] = []
    found: float | None = None
    status: int | None = None
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            now = time.perf_counter()
            raw.append(chunk)
            visible = strip_ansi(b"".join(raw).decode("utf-8", "replace"))
            if any(n in visible for n in wanted):
                found = now
                break
        if found is None:
            output = strip_ansi(b"".join(raw).decode("utf-8", "replace"))
            raise PtyTimeout(f"{' '.join(argv)}: no expected text within {timeout:.0f} s", output[-2000:])
        os.write(fd, quit_key)
        for _ in range(100):  # keep reading so the child never blocks on a full pty buffer
            _drain(fd)
            status = _wait_exit(pid, 0.05)
            if status is not None:
                break
        if status is None:
            os.kill(pid, signal.SIGTERM)
            status = _wait_exit(pid, 3)
        return (found - t0) * 1000
    finally:
        if status is None and _wait_exit(pid, 0) is None:
            os.kill(pid, signal.SIGKILL)
            _wait_exit(pid, 3)
        os.close(fd)

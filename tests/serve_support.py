"""Run a real ``timeline-tui serve`` in a child process for the CLI and browser tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psutil

TOKEN = "test-token-0123456789"


def wait_for(check: Callable[[], object], timeout: float = 30.0, what: str = "condition") -> object:
    """Poll ``check`` until it returns something truthy (and return that), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    """A running server: its process, the URL it printed, what it wrote to stderr."""

    proc: subprocess.Popen[str]
    url: str
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    def app_pids(self) -> list[int]:
        """The app processes the server runs now (its live children)."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [c.pid for c in children if _alive(c.pid)]

    def stop(self, sig: signal.Signals = signal.SIGINT, timeout: float = 30) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def alive(pids: list[int]) -> list[int]:
    return [p for p in pids if _alive(p)]


def _pump(stream: object, lines: list[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.append(line)


def start_server(events: Path, notes: Path, *extra: str, token: str | None = TOKEN) -> Served | subprocess.CompletedProcess[str]:
    """Start ``timeline-tui serve`` on a free port; the running server, or the finished process if it exited."""
    args = [sys.executable, "-m", "timeline_tui", "serve", str(events), "--notes", str(notes), "--port", "0", *extra]
    if token is not None:
        args += ["--token", token]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    out: list[str] = []
    err: list[str] = []
    for stream, lines in ((proc.stdout, out), (proc.stderr, err)):
        threading.Thread(target=_pump, args=(stream, lines), daemon=True).start()

    def url() -> str | None:
        for line in out:
            m = re.search(r"http://\S+", line)
            if m:
                return m.group(0)
        return None

    deadline = time.monotonic() + 60
    while url() is None and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    found = url()
    if found is None:
        with suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        time.sleep(0.1)  # let the pumps read the rest
        return subprocess.CompletedProcess(args, proc.returncode, "".join(out), "".join(err))
    return Served(proc, found, out, err)


@contextmanager
def serving(events: Path, notes: Path, *extra: str, token: str | None = TOKEN) -> Iterator[Served]:
    """A running server, stopped (SIGINT) at the end; fails the test if it left an app process behind."""
    served = start_server(events, notes, *extra, token=token)
    assert isinstance(served, Served), f"server did not start: {served.stderr}"
    seen: set[int] = set()
    try:
        yield served
    finally:
        seen.update(served.app_pids())
        if served.proc.poll() is None:
            served.stop()
        leftover = alive(sorted(seen))
        for pid in leftover:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert not leftover, f"app processes outlived the server: {leftover}"

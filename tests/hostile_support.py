"""Hostile datasets built in a temp directory, a secret canary, and bounded runs of the real command.

The canary is a random token placed where a hostile dataset might try to reach it: in a file
outside the dataset's folder and in the environment variable ``SECRET_TOKEN``. Every command is
run as a separate process with a timeout, so a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import pty
import re
import secrets
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = "CANARY-" + secrets.token_hex(8)
TIMEOUT = 60.0

#: what must never reach a terminal raw (tab, LF and a CR that ends a CRLF line are allowed)
RAW_UNSAFE = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

ARTICLE = (
    "Harbour town marks its history\n\n"
    "In August 1945, the first ships returned to the harbour after years of blockade. "
    "Between 1950 and 1953 the quays were rebuilt, and in 2005 a museum opened.\n"
)


@dataclass
class Run:
    """One finished command: status, output, and whether it had to be stopped."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def env_with_secret(tmp: Path) -> dict[str, str]:
    """The environment a command runs in: the canary in SECRET_TOKEN, notes in the temp directory."""
    return {
        **os.environ,
        "SECRET_TOKEN": SECRET,
        "TIMELINE_TUI_NOTES": str(tmp / "notes-store.json"),
        "XDG_DATA_HOME": str(tmp / "xdg"),
        "PYTHONIOENCODING": "utf-8",
    }


def run_cli(args: list[str], tmp: Path, *, stdin: str | None = None, timeout: float = TIMEOUT) -> Run:
    """``python -m timeline_tui ARGS``; fails the test (not the suite) if it does not end in time."""
    argv = [sys.executable, "-m", "timeline_tui", *args]
    try:
        done = subprocess.run(argv, capture_output=True, cwd=tmp, env=env_with_secret(tmp), timeout=timeout,
                              input=None if stdin is None else stdin.encode("utf-8"),
                              stdin=subprocess.DEVNULL if stdin is None else None)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"timeline-tui {' '.join(args)} did not finish within {timeout} s (a hang)") from None
    return Run(args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def run_shell(script: str, tmp: Path, *, timeout: float = TIMEOUT) -> Run:
    """A bash snippet (for redirections such as ``> /dev/full`` or ``>&-``); ``$T`` is the command."""
    full = f'T="{sys.executable} -m timeline_tui"\n{script}'
    try:
        done = subprocess.run(["bash", "-c", full], capture_output=True, cwd=tmp, env=env_with_secret(tmp),
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{script!r} did not finish within {timeout} s (a hang)") from None
    return Run([script], done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def run_in_terminal(args: list[str], tmp: Path, *, until: str, timeout: float = TIMEOUT,
                    keys: bytes = b"q", size: tuple[int, int] = (100, 30)) -> tuple[str, int | None, int]:
    """Run the command in a pseudo-terminal until ``until`` appears on screen, then type ``keys``.

    Returns (everything the terminal received, exit status or ``None`` if it had to be killed, pid).
    With ``keys`` empty the process is left running (the caller ends it).
    """
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command in a terminal of the given size
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        os.chdir(tmp)
        env = env_with_secret(tmp) | {"TERM": "xterm-256color"}
        os.execve(sys.executable, [sys.executable, "-m", "timeline_tui", *args], env)
    received = bytearray()
    deadline = time.monotonic() + timeout
    seen = False
    sent_at = 0.0
    status: int | None = None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:  # the terminal closed: the program ended
                    status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
                    break
                received += chunk
            if not seen and until in _screen_text(bytes(received)):
                seen = True
                if not keys:
                    return received.decode("utf-8", "replace"), None, pid
                time.sleep(0.3)
            if seen and time.monotonic() - sent_at > 1.0:  # again each second until it exits
                os.write(fd, keys)
                sent_at = time.monotonic()
            done_pid, raw_status = os.waitpid(pid, os.WNOHANG)
            if done_pid:
                status = os.waitstatus_to_exitcode(raw_status)
                break
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError(
                f"timeline-tui {' '.join(args)} in a terminal: {'did not exit' if seen else f'{until!r} never shown'} "
                f"within {timeout} s; screen: {_screen_text(bytes(received))[-500:]!r}"
            )
    finally:
        os.close(fd)
    return received.decode("utf-8", "replace"), status, pid


_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def _screen_text(raw: bytes) -> str:
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


# --------------------------------------------------------------------------- datasets


def outside_secret(tmp: Path) -> Path:
    """A file outside any dataset folder holding the canary (several lines, as /etc/passwd has)."""
    path = tmp / "outside" / "secret.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"line {i}: {SECRET} root:x:0:0\n" for i in range(200)), encoding="utf-8")
    return path


def dataset(tmp: Path, *, hostile_path: str = "sources/ok.txt", title: str = "Hostile test",
            event_fields: dict[str, Any] | None = None, n_probe_quotes: int = 40) -> Path:
    """events.json with one good source and one whose ``path`` is ``hostile_path``.

    The hostile source is quoted ``n_probe_quotes`` times, 59 code points apart, with text that
    differs from any file: a validator that opens the file and echoes what it finds would print
    it whole (the disclosure the issue saw through /proc/self/environ).
    """
    root = tmp / "ds"
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    start = ARTICLE.index("In August 1945")
    good = ARTICLE[start : start + 80]
    probes = [{"source": "hostile", "start": i * 59, "end": i * 59 + 59, "text": "x" * 59}
              for i in range(n_probe_quotes)]
    events = [
        {
            "id": "1945-08-ships",
            "date": "1945-08",
            "title": "First ships return",
            "summary": "Ships came back.",
            "tags": ["war"],
            "quotes": [{"source": "ok", "start": start, "end": start + 80, "text": good}],
            **(event_fields or {}),
        },
        {
            "id": "2005-museum",
            "date": "2005",
            "title": "Museum opens",
            "summary": "",
            "tags": ["memory"],
            "quotes": probes or [{"source": "ok", "start": start, "end": start + 80, "text": good}],
        },
    ]
    doc = {
        "schema_version": 1,
        "title": title,
        "span": {"start": "1937", "end": "2025"},
        "sources": [
            {"id": "ok", "title": "Good source", "publisher": "Test", "published": "2010-05-09",
             "path": "sources/ok.txt"},
            {"id": "hostile", "title": "Hostile source", "publisher": "Test", "published": "2010-05-09",
             "path": hostile_path},
        ],
        "events": events,
    }
    path = root / "events.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def assert_safe(run: Run, *, allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    """No canary, no traceback, no raw control character, an expected status."""
    assert SECRET not in run.output, f"{run.args}: the secret canary reached the output"
    assert "Traceback" not in run.output, f"{run.args}: a traceback reached the user:\n{run.stderr[-2000:]}"
    bad = RAW_UNSAFE.search(run.output)
    assert bad is None, f"{run.args}: raw {bad.group(0)!r} in the output: {run.output[max(0, bad.start() - 60):bad.end() + 20]!r}"
    assert run.returncode in allowed, f"{run.args}: exit {run.returncode}\n{run.stderr[-2000:]}"

"""Everything the sub-commands write goes through here: terminal-safe, and failures of standard output handled once.

:func:`guarded_output` puts a :class:`SafeStream` in front of standard output and standard
error for the length of a command. Each write is passed through
:func:`~timeline_tui.core.textsafe.visible` (the one rule: no control character, escape sequence
or bidi override reaches the terminal raw; tabs, newlines and CRLF line ends are kept), so a
command cannot forget it. Output that is already safe by construction (JSON with ``\\u``
escapes, an export) passes unchanged.

What goes wrong with standard output is decided in one place (:func:`run_guarded`):

* the reader went away (``| head``, a closed pipe): stop quietly with status 0, whatever the size;
* standard output cannot be written (``> /dev/full``, a full disk, closed with ``>&-``): one line
  on standard error and status 1;
* ctrl+c: status 130, no traceback;
* any other failure is a bug: one line naming it and status 1 (``TIMELINE_TUI_DEBUG=1`` shows the
  traceback).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from timeline_tui.core.textsafe import echo, visible

PROG = "timeline-tui"


class OutputFailed(OSError):
    """Standard output could not be written (not a closed pipe: that is :class:`BrokenPipeError`)."""


class SafeStream(io.TextIOBase):
    """A text stream that shows unsafe characters as symbols and reports write failures as :class:`OutputFailed`.

    ``target`` ``None`` is a closed descriptor (Python sets ``sys.stdout`` to ``None`` when fd 1 is
    closed at start-up): writing to it fails.
    """

    def __init__(self, target: TextIO | None, name: str) -> None:
        super().__init__()
        self.target = target
        self.label = name
        self._cr = ""  # a CR held back until the next write says whether it ends a line (CRLF)
        # the first failure, raised again by flush(): a caller that swallows OSError (argparse's
        # help printer does) must not hide it from the exit status
        self.failure: OSError | None = None

    def _fail(self, exc: OSError | None) -> OSError:
        if isinstance(exc, BrokenPipeError):
            failure: OSError = exc
        elif exc is None:
            failure = OutputFailed(errno.EBADF, f"{self.label} is closed")
        else:
            failure = OutputFailed(exc.errno or errno.EIO, f"{exc.strerror or exc}")
        self.failure = self.failure or failure
        return failure

    def write(self, text: str) -> int:
        if self.target is None:
            raise self._fail(None)
        n = len(text)
        text = self._cr + text
        self._cr = ""
        if text.endswith("\r"):
            text, self._cr = text[:-1], "\r"
        try:
            self.target.write(visible(text))
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed
            raise self._fail(exc if isinstance(exc, OSError) else None) from None
        return n

    def flush(self) -> None:
        if self._cr:
            self._cr = ""
            self.write("\r")  # a CR at the very end: shown, not sent
            self._cr = ""
        if self.failure is not None:
            raise self.failure
        if self.target is None:
            return
        try:
            self.target.flush()
        except (OSError, ValueError) as exc:
            raise self._fail(exc if isinstance(exc, OSError) else None) from None

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.target is not None and self.target.isatty()

    def fileno(self) -> int:
        if self.target is None:
            raise self._fail(None)
        return self.target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", "utf-8") or "utf-8"


def _reserve_standard_descriptors() -> None:
    """Open /dev/null on a closed fd 0, 1 or 2, so no file the command opens lands there by accident."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                opened = os.open(os.devnull, os.O_RDWR)
                if opened != fd:  # a lower descriptor was free after all
                    os.dup2(opened, fd)
                    os.close(opened)


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so the interpreter's last flush of what is buffered cannot fail again."""
    stdout = sys.__stdout__
    if stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)


@contextlib.contextmanager
def guarded_output() -> Iterator[tuple[SafeStream, SafeStream]]:
    """Route ``sys.stdout``/``sys.stderr`` through :class:`SafeStream` for the length of the block.

    A closed standard input (``<&-``, which Python gives as ``sys.stdin = None``) reads as empty.
    """
    saved = sys.stdin, sys.stdout, sys.stderr
    out = SafeStream(sys.stdout, "standard output")
    err = SafeStream(sys.stderr, "standard error")
    empty = open(os.devnull, encoding="utf-8") if sys.stdin is None else None  # noqa: SIM115
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    if empty is not None:
        sys.stdin = empty
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        if empty is not None:
            empty.close()


def _say(stream: TextIO | None, message: str) -> None:
    """One line on standard error, if it can be written at all."""
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(visible(message) + "\n")
        stream.flush()


def run_guarded(command: Callable[[], int]) -> int:
    """Run ``command`` with guarded output and turn output failures and ctrl+c into an exit status."""
    _reserve_standard_descriptors()
    real_err = sys.stderr
    try:
        with guarded_output() as (out, _err):
            try:
                status = command()
            except SystemExit as exc:  # argparse: --help, a usage error
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
            out.flush()
            _err.flush()
        return status
    except BrokenPipeError:
        # `timeline-tui list | head`: the reader left; stop quietly, as other Unix tools do.
        _silence_stdout()
        return 0
    except OutputFailed as exc:
        _silence_stdout()
        _say(real_err, f"{PROG}: cannot write to standard output: {exc.strerror}")
        return 1
    except KeyboardInterrupt:
        _silence_stdout()
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback only when asked for
        if os.environ.get("TIMELINE_TUI_DEBUG"):
            raise
        _say(real_err, f"{PROG}: unexpected error ({type(exc).__name__}: {echo(str(exc), 200)}); "
                       "run again with TIMELINE_TUI_DEBUG=1 to see where, and please report it")
        return 1

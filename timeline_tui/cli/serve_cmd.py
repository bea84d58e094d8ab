"""``timeline-tui serve``: the app in web browsers, one app process per tab, behind a secret token.

Everything that can be wrong with the input (dataset, notes path, token, host, port) is found
and reported in one line before the server listens; then the URL with its token is printed
(as Jupyter does) and the server runs until ctrl+c, which also stops every app it started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import ipaddress
import os
import re
import secrets
import socket
import sys
from pathlib import Path

from timeline_tui.cli.common import add_events_argument, events_path
from timeline_tui.core.loader import DatasetError, load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.textsafe import plain
from timeline_tui.web import TOKEN_ENV

PROG = "timeline-tui serve"
_TOKEN = re.compile(r"[A-Za-z0-9._~-]{1,256}")

EPILOG = f"""\
what it exposes:
  Anyone with the URL (it holds the token) can do in the browser what you can do in the
  app: read the dataset and its sources; read, add, change and delete notes and links in
  the notes file; change the selection; and export, which writes files on this machine,
  as you, wherever the export dialog is told to. Without the token every request gets 403
  and no app starts. The server listens on 127.0.0.1 (this machine only) unless --host
  says otherwise; it speaks plain HTTP, so on another --host use it only on a network you
  trust. The page and its script, styles and font come from this server; nothing is
  fetched from the internet.

tabs and processes:
  Each browser tab runs its own copy of the app on the same notes file; closing the tab
  ends it. ctrl+c (or SIGTERM) stops the server and every app process it started.

token:
  --token T, else ${TOKEN_ENV}, else a random one; letters, digits and . _ ~ - only.
  Giving it in ${TOKEN_ENV} keeps it out of the process list.

exit status:
  0  stopped with ctrl+c or SIGTERM
  1  bad input: unreadable dataset, notes path that cannot be used, port in use,
     unknown host
  2  usage error (unknown option, bad port or token)
"""


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0–65535; 0 picks a free one)")
    return value


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    add_events_argument(parser)
    parser.add_argument("--notes", type=Path, default=None, metavar="PATH",
                        help="the notes file every tab uses (default: $TIMELINE_TUI_NOTES or one per dataset "
                             "in the user data dir)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every network)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    parser.add_argument("--token", default=None, metavar="T",
                        help=f"the secret the URL must carry (default: ${TOKEN_ENV}, else a random one)")


def _error(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {plain(message)}", file=sys.stderr)
    return code


def notes_problem(path: Path) -> str | None:
    """Why the notes file cannot be used by the app (read, written atomically, locked), or ``None``."""
    if path.exists() and not path.is_file():
        kind = "a directory" if path.is_dir() else "not a regular file"
        return f"notes path {path} is {kind}; give a file name with --notes"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"notes file {path} cannot be read and written by you"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"notes path {path} cannot be created: {folder} is not a directory"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"notes file {path} cannot be saved: folder {folder} is not writable by you"
    return None


class BindError(Exception):
    """The server cannot listen where it was asked to; the message says why, in one line."""


def bind(host: str, port: int) -> socket.socket:
    """A listening, non-blocking socket on ``host``:``port`` (port 0: a free one)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise BindError(f"cannot listen on {host!r}: no such host ({getattr(exc, 'strerror', exc)})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BindError(f"port {port} on {host} is already in use; choose another with --port (0 picks a free one)") from None
        if exc.errno == errno.EACCES:
            raise BindError(f"cannot listen on port {port}: permission denied (ports below 1024 need privileges)") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise BindError(f"cannot listen on {host}: it is not an address of this machine") from None
        raise BindError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


def page_url(sock: socket.socket, token: str) -> tuple[str, bool]:
    """The URL to open (with the token) and whether the server is reachable from this machine only."""
    host, port = sock.getsockname()[:2]
    address = ipaddress.ip_address(host)
    loopback = address.is_loopback
    if address.is_unspecified:
        host = socket.gethostname()
    elif address.version == 6:
        host = f"[{host}]"
    return f"http://{host}:{port}/?token={token}", loopback


def _load(path: Path) -> Dataset | str:
    """The dataset (as the app loads it: a missing source file is a warning), or why not in one line."""
    try:
        dataset = load_dataset(path, allow_missing_sources=True)
    except DatasetError as exc:
        first = str(exc.problems[0]) if exc.problems else "unknown problem"
        more = len(exc.problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''}; `timeline-tui validate` lists them)" if more else ""
        return (first if str(path) in first else f"{path} cannot be used: {first}") + tail
    for warning in dataset.warnings:
        print(f"{PROG}: warning: {plain(warning)}", file=sys.stderr)
    return dataset


def run(args: argparse.Namespace) -> int:
    dataset = _load(events_path(args))
    if isinstance(dataset, str):
        return _error(dataset)
    from timeline_tui.core.store import default_store_path

    notes = Path(os.path.abspath(args.notes.expanduser() if args.notes is not None else default_store_path(dataset)))
    problem = notes_problem(notes)
    if problem:
        return _error(problem)
    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
    if not _TOKEN.fullmatch(token):
        return _error("the token may only hold letters, digits and . _ ~ - (1 to 256 of them)", 2)
    try:
        sock = bind(args.host, args.port)
    except BindError as exc:
        return _error(str(exc))
    url, loopback = page_url(sock, token)
    if not loopback:
        print(f"{PROG}: warning: listening on {plain(args.host)}, not only this machine: anyone who can reach "
              f"it and has the URL can read and change your notes (and write files here through export); "
              "the connection is not encrypted", file=sys.stderr)

    from timeline_tui.web.server import TimelineServer  # aiohttp and textual-serve: only once all is checked

    argv = [sys.executable, "-m", "timeline_tui", str(Path(dataset.path).resolve()), "--notes", str(notes)]
    count = len(dataset.events)

    def ready() -> None:
        print(f"Serving {plain(dataset.title)} ({count} event{'s' if count != 1 else ''}); notes in {plain(str(notes))}",
              flush=True)
        print(f"Open this URL in a browser (each tab runs its own app):\n\n    {url}\n", flush=True)
        print("Press ctrl+c to stop the server and every app it started.", flush=True)

    def report(line: str) -> None:
        with contextlib.suppress(OSError):  # a closed terminal must not stop the server from stopping its apps
            print(f"{PROG}: {line}", file=sys.stderr, flush=True)

    server = TimelineServer(argv, token=token, title=plain(dataset.title), sock=sock, report=report)
    try:
        asyncio.run(server.run(ready))
    finally:
        sock.close()
    report("stopped")
    return 0

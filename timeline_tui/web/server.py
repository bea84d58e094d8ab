"""Serve the app to web browsers: one app process per tab, behind a secret token.

Built on textual-serve, which bundles the page's script, styles and font (nothing is fetched
from the internet) and speaks Textual's web-driver protocol to each app process. What this
module adds to its ``Server``:

* **the token**: the page (``/?token=T``) and the websocket (``/ws/T``) answer 403 to a request
  without the right token, compared in constant time, before any app process starts;
* **app processes it can account for**: started without a shell, each in its own session (a
  ctrl+c in the server's terminal reaches the server, not the apps), stopped when their tab
  closes — asked to quit (so the notes store is closed properly), then terminated, then killed
  if they do not go — and all stopped when the server stops;
* no access log (it would record the token), a page that fetches nothing from the internet,
  and no file-download route (the app never offers downloads).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import shlex
import signal
import socket
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from timeline_tui.web import TOKEN_ENV

log = logging.getLogger("timeline-tui.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Seconds an app gets to close its notes after being asked to quit, then after SIGTERM.
QUIT_GRACE = 5.0
TERM_GRACE = 3.0
_NO_TOKEN = (
    "403 Forbidden: this timeline-tui server needs its token. Open the URL it printed when it "
    "started (…/?token=…).\n"
)


def _clamp_int(text: str, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(text)))
    except ValueError:
        return default


class AppProcess(AppService):
    """One browser tab's app process, started from an argument list (no shell) in a session of its own."""

    def __init__(self, argv: Sequence[str], **kwargs: object) -> None:
        super().__init__(shlex.join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def _environment(self, width: int, height: int) -> dict[str, str]:
        """textual-serve's environment for the web driver, without the server's token (the app never needs it)."""
        env = self._build_environment(width=width, height=height)
        env.pop(TOKEN_ENV, None)
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._environment(width, height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output until it ends, then close the tab's connection (the page says so)."""
        try:
            await super().run()
        finally:
            with suppress(Exception):
                await self.remote_close()

    async def stop(self) -> None:
        """Ask the app to quit; if it is still running after a grace period, terminate it, then kill it."""
        task = self._task
        if task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
        await self._end_process()
        if task is not None:
            with suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, TERM_GRACE)
            self._task = None

    async def _end_process(self) -> None:
        process = self._process
        if process is None:
            return
        for sig, grace in ((None, QUIT_GRACE), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, None)):
            if sig is not None and process.returncode is None:
                log.warning("app process %s did not quit; sending %s", process.pid, sig.name)
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
            try:
                await asyncio.wait_for(process.wait(), grace)
                return
            except TimeoutError:
                continue


class TimelineServer(Server):
    """textual-serve's server with a token on every way in, and app processes it stops itself."""

    def __init__(
        self, argv: Sequence[str], *, token: str, title: str, sock: socket.socket,
        report: Callable[[str], None] = lambda _line: None,
    ) -> None:
        host, port = sock.getsockname()[:2]
        super().__init__(shlex.join(argv), host=str(host), port=int(port), title=title, templates_path=TEMPLATES)
        self.argv = list(argv)
        self.token = token
        self.sock = sock
        self.report = report
        self.apps: set[AppProcess] = set()
        self._stopping = False

    # -- routes -----------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{token}", self.handle_websocket, name="websocket"),
            web.static("/static", self.statics_path, name="static"),  # textual-serve's script, styles, font
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    def _check(self, token: str) -> None:
        if not hmac.compare_digest(token.encode("utf-8", "surrogateescape"), self.token.encode()):
            raise web.HTTPForbidden(text=_NO_TOKEN)

    async def handle_index(self, request: web.Request) -> web.Response:  # type: ignore[override]
        """The page: a terminal that connects to ``/ws/<token>``."""
        self._check(request.query.get("token", ""))
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": self.title,
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}/ws/{self.token}",
            "font_size": _clamp_int(request.query.get("fontsize", "16"), 16, 6, 64),
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers.update({
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
        })
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start its app process, relay keys and screen updates, stop the process when the tab goes."""
        self._check(request.match_info["token"])
        if self._stopping:
            raise web.HTTPServiceUnavailable(text="The server is stopping.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _clamp_int(request.query.get("width", "80"), 80, 10, 1000)
        height = _clamp_int(request.query.get("height", "24"), 24, 5, 500)
        await websocket.prepare(request)
        app = AppProcess(
            self.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
            download_manager=self.download_manager,
        )
        self.apps.add(app)
        try:
            await app.start(width, height)
            self.report(f"tab opened: app process {app.pid} started ({len(self.apps)} running)")
            await self._process_messages(websocket, app)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken message from the page ends that tab, not the server
            log.warning("tab closed after an error: %s", error)
        finally:
            await app.stop()
            self.apps.discard(app)
            with suppress(Exception):
                await websocket.close()
            if app.pid is not None:
                self.report(f"tab closed: app process {app.pid} ended ({len(self.apps)} running)")
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every app process (they save nothing on quit that is not already saved: every note is saved at once)."""
        self._stopping = True
        await asyncio.gather(*(service.stop() for service in list(self.apps)), return_exceptions=True)

    # -- running ----------------------------------------------------------------------------------

    async def run(self, on_ready: Callable[[], None]) -> None:
        """Serve on the bound socket until SIGINT or SIGTERM, then stop every app process and return."""
        runner = web.AppRunner(
            await self._make_app(), access_log=None, handle_signals=False,
            shutdown_timeout=QUIT_GRACE + TERM_GRACE + 2,
        )
        await runner.setup()
        await web.SockSite(runner, self.sock).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        on_ready()
        try:
            await stop.wait()
            running = len(self.apps)
            self.report(f"stopping: {running} app process{'es' if running != 1 else ''} to end")
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            await runner.cleanup()

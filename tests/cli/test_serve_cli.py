"""``timeline-tui serve`` without a browser: bad input before listening, the token, app processes' lives.

The browser side (the page in chromium, keys, notes) is in tests/browser; these run everywhere.
"""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import psutil
import pytest
from serve_support import TOKEN, Served, alive, serving, start_server, wait_for

from timeline_tui.web import server as server_module
from timeline_tui.web.server import AppProcess

pytestmark = pytest.mark.slow


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return int(response.status), response.read().decode("utf-8"), dict(response.headers)


def refused(events: Path, notes: Path, *extra: str) -> tuple[int, str, str]:
    result = start_server(events, notes, *extra)
    assert not isinstance(result, Served), "the server should not have started"
    return result.returncode, result.stdout, result.stderr


# -- bad input: one line, an exit status, and nothing listening ---------------------------------------

def test_unreadable_dataset(tmp_path: Path) -> None:
    bad = tmp_path / "events.json"
    bad.write_text("{ not json", encoding="utf-8")
    code, out, err = refused(bad, tmp_path / "notes.json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("timeline-tui serve: error: ") and "not valid JSON" in err


def test_missing_dataset(tmp_path: Path) -> None:
    code, out, err = refused(tmp_path / "nope.json", tmp_path / "notes.json")
    assert code == 1 and out == "" and err.count("\n") == 1 and "not found" in err


@pytest.mark.parametrize("kind", ["directory", "under a file"])
def test_notes_path_that_cannot_be_used(mini_path: Path, tmp_path: Path, kind: str) -> None:
    if kind == "directory":
        notes, expected = tmp_path, "is a directory"
    else:
        (tmp_path / "plain").write_text("x", encoding="utf-8")
        notes, expected = tmp_path / "plain" / "notes.json", "is not a directory"
    code, out, err = refused(mini_path, notes)
    assert code == 1 and out == "" and err.count("\n") == 1 and expected in err


def test_busy_port(mini_path: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = start_server(mini_path, tmp_path / "notes.json", "--port", str(port))
    assert not isinstance(result, Served)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"port {port} on 127.0.0.1 is already in use" in result.stderr


def test_an_address_that_is_not_this_machines(mini_path: Path, tmp_path: Path) -> None:
    code, out, err = refused(mini_path, tmp_path / "notes.json", "--host", "192.0.2.1")  # TEST-NET-1
    assert code == 1 and out == "" and "not an address of this machine" in err


@pytest.mark.parametrize(("extra", "expected"), [
    (["--token", "has space/and?"], "the token may only hold"),
    (["--port", "70000"], "is not a port number"),
])
def test_usage_errors_exit_2(mini_path: Path, tmp_path: Path, extra: list[str], expected: str) -> None:
    result = start_server(mini_path, tmp_path / "notes.json", *extra, token=None)
    assert not isinstance(result, Served)
    assert result.returncode == 2 and expected in result.stderr


# -- the token ----------------------------------------------------------------------------------------

def test_without_the_token_403_and_no_app_process(mini_path: Path, tmp_path: Path) -> None:
    with serving(mini_path, tmp_path / "notes.json") as served:
        assert served.url == f"{served.base}/?token={TOKEN}" and served.base.startswith("http://127.0.0.1:")
        for url in (f"{served.base}/", f"{served.base}/?token=wrong", f"{served.base}/?token={TOKEN}x",
                    f"{served.base}/ws/wrong", f"{served.base}/ws/", f"{served.base}/download/x"):
            assert status(url) in (403, 404), url
        assert status(f"{served.base}/?token=wrong") == 403 and status(f"{served.base}/ws/wrong") == 403

        async def websocket_without_token() -> int:
            async with aiohttp.ClientSession() as session:
                try:
                    async with session.ws_connect(f"{served.base.replace('http', 'ws')}/ws/wrong"):
                        return 101
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status

        assert asyncio.run(websocket_without_token()) == 403
        assert served.app_pids() == []


def test_the_page_fetches_nothing_from_outside(mini_path: Path, tmp_path: Path) -> None:
    with serving(mini_path, tmp_path / "notes.json") as served:
        code, page, headers = fetch(served.url)
        assert code == 200 and "Mini test dataset" in page
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.base.rsplit(":", 1)[1]}/ws/{TOKEN}"' in page
        assert "://" not in page.replace(f"ws://127.0.0.1:{served.base.rsplit(':', 1)[1]}", "")
        assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
        for asset in ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf"):
            assert status(f"{served.base}/static/{asset}") == 200
        assert served.app_pids() == [], "a page load alone starts no app"


def test_warning_when_reachable_from_other_machines(mini_path: Path, tmp_path: Path) -> None:
    with serving(mini_path, tmp_path / "notes.json", "--host", "0.0.0.0") as served:
        assert any("anyone who can reach it and has the URL can read and change your notes" in line
                   for line in served.err)
        assert served.url.endswith(f"/?token={TOKEN}") and not served.url.startswith("http://0.0.0.0")
        port = served.base.rsplit(":", 1)[1]
        assert status(f"http://127.0.0.1:{port}/?token={TOKEN}") == 200


def test_the_token_from_the_environment_or_a_random_one(mini_path: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_TUI_TOKEN", "from-the-env")
    with serving(mini_path, tmp_path / "notes.json", token=None) as served:
        assert served.url.endswith("/?token=from-the-env")

        async def environment_of_a_tab() -> dict[str, str]:
            async with aiohttp.ClientSession() as session, session.ws_connect(
                f"{served.base.replace('http', 'ws')}/ws/from-the-env?width=80&height=24"
            ):
                pids = await asyncio.get_running_loop().run_in_executor(
                    None, lambda: wait_for(served.app_pids, 30, "the tab's app"))
                return dict(psutil.Process(pids[0]).environ())  # type: ignore[index]

        env = asyncio.run(environment_of_a_tab())
        assert "TIMELINE_TUI_TOKEN" not in env, "the app processes are not given the token"
        assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    monkeypatch.delenv("TIMELINE_TUI_TOKEN")
    urls = []
    for _ in range(2):
        with serving(mini_path, tmp_path / "notes.json", token=None) as served:
            urls.append(served.url.split("token=")[1])
    assert urls[0] != urls[1] and all(len(u) >= 32 for u in urls)


# -- app processes ------------------------------------------------------------------------------------

async def _session(base: str, until: str) -> bytes:
    """Open a tab's websocket (as the page does), read the screen stream until ``until`` shows, close it."""
    seen = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(
        f"{base.replace('http', 'ws')}/ws/{TOKEN}?width=100&height=30"
    ) as ws:
        await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        while until.encode() not in seen:
            message = await asyncio.wait_for(ws.receive(), 30)
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
    return seen


def test_a_tab_runs_its_own_app_which_ends_with_the_tab(mini_path: Path, tmp_path: Path) -> None:
    with serving(mini_path, tmp_path / "notes.json") as served:

        async def two_tabs() -> list[int]:
            async def tab() -> None:
                await _session(served.base, "Mini test dataset")
                await asyncio.sleep(1)

            task = asyncio.gather(tab(), tab())
            pids: list[int] = []
            while not task.done():
                pids = sorted(set(pids) | set(served.app_pids()))
                await asyncio.sleep(0.05)
            await task
            return pids

        pids = asyncio.run(two_tabs())
        assert len(pids) == 2, "one app process per tab"
        wait_for(lambda: not alive(pids), 20, "the apps to end after their tabs closed")
        assert served.app_pids() == []
        assert any("tab opened: app process" in line for line in served.err)


def test_ctrl_c_stops_every_app_process(mini_path: Path, tmp_path: Path) -> None:
    served = start_server(mini_path, tmp_path / "notes.json")
    assert isinstance(served, Served)

    async def open_tabs_then_interrupt() -> list[int]:
        async def tab() -> None:
            async with aiohttp.ClientSession() as session, session.ws_connect(
                f"{served.base.replace('http', 'ws')}/ws/{TOKEN}?width=80&height=24"
            ) as ws:
                async for _message in ws:  # until the server closes it
                    pass

        tabs = [asyncio.ensure_future(tab()) for _ in range(3)]
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: wait_for(lambda: len(served.app_pids()) == 3, 30, "three app processes"))
        pids = served.app_pids()
        served.proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(asyncio.gather(*tabs), 30)
        return pids

    try:
        pids = asyncio.run(open_tabs_then_interrupt())
        assert served.proc.wait(30) == 0
    finally:
        if served.proc.poll() is None:
            served.proc.kill()
            served.proc.wait()
    assert alive(pids) == [], "no app process outlives the server"
    assert any("stopping: 3 app processes to end" in line for line in served.err)


def test_an_app_that_will_not_quit_is_terminated_then_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stuck app (here a real process that ignores quit and SIGTERM) cannot keep the server from stopping."""
    monkeypatch.setattr(server_module, "QUIT_GRACE", 0.5)
    monkeypatch.setattr(server_module, "TERM_GRACE", 0.5)
    stubborn = ("import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush(); time.sleep(120)")

    async def run() -> tuple[int | None, int | None]:
        async def ignore(_data: object) -> None:
            return None

        app = AppProcess([sys.executable, "-c", stubborn], write_bytes=ignore, write_str=ignore, close=lambda: ignore(None),
                         download_manager=server_module.Server("x").download_manager)
        await app.start(80, 24)
        await asyncio.sleep(0.5)
        await app.stop()
        assert app._process is not None
        return app.pid, app._process.returncode

    pid, code = asyncio.run(run())
    assert code == -signal.SIGKILL and pid is not None and not alive([pid])

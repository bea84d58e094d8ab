"""Browser tests: Debian's chromium, driven by Playwright (which never downloads a browser here).

When Playwright or chromium is missing every test here is SKIPPED with the reason, and the run's
summary says so in one line (``.ci/run`` installs chromium; ``apt-get install chromium`` by hand).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: The system chromium (``TIMELINE_TUI_CHROMIUM`` overrides).
CHROMIUM = os.environ.get("TIMELINE_TUI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Headless as root in a closed network: no sandbox, no GPU, no background calls home.
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def why_no_browser() -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"chromium not found at {CHROMIUM} (install it: apt-get install chromium; .ci/run does)"
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One loud line at the end of the run when browser tests were skipped for want of a browser."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "tests/browser/" in getattr(r, "nodeid", "")]
    reason = why_no_browser()
    if skipped and reason:
        terminalreporter.write_line(f"{len(skipped)} BROWSER TESTS SKIPPED: {reason}", yellow=True, bold=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Not for the whole session: while Playwright's sync API is running it
    holds an event loop on the main thread, and the Pilot and CLI tests after these call asyncio.run()."""
    reason = why_no_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 760})
    yield context.new_page()
    context.close()

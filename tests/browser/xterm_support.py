"""Read the served app's screen out of the page's xterm.js terminal, and type into it.

textual-serve's page keeps its terminal object private, so an init script (test-only) notes
every object that gets an ``_addonManager`` — which only xterm.js's public ``Terminal`` does — and
the tests read that terminal's buffer: exactly the characters the browser shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

HOOK = """
window.__xterms = [];
Object.defineProperty(Object.prototype, "_addonManager", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "_addonManager", {value, writable: true, configurable: true, enumerable: true});
    window.__xterms.push(this);
  },
});
"""

_SCREEN = """() => {
  const t = window.__xterms && window.__xterms[0];
  if (!t || !t.buffer) return null;
  const b = t.buffer.active, lines = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def screen(page: Any) -> str:
    """The terminal's visible text, one line per row ('' before the terminal exists)."""
    return str(page.evaluate(_SCREEN) or "")


def wait_screen(page: Any, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
    """Wait until ``check(screen)`` holds; return that screen (or fail, showing the last screen)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen(page)
        if check(text):
            return text
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; the screen showed:\n{text}")


def open_app(page: Any, url: str, title: str) -> float:
    """Open the served app and wait for its first frame (the dataset title); seconds that took."""
    page.add_init_script(HOOK)
    start = time.monotonic()
    response = page.goto(url)
    assert response is not None and response.status == 200
    wait_screen(page, lambda s: title in s, "the app's first frame")
    elapsed = time.monotonic() - start
    page.locator(".xterm-helper-textarea").focus()
    return elapsed


def detail_pane(text: str) -> str:
    """The screen to the right of the detail pane's border (its title line says 'Details')."""
    lines = text.split("\n")
    col = next((line.find("Details") for line in lines if "Details" in line), -1)
    assert col >= 0, f"no detail pane on screen:\n{text}"
    return " ".join(" ".join(line[col:] for line in lines).split())


def words(text: str, n: int = 4) -> str:
    return " ".join(text.split()[:n])


def click_text(page: Any, needle: str) -> None:
    """Click the middle of the first place ``needle`` shows on the terminal (as a user would)."""
    lines = screen(page).split("\n")
    row = next((i for i, line in enumerate(lines) if needle in line), None)
    assert row is not None, f"{needle!r} is not on screen"
    col = lines[row].index(needle) + len(needle) // 2
    box = page.locator(".xterm-screen").bounding_box()
    cols, rows = page.evaluate("() => [window.__xterms[0].cols, window.__xterms[0].rows]")
    page.mouse.click(box["x"] + (col + 0.5) * box["width"] / cols, box["y"] + (row + 0.5) * box["height"] / rows)

"""Write the README's browser pictures: the app served to chromium, and the HTML export.

Usage: .venv/bin/python tools/browser_screenshots.py [OUT_DIR]   (default: docs/)

Writes ``browser-app.png`` (``timeline-tui serve`` in a 1200×760 page, cursor on the BRICS summit,
which has a note) and ``html-export.png`` (the top of the HTML export of every event: the picture and
the first event). Needs chromium and Playwright, as the browser tests do.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT / "tests", ROOT / "tests" / "browser"):
    sys.path.insert(0, str(extra))

from conftest import CHROMIUM, FLAGS, why_no_browser  # noqa: E402
from serve_support import serving  # noqa: E402
from xterm_support import click_text, detail_pane, open_app, wait_screen, words  # noqa: E402

from timeline_tui.cli import main as cli  # noqa: E402
from timeline_tui.core.loader import load_dataset  # noqa: E402
from timeline_tui.core.store import AnnotationStore  # noqa: E402
from timeline_tui.paths import default_events_path  # noqa: E402


def shoot(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    dataset = load_dataset(default_events_path())
    brics = next(e for e in dataset.events if "BRICS" in e.title)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        notes = Path(tmp) / "notes.json"
        with AnnotationStore.open(notes) as store:
            store.add_note(brics.id, "Compare with the 2009 agreement on missile launches.")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        with serving(default_events_path(), notes) as served:
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            open_app(page, served.url, dataset.title)
            click_text(page, brics.title[:16])
            wait_screen(page, lambda s: words(brics.title) in detail_pane(s), "the event in the detail pane")
            time.sleep(0.5)  # let the cursor's row finish repainting
            page.screenshot(path=str(out / "browser-app.png"))
        export = Path(tmp) / "timeline.html"
        assert cli(["export", "--all", "--format", "html", "--notes", str(notes), "-o", str(export)]) == 0
        page = browser.new_page(viewport={"width": 1100, "height": 1000})
        page.goto(export.as_uri())
        page.screenshot(path=str(out / "html-export.png"))
        browser.close()


if __name__ == "__main__":
    reason = why_no_browser()
    if reason:
        raise SystemExit(f"cannot take the pictures: {reason}")
    shoot(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs").resolve())

"""Write the README's screenshot: the bundled timeline at 100×30, cursor on the BRICS summit.

Usage: .venv/bin/python tools/screenshot.py [OUT.svg]  (then rsvg-convert OUT.svg -o docs/screenshot.png)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.paths import default_events_path
from timeline_tui.ui.app import TimelineApp


async def shoot(out: Path) -> None:
    dataset = load_dataset(default_events_path())
    with tempfile.TemporaryDirectory() as tmp:
        store = AnnotationStore.open(Path(tmp) / "notes.json")
        app = TimelineApp(dataset, store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("slash", *"BRICS", "enter")
            await pilot.pause(0.5)
            app.save_screenshot(filename=out.name, path=str(out.parent))
        store.close()


if __name__ == "__main__":
    asyncio.run(shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.svg").resolve()))

"""``timeline-tui serve`` in a real browser: the app's screen, keys, a note saved to the store, the token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from serve_support import alive, serving, wait_for
from xterm_support import click_text, detail_pane, open_app, screen, wait_screen, words

from timeline_tui.core.annotations import Note
from timeline_tui.core.layout import build_layout
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.store import AnnotationStore
from timeline_tui.paths import default_events_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_dataset(default_events_path())


def shown_order(dataset: Dataset) -> list[Event]:
    """The events in the order the timeline shows them (the layout the app uses)."""
    return [dataset.events[i] for i in build_layout(dataset.events, None, dataset.span).order]


def stored_notes(path: Path) -> list[Note]:
    """The notes in the store file, read as another program would (read-only, beside the running apps)."""
    if not path.is_file():
        return []
    with AnnotationStore.open(path, read_only=True) as store:
        return store.notes()


def add_note(page: Any, text: str) -> None:
    page.keyboard.press("a")
    wait_screen(page, lambda s: "ctrl+s" in s.lower(), "the note editor")
    page.keyboard.type(text)
    # as a user does: save once the text shows (xterm.js may deliver a non-ASCII character a moment later)
    wait_screen(page, lambda s: text[-12:] in s, "the typed text in the editor")
    page.keyboard.press("Control+s")


def test_the_app_in_a_browser_keys_and_a_note_in_the_store(bundled: Dataset, page: Any, tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    first, second = shown_order(bundled)[:2]
    with serving(default_events_path(), notes) as served:
        seconds = open_app(page, served.url, bundled.title)
        print(f"\nfirst frame in the browser after {seconds:.2f}s")  # measured, never asserted
        text = screen(page)
        assert bundled.title in text and f"{len(bundled.events)} events" in text
        assert words(first.title) in detail_pane(text), "the first event is under the cursor"
        assert len(served.app_pids()) == 1

        click_text(page, first.title[:20])  # a user clicks into the page (see the xfail test below)
        page.keyboard.press("j")
        text = wait_screen(page, lambda s: words(second.title) in detail_pane(s), "the detail pane to change")
        assert words(first.title) not in detail_pane(text)

        add_note(page, "Typed in a browser: <b>kept</b> & ✓")
        wait_for(lambda: stored_notes(notes), 20, "the note in the store file")
        saved = stored_notes(notes)
        assert [(n.event_id, n.text) for n in saved] == [(second.id, "Typed in a browser: <b>kept</b> & ✓")]
        wait_screen(page, lambda s: "Typed in a browser" in detail_pane(s), "the note in the detail pane")
        page.screenshot(path=str(tmp_path / "app.png"))
        assert (tmp_path / "app.png").stat().st_size > 10_000


def test_without_the_token_the_browser_gets_403_and_no_app(page: Any, mini_path: Path, tmp_path: Path) -> None:
    with serving(mini_path, tmp_path / "notes.json") as served:
        for url in (f"{served.base}/", f"{served.base}/?token=guess"):
            response = page.goto(url)
            assert response is not None and response.status == 403
            assert "needs its token" in page.content()
        assert served.app_pids() == []
        assert not Path(tmp_path / "notes.json").exists(), "no app ran, so nothing opened the notes"


def test_closing_a_tab_ends_its_app_and_ctrl_c_ends_the_rest(browser: Any, mini_path: Path, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 600})
    try:
        with serving(mini_path, tmp_path / "notes.json") as served:
            tabs = [context.new_page() for _ in range(3)]
            for tab in tabs:
                open_app(tab, served.url, "Mini test dataset")
            pids = served.app_pids()
            assert len(pids) == 3
            tabs[0].close()
            wait_for(lambda: len(served.app_pids()) == 2, 20, "the closed tab's app to end")
            remaining = served.app_pids()
            assert served.stop() == 0  # SIGINT, as ctrl+c in the server's terminal
            assert alive(pids) == [] and alive(remaining) == []
            wait_screen(tabs[1], lambda _s: "-closed" in (tabs[1].get_attribute("body", "class") or ""),
                        "the page to say the session ended", 20)
    finally:
        context.close()


def test_keys_work_before_any_click(bundled: Dataset, page: Any, tmp_path: Path) -> None:
    second = shown_order(bundled)[1]
    with serving(default_events_path(), tmp_path / "notes.json") as served:
        open_app(page, served.url, bundled.title)
        page.keyboard.press("j")
        wait_screen(page, lambda s: words(second.title) in detail_pane(s), "the detail pane to change", 10)


def test_two_tabs_each_add_a_note_to_the_same_file(browser: Any, bundled: Dataset, tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    context = browser.new_context(viewport={"width": 1200, "height": 760})
    try:
        with serving(default_events_path(), notes) as served:
            one, two = context.new_page(), context.new_page()
            first = shown_order(bundled)[0]
            for tab in (one, two):
                open_app(tab, served.url, bundled.title)
                click_text(tab, first.title[:20])
            add_note(one, "from tab one")
            wait_for(lambda: len(stored_notes(notes)) == 1, 20, "tab one's note")
            # each tab is its own app process: the other one notices the file changed (once a second)
            wait_screen(two, lambda s: "from tab one" in detail_pane(s), "tab one's note in tab two", 10)
            add_note(two, "from tab two")
            wait_for(lambda: len(stored_notes(notes)) == 2, 20, "tab two's note beside tab one's")
            assert sorted(n.text for n in stored_notes(notes)) == ["from tab one", "from tab two"]
            wait_screen(one, lambda s: "from tab two" in detail_pane(s), "tab two's note in tab one", 10)
    finally:
        context.close()

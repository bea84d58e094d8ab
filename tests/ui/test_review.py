"""The import review: accept, reject, edit, merge by keyboard; the file is written, backed up and valid."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from pilot_helpers import screenshot_text
from textual.widgets import Input, Static

from timeline_tui.core.extract.apply import store_article
from timeline_tui.core.extract.candidates import extract
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event
from timeline_tui.ui.import_app import ImportApp
from timeline_tui.ui.screens.review import ACCEPTED, MERGED, PENDING, REJECTED, ReviewScreen
from timeline_tui.ui.widgets.source_view import SourceView

ARTICLE = (
    "Lighthouse keepers remembered [bold]not markup[/bold]\n\n"
    "PORTVILLE, May 9, 2010 (Test Wire) -- The lighthouse was first lit in 1950 and automated last year.\n\n"
    "In August 1945, the first ships returned, the keepers recalled.\n\n"
    "A new lamp will be installed in 2031, officials said.\n"
)


def _app(mini: Dataset, mini_path: Path) -> ImportApp:
    rel, _ = store_article(mini.root, "lighthouse", ARTICLE)
    extraction = extract(ARTICLE, source_id="lighthouse", path=rel)
    source = {"id": "lighthouse", "title": extraction.title, "publisher": "Test Wire",
              "published": "2010-05-09", "path": rel}
    return ImportApp(mini, extraction, source, mini_path)


async def test_review_accept_reject_edit_merge_and_write(mini: Dataset, mini_path: Path) -> None:
    app = _app(mini, mini_path)
    before = mini_path.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        dates = [d.candidate.date.edtf() for d in screen.decisions]
        assert dates == ["1950", "2009", "1945-08", "2031"]
        await app.workers.wait_for_complete()  # the merge suggestions
        await pilot.pause()
        view = screen.query_one(SourceView)
        assert view.current_passage is not None
        assert (view.current_passage.start, view.current_passage.end) == (
            screen.decisions[0].candidate.quote.start, screen.decisions[0].candidate.quote.end)
        # 1: edit then accept
        await pilot.press("e")
        await pilot.pause()
        date_input = app.screen.query_one("#edit-date", Input)
        date_input.value = "1950-06"
        app.screen.query_one("#edit-title", Input).value = "Lighthouse first lit"
        app.screen.query_one("#edit-tags", Input).value = "Memory, sea"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert screen.decisions[0].state == ACCEPTED
        assert screen.decisions[0].event.date.edtf() == "1950-06"
        assert screen.decisions[0].event.tags == ("memory", "sea")
        # 2 (2009): reject
        assert screen.index == 1
        await pilot.press("n")
        # 3 (1945-08): merge into the existing same-date event
        assert screen.index == 2 and screen.decisions[2].merge_suggestion is not None
        await pilot.press("m")
        # 4 (2031): outside the span — accepting is refused, so reject it
        assert screen.index == 3
        await pilot.press("y")
        assert screen.decisions[3].state == PENDING
        await pilot.press("n")
        assert [d.state for d in screen.decisions] == [ACCEPTED, REJECTED, MERGED, REJECTED]
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
    result = app.return_value
    assert result is not None and result.backup is not None
    assert result.backup.read_bytes() == before
    ds = load_dataset(mini_path)
    assert "lighthouse" in ds.sources
    assert [e.id for e in ds.events if any(q.source == "lighthouse" for q in e.quotes)] == [
        "1945-08-ships-return", "1950-06-lighthouse-first-lit"]
    raw = json.loads(mini_path.read_text(encoding="utf-8"))
    assert len(raw["events"]) == len(mini.events) + 1  # one added, one merged, two rejected


async def test_edit_rejects_a_bad_date_and_escape_cancels(mini: Dataset, mini_path: Path) -> None:
    app = _app(mini, mini_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#edit-date", Input).value = "someday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#edit-error", Static)
        assert "Date" in str(error.render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.decisions[0].state == PENDING


async def test_leaving_without_decisions_writes_nothing(mini: Dataset, mini_path: Path) -> None:
    app = _app(mini, mini_path)
    before = mini_path.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value is None
    assert mini_path.read_bytes() == before
    assert not list(mini_path.parent.glob("events.json.bak-*"))


async def test_leaving_after_decisions_asks_first(mini: Dataset, mini_path: Path) -> None:
    app = _app(mini, mini_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("y")
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is not screen  # the confirmation
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_value is None


async def test_text_is_literal(mini: Dataset, mini_path: Path) -> None:
    app = _app(mini, mini_path)
    async with app.run_test(size=(100, 30)):
        header = app.screen.query_one("#review-header", Static)
        assert "[bold]not markup[/bold]" in str(header.render())


class _GatedEvents(list[Event]):
    """The dataset's events, noting which threads iterate them; off the UI thread, iteration waits for ``gate``."""

    def __init__(self, events: Iterable[Event]) -> None:
        super().__init__(events)
        self.on_ui_thread = 0
        self.gate = threading.Event()

    def __iter__(self) -> Iterator[Event]:
        if threading.current_thread() is threading.main_thread():
            self.on_ui_thread += 1
        else:
            self.gate.wait(timeout=10)
        return super().__iter__()


async def test_merge_suggestions_are_made_off_the_ui_thread_after_the_first_frame(
    mini: Dataset, mini_path: Path
) -> None:
    """Scanning every event (100k in a large dataset) must not delay the first frame."""
    events = _GatedEvents(mini.events)
    mini.events = events
    app = _app(mini, mini_path)
    assert events.on_ui_thread == 0  # nothing scanned while building the app
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.pause()
        # the first frame is up while the suggestion worker still waits on the gate
        assert not screen.suggestions_ready
        assert "looking for existing events" in str(screen.query_one("#review-candidate", Static).render())
        await pilot.press("right_square_bracket", "right_square_bracket")  # to 1945-08
        await pilot.press("m")
        assert screen.decisions[2].state == PENDING  # not merged on a suggestion not yet made
        events.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.suggestions_ready
        suggestion = screen.decisions[2].merge_suggestion
        assert suggestion is not None and suggestion.id == "1945-08-ships-return"
        assert "m merges into" in str(screen.query_one("#review-candidate", Static).render())
        await pilot.press("m")
        assert screen.decisions[2].state == MERGED
    assert events.on_ui_thread == 0


async def test_the_review_is_too_small_below_40x12_and_keys_do_nothing(mini: Dataset, mini_path: Path) -> None:
    """The same rule as every screen (issue 13, item 4): at 15×5 the notice, and y/n/f act on nothing."""
    app = _app(mini, mini_path)
    before = mini_path.read_bytes()
    async with app.run_test(size=(15, 5)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.has_class("-too-small")
        await pilot.press("y", "n", "f", "e")
        await pilot.pause()
        assert app.screen is screen and all(d.state != ACCEPTED for d in screen.decisions)
        assert "Too small" in screenshot_text(app)
    assert mini_path.read_bytes() == before

"""The HTML export and the SVG picture opened in chromium: what a reader sees, and nothing running."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from html_support import HTML_HOSTILE, heading_text

from timeline_tui.cli import main
from timeline_tui.core.export import ExportOptions, build_export
from timeline_tui.core.export.gather import ordered_events
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore
from timeline_tui.core.textfile import read_exact_text
from timeline_tui.paths import default_events_path

pytestmark = pytest.mark.slow


def export(events: Path, fmt: str, target: Path) -> Path:
    assert main(["export", str(events), "--all", "--format", fmt, "-o", str(target)]) == 0
    return target


def open_file(page: Any, path: Path) -> list[str]:
    """Open a local file; the URLs the page asked for (only itself, if it is self-contained)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    return requests


def test_the_bundled_export_in_a_browser(page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = load_dataset(default_events_path())
    with AnnotationStore.open(tmp_path / "notes-store.json") as store:  # $TIMELINE_TUI_NOTES in tests
        store.add_note(dataset.events[3].id, "A note of mine\nwith two lines")
    target = export(default_events_path(), "html", tmp_path / "timeline.html")
    capsys.readouterr()
    requests = open_file(page, target)
    assert requests == [target.as_uri()], "fonts, styles and picture are all in the file"
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert (tmp_path / "page.png").stat().st_size > 50_000

    ordered = ordered_events(dataset.events)
    headings = page.locator("section.event h2").all_text_contents()
    assert headings == [heading_text(e) for e in ordered], "event headings in the export's order"

    quotes = page.eval_on_selector_all(
        "blockquote.quote",
        "els => els.map(q => [q.dataset.source, +q.dataset.start, +q.dataset.end, q.querySelector('.text').textContent])",
    )
    assert len(quotes) == sum(len(e.quotes) for e in dataset.events)
    for source_id, start, end, shown in quotes:
        source_text = read_exact_text(dataset.root / dataset.sources[source_id].path)  # the file itself, not the data
        assert shown == source_text[start:end], f"{source_id} {start}–{end}"

    marks = page.locator("svg.timeline-picture .mark")
    assert marks.count() == len(ordered) == page.locator("section.event").count()
    assert page.locator("svg.timeline-picture .mark title").all_text_contents()[0].startswith(f"1. {ordered[0].date.display()}")
    # a mark leads to its event
    page.locator("svg.timeline-picture a").nth(5).click()
    assert page.evaluate("location.hash") == "#event-6"
    assert page.evaluate("document.getElementById('event-6').getBoundingClientRect().top") < 80

    assert "A note of mine\nwith two lines" in page.locator("ul.notes .text").all_text_contents()
    assert page.locator("script").count() == 0


def test_hostile_data_and_notes_stay_text_in_the_browser(page: Any, repo_root: Path, tmp_path: Path) -> None:
    shutil.copytree(repo_root / "tests" / "fixtures" / "hostile", tmp_path / "hostile")
    events = tmp_path / "hostile" / "events.json"
    dataset: Dataset = load_dataset(events, allow_missing_sources=True)
    target = tmp_path / "hostile.html"
    with AnnotationStore.open(tmp_path / "notes-store.json") as store:
        for i, text in enumerate(HTML_HOSTILE):
            store.add_note(dataset.events[i % len(dataset.events)].id, text)
        # as the app's export dialog does it (the command line refuses a dataset with a missing source file)
        page_text = build_export(dataset, store, [e.id for e in dataset.events], ExportOptions(format="html"))
    target.write_text(page_text, encoding="utf-8")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests = open_file(page, target)
    page.locator("svg.timeline-picture .mark").first.hover()
    assert page.evaluate("window.__pwned") is None, "no script from the data ran"
    assert requests == [target.as_uri()] and errors == [] and dialogs == []
    assert page.locator("script, iframe, img, link, object, embed").count() == 0
    notes = "\n".join(page.locator("ul.notes .text").all_text_contents())
    assert "<script>window.__pwned = 1</script>" in notes and '<img src=x onerror="window.__pwned = 2">' in notes
    assert page.locator("section.event").count() == page.locator("svg.timeline-picture .mark").count()


def test_print_to_pdf_gives_a_handout(page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = export(default_events_path(), "html", tmp_path / "timeline.html")
    capsys.readouterr()
    open_file(page, target)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('figure')).transform") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('figcaption .screen')).display") == "none"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type/Page") >= 2


def test_the_svg_alone_in_a_browser(page: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = load_dataset(default_events_path())
    target = export(default_events_path(), "svg", tmp_path / "timeline.svg")
    capsys.readouterr()
    requests = open_file(page, target)
    assert requests == [target.as_uri()]
    assert page.locator(".mark").count() == len(dataset.events)
    box = page.locator("svg").bounding_box()
    assert box is not None and box["width"] == 1000
    page.screenshot(path=str(tmp_path / "picture.png"))
    assert (tmp_path / "picture.png").stat().st_size > 10_000

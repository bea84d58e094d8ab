"""The HTML export: self-contained, inert, and saying exactly what the Markdown export says."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from html_support import HTML_HOSTILE, SVG_NS, by_class, heading_text, local, norm, parse_xml, text_of
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_support import commonmark

from timeline_tui.core.anchoring import make_selectors
from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.export import ExportOptions, export_events
from timeline_tui.core.export.gather import ordered_events
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event, Source
from timeline_tui.core.textsafe import plain
from timeline_tui.paths import default_events_path

FIXED = datetime(2025, 5, 9, 12, 0, tzinfo=UTC)
#: Elements that could run code, embed another document or fetch something.
FORBIDDEN = {"script", "iframe", "object", "embed", "img", "link", "image", "use", "foreignObject", "base", "form",
             "audio", "video", "source", "input", "button", "meta-refresh"}


def options(fmt: str = "html", **kw: object) -> ExportOptions:
    return ExportOptions(format=fmt, generated=FIXED, filter_description="tag war", **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_dataset(default_events_path())


def annotations(dataset: Dataset, texts: list[str]) -> tuple[dict[str, list[Note]], dict[str, list[Link]]]:
    """Notes with ``texts`` on the first events, and a link (with a comment) on the first event."""
    notes: dict[str, list[Note]] = {}
    for i, text in enumerate(texts):
        event = dataset.events[i % 3]
        notes.setdefault(event.id, []).append(Note(i + 1, event.id, text, "2025-01-01T10:00:00Z", f"2025-01-0{1 + i % 8}T11:00:00Z"))
    event = dataset.events[0]
    quote = event.quotes[0]
    source_text = dataset.source_text(quote.source)
    assert source_text is not None
    q, p = make_selectors(source_text, quote.start, quote.start + 40)
    comment = texts[0] if texts else "why"
    links = {event.id: [Link(1, event.id, quote.source, q, p, "2025-01-01T00:00:00Z", comment)]}
    return notes, links


# -- self-contained and inert -----------------------------------------------------------------------

def check_inert(page: str) -> ET.Element:
    """The page parses strictly, holds nothing that runs or fetches, and forbids both by its CSP."""
    root = parse_xml(page)
    assert local(root.tag) == "html" and page.startswith("<!DOCTYPE html>\n")
    metas = [m for m in root.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1 and "default-src 'none'" in metas[0].get("content", "")
    assert "script-src" not in metas[0].get("content", ""), "no script may run, not even inline"
    for el in root.iter():
        assert local(el.tag) not in FORBIDDEN, el.tag
        for name, value in el.attrib.items():
            assert not local(name).lower().startswith("on"), name
            if local(name) in ("href", "src", "action", "formaction", "xlink:href"):
                assert value.startswith("#") or value.startswith(("http://", "https://")), value
        if local(el.tag) == "style":
            assert "@import" not in text_of(el) and "url(" not in text_of(el)
    return root


def test_the_page_is_self_contained(bundled: Dataset) -> None:
    page = export_events(bundled, bundled.events, options())
    root = check_inert(page)
    external = [a.get("href") for a in root.iter() if local(a.tag) == "a" and not a.get("href", "#").startswith("#")]
    assert external == [], "the bundled sources have no URLs, so nothing points outside the page"
    assert page.count("<style>") == 2  # the page's and the picture's, both inline


@pytest.mark.parametrize("hostile", HTML_HOSTILE)
def test_hostile_text_from_data_and_notes_stays_text(mini: Dataset, hostile: str) -> None:
    event = replace(mini.events[0], title=hostile, summary=hostile, tags=(hostile,), date_basis=hostile)
    source = replace(mini.sources["harbour"], title=hostile, publisher=hostile, url=hostile)
    ds = replace(mini, title=hostile, events=[event, *mini.events[1:]], sources={**mini.sources, "harbour": source})
    notes, links = annotations(ds, [hostile, hostile + "\n\n" + hostile])
    page = export_events(ds, ds.events[:3], options(), notes, links)
    root = check_inert(page)
    shown = norm(plain(hostile).replace("\ud800", "\ufffd").replace("\uffff", "\ufffd").replace("\ufffe", "\ufffd"))
    section = next(by_class(root, "event"))
    assert norm(text_of(section.find("h2"))) == norm(f"{event.date.display()} — {shown}")  # type: ignore[arg-type]
    texts = [norm(text_of(el)) for el in by_class(section, "text")]
    assert texts.count(shown) >= 3, "summary, note and link comment show it literally"
    assert norm(text_of(root.find("head/title"))) == norm(f"Timeline export — {shown}")  # type: ignore[arg-type]


def test_the_hostile_fixture_exports(repo_root: Path, tmp_path: Path) -> None:
    shutil.copytree(repo_root / "tests" / "fixtures" / "hostile", tmp_path / "hostile")
    ds = load_dataset(tmp_path / "hostile" / "events.json", allow_missing_sources=True)
    page = export_events(ds, ds.events, options())
    root = check_inert(page)
    assert "\x1b" not in page and "\x07" not in page
    assert len(list(by_class(root, "event"))) == len(ds.events) == len(list(by_class(root, "mark")))


def test_only_safe_source_urls_become_links(mini: Dataset) -> None:
    for url, linked in (("https://example.com/a?b=1&c=2", True), ("javascript:alert(1)", False),
                        ('https://x.org/" onclick="x', False), ("data:text/html,<script>", False)):
        ds = replace(mini, sources={**mini.sources, "harbour": replace(mini.sources["harbour"], url=url)})
        root = check_inert(export_events(ds, ds.events[:1], options()))
        hrefs = [a.get("href") for a in root.iter("a") if not a.get("href", "#").startswith("#")]
        assert hrefs == ([url] if linked else [])
        footnotes = text_of(next(by_class(root, "footnotes")))
        assert url in footnotes, "an unsafe address is still cited, as text"


# -- the same content as the Markdown export ---------------------------------------------------------

def markdown_sections(markdown: str) -> tuple[list[str], list[list[str]], list[str]]:
    """Header texts, each event's block texts, footnote texts — from markdown-it's rendering."""
    html = commonmark().render(markdown)
    root = ET.fromstring(f"<root>{html}</root>")
    header: list[str] = []
    events: list[list[str]] = []
    footnotes: list[str] = []
    for el in root:
        if el.tag == "section" and "footnotes" in (el.get("class") or ""):
            footnotes = [norm(text_of(li).replace("\u21a9\ufe0e", "")) for li in el.iter("li")]
        elif el.tag == "h2":
            events.append([norm(text_of(el))])
        elif el.tag == "hr":
            continue
        elif events:  # markdown-it numbers a footnote's second reference [13:1]: it is still footnote 13
            events[-1].append(re.sub(r"\[(\d+):\d+\]", r"[\1]", norm(text_of(el))))
        else:
            header.append(norm(text_of(el)))
    return header, events, footnotes


def html_sections(page: str) -> tuple[list[str], list[list[str]], list[str]]:
    root = parse_xml(page)
    body = root.find("body")
    assert body is not None
    header = [norm(text_of(el)) for el in body if el.tag in ("h1", "p")]
    events = [[norm(text_of(child)) for child in section] for section in by_class(root, "event")]
    notes_fixed = []
    for blocks in events:  # the notes list is one element in both; Markdown's items are the list's children
        notes_fixed.append([b for b in blocks if b])
    footnotes = [norm(text_of(li)) for li in next(by_class(root, "footnotes"), ET.Element("ol")).iter("li")]
    return header, notes_fixed, footnotes


def assert_same_content(dataset: Dataset, events: list[Event], opts: ExportOptions,
                        notes: dict[str, list[Note]] | None = None, links: dict[str, list[Link]] | None = None) -> None:
    md = export_events(dataset, events, replace(opts, format="md"), notes, links)
    page = export_events(dataset, events, opts, notes, links)
    md_header, md_events, md_notes = markdown_sections(md)
    header, html_events, footnotes = html_sections(page)
    assert header == md_header
    assert [" ".join(b) for b in html_events] == [" ".join(b) for b in md_events]
    assert footnotes == md_notes


def test_same_content_as_markdown_for_the_bundled_data(bundled: Dataset) -> None:
    notes, links = annotations(bundled, ["First note\nsecond line", "Another note", "Third\n\nparagraph"])
    assert_same_content(bundled, bundled.events, options(), notes, links)


@pytest.mark.parametrize("parts", [
    {"include_quotes": False}, {"include_notes": False}, {"include_links": False},
    {"include_quotes": False, "include_notes": False, "include_links": False},
])
def test_same_content_as_markdown_when_parts_are_left_out(bundled: Dataset, parts: dict[str, bool]) -> None:
    notes, links = annotations(bundled, ["A note"])
    assert_same_content(bundled, bundled.events[:6], options(**parts), notes, links)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(max_size=60), min_size=1, max_size=4), title=st.text(max_size=40))
@example(texts=["\x1b"], title="")  # a comment that is only a control character: no comment line in either
@example(texts=["  \n\n\t", "a\n\n\n\nb  "], title=" \x07 ")
def test_property_same_content_as_markdown_for_any_text(mini: Dataset, texts: list[str], title: str) -> None:
    ds = replace(mini, events=[replace(mini.events[0], title=title, summary=texts[-1]), *mini.events[1:]])
    notes, links = annotations(ds, texts)
    opts = options()
    check_inert(export_events(ds, ds.events, opts, notes, links))
    assert_same_content(ds, ds.events, opts, notes, links)


# -- what the page holds ----------------------------------------------------------------------------

def test_headings_quotes_and_marks_follow_the_export_order(bundled: Dataset) -> None:
    chosen = list(reversed(bundled.events))
    root = parse_xml(export_events(bundled, chosen, options()))
    ordered = ordered_events(chosen)
    sections = list(by_class(root, "event"))
    assert [norm(text_of(s.find("h2"))) for s in sections] == [norm(heading_text(e)) for e in ordered]  # type: ignore[arg-type]
    assert [s.get("data-id") for s in sections] == [e.id for e in ordered]
    assert [s.find("h2").get("data-n") for s in sections] == [str(n) for n in range(1, len(ordered) + 1)]  # type: ignore[union-attr]
    ids = {s.get("id") for s in sections}
    marks = list(by_class(root, "mark"))
    assert len(marks) == len(sections)
    links = [a.get("href", "")[1:] for a in root.iter(f"{SVG_NS}a")]
    assert links == [s.get("id") for s in sections] and set(links) <= ids


def test_every_quote_is_its_source_slice_with_its_offsets(bundled: Dataset) -> None:
    root = parse_xml(export_events(bundled, bundled.events, options()))
    quotes = list(by_class(root, "quote"))
    assert len(quotes) == sum(len(e.quotes) for e in bundled.events) == 44
    for block in quotes:
        source, start, end = block.get("data-source", ""), int(block.get("data-start", "-1")), int(block.get("data-end", "-1"))
        text = bundled.source_text(source)
        assert text is not None
        shown = next(by_class(block, "text"))
        assert text_of(shown) == text[start:end]


def test_citations_name_source_and_code_points(bundled: Dataset) -> None:
    root = parse_xml(export_events(bundled, bundled.events, options()))
    notes = {li.get("id"): norm(text_of(li)) for li in next(by_class(root, "footnotes")).iter("li")}
    block = next(by_class(root, "quote"))
    ref = next(a for a in block.iter("a") if "ref" in (a.get("class") or ""))
    cited = notes[ref.get("href", "")[1:]]
    source: Source = bundled.sources[block.get("data-source", "")]
    assert cited.startswith(norm(plain(source.title)))
    assert f"file {source.path}" in cited
    assert cited.endswith(f"code points {block.get('data-start')}–{block.get('data-end')}.")


def test_print_styles_are_there(bundled: Dataset) -> None:
    page = export_events(bundled, bundled.events[:2], options())
    style = text_of(parse_xml(page).find("head/style"))  # type: ignore[arg-type]
    assert "@media print" in style and "@page" in style and "break-inside:avoid" in style

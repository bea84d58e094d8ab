"""The Markdown export read by the tools people open it with: every quote renders as its source text.

pandoc's default reader (``markdown``, with its ``smart`` extension, with and without
``--citeproc``), pandoc's GFM reader, markdown-it-py (CommonMark + footnotes + front matter) and
cmark-gfm (GitHub's own renderer; front matter stripped as github.com does) each turn the export
into HTML; the text of every blockquote must equal the quote (the source slice) exactly, and
notes that look like citations or markup stay literal.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt
from markdown_support import commonmark

from timeline_tui.core.annotations import Note
from timeline_tui.core.export import ExportOptions, export_events
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset, Event, Quote

OPTIONS = ExportOptions(generated=datetime(2025, 5, 9, 12, 0, tzinfo=UTC))
PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed (.ci/run installs it)")

#: Text that pandoc's smart punctuation, citations, emoji shortcodes or footnote syntax would change.
TRICKY = [
    "It's \"quoted\", 'single' and ‘curly’ — isn't it...",
    "Wait... -- or --- or - - or ----",
    "@XHNews said [@click=app.quit] and @key; mail me@example.com",
    "An emoji :fire: and a:b:c and 12:30:45",
    "Ends with a bang!",
    "Ends with a backslash bang \\!",
    "(@) example and [^1] fake ref",
    "$5 and 5% and ~sub~ ^sup^",
    "Line one\nline two",
]


class _Blockquotes(HTMLParser):
    """The text of each top-level <blockquote>'s paragraphs: <br> as a newline, paragraphs apart by a
    blank line, footnote references left out, the renderer's own line ends after <br> ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.quotes: list[str] = []
        self._depth = 0  # blockquote nesting
        self._in_p = False
        self._skip = 0  # inside a footnote reference
        self._paras = 0
        self._after_br = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if self._skip:
            self._skip += 1
            return
        if "footnote-ref" in (attr.get("class") or "") or "data-footnote-ref" in attr:
            self._skip = 1
        elif tag == "blockquote":
            self._depth += 1
            if self._depth == 1:
                self.quotes.append("")
                self._paras = 0
        elif self._depth and tag == "p":
            if self._paras:
                self.quotes[-1] += "\n\n"
            self._paras += 1
            self._in_p = True
        elif self._depth and tag == "br":
            self.quotes[-1] += "\n"
            self._after_br = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and self._in_p and not self._skip:
            self.quotes[-1] += "\n"
            self._after_br = True

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1
        elif tag == "blockquote":
            self._depth -= 1
        elif tag == "p":
            self._in_p = False

    def handle_data(self, data: str) -> None:
        if self._in_p and not self._skip:
            if self._after_br and data.startswith("\n"):
                data = data[1:]
            self.quotes[-1] += data
        self._after_br = False


def blockquote_texts(html: str) -> list[str]:
    parser = _Blockquotes()
    parser.feed(html)
    return parser.quotes


def _pandoc(*args: str) -> Callable[[str], str]:
    def render(md: str) -> str:
        assert PANDOC is not None
        return subprocess.run([PANDOC, *args, "--wrap=none", "-t", "html"], input=md, capture_output=True, text=True,
                              check=True, timeout=120).stdout
    return render


def _markdown_it(md: str) -> str:
    return str(commonmark().render(md))


def _without_front_matter(md: str) -> str:
    """What github.com hands to cmark-gfm: the YAML front matter is taken off (and shown as a table)."""
    m = re.match(r"---\n.*?\n---\n", md, re.DOTALL)
    return md[m.end():] if m else md


def _cmark_gfm(md: str) -> str:
    return str(cmarkgfm.github_flavored_markdown_to_html(
        _without_front_matter(md), options=Options.CMARK_OPT_FOOTNOTES))


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it (CommonMark + footnotes)": _markdown_it,
    "cmark-gfm (GitHub)": _cmark_gfm,
}
PANDOC_RENDERERS: dict[str, Callable[[str], str]] = {
    "pandoc markdown": _pandoc("-f", "markdown"),
    "pandoc markdown --citeproc": _pandoc("-f", "markdown", "--citeproc"),
    "pandoc gfm": _pandoc("-f", "gfm"),
}


def _tricky_dataset(mini: Dataset) -> tuple[Dataset, list[Event], dict[str, list[Note]]]:
    """The mini dataset with events whose quotes, titles and notes are the tricky texts."""
    base = mini.events[0]
    events = [
        replace(base, id=f"tricky-{i}", title=text.replace("\n", " "),
                quotes=(Quote(base.quotes[0].source, 0, len(text), text),))
        for i, text in enumerate(TRICKY)
    ]
    notes = {e.id: [Note(i + 1, e.id, TRICKY[i], "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
             for i, e in enumerate(events)}
    return mini, events, notes


def _check_quotes(render: Callable[[str], str], dataset: Dataset, events: list[Event],
                  notes: dict[str, list[Note]] | None = None) -> str:
    md = export_events(dataset, events, OPTIONS, notes=notes)
    html = render(md)
    expected = [q.text for e in events for q in e.quotes]
    assert blockquote_texts(html) == expected
    return html


@pytest.mark.parametrize("name", list(RENDERERS))
def test_every_bundled_quote_renders_verbatim(repo_root: Path, name: str) -> None:
    dataset = load_dataset(repo_root / "events.json")
    _check_quotes(RENDERERS[name], dataset, list(dataset.events))


@needs_pandoc
@pytest.mark.parametrize("name", list(PANDOC_RENDERERS))
def test_every_bundled_quote_renders_verbatim_in_pandoc(repo_root: Path, name: str) -> None:
    dataset = load_dataset(repo_root / "events.json")
    quotes = [q for e in dataset.events for q in e.quotes]
    assert sum(1 for q in quotes if re.search(r"['\"]|\.\.\.|--", q.text)) >= 10  # smart punctuation is tested
    _check_quotes(PANDOC_RENDERERS[name], dataset, list(dataset.events))


@pytest.mark.parametrize("name", list(RENDERERS) + list(PANDOC_RENDERERS))
def test_tricky_quotes_and_notes_stay_literal(mini: Dataset, name: str) -> None:
    render = {**RENDERERS, **PANDOC_RENDERERS}[name]
    if name.startswith("pandoc") and PANDOC is None:
        pytest.skip("pandoc is not installed (.ci/run installs it)")
    dataset, events, notes = _tricky_dataset(mini)
    html = _check_quotes(render, dataset, events, notes)
    assert "(XHNews?)" not in html and "(click=app.quit?)" not in html  # no citation was made
    assert "@XHNews said [@click=app.quit]" in html.replace("&quot;", '"')
    assert "🔥" not in html and "<img" not in html


@needs_pandoc
def test_pandoc_standalone_has_the_title_from_the_metadata(repo_root: Path) -> None:
    dataset = load_dataset(repo_root / "events.json")
    md = export_events(dataset, list(dataset.events)[:2], OPTIONS)
    html = _pandoc("-f", "markdown", "-s")(md)
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert title is not None and title.group(1).strip() == f"Timeline export — {dataset.title}"
    assert '<p class="date">2025-05-09</p>' in html


def test_front_matter_is_yaml_with_the_escaped_title(mini: Dataset) -> None:
    hostile = replace(mini, title='A "title": with [@key] and \\ and *stars*')
    md = export_events(hostile, list(mini.events)[:1], OPTIONS)
    lines = md.split("\n")
    assert lines[0] == "---" and lines[3] == "---" and lines[2] == 'date: "2025-05-09"'
    tokens = commonmark().parse(md)
    assert tokens[0].type == "front_matter"
    import json

    value = json.loads(lines[1].removeprefix("title: "))  # a JSON string is a YAML double-quoted scalar
    rendered = MarkdownIt("commonmark").renderInline(value)
    assert rendered == "Timeline export — A &quot;title&quot;: with [@key] and \\ and *stars*"


def test_footnote_markers_attach_without_a_space(mini: Dataset) -> None:
    md = export_events(mini, list(mini.events), OPTIONS)
    refs = re.findall(r"(.)\[\^\d+\](?!:)", md)
    assert refs and " " not in refs

"""The Markdown export parsed with markdown-it-py (CommonMark + footnotes): structure, citations, escaping."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_support import commonmark

from timeline_tui.core.anchoring import make_selectors
from timeline_tui.core.annotations import Link, Note, TextPositionSelector, TextQuoteSelector
from timeline_tui.core.export import ExportOptions, export_events
from timeline_tui.core.export.escape import escape_line, md_text
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.order import sort_events
from timeline_tui.core.textsafe import plain

FIXED = datetime(2025, 5, 9, 12, 0, tzinfo=UTC)
OPTIONS = ExportOptions(generated=FIXED, filter_description="tag war")

HOSTILE = [
    "# not a heading",
    "## also not",
    "---",
    "a\n---",
    "***",
    "___",
    "```python\nprint(1)\n```",
    "~~~\ncode\n~~~",
    "`inline code`",
    "<script>alert(1)</script>",
    "<div>html block</div>",
    "[x](javascript:alert(1))",
    "![img](http://example.com/x.png)",
    "<http://example.com>",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    ">",
    "> quoted",
    "[^1]",
    "[^1]: fake footnote",
    "[ref]: http://example.com",
    "*emphasis* and **strong** and _under_",
    "1. first",
    "1) first",
    "- item",
    "+ item",
    "* item",
    "trailing spaces   ",
    "trailing backslash\\",
    "&amp; &lt;b&gt; &#35;",
    "    indented code",
    "\tTabbed",
    "   ",
    "line one\nline two\n\nnew paragraph\n\n\n\nafter many blanks",
    "title\n===",
    "term\n: definition",
    "::: fenced div",
    "$x^2$ and ~sub~ and ^sup^",
    "%% obsidian comment %%",
    "[[wikilink]] #tag",
    "@citation [@key]",
    "\\# escaped already \\",
    "\x1b[31mred\x1b[0m and \x07bell",
    "{#id .class}",
    "a. letter list",
    "(@) example",
    "\u00a0leading nbsp",
    "word\u3000",
]


# -- parsing helpers ---------------------------------------------------------------------------

def parser() -> MarkdownIt:
    return commonmark()


def inline_text(token: Token) -> str:
    """The literal text of an inline token (breaks as newlines, footnote refs and markup left out)."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


def expected_block(text: str) -> str:
    """Multi-line text as the export keeps it: lines kept, runs of empty lines are one paragraph break;
    text that cleans to nothing but blanks is left out."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    cleaned = plain(text, keep_newlines=True)
    if not cleaned.strip():
        return ""
    for line in cleaned.split("\n"):
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return "\n\n".join("\n".join(p) for p in paragraphs)


class Section:
    """The tokens of one event: its heading text and everything until the next heading or the footnotes."""

    def __init__(self, heading: str, tokens: list[Token]) -> None:
        self.heading = heading
        self.tokens = tokens

    def blockquotes(self) -> list[list[Token]]:
        quotes: list[list[Token]] = []
        depth = 0
        for tok in self.tokens:
            if tok.type == "blockquote_open":
                if depth == 0:
                    quotes.append([])
                depth += 1
            elif tok.type == "blockquote_close":
                depth -= 1
            elif depth:
                quotes[-1].append(tok)
        return quotes

    def notes(self) -> list[tuple[str, str]]:
        """(label, text) of each note list item under the "Your notes" paragraph."""
        items: list[tuple[str, str]] = []
        seen_label = False
        current: list[str] | None = None
        depth = 0
        for i, tok in enumerate(self.tokens):
            if tok.type == "inline" and inline_text(tok) == "Your notes" and depth == 0:
                seen_label = True
            if not seen_label:
                continue
            if tok.type == "bullet_list_open":
                depth += 1
            elif tok.type == "bullet_list_close":
                depth -= 1
            elif tok.type == "list_item_open" and depth == 1:
                current = []
            elif tok.type == "list_item_close" and depth == 1 and current is not None:
                items.append((current[0], "\n\n".join(current[1:])))
                current = None
            elif tok.type == "inline" and current is not None:
                assert self.tokens[i - 1].type == "paragraph_open"
                current.append(inline_text(tok))
        return items


def parse(markdown: str) -> tuple[list[Token], dict[str, Any], list[Token], list[Section]]:
    """Tokens, env, the h1 headings, and the h2 sections."""
    env: dict[str, Any] = {}
    tokens = parser().parse(markdown, env)
    h1: list[Token] = []
    sections: list[Section] = []
    current: list[Token] | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            assert tok.tag in ("h1", "h2"), f"unexpected heading {tok.tag}: {tokens[i + 1].content!r}"
            if tok.tag == "h1":
                h1.append(tokens[i + 1])
                current = None
            else:
                current = []
                sections.append(Section(inline_text(tokens[i + 1]), current))
        elif tok.type == "footnote_block_open":
            current = None
        elif current is not None and tok.type not in ("heading_close",) and not (
            tok.type == "inline" and i and tokens[i - 1].type == "heading_open"
        ):
            current.append(tok)
    return tokens, env, h1, sections


def heading_text(event: Event) -> str:
    title = plain(event.title)
    return f"{event.date.display()} — {title}" if title.strip() else event.date.display()


def all_tokens(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for tok in tokens:
        out.append(tok)
        out.extend(tok.children or [])
    return out


def check_structure(markdown: str, dataset: Dataset, events: list[Event], *, links: int = 0) -> list[Section]:
    """The invariants every Markdown export keeps; returns the event sections."""
    tokens, _env, h1, sections = parse(markdown)
    assert len(h1) == 1
    ordered = sorted(events, key=lambda e: dataset.index_of(e.id) or 0)
    assert [s.heading for s in sections] == [heading_text(e) for e in ordered]
    flat = all_tokens(tokens)
    forbidden = {
        "html_block", "html_inline", "link_open", "image", "code_inline", "code_block", "fence", "hr", "table_open",
        "s_open", "ordered_list_open",
    }
    assert not [t.type for t in flat if t.type in forbidden]
    footnote_ids = {t.meta["id"] for t in tokens if t.type == "footnote_open"}
    total_quotes = 0
    for section, event in zip(sections, ordered, strict=True):
        quotes = section.blockquotes()
        total_quotes += len(quotes)
        assert len(quotes) >= len(event.quotes)
        for quote in quotes:
            refs = [c for t in quote if t.type == "inline" for c in t.children or [] if c.type == "footnote_ref"]
            assert len(refs) == 1, "each quote ends with exactly one footnote reference"
            assert refs[0].meta["id"] in footnote_ids, "the reference resolves to a definition"
            last_inline = [t for t in quote if t.type == "inline"][-1]
            assert (last_inline.children or [])[-1].type == "footnote_ref", "the reference ends the quote"
    assert total_quotes == sum(len(e.quotes) for e in events) + links
    return sections


# -- fixtures ----------------------------------------------------------------------------------

def _note(i: int, event_id: str, text: str) -> Note:
    return Note(i, event_id, text, "2025-01-01T10:00:00Z", f"2025-01-0{1 + i % 8}T11:00:00Z")


# -- tests -------------------------------------------------------------------------------------

def test_structure_of_a_plain_export(mini: Dataset) -> None:
    events = [mini.events[5], mini.events[0], mini.events[3]]  # out of order on purpose
    md = export_events(mini, events, OPTIONS)
    sections = check_structure(md, mini, events)
    assert [s.heading for s in sections] == [
        "August 1945 — First ships return to the harbour",
        "2009 — Port trade reaches 12 billion dollars",
        "8 May 2010 — Victory parade in Portville",
    ]
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_header_says_what_was_exported(mini: Dataset) -> None:
    md = export_events(mini, mini.events[:2], OPTIONS)
    tokens, _, h1, _ = parse(md)
    assert inline_text(h1[0]) == "Timeline export — Mini test dataset"
    first_para = next(t for t in tokens if t.type == "inline" and t is not h1[0])
    assert inline_text(first_para).split("\n") == [
        "Exported 2 of 6 events from Mini test dataset.",
        "Filters: tag war.",
        "Generated 2025-05-09 12:00:00 UTC.",
    ]


def test_every_quote_is_cited_with_source_and_offsets(mini: Dataset) -> None:
    md = export_events(mini, mini.events, OPTIONS)
    tokens, _env, _, sections = parse(md)
    check_structure(md, mini, mini.events)
    definitions: dict[int, str] = {}
    for i, tok in enumerate(tokens):
        if tok.type == "footnote_open":
            definitions[tok.meta["id"]] = inline_text(tokens[i + 2])
    for section, event in zip(sections, mini.events, strict=True):
        for quote_tokens, quote in zip(section.blockquotes(), event.quotes, strict=True):
            inline = [t for t in quote_tokens if t.type == "inline"][-1]
            assert inline_text(inline).strip() == quote.text
            ref = (inline.children or [])[-1]
            cite = definitions[ref.meta["id"]]
            source = mini.sources[quote.source]
            assert source.title in cite and source.publisher in cite and source.path in cite
            assert source.published.display() in cite
            assert f"code points {quote.start}–{quote.end}" in cite
            assert mini.source_text(quote.source)[quote.start:quote.end] == quote.text  # type: ignore[index]


def test_a_passage_quoted_twice_shares_one_footnote(mini: Dataset) -> None:
    event = mini.events[0]
    twin = replace(mini.events[1], quotes=(event.quotes[0],))
    mini.events[1] = twin
    md = export_events(mini, [event, twin], OPTIONS)
    _, env, _, _ = parse(md)
    assert len(env["footnotes"]["list"]) == 2  # (harbour 128-208) shared + museum quote
    assert md.count("code points 128–208") == 1


def test_notes_and_their_times_stay_under_their_event(mini: Dataset) -> None:
    a, b = mini.events[1], mini.events[4]
    notes = {a.id: [_note(1, a.id, "first note"), _note(3, a.id, "second\nline")], b.id: [_note(2, b.id, "other")]}
    md = export_events(mini, [a, b], OPTIONS, notes=notes)
    sections = check_structure(md, mini, [a, b])
    assert [text for _, text in sections[0].notes()] == ["first note", "second\nline"]
    assert [text for _, text in sections[1].notes()] == ["other"]
    assert sections[0].notes()[0][0] == "Note, updated 2025-01-02 11:00 UTC:"


def test_excluding_quotes_and_notes(mini: Dataset) -> None:
    a = mini.events[0]
    notes = {a.id: [_note(1, a.id, "secret")]}
    md = export_events(mini, [a], replace(OPTIONS, include_quotes=False, include_notes=False), notes=notes)
    _, env, _, sections = parse(md)
    assert sections[0].blockquotes() == [] and not env.get("footnotes", {}).get("list")
    assert "[^" not in md
    assert "secret" not in md


def test_links_are_marked_as_the_users_with_anchor_status(mini: Dataset) -> None:
    event = mini.events[1]
    text = mini.source_text("harbour")
    assert text is not None
    start = text.index("The town held a parade")
    quote, position = make_selectors(text, start, start + 22)
    moved = TextPositionSelector(position.start + 5, position.end + 5)
    links = {event.id: [
        Link(1, event.id, "harbour", quote, position, "2025-01-01T00:00:00Z", "my *own* comment"),
        Link(2, event.id, "harbour", quote, moved, "2025-01-02T00:00:00Z"),
        Link(3, event.id, "harbour", TextQuoteSelector("words that are in no source"), TextPositionSelector(3, 30),
             "2025-01-03T00:00:00Z"),
    ]}
    md = export_events(mini, [event], OPTIONS, links=links)
    tokens, _, _, sections = check_parse_links(md, mini, event, 3)
    firsts = [inline_text(next(t for t in q if t.type == "inline")).rstrip() for q in sections[0].blockquotes()]
    labels = [text.split("\n")[0] for text in firsts]
    assert labels == [
        "Between 1950 and 1953 the harbour was rebuilt",
        "Your linked passage (exact):",
        "Your linked passage (moved):",
        "Your linked passage (orphaned, stored text):",
    ]
    bodies = firsts[1:]
    assert bodies[0].endswith("\nThe town held a parade") and bodies[2].endswith("\nwords that are in no source")
    definitions = [inline_text(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "footnote_open"]
    assert f"code points {start}–{start + 22} (anchor exact)" in definitions[1]
    assert f"code points {start}–{start + 22} (anchor moved; stored at {start + 5}–{start + 27})" in definitions[2]
    assert "orphaned" in definitions[3] and "code points 3–30" in definitions[3]
    assert all(d.startswith("Linked by you: Harbour town marks its history") for d in definitions[1:])
    comment = [inline_text(t) for t in sections[0].tokens if t.type == "inline" and "comment" in inline_text(t)]
    assert comment == ["Your comment on this passage: my *own* comment"]


def check_parse_links(
    md: str, dataset: Dataset, event: Event, n_links: int
) -> tuple[list[Token], dict[str, Any], list[Token], list[Section]]:
    check_structure(md, dataset, [event], links=n_links)
    return parse(md)


def test_link_to_a_missing_source_file_is_orphaned(mini: Dataset, mini_path: Path) -> None:
    event = mini.events[0]
    (mini_path.parent / "sources" / "museum.txt").unlink()
    mini._texts.clear()
    link = Link(1, event.id, "museum", TextQuoteSelector("The museum"), TextPositionSelector(51, 61), "t")
    md = export_events(mini, [event], OPTIONS, links={event.id: [link]})
    check_structure(md, mini, [event], links=1)
    assert "Your linked passage (orphaned, stored text):" in md.replace("*", "")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_note_and_title_stay_literal(mini: Dataset, hostile: str) -> None:
    event = replace(mini.events[2], title=hostile, summary=hostile, date_basis=hostile, tags=(hostile,))
    mini.events[2] = event
    nxt = mini.events[3]
    notes = {event.id: [_note(1, event.id, hostile)], nxt.id: [_note(2, nxt.id, "after")]}
    md = export_events(mini, [event, nxt], OPTIONS, notes=notes)
    sections = check_structure(md, mini, [event, nxt])
    assert sections[0].notes() == [("Note, updated 2025-01-02 11:00 UTC:", expected_block(hostile))]
    assert [text for _, text in sections[1].notes()] == ["after"]
    paragraphs = [inline_text(t) for t in sections[0].tokens if t.type == "inline"]
    basis = f"Date basis: {plain(hostile)} · " if hostile.strip() else ""
    assert f"{basis}EDTF: 2005 · ID: {event.id}" in paragraphs
    summary = [p for p in expected_block(hostile).split("\n\n") if p]
    assert all(p in paragraphs for p in summary)
    assert f"Tags: {plain(hostile)}" in paragraphs


def test_source_urls_are_links_only_when_safe(mini: Dataset) -> None:
    mini.sources["harbour"] = replace(mini.sources["harbour"], url="https://example.com/a?b=1&c=(2)")
    mini.sources["museum"] = replace(mini.sources["museum"], url="javascript:alert(1)")
    md = export_events(mini, mini.events[:1], OPTIONS)
    tokens, _, _, _ = parse(md)
    hrefs = [c.attrs["href"] for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert hrefs == ["https://example.com/a?b=1&c=(2)"]
    assert "javascript:alert(1)" in md.replace("\\", "")


def test_output_is_deterministic(mini: Dataset) -> None:
    notes = {mini.events[0].id: [_note(1, mini.events[0].id, "n")]}
    first = export_events(mini, mini.events, OPTIONS, notes=notes)
    assert export_events(mini, list(reversed(mini.events)), OPTIONS, notes=notes) == first
    later = export_events(mini, mini.events, replace(OPTIONS, generated=datetime(2030, 1, 1, tzinfo=UTC)), notes=notes)
    diff = [(a, b) for a, b in zip(first.splitlines(), later.splitlines(), strict=True) if a != b]
    assert diff == [('date: "2025-05-09"', 'date: "2030-01-01"'),
                    ("Generated 2025-05-09 12:00:00 UTC.", "Generated 2030-01-01 00:00:00 UTC.")]


def test_escape_line_examples() -> None:
    assert escape_line("# x") == "\\# x"
    assert escape_line("1. x") == "1\\. x"
    assert escape_line("  a  ") == "&#32;&#32;a&#32;&#32;"
    assert escape_line("a_b*c") == "a\\_b\\*c"
    assert md_text("two\nlines") == "two lines"
    assert escape_line("plain words, and more.") == "plain words, and more."


# -- property test -----------------------------------------------------------------------------

_texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from([*HOSTILE, "\n", "\n\n", " ", "word"]), max_size=6).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_texts, note_texts=st.lists(_texts, min_size=1, max_size=3), other=_texts)
def test_property_arbitrary_titles_and_notes_keep_the_structure(
    mini: Dataset, title: str, note_texts: list[str], other: str
) -> None:
    original = list(mini.events)
    try:
        mini.events[1] = replace(original[1], title=title, summary=other)
        mini.events[4] = replace(original[4], title=other, date_basis=title)
        chosen = [mini.events[1], mini.events[2], mini.events[4]]
        notes = {
            chosen[0].id: [_note(i, chosen[0].id, t) for i, t in enumerate(note_texts)],
            chosen[2].id: [_note(9, chosen[2].id, other)],
        }
        md = export_events(mini, chosen, OPTIONS, notes=notes)
        sections = check_structure(md, mini, chosen)
        assert [text for _, text in sections[0].notes()] == [expected_block(t) for t in note_texts]
        assert sections[1].notes() == []
        assert [text for _, text in sections[2].notes()] == [expected_block(other)]
    finally:
        mini.events[:] = original


# -- pandoc ------------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["commonmark+footnotes+yaml_metadata_block", "markdown"])
def test_pandoc_reads_the_same_headings(mini: Dataset, tmp_path: Path, reader: str) -> None:
    events = list(mini.events)
    for i, hostile in enumerate(HOSTILE[:30]):
        events.append(replace(events[i % 6], id=f"hostile-{i}", title=hostile, summary=hostile))
    mini.events[:] = sort_events(events)
    notes = {e.id: [_note(k, e.id, h)] for k, (e, h) in enumerate(zip(mini.events, HOSTILE, strict=False))}
    md = export_events(mini, mini.events, OPTIONS, notes=notes)
    check_structure(md, mini, mini.events)
    path = tmp_path / "export.md"
    path.write_text(md, encoding="utf-8")
    html = subprocess.run(
        ["pandoc", "-f", reader, "-t", "html", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    headings = re.findall(r"<h([1-6])[ >]", html)
    assert headings.count("1") == 1 and headings.count("2") == len(mini.events) and len(headings) == 1 + len(events)
    lowered = html.lower()
    body = lowered.split('<section class="footnotes')[0]
    for bad in ("<script", "href=\"javascript", "<table", "<code", "<pre", "<div>html", "<img", "<ol", "<dl"):
        assert bad not in body, bad
    assert lowered.count("<blockquote") == sum(len(e.quotes) for e in mini.events)
    assert len(re.findall(r'class="footnote-ref"', html)) == sum(len(e.quotes) for e in mini.events)

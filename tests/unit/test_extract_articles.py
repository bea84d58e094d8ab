"""The extractor on articles written for these tests (other topics), and on the bundled sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.core.dates import parse_edtf
from timeline_tui.core.extract.boilerplate import classify
from timeline_tui.core.extract.candidates import extract, find_published, read_article, suggest_title
from timeline_tui.core.extract.htmltext import html_to_text
from timeline_tui.core.extract.sentences import sentences

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
EXPECTED: dict[str, Any] = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(k for k in EXPECTED if not k.startswith("_"))


@pytest.mark.parametrize("name", NAMES)
def test_hand_checked_candidates(name: str) -> None:
    expected = EXPECTED[name]
    result = extract(read_article(ARTICLES / name), source_id="a")
    assert result.published is not None and result.published.edtf() == expected["published"]
    assert result.published_from == "text"
    assert result.title == expected["title"]
    got = [[c.date.edtf(), result.text[c.expression.start : c.expression.end]] for c in result.candidates]
    assert got == expected["candidates"]


@pytest.mark.parametrize("name", NAMES)
def test_quotes_are_exact_sentences_of_the_stored_text(name: str) -> None:
    result = extract(read_article(ARTICLES / name), source_id="a")
    for c in result.candidates:
        assert result.text[c.quote.start : c.quote.end] == c.quote.text
        assert c.quote.start <= c.expression.start < c.expression.end <= c.quote.end
        assert 0.0 <= c.confidence <= 1.0
        assert c.title and "\n" not in c.title


@pytest.mark.parametrize("name", NAMES)
def test_no_sidebar_text_among_candidates(name: str) -> None:
    result = extract(read_article(ARTICLES / name), source_id="a")
    for phrase in EXPECTED[name]["sidebar"]:
        assert all(phrase not in c.quote.text for c in result.candidates), phrase


def test_option_beats_text_and_is_reported() -> None:
    article = read_article(ARTICLES / "bridge_reopens.txt")
    result = extract(article, published=parse_edtf("2024-06-16"))
    assert result.published_from == "option"
    monday = next(c for c in result.candidates if result.text[c.expression.start : c.expression.end] == "on Monday")
    assert monday.date.edtf() == "2024-06-10"  # Sunday 16th: the Monday before


def test_no_publication_date_skips_relative_forms_with_a_warning() -> None:
    text = "Quiet town\n\nThe mill closed last year after a fire on Saturday. It was built in 1880.\n"
    result = extract(text)
    assert result.published is None and result.published_from is None
    assert [c.date.edtf() for c in result.candidates] == ["1880"]
    assert result.warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n10:15, May 09, 2010\n\nBody text here.", "2010-05-09"),
        ("Title\nPublished: 3 March 2019 09:40\nBody.", "2019-03-03"),
        ("MOSCOW, May 9, 2010 (Xinhua) -- Leaders met.", "2010-05-09"),
        ("Title\nUpdated 2021-11-18T08:00:00Z\nBody.", "2021-11-18"),
    ],
)
def test_find_published(text: str, expected: str) -> None:
    found = find_published(text)
    assert found is not None and found[0].edtf() == expected


def test_find_published_ignores_dates_in_prose() -> None:
    assert find_published("Title\n\nThe army arrived on May 9, 2010 after a long march through the hills.") is None
    assert find_published("PORTVILLE, May 9 (Test Wire) -- no year in this dateline.") is None


def test_html_text_drops_scripts_navigation_and_asides() -> None:
    html = html_to_text(
        "<html><head><title>T | Site</title><script>x=1</script></head><body><nav>Home</nav>"
        "<p>One &amp; two</p><aside>Other story</aside><ul><li>Item</li></ul><footer>(c)</footer></body></html>"
    )
    assert html.title == "T"
    assert html.text == "One & two\n\n• Item\n"


def test_sentences_respect_abbreviations_and_lines() -> None:
    text = "Sept. 26 was calm. The U.S. envoy came.\nNew line here"
    assert [s.text(text) for s in sentences(text)] == ["Sept. 26 was calm.", "The U.S. envoy came.", "New line here"]


def test_suggested_titles() -> None:
    s = "It has been 65 years since the end of World War II, yet history remembers."
    assert suggest_title(s, 12, 26) == "The end of World War II"
    s = "In August 1945, the Soviet Red Army marched into the northeast."
    assert suggest_title(s, 3, 14) == "The Soviet Red Army marched into the northeast"


# --- the bundled sources ---------------------------------------------------------------------------

SIDEBAR_STARTS = {
    # where each bundled source's page furniture after the article begins (hand-checked)
    "001_b5c1e5e3e03559da.txt": "Source: Xinhua",
    "002_76de481e677b0f16.txt": "Hashtags",
    "004_b4e114d764c2d9e3.txt": "Leave a Reply",
    "000_c01bec904769cbd2.txt": "Reporter: Guo Zedong",
}


@pytest.mark.parametrize("name", sorted(SIDEBAR_STARTS))
def test_bundled_sources_have_no_candidates_in_their_sidebars(repo_root: Path, name: str) -> None:
    text = (repo_root / "sources" / name).read_text(encoding="utf-8")
    cut = text.index(SIDEBAR_STARTS[name])
    result = extract(text, published=parse_edtf("2025-05-10"))
    assert result.candidates
    assert all(c.quote.end <= cut for c in result.candidates)
    kinds = {b.kind for b in classify(text) if b.span.start >= cut}
    assert "body" not in kinds and "headline" not in kinds


def test_menus_at_the_top_are_skipped(repo_root: Path) -> None:
    text = (repo_root / "sources" / "000_c01bec904769cbd2.txt").read_text(encoding="utf-8")
    blocks = classify(text)
    assert [b.kind for b in blocks[:7]] == ["menu"] * 7
    assert blocks[7].kind == "headline"

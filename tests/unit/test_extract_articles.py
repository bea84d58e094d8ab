"""The extractor on articles written for these tests (other topics), and on the bundled sources."""

from __future__ import annotations

import json
import re
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
def test_hand_checked_candidates_are_found(name: str) -> None:
    """Every hand-checked event is proposed, with its date, from its expression.

    Other candidates may come and go as the extractor improves; what must not appear (menus,
    sidebars, teasers) is checked by :func:`test_no_sidebar_text_among_candidates`.
    """
    expected = EXPECTED[name]
    result = extract(read_article(ARTICLES / name), source_id="a")
    assert result.published is not None and result.published.edtf() == expected["published"]
    assert result.published_from == "text"
    assert result.title == expected["title"]
    got = {(c.date.edtf(), result.text[c.expression.start : c.expression.end]) for c in result.candidates}
    missing = [pair for pair in expected["candidates"] if tuple(pair) not in got]
    assert not missing, f"not proposed: {missing}; proposed: {sorted(got)}"


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
        ("Title\nPublished: June 5, 2010\nBody.", "2010-06-05"),
        ("Title\nPublished: 5 Sept. 2010\nBody.", "2010-09-05"),
        ("MOSCOW, Sept. 24, 2011 (Xinhua) -- Leaders met.", "2011-09-24"),
    ],
)
def test_find_published(text: str, expected: str) -> None:
    found = find_published(text)
    assert found is not None and found[0].edtf() == expected


def test_find_published_ignores_dates_in_prose() -> None:
    assert find_published("Title\n\nThe army arrived on May 9, 2010 after a long march through the hills.") is None
    assert find_published("PORTVILLE, May 9 (Test Wire) -- no year in this dateline.") is None
    assert find_published("Title\nPublished: Mayday 5, 2010\nBody.") is None


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


MEDIA_MID_ARTICLE = (
    "Veterans gather in harbour town\n"
    "Veterans gathered on Sunday in the harbour town to remember the long war years.\n"
    "The harbour was blockaded from 1941 until the first ships returned in August 1945.\n"
    "Video: veterans lay flowers at the harbour memorial\n"
    "Local historians say the rebuilding took until 1953, when the new quay opened.\n"
    "The museum opened a new wing in 2005 dedicated to the convoys.\n"
    "Editor: Li Ming\n"
    "The harbour festival returns in 2011, organisers of another town said.\n"
)


def test_a_media_line_mid_article_is_a_caption_not_the_end() -> None:
    blocks = classify(MEDIA_MID_ARTICLE)
    kinds = {b.span.text(MEDIA_MID_ARTICLE)[:12]: b.kind for b in blocks}
    assert kinds["Video: veter"] == "caption"
    assert kinds["Local histor"] == "body" and kinds["The museum o"] == "body"
    assert kinds["Editor: Li M"] == "credit"  # a byline credit still ends the article
    assert kinds["The harbour "] == "sidebar"
    dates = [c.date.edtf() for c in extract(MEDIA_MID_ARTICLE, published=parse_edtf("2010-05-09")).candidates]
    assert "1953" in dates and "2005" in dates and "2011" not in dates


@pytest.mark.parametrize("line", ["Video: Deng Yingheng", "Poster: Lai Meiya", "Photo: Xinhua"])
def test_short_media_credits_are_skipped(line: str) -> None:
    text = f"Title line here\nThe town held a parade on Sunday.\nThe war ended in 1945.\n{line}\nMore text came in 1950.\n"
    kinds = [b.kind for b in classify(text)]
    assert kinds == ["headline", "body", "body", "credit", "body"]


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


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Before 1945.</p><svg/><p>After the war in 1946.</p>", "Before 1945.\n\nAfter the war in 1946.\n"),
        ("<p>One</p><iframe src=x /><p>Two in 1946.</p>", "One\n\nTwo in 1946.\n"),
        ("<p>One</p><head/><p>Two.</p>", "One\n\nTwo.\n"),
        ("<title/><p>One.</p>", "One.\n"),
        ("<p>One</p><svg><path/></svg><p>Two.</p>", "One\n\nTwo.\n"),
        ("<html><head><title>T</title><body><p>Body text in 1945.</p></body></html>", "Body text in 1945.\n"),
        ("<html><head><title>T</title><meta name=date content=2010-05-09><p>No body tag.</p>", "No body tag.\n"),
    ],
)
def test_html_self_closed_skip_elements_and_unclosed_head_drop_nothing(html: str, expected: str) -> None:
    assert html_to_text(html).text == expected


def test_sentence_splitting_looks_back_one_word_not_the_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline_tui.core.extract.sentences as sentences_module

    looked: list[int] = []
    real = sentences_module._WORD_BEFORE

    class Recording:
        def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
            looked.append(endpos - pos)
            return real.search(text, pos, endpos)

    monkeypatch.setattr(sentences_module, "_WORD_BEFORE", Recording())
    text = "The war ended in 1945. " * 2000 + "Gen. Zhukov and Mr. Li spoke. U.S. envoys came."
    spans = sentences(text)
    assert len(spans) == 2002
    assert [s.text(text) for s in spans[-2:]] == ["Gen. Zhukov and Mr. Li spoke.", "U.S. envoys came."]
    assert looked and max(looked) <= 64  # each full stop: the word before it, not everything before it


# --- long inputs: bounded pieces, no headline made of the whole page ----------------------------------


def test_a_sentence_without_full_stops_is_cut_at_white_space() -> None:
    from timeline_tui.core.limits import MAX_SENTENCE_CHARS

    text = " ".join(f"word{i}" for i in range(3000))  # about 25,000 characters, no full stop
    spans = sentences(text)
    assert len(spans) > 1 and all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)
    assert all(text[s.start] != " " and text[s.end - 1] != " " for s in spans)
    assert " ".join(s.text(text) for s in spans) == text  # nothing lost, cut only at spaces
    solid = "x" * 5000  # no white space at all: cut between characters
    assert [s.text(solid) for s in sentences(solid)] == ["x" * 2000, "x" * 2000, "x" * 1000]


def test_a_page_stored_as_one_line_is_not_its_own_title() -> None:
    body = "The war ended in 1945, and the museum opened in 2005. " * 400  # one line of 21,600 characters
    result = extract("Published: 9 May 2010 " + body, source_id="page")
    assert result.title == "page"  # no headline: the source id stands in
    assert result.published is not None and result.published.edtf() == "2010-05-09"
    assert {c.date.edtf() for c in result.candidates} == {"1945", "2005"}  # the text after the date still counts
    assert all(c.quote.start > 0 for c in result.candidates)


def test_a_long_first_line_is_body_not_headline() -> None:
    long_line = "In 1950 the harbour was rebuilt with money from the town, " * 8
    blocks = classify(long_line + "\n\nIt reopened in 1953.\n")
    assert blocks[0].kind == "body"

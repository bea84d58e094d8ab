"""slugify: the one slug maker for ids (extract/import) and store file names."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from timeline_tui.core.slug import slugify


def test_examples() -> None:
    assert slugify("Xinhua: China, Russia mark 80th anniversary!") == "xinhua-china-russia-mark-80th-anniversary"
    assert slugify("  ---  ") == "article"
    assert slugify("日本語", fallback="dataset") == "dataset"
    assert slugify("alpha beta gamma", 12) == "alpha-beta"  # cut at the last whole word
    assert slugify("alpha beta gamma", 12, whole_words=False) == "alpha-beta-g"
    assert slugify("alpha beta gamma", 11, whole_words=False) == "alpha-beta"  # no dangling hyphen
    assert slugify("abcdefghijkl", 5) == "abcde"  # one long word: cut inside it


@given(st.text(max_size=120), st.integers(1, 80), st.booleans())
def test_always_a_short_clean_slug(text: str, limit: int, whole_words: bool) -> None:
    slug = slugify(text, limit, whole_words=whole_words)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert len(slug) <= limit or slug == "article"

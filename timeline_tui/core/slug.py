"""Lowercase ASCII slugs of titles and names, for ids and file names."""

from __future__ import annotations

import re

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 60, *, fallback: str = "article", whole_words: bool = True) -> str:
    """A slug of ``text`` (``a-z``, ``0-9`` and single ``-``), at most ``limit`` characters.

    A long slug is cut at the last ``-`` within the limit when ``whole_words`` (else at the limit,
    possibly mid-word); an empty result is ``fallback``.
    """
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = (cut.rsplit("-", 1)[0] or cut) if whole_words else cut.strip("-")
    return slug or fallback

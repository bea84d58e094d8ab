"""Find a linked passage again after its source text changed, the way the Hypothesis client does.

A link stores a TextQuoteSelector (the passage plus ~32 characters of context either side) and a
TextPositionSelector (code-point offsets). :func:`anchor` tries, in order: the stored position
(EXACT); every exact occurrence of the passage, scored by closeness to the old position and by how
well the surrounding text matches the stored prefix/suffix (MOVED); an approximate match near the
old position, then anywhere, with at most 20% difference (FUZZY, with its similarity); else ORPHANED.

:func:`anchor_link` anchors a stored :class:`~timeline_tui.core.annotations.Link` in its dataset's
source, and :func:`linked_text` gives the passage as the source has it now.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, TextPositionSelector, TextQuoteSelector
from timeline_tui.core.model import Dataset
from timeline_tui.core.quote import find_all

#: Least similarity (0..1, indel-normalised) an approximate match needs to count as the passage.
MIN_SIMILARITY = 0.8
# Weights of the Hypothesis client's match-quote scoring.
_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0


def make_selectors(
    text: str, start: int, end: int, context: int = 32
) -> tuple[TextQuoteSelector, TextPositionSelector]:
    """Selectors for ``text[start:end]`` with ``context`` characters of prefix and suffix."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"passage {start}:{end} is empty or outside the text (length {len(text)})")
    quote = TextQuoteSelector(
        exact=text[start:end], prefix=text[max(0, start - context):start], suffix=text[end:end + context]
    )
    return quote, TextPositionSelector(start, end)


def anchor(text: str | None, quote: TextQuoteSelector, position: TextPositionSelector) -> Anchor:
    """Where the passage described by ``quote``/``position`` is in ``text`` now."""
    exact = quote.exact
    if text is None or not exact:
        return Anchor(AnchorStatus.ORPHANED, None, None, 0.0)
    start, end = position.start, position.end
    if 0 <= start <= end <= len(text) and text[start:end] == exact:
        return Anchor(AnchorStatus.EXACT, start, end, 1.0)
    moved = _best_exact(text, quote, start)
    if moved is not None:
        return Anchor(AnchorStatus.MOVED, moved, moved + len(exact), 1.0)
    fuzzy = _best_fuzzy(text, exact, start)
    if fuzzy is not None:
        s, e, similarity = fuzzy
        return Anchor(AnchorStatus.FUZZY, s, e, similarity)
    return Anchor(AnchorStatus.ORPHANED, None, None, 0.0)


def _context_similarity(expected: str, actual: str) -> float:
    if not expected:
        return 1.0
    return float(Levenshtein.normalized_similarity(expected, actual))


def _score(text: str, quote: TextQuoteSelector, s: int, e: int, hint: int, quote_similarity: float) -> float:
    prefix = text[max(0, s - len(quote.prefix)):s]
    suffix = text[e:e + len(quote.suffix)]
    position = 1.0 - abs(s - hint) / max(1, len(text))
    return (
        _QUOTE_WEIGHT * quote_similarity
        + _PREFIX_WEIGHT * _context_similarity(quote.prefix, prefix)
        + _SUFFIX_WEIGHT * _context_similarity(quote.suffix, suffix)
        + _POSITION_WEIGHT * position
    )


def _best_exact(text: str, quote: TextQuoteSelector, hint: int) -> int | None:
    """Start of the best-scoring exact occurrence of the passage, if any."""
    n = len(quote.exact)
    # max keeps the first of equal scores, as the scan it replaces did
    return max(find_all(text, quote.exact), key=lambda i: _score(text, quote, i, i + n, hint, 1.0), default=None)


def _similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b)) / 100.0


def _best_fuzzy(text: str, exact: str, hint: int) -> tuple[int, int, float] | None:
    """``(start, end, similarity)`` of the closest approximate match, if similar enough."""
    n = len(exact)
    if n > len(text) * 2:
        return None
    margin = 2 * n + 512
    lo, hi = max(0, hint - margin), min(len(text), max(0, hint) + n + margin)
    regions = [(lo, hi)] if (lo, hi) != (0, len(text)) else []
    regions.append((0, len(text)))
    cutoff = MIN_SIMILARITY * 100 - 10  # partial alignment is coarse; the refined span decides
    for r_lo, r_hi in regions:
        found = fuzz.partial_ratio_alignment(exact, text[r_lo:r_hi], score_cutoff=cutoff)
        if found is None or found.score < cutoff:
            continue
        s, e = _refine(text, exact, r_lo + found.dest_start, r_lo + found.dest_end)
        similarity = _similarity(exact, text[s:e])
        if similarity >= MIN_SIMILARITY:
            return s, e, similarity
    return None


def _refine(text: str, exact: str, s: int, e: int) -> tuple[int, int]:
    """Move the span's ends (within ~20% of the passage length) to where it best matches ``exact``."""
    slack = max(3, len(exact) // 5)

    def best_end(start: int, around: int) -> int:
        candidates = range(max(start + 1, around - slack), min(len(text), around + slack) + 1)
        return max(candidates, key=lambda x: (_similarity(exact, text[start:x]), -abs(x - around)), default=around)

    def best_start(end: int, around: int) -> int:
        candidates = range(max(0, around - slack), min(end - 1, around + slack) + 1)
        return max(candidates, key=lambda x: (_similarity(exact, text[x:end]), -abs(x - around)), default=around)

    e = best_end(s, e)
    s = best_start(e, s)
    e = best_end(s, e)
    return s, e


def anchor_link(dataset: Dataset, link: Link) -> Anchor:
    """Where ``link``'s passage is in its source now (orphaned when the source is gone)."""
    text = dataset.source_text(link.source_id) if link.source_id in dataset.sources else None
    return anchor(text, link.quote, link.position)


def linked_text(dataset: Dataset, link: Link, found: Anchor) -> str:
    """The passage as the source has it now, or the stored text when it cannot be found."""
    if found.status is AnchorStatus.ORPHANED or found.start is None or found.end is None:
        return link.quote.exact
    text = dataset.source_text(link.source_id)
    return link.quote.exact if text is None else text[found.start:found.end]

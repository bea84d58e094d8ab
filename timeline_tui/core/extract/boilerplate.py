"""Tell an article's body from the boilerplate around it, line by line.

News pages saved as text carry menus, share links, credits, photo captions and "related
stories" sidebars. Each non-blank line is classified in two steps:

1. **Shape.** A line is boilerplate by its form when it is
   - a *menu* line: a bullet item of fewer than 8 words (``• Facebook``), a line of ``|``-separated
     links (``Email | Print | Subscribe``), or a line without letters (``【1】 【2】``);
   - a *link-like* short line: fewer than 6 words and no sentence punctuation (``Mobile version``,
     ``Russia Today``, ``3 hours ago``) — except the first line, the headline;
   - a *credit* line: ``Source: Xinhua``, ``Reporter: …``, ``Editor: …``, ``Text: …`` and the
     like, or a media credit of at most three words (``Video: Deng Yingheng``);
   - a *marker* of a sidebar, comment or share area (``Related Articles``, ``Read more``,
     ``Leave a Reply``, ``Comments``, ``Tags :``).
2. **End of article.** The first byline/source credit (``Source``, ``Reporter``, ``Editor``,
   ``Contact``, ``Copyright``) or sidebar-opening marker after two prose lines ends the article:
   what follows is *sidebar* unless its topic overlap (below) reaches
   :data:`MIN_OVERLAP_AFTER_MARKER`. Other credits (``Photo:``, ``Video:``, ``Poster:``, ``By``…)
   may stand anywhere and end nothing; a longer ``Video: …`` line is a caption.
3. **Topic.** The remaining lines are compared with the article's own vocabulary: the content
   words (4+ letters, not stop words) of the plain prose lines before the end. A line's *topic
   overlap* is the share of its content words found in the other body lines (leave-one-out).
   Bullet items of 8+ words must reach :data:`MIN_OVERLAP_LOOSE`, photo captions inside the
   article :data:`MIN_OVERLAP`. Plain prose paragraphs before the end are never dropped on topic:
   the paragraphs of one article share surprisingly few words (0.0–0.9 in the bundled sources and
   the test articles — a quote from a spokeswoman can share none), so the test would cut real
   text. Teasers of other stories are recognised by their place (after the end), their bullets
   or their caption credits instead.

Photo captions (a trailing ``(Xinhua/Name)`` or ``(Photo: …)`` credit, or a leading ``Photo:``,
``Video:``, ``Poster:`` label before a description) inside the article are
kept but flagged, so that their candidates carry less confidence; after the article's end they
are sidebar like anything else.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from timeline_tui.core.extract.sentences import Span, lines

__all__ = ["MIN_OVERLAP", "MIN_OVERLAP_AFTER_MARKER", "MIN_OVERLAP_LOOSE", "Block", "classify", "content_words"]

#: below this share of known topic words a photo caption inside the article belongs to another story
MIN_OVERLAP = 0.08
#: the bar for long bullet items, which are more often teasers of other stories
MIN_OVERLAP_LOOSE = 0.45
#: after a "Related Articles" style marker, a line must be this close to the body to count
MIN_OVERLAP_AFTER_MARKER = 0.6

BODY_KINDS = frozenset({"body", "headline", "caption"})

_BULLET = re.compile(r"^[•·▪‣◦●○■□\-–—*»>]\s*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)]$")
_MARKER = re.compile(
    r"^(?:related(?:\s+(?:articles?|news|stories|posts|content|reading|links))?|read\s+(?:more|also|next)|"
    r"more\s+(?:from|on|stories|news)\b.*|most\s+(?:read|popular|viewed|shared)|recommended(?:\s+for\s+you)?|"
    r"you\s+(?:may|might)\s+also\s+like|trending(?:\s+now)?|latest(?:\s+news)?|comments?|leave\s+a\s+(?:reply|comment)|"
    r"(?:hash)?tags?|share(?:\s+this)?(?:\s+(?:article|story))?|follow\s+us.*|back\s+to\s+top|advertisement|"
    r"sign\s+up.*|subscribe.*|newsletter|try\s+our\s+.*|explore\s+what\s+.*|no\s+comments\s+yet.*|"
    r"do\s+you\s+have\s+anything\s+to\s+say)\W*$",
    re.IGNORECASE,
)
#: markers after which the rest of the page is another story's (not the "Share" or "Tags" kind)
_OPENS_SIDEBAR = re.compile(
    r"^(?:related|read\s+(?:more|also|next)|more\s+(?:from|on|stories|news)|most\s|recommended|you\s+(?:may|might)|"
    r"trending|latest|comments?|leave\s+a|no\s+comments|do\s+you\s+have)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:source|sources|reporter|reporters|editor|editors|script|text|writer|written\s+by|by|contact|copyright|©|"
    r"translator|translated\s+by|produced\s+by|designer|camera)"
    r"\b[^.!?]{0,60}$",
    re.IGNORECASE,
)
#: the credit lines that close an article (its byline/source block); others may stand anywhere
_ENDS_ARTICLE = re.compile(r"^(?:source|sources|reporter|reporters|editor|editors|contact|copyright|©)", re.IGNORECASE)
#: a media line: a caption of a photo, video or poster, wherever it stands ("Video: veterans lay flowers…")
_MEDIA = re.compile(r"^(?:video|videos|poster|photo|photos|photographer|file\s+photo|picture|image)\s*:", re.IGNORECASE)
_CAPTION = re.compile(
    r"\((?:photo|photos|file\s+photo|xinhua|ap|reuters|afp|getty|epa|tass|ria|cfp|vcg|courtesy)\b[^()]*\)\.?\s*$"
    r"|^(?:video|videos|poster|photo|photos|photographer|file\s+photo|picture|image)\s*:",
    re.IGNORECASE,
)
_PIPE = re.compile(r"\s\|\s")
#: a longer line is never a headline (a page stored as one line would otherwise become the title)
MAX_HEADLINE_CHARS = 300
_STOP = frozenset(
    [
        "about", "above", "after", "again", "against", "also", "among", "another", "because", "been", "before",
        "being", "below", "between", "both", "but", "could", "does", "doing", "down", "during", "each", "even",
        "ever", "every", "from", "further", "have", "having", "here", "hers", "herself", "himself", "into", "itself",
        "just", "more", "most", "much", "must", "myself", "never", "only", "other", "ought", "ours", "ourselves",
        "over", "same", "shall", "should", "some", "such", "than", "that", "their", "theirs", "them", "themselves",
        "then", "there", "these", "they", "this", "those", "through", "under", "until", "upon", "very", "were",
        "what", "when", "where", "which", "while", "whom", "whose", "will", "with", "within", "would", "your",
        "yours", "yourself", "said", "says", "also", "according", "year", "years", "time", "times", "first", "last",
        "next", "well", "many", "made", "make", "like", "including", "still", "however", "since", "such", "they'll",
        "we've", "it's", "that's", "which"
    ]
)


@dataclass(frozen=True, slots=True)
class Block:
    """One line of the text: its span, what it is, and why (for reports and tests)."""

    span: Span
    kind: str  # body | headline | caption | menu | link | credit | marker | sidebar
    reason: str
    overlap: float | None = None

    @property
    def is_body(self) -> bool:
        """Whether candidates may be drawn from this line."""
        return self.kind in BODY_KINDS


def content_words(text: str) -> set[str]:
    """Lower-cased words of 4+ letters that are not stop words."""
    if "\u0130" not in text:
        # lower-casing first gives the same words (only İ lower-cases to two characters), in one pass;
        # a very long line is read word by word rather than into one list of all its words
        low = text.lower().replace("’", "'")
        found = set(_WORD.findall(low)) if len(low) < 100_000 else {m.group(0) for m in _WORD.finditer(low)}
        return {w for w in found if len(w) >= 4 and w not in _STOP}
    return {w for w in (m.group(0).lower().replace("’", "'") for m in _WORD.finditer(text)) if len(w) >= 4 and w not in _STOP}


def _words(text: str, cap: int = 13) -> int:
    """The number of words, counted up to ``cap`` (every rule compares with 12 or less; a 50 MB line stops early)."""
    return sum(1 for _ in islice(_WORD.finditer(text), cap))


def _pipes(text: str) -> bool:
    """Two ``|``-separated links or more (`` | `` twice, not overlapping)."""
    first = _PIPE.search(text)
    return first is not None and _PIPE.search(text, first.end()) is not None


def _shape(text: str, first: bool) -> tuple[str, str] | None:
    """The boilerplate kind of a line by its form alone, or ``None`` for prose."""
    bullet = _BULLET.match(text)
    n = _words(text)
    if not re.search(r"[^\W\d_]", text):
        return "menu", "no letters (pagination, separators)"
    if _pipes(text):
        return "menu", "|-separated links"
    if bullet and n < 8:
        return "menu", f"short bullet item ({n} words)"
    if _MARKER.match(text.strip()):
        return "marker", "sidebar/comment/share marker"
    if _CREDIT.match(text) and n <= 12:
        return "credit", "credit line"
    if _MEDIA.match(text) and n <= 3:
        return "credit", "media credit"  # "Video: Deng Yingheng": a name, not a caption to read
    if re.fullmatch(r"\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?)\s+ago", text.strip(), re.IGNORECASE):
        return "link", "relative timestamp of a listing"
    if not first and n < 6 and not _SENTENCE_END.search(text):
        return "link", f"short line without sentence punctuation ({n} words)"
    return None


def _judged(in_tail: bool, plain_prose: bool, core_lines: int, own_words: int) -> bool:
    """Whether there is enough text for the topic test to be trusted on this line."""
    if in_tail:
        return core_lines >= 2
    if plain_prose:
        return False  # one article's paragraphs share too few words for the test (see the module docstring)
    return core_lines >= 3 and own_words >= 4


def classify(text: str) -> list[Block]:
    """Every non-blank line of ``text`` as a :class:`Block`, in order."""
    spans = lines(text)
    texts = [span.text(text) for span in spans]
    shapes: list[tuple[str, str] | None] = []
    prose_seen = 0
    tail_at = len(spans)
    for i, line in enumerate(texts):
        shape = _shape(line, prose_seen == 0)
        if shape is None:
            prose_seen += 1
        elif tail_at == len(spans) and prose_seen >= 2 and (
            (shape[0] == "credit" and _ENDS_ARTICLE.match(line))
            or (shape[0] == "marker" and _OPENS_SIDEBAR.match(line))
        ):
            tail_at = i
        shapes.append(shape)
    core = {i for i, s in enumerate(shapes) if s is None and i < tail_at and not _BULLET.match(texts[i])}
    words = [content_words(line) for line in texts]
    df: Counter[str] = Counter()
    for i in core:
        df.update(words[i])
    headline_seen = False
    blocks: list[Block] = []
    for i, span in enumerate(spans):
        line, shape = texts[i], shapes[i]
        bullet = bool(_BULLET.match(line))
        if shape is not None and not (shape[0] == "menu" and bullet and _words(line) >= 8):
            blocks.append(Block(span, shape[0], shape[1]))
            continue
        own = words[i]
        known = sum(1 for w in own if df[w] - (1 if i in core else 0) > 0)
        overlap = known / len(own) if own else 0.0
        caption = bool(_CAPTION.search(line))
        if i > tail_at:
            bar, why = MIN_OVERLAP_AFTER_MARKER, "after the article's end (credit or sidebar marker)"
        elif bullet:
            bar, why = MIN_OVERLAP_LOOSE, "bullet item"
        elif caption:
            bar, why = MIN_OVERLAP, "caption inside the article"
        else:
            bar, why = MIN_OVERLAP, "prose"
        headline = not headline_seen and not bullet and not caption and i < tail_at
        headline_seen = headline_seen or headline
        if headline and len(line) <= MAX_HEADLINE_CHARS:
            blocks.append(Block(span, "headline", "first prose line", overlap))
        elif overlap < bar and _judged(i > tail_at, bar == MIN_OVERLAP, len(core), len(own)):
            blocks.append(Block(span, "sidebar", f"{why}: topic overlap {overlap:.2f} < {bar}", overlap))
        elif caption:
            blocks.append(Block(span, "caption", f"photo caption, topic overlap {overlap:.2f}", overlap))
        else:
            blocks.append(Block(span, "body", f"{why}, topic overlap {overlap:.2f}", overlap))
    return blocks

"""What the detail pane says about an event, as a list of :class:`Section` s (drawn by
:class:`~timeline_tui.ui.widgets.detail.DetailPane`).

An event's items are the user's notes, then the user's linked passages, then the event's quotes,
shown and numbered in that order, right after the event's date, title, summary, tags and era:
the user's own words are never below the fold of an event with long quotes, and ``tab`` (focus
on the pane, its first item current) reaches them on any event. A field longer than :data:`FIELD_LIMIT` characters (a 20 MB summary, a 10 MB note)
is cut there, with a line saying how long it is and which key reads it whole, so what the pane
draws never depends on the length of one field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from textual.content import Content

from timeline_tui.core.annotations import Anchor, AnchorStatus, Link, Note
from timeline_tui.core.model import Dataset, Event
from timeline_tui.ui.annotating import anchor_link, linked_text, note_label
from timeline_tui.ui.text import ELLIPSIS, assemble, literal, plural

ItemKind = Literal["quote", "link", "note"]
#: the coloured bar left of an item: a quote, a quote whose source is missing, a link, an orphaned link, a note
BarKind = Literal["", "quote", "missing", "link", "orphaned", "note"]

#: characters of one field the pane shows; longer text is cut and can be read whole (``o``)
FIELD_LIMIT = 2000


def cut(text: str, limit: int = FIELD_LIMIT) -> tuple[str, bool]:
    """``text`` up to ``limit`` characters (at a space near the end when there is one), and whether it was cut."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    space = max(head.rfind(" ", limit - 200), head.rfind("\n", limit - 200))
    return (head[:space] if space > 0 else head) + ELLIPSIS, True


def source_citation(dataset: Dataset, source_id: str) -> str:
    """``Title · Publisher · 9 May 2010`` for a source id (the id itself if unknown)."""
    source = dataset.sources.get(source_id)
    if source is None:
        return source_id
    return f"{source.title} · {source.publisher} · {source.published.display()}"


@dataclass(frozen=True)
class LinkView:
    """A link as the pane shows it: where it anchors now and the text found there (or stored)."""

    link: Link
    anchor: Anchor
    text: str


@dataclass(frozen=True)
class Section:
    """One part of the pane, in display order.

    ``name`` says what it is (``date``, ``basis``, ``title``, ``summary``, ``meta``, ``quotes-head``,
    ``quote``, ``links-head``, ``link``, ``notes-head``, ``note`` or ``empty``); ``space`` is the
    number of blank lines above it; quotes, links and notes carry their ``item`` number (among all
    three, in that order) and the ``bar`` drawn at their left; headings get a rule to the right.
    ``cut`` is set when the section shows only the start of a longer text.
    """

    name: str
    content: Content
    space: int = 1
    item: int = -1
    bar: BarKind = ""
    heading: bool = False
    muted: bool = False
    hint: str = ""  # a heading's key hint, shown after it when the line has room
    cut: bool = False

    @property
    def text(self) -> str:
        return self.content.plain + (f"  ({self.hint})" if self.hint else "")


#: the pane's component class for plain sections of each name (headings and items are drawn apart)
SECTION_STYLES = {
    "date": "detail--date",
    "basis": "detail--basis",
    "title": "detail--title",
    "summary": "detail--summary",
    "meta": "detail--meta",
    "empty": "detail--empty",
}


@dataclass(frozen=True)
class Hints:
    """The keys the pane's hints name, as bound now (the user's keymap may change them)."""

    open: str = "enter"
    add_note: str = "a"
    read: str = "o"


_HEALTH_STYLE = {
    AnchorStatus.EXACT: "bold $text-success",
    AnchorStatus.MOVED: "bold $text-success",
    AnchorStatus.FUZZY: "bold $text-warning",
    AnchorStatus.ORPHANED: "bold $text-error",
}
_CUT_STYLE = "italic $text-muted"


def _long(text: str, hints: Hints) -> tuple[list[str | tuple[str, str]], bool]:
    """Parts showing ``text`` (cut when long, with how long it is and the key that reads it all)."""
    shown, was_cut = cut(text)
    if not was_cut:
        return [shown], False
    return [shown, "\n", (f"{len(text):,} characters in all · {hints.read} reads the whole text", _CUT_STYLE)], True


def build_sections(
    dataset: Dataset,
    event: Event | None,
    notes: Sequence[Note] = (),
    links: Sequence[LinkView] = (),
    *,
    read_only: bool = False,
    hints: Hints = Hints(),
) -> tuple[Section, ...]:
    """What the pane shows for ``event`` and the user's ``notes`` and ``links`` on it (or a hint)."""
    if event is None:
        return (Section("empty", literal("No event here. Press esc to clear the search or filter."), space=0),)
    out = [Section("date", literal(event.date.describe()), space=0)]
    if event.date_basis:
        out.append(Section("basis", assemble("Date basis: ", cut(event.date_basis)[0], multiline=False), space=0))
    out.append(Section("title", literal(cut(event.title)[0])))
    if event.summary:
        parts, was_cut = _long(event.summary, hints)
        out.append(Section("summary", assemble(*parts), cut=was_cut))
    meta: list[Content] = []
    if event.tags:
        meta.append(assemble("Tags  ", (" ".join("#" + t for t in event.tags), "italic"), multiline=False))
    eras = dataset.eras_of(event)
    if eras:
        label = "Era   " if len(eras) == 1 else "Eras  "
        meta.append(assemble(label, (" · ".join(era.title for era in eras), "italic"), multiline=False))
    if meta:
        out.append(Section("meta", Content("\n").join(meta)))

    source_ids = list(dataset.sources)
    item = 0
    if notes:
        out.append(Section("notes-head", literal(f"Your note{'s' if len(notes) != 1 else ''} ({len(notes)})"),
                           heading=True))
    elif read_only:
        out.append(Section("notes-head", literal("No notes (notes are read-only)"), heading=True, muted=True))
    else:
        out.append(Section("notes-head", literal(f"No notes yet · {hints.add_note} adds one"), heading=True,
                           muted=True))
    for note in notes:
        parts, was_cut = _long(note.text, hints)
        content = assemble((note_label(note), "bold $text-warning"), "\n", *parts)
        out.append(Section("note", content, item=item, bar="note", cut=was_cut))
        item += 1

    if links:
        out.append(Section("links-head", literal(f"Your linked passage{'s' if len(links) != 1 else ''} ({len(links)})"),
                           heading=True))
    for view in links:
        out.append(_link_section(dataset, view, item, source_ids, hints))
        item += 1

    n = len(event.quotes)
    head = f"{plural(n, 'quote')} from the sources"
    out.append(Section("quotes-head", literal(head), heading=True, muted=not n,
                       hint=f"{hints.open} opens" if n else ""))
    for quote in event.quotes:
        cite = source_citation(dataset, quote.source)
        if dataset.source_text(quote.source) is None:
            path = dataset.sources[quote.source].path if quote.source in dataset.sources else "?"
            lines = [
                assemble(("⚠ Source file not available: ", "bold"), path, multiline=False),
                assemble("The quote cannot be shown.", multiline=False),
                assemble(("— " + cite, "italic"), multiline=False),
            ]
            out.append(Section("quote", Content("\n").join(lines), item=item, bar="missing"))
        else:
            badge = source_ids.index(quote.source) + 1 if quote.source in dataset.sources else 0
            parts, was_cut = _long(quote.text, hints)
            lines = [assemble("“", *parts, "”"),
                     assemble((f"— [{badge}] {cite}", "italic $text-muted"), multiline=False)]
            out.append(Section("quote", Content("\n").join(lines), item=item, bar="quote", cut=was_cut))
        item += 1
    return tuple(out)


def _link_section(dataset: Dataset, view: LinkView, item: int, source_ids: list[str], hints: Hints) -> Section:
    status = view.anchor.status
    orphaned = status is AnchorStatus.ORPHANED
    badge = source_ids.index(view.link.source_id) + 1 if view.link.source_id in dataset.sources else 0
    health = "orphaned: not found in the source; stored text" if orphaned else view.anchor.describe()
    parts, was_cut = _long(view.text, hints)
    lines = [
        assemble(("✎ Your link", "bold"), " · ", (health, _HEALTH_STYLE[status]), multiline=False),
        assemble("“", *parts, "”"),
        assemble((f"— [{badge}] {source_citation(dataset, view.link.source_id)}", "italic $text-muted"),
                 multiline=False),
    ]
    if view.link.comment:
        comment, comment_cut = _long(view.link.comment, hints)
        lines.append(assemble(("Comment: ", "bold"), *comment))
        was_cut = was_cut or comment_cut
    return Section("link", Content("\n").join(lines), item=item, bar="orphaned" if orphaned else "link", cut=was_cut)


def item_kind(item: int, notes: int, links: int) -> tuple[ItemKind, int]:
    """Item number ``item`` as ``(kind, index among that kind)``: ``notes`` notes, then ``links`` links, then quotes."""
    if item < notes:
        return "note", item
    if item < notes + links:
        return "link", item - notes
    return "quote", item - notes - links


def item_offset(kind: ItemKind, notes: int, links: int) -> int:
    """The item number of the first item of ``kind``."""
    return {"note": 0, "link": notes, "quote": notes + links}[kind]


def item_text(event: Event, notes: Sequence[Note], links: Sequence[LinkView], item: int) -> tuple[str, str]:
    """The whole text of item ``item`` (notes, then links, then quotes) and what to call it."""
    if item < len(notes):
        note = notes[item]
        return f"Your note of {note_label(note)} on “{cut(event.title, 80)[0]}”", note.text
    item -= len(notes)
    if item < len(links):
        link = links[item]
        text = link.text + (f"\n\nComment: {link.link.comment}" if link.link.comment else "")
        return f"Your linked passage on “{cut(event.title, 80)[0]}”", text
    item -= len(links)
    return f"Quote {item + 1} of “{cut(event.title, 80)[0]}”", event.quotes[item].text


class LinkAnchors:
    """Where each link's passage is in its source now: found once per link (a link never changes)."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._found: dict[int, Anchor] = {}

    def known(self, link: Link) -> bool:
        return link.id in self._found

    def view(self, link: Link) -> LinkView:
        """``link`` with its anchor (found now if it was not yet) and the text there."""
        found = self._found.get(link.id)
        if found is None:
            found = self._found[link.id] = anchor_link(self.dataset, link)
        return LinkView(link, found, linked_text(self.dataset, link, found))

    def update(self, found: dict[int, Anchor]) -> None:
        """Anchors found elsewhere (in a worker thread)."""
        self._found.update(found)

"""The source viewer: an article with its quoted passages highlighted; link a selected passage to an event.

``SourceScreen`` dismisses with the id of the event to jump back to (``enter`` on a passage), or ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Static

from timeline_tui.core.anchoring import anchor
from timeline_tui.core.annotations import AnchorStatus, Link
from timeline_tui.core.model import Dataset
from timeline_tui.core.passages import Passage, trim_span
from timeline_tui.core.store import StoreError
from timeline_tui.ui.text import assemble, clean, literal
from timeline_tui.ui.widgets.source_view import SourceView

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore

PREVIEW = 60  # characters of a passage quoted in the status line and the link dialog


def _preview(text: str, limit: int = PREVIEW) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def collect_passages(
    dataset: Dataset, source_id: str, text: str, links: list[Link]
) -> tuple[list[Passage], list[Link]]:
    """Every event's curated quotes in ``source_id`` and the user's links anchored in ``text``.

    Returns the passages and the links that could not be anchored (orphaned).
    """
    passages: list[Passage] = []
    n = len(text)
    for event in dataset.events:
        for q in event.quotes:
            if q.source == source_id and 0 <= q.start < q.end <= n:
                passages.append(Passage(q.start, q.end, event.id, "quote", event.title))
    orphaned: list[Link] = []
    for link in links:
        if link.source_id != source_id:
            continue
        found = anchor(text, link.quote, link.position)
        if found.status is AnchorStatus.ORPHANED or found.start is None or found.end is None:
            orphaned.append(link)
            continue
        ev = dataset.event(link.event_id)
        detail = f"your link ({found.describe()})"
        if link.comment:
            detail += f": {link.comment}"
        passages.append(Passage(found.start, found.end, link.event_id, "link", ev.title if ev else "", detail))
    passages.sort(key=lambda p: (p.start, p.end))
    return passages, orphaned


class LinkCommentScreen(ModalScreen[str | None]):
    """Asks for an optional comment on a new link; dismisses with the comment, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    LinkCommentScreen { align: center middle; }
    LinkCommentScreen > Vertical {
        width: 72; max-width: 100%; height: auto; padding: 0 1;
        border: round $accent; background: $panel;
    }
    LinkCommentScreen Label { width: 100%; }
    LinkCommentScreen #link-passage { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, passage: str, event_title: str, comment: str = "") -> None:
        super().__init__()
        self._passage = passage
        self._event_title = event_title
        self._comment = comment

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(assemble(("Link to ", "bold"), (self._event_title, "bold")), id="link-title")
            yield Label(literal(f"“{_preview(self._passage, 120)}”"), id="link-passage")
            yield Input(self._comment, placeholder="Comment (optional) — enter saves, esc cancels", id="link-comment")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SourceScreen(Screen[str | None]):
    """A whole source with every passage highlighted; dismisses with an event id to jump to, or ``None``."""

    DEFAULT_CSS = """
    SourceScreen { layout: vertical; }
    SourceScreen #source-header {
        height: auto; max-height: 3; padding: 0 1; background: $panel; color: $foreground;
    }
    SourceScreen #source-status {
        height: 1; padding: 0 1; background: $panel; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    SourceScreen SourceView { height: 1fr; }
    SourceScreen.-short #source-header { max-height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,right_square_bracket", "next_passage", "Next", key_display="n", tooltip="Next highlighted passage"),
        Binding("N,left_square_bracket", "previous_passage", "Prev", key_display="N", tooltip="Previous passage"),
        Binding("enter", "go_to_event", "To event", tooltip="Back to the timeline at this passage's event"),
        Binding("l", "link", "Link", tooltip="Link the selected passage to the current event"),
        Binding("escape,q", "back", "Back"),
    ]

    class LinkAdded(Message):
        """A passage of this source was linked to an event (the store already holds it)."""

        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(
        self,
        dataset: Dataset,
        source_id: str,
        *,
        focus: tuple[int, int] | None = None,
        event_id: str | None = None,
        store: AnnotationStore | None = None,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.source_id = source_id
        self.event_id = event_id
        self.store = store
        self.text = dataset.source_text(source_id) if source_id in dataset.sources else None
        links = store.links() if store is not None else []
        passages, self.orphaned = collect_passages(dataset, source_id, self.text or "", links)
        current = self._focus_index(passages, focus, event_id)
        if current is None and focus is not None and self.text is not None:
            start, end = max(0, focus[0]), min(len(self.text), focus[1])
            if start < end:
                event = dataset.event(event_id) if event_id else None
                passages.append(Passage(start, end, event_id or "", "quote", event.title if event else ""))
                current = len(passages) - 1
        self._passages = passages
        self._current = current
        self._pending_comment = ""
        self.links_added: list[Link] = []  # links made here (the store already holds them)
        self._status_note: tuple[int, str] | None = None  # (caret, note): shown while the caret stays there

    @staticmethod
    def _focus_index(
        passages: list[Passage], focus: tuple[int, int] | None, event_id: str | None
    ) -> int | None:
        """The passage to open at: the focus span (preferably the event's own), else the event's first."""
        if focus is not None:
            same = [i for i, p in enumerate(passages) if (p.start, p.end) == tuple(focus)]
            own = [i for i in same if passages[i].event_id == event_id and passages[i].kind == "quote"]
            if own or same:
                return (own or same)[0]
            return None
        if event_id is not None:
            return next((i for i, p in enumerate(passages) if p.event_id == event_id), None)
        return None

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="source-header")
        yield SourceView(self.text or "", self._passages, current=self._current, id="source-view")
        yield Static("", id="source-status")
        yield Footer(compact=True)

    def _header(self) -> Content:
        source = self.dataset.sources.get(self.source_id)
        if source is None:
            return assemble(("Unknown source ", "bold"), self.source_id)
        meta = " · ".join(x for x in (source.publisher, source.published.display(), source.path) if x)
        parts: list[str | tuple[str, str]] = [(source.title, "bold"), "\n", (meta, "dim")]
        if self.text is None:
            parts += ["\n", (f"Source file not found: {self.dataset.source_path(self.source_id)}", "bold $error")]
        return assemble(*parts)

    def on_mount(self) -> None:
        self.query_one(SourceView).focus()
        self._update_status()
        if self.orphaned:
            self.notify(
                f"{len(self.orphaned)} of your links to this source could not be found in its text "
                "(shown as orphaned in the detail pane).",
                severity="warning",
                markup=False,
            )

    def on_resize(self) -> None:
        self.set_class(self.size.height < 16, "-short")
        for footer in self.query(Footer):
            footer.show_command_palette = self.size.width >= 60  # narrow: the keys need the room

    @property
    def view(self) -> SourceView:
        return self.query_one(SourceView)

    # --- status -----------------------------------------------------------------------------------

    def on_source_view_changed(self, event: SourceView.Changed) -> None:
        event.stop()
        self._update_status()

    def status_text(self) -> str:
        """What the status line says (plain text)."""
        view = self.view
        if self.text is None:
            return "The source file is missing."
        sel = view.selection
        if sel is not None:
            s, e = trim_span(self.text, *sel)
            return f"Selected {e - s} characters: “{_preview(self.text[s:e], 40)}” · l links it · esc drops it"
        if view.selecting:
            return "Selecting: move with → w e b ) ( j k · l links · esc drops"
        passages = view.passages
        under = view.passage_under_cursor()
        index = under if under is not None else view.current
        if not passages:
            return "No highlighted passages in this source · v selects text to link"
        if index is None:
            return f"{len(passages)} highlighted passages · n/N to visit them"
        p = passages[index]
        what = p.detail or "quote"
        title = p.title or p.event_id or "(no event)"
        where = "" if under is not None else " (caret elsewhere)"
        text = f"Passage {index + 1} of {len(passages)}{where} · {what} · {title}"
        if self._status_note is not None and self._status_note[0] == view.cursor:
            text += f" · {self._status_note[1]}"
        return text

    def _update_status(self) -> None:
        try:
            status = self.query_one("#source-status", Static)
        except NoMatches:
            return
        status.update(literal(self.status_text()))

    # --- actions ----------------------------------------------------------------------------------

    def action_next_passage(self) -> None:
        self._step(True)

    def action_previous_passage(self) -> None:
        self._step(False)

    def _step(self, forward: bool) -> None:
        view = self.view
        before = view.current
        if not view.step_passage(forward):
            self.notify("No highlighted passages in this source.", severity="warning", markup=False)
            return
        after = view.current
        if before is not None and after is not None and (after < before if forward else after > before):
            self._status_note = (view.cursor, "wrapped around")
            self._update_status()

    def action_go_to_event(self) -> None:
        view = self.view
        index = view.passage_under_cursor()
        if index is None:
            self.notify("Move to a highlighted passage first (n/N).", severity="warning", markup=False)
            return
        event_id = view.passages[index].event_id
        if not event_id or self.dataset.event(event_id) is None:
            self.notify("That passage has no event in this timeline.", severity="warning", markup=False)
            return
        self.dismiss(event_id)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_link(self) -> None:
        """``l``: link the selected passage to the current event, asking for an optional comment."""
        view = self.view
        sel = view.selection
        problem = ""
        if self.text is None:
            problem = "The source file is missing; nothing to link."
        elif sel is None:
            problem = "Select a passage first: v, then move (w e ) j …) or drag with the mouse."
        elif self.event_id is None or self.dataset.event(self.event_id) is None:
            problem = "Open this source from an event to link a passage to it."
        elif self.store is None:
            problem = "No notes store is open, so links cannot be saved."
        elif self.store.read_only:
            problem = f"{self.store.read_only_reason} Nothing was linked."
        if problem or sel is None or self.text is None or self.event_id is None:
            self.notify(problem, severity="warning" if sel is None else "error", markup=False)
            return
        start, end = trim_span(self.text, *sel)
        if start >= end:
            self.notify("The selection is only blank space.", severity="warning", markup=False)
            return
        event = self.dataset.event(self.event_id)
        title = event.title if event else self.event_id

        def done(comment: str | None) -> None:
            if comment is not None:
                self._save_link(start, end, comment)

        self.app.push_screen(LinkCommentScreen(self.text[start:end], title, self._pending_comment), done)

    def _save_link(self, start: int, end: int, comment: str) -> None:
        assert self.store is not None and self.event_id is not None and self.text is not None
        try:
            link = self.store.add_link(self.event_id, self.source_id, self.text, start, end, comment.strip())
        except StoreError as exc:
            self._pending_comment = comment  # keep what was typed; the selection stays too
            self.notify(str(exc), title="Link not saved", severity="error", markup=False, timeout=10)
            return
        self._pending_comment = ""
        event = self.dataset.event(self.event_id)
        title = event.title if event else self.event_id
        detail = "your link (exact)" + (f": {link.comment}" if link.comment else "")
        view = self.view
        view.clear_selection()
        view.add_passage(Passage(start, end, self.event_id, "link", title, detail), make_current=True)
        view.move_cursor(start)
        self.notify(f"Linked “{_preview(self.text[start:end], 40)}” to {title}.", markup=False)
        self.links_added.append(link)
        self.post_message(self.LinkAdded(link))

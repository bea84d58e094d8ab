"""The source viewer: an article with its quoted passages highlighted; link a selected passage to an event.

``SourceScreen`` dismisses with the id of the event to jump back to (``enter`` on a passage), or
``None``. A new link is saved like a note, through the app's store jobs (never on the UI thread);
the screen shows the passage when :class:`JobDone` says it is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Static

from timeline_tui.core.anchoring import anchor
from timeline_tui.core.annotations import AnchorStatus, Link
from timeline_tui.core.model import Dataset
from timeline_tui.core.passages import Passage, trim_span
from timeline_tui.ui.dialogs.dialog import hint_for
from timeline_tui.ui.dialogs.link_comment import LinkCommentScreen
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.notes_app import NotesApp
from timeline_tui.ui.store_jobs import AddLink, JobDone, JobFailed
from timeline_tui.ui.text import assemble, literal, preview
from timeline_tui.ui.widgets.source_view import SourceView


def collect_passages(
    dataset: Dataset, source_id: str, text: str, links: Sequence[Link]
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
        passage = link_passage(dataset, text, link)
        if passage is None:
            orphaned.append(link)
        else:
            passages.append(passage)
    passages.sort(key=lambda p: (p.start, p.end))
    return passages, orphaned


def link_passage(dataset: Dataset, text: str, link: Link) -> Passage | None:
    """Where ``link`` anchors in its source's ``text``, as a passage to highlight (None: orphaned)."""
    found = anchor(text, link.quote, link.position)
    if found.status is AnchorStatus.ORPHANED or found.start is None or found.end is None:
        return None
    ev = dataset.event(link.event_id)
    return Passage(found.start, found.end, link.event_id, "link", ev.title if ev else "",
                   link_detail(found.describe(), link.comment))


def link_detail(health: str, comment: str) -> str:
    """``your link (exact): why`` — how a link's passage is described in the status line."""
    return f"your link ({health})" + (f": {comment}" if comment else "")


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

    KEY_SCOPE = "source"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    def __init__(
        self,
        dataset: Dataset,
        source_id: str,
        *,
        focus: tuple[int, int] | None = None,
        event_id: str | None = None,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.source_id = source_id
        self.event_id = event_id
        self.focus_span = focus
        self.text = dataset.source_text(source_id) if source_id in dataset.sources else None
        self.orphaned: list[Link] = []
        self._pending_comment = ""
        self._status_note: tuple[int, str] | None = None  # (caret, note): shown while the caret stays there

    @property
    def notes_app(self) -> NotesApp[object] | None:
        """The app, when it holds a notes store (links can then be saved)."""
        return self.app if isinstance(self.app, NotesApp) else None

    def _passages(self) -> tuple[list[Passage], int | None]:
        """The passages to highlight (quotes, the user's links) and the one to open at."""
        notes = self.notes_app
        links = notes.annotations.all_links() if notes is not None else []
        passages, self.orphaned = collect_passages(self.dataset, self.source_id, self.text or "", links)
        current = self._focus_index(passages, self.focus_span, self.event_id)
        if current is None and self.focus_span is not None and self.text is not None:
            start, end = max(0, self.focus_span[0]), min(len(self.text), self.focus_span[1])
            if start < end:
                event = self.dataset.event(self.event_id) if self.event_id else None
                passages.append(Passage(start, end, self.event_id or "", "quote", event.title if event else ""))
                current = len(passages) - 1
        return passages, current

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
        passages, current = self._passages()
        yield Static(self._header(), id="source-header")
        yield SourceView(self.text or "", passages, current=current, id="source-view")
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
        self.view.focus()
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

    # --- help -------------------------------------------------------------------------------------

    def help_legend(self) -> list[tuple[str, str]]:
        return [
            ("strong highlight", "the passage you came to (or the one the caret is on)"),
            ("underlined", "another event's quote from this article"),
            ("italic, green", "a passage you linked to an event"),
            ("reversed", "the selection (v, then move); l links it to the event you came from"),
            ("␛ ␍ �", "control characters in the file, shown visibly instead of acting on the terminal"),
        ]

    def help_facts(self) -> list[tuple[str, str]]:
        source = self.dataset.sources.get(self.source_id)
        facts = [("Source", f"{source.title} ({source.publisher}, {source.published.display()})" if source
                  else self.source_id), ("File", str(self.dataset.source_path(self.source_id)))]
        event = self.dataset.event(self.event_id) if self.event_id else None
        if event is not None:
            facts.append(("Links go to", f"{event.date.display()} · {event.title}"))
        notes = self.notes_app
        if notes is not None:
            facts.append(notes.keymap_fact())
        return facts

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
        link, drop = hint_for(self, "source.link", "links it"), hint_for(self, "source_view.unselect", "drops it")
        if sel is not None:
            s, e = trim_span(self.text, *sel)
            return f"Selected {e - s} characters: “{preview(self.text[s:e], 40)}” · {link} · {drop}"
        if view.selecting:
            return f"Selecting: move with → w e b ) ( j k · {link} · {drop}"
        passages = view.passages
        under = view.passage_under_cursor()
        index = under if under is not None else view.current
        if not passages:
            return f"No highlighted passages in this source · {hint_for(self, 'source_view.select', 'selects text to link')}"
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
        sel = self.view.selection
        notes = self.notes_app
        problem = ""
        if self.text is None:
            problem = "The source file is missing; nothing to link."
        elif sel is None:
            problem = "Select a passage first: v, then move (w e ) j …) or drag with the mouse."
        elif self.event_id is None or self.dataset.event(self.event_id) is None:
            problem = "Open this source from an event to link a passage to it."
        elif notes is None or notes.store is None:
            problem = "No notes store is open, so links cannot be saved."
        elif notes.read_only:
            problem = f"{notes.why_read_only()} Nothing was linked."
        if problem or sel is None or self.text is None or self.event_id is None or notes is None:
            self.notify(problem, severity="warning" if sel is None else "error", markup=False)
            return
        start, end = trim_span(self.text, *sel)
        if start >= end:
            self.notify("The selection is only blank space.", severity="warning", markup=False)
            return
        event = self.dataset.event(self.event_id)
        title = event.title if event else self.event_id
        event_id, text = self.event_id, self.text

        def done(comment: str | None) -> None:
            if comment is not None:
                self._pending_comment = comment
                notes.submit(AddLink(event_id, self.source_id, text, start, end, comment.strip()), self)

        self.app.push_screen(LinkCommentScreen(self.text[start:end], title, self._pending_comment), done)

    @on(JobDone)
    def _link_saved(self, message: JobDone) -> None:
        job = message.job
        if not isinstance(job, AddLink) or not isinstance(message.result, Link):
            return
        self._pending_comment = ""
        event = self.dataset.event(job.event_id)
        title = event.title if event else job.event_id
        view = self.view
        view.clear_selection()
        view.add_passage(Passage(job.start, job.end, job.event_id, "link", title,
                                 link_detail("exact", message.result.comment)), make_current=True)
        view.move_cursor(job.start)
        self.notify(f"Linked “{preview(job.text[job.start:job.end], 40)}” to {title}.", markup=False)

    @on(NotesApp.ChangedElsewhere)
    def _changed_elsewhere(self, message: NotesApp.ChangedElsewhere) -> None:
        """Links to this source made by another program are highlighted too (a removed one stays
        highlighted until the viewer is opened again)."""
        if self.text is None:
            return
        for link in message.changes.links_added:
            if link.source_id == self.source_id and (passage := link_passage(self.dataset, self.text, link)):
                self.view.add_passage(passage)

    @on(JobFailed)
    def _link_failed(self, message: JobFailed) -> None:
        if isinstance(message.job, AddLink):  # what was typed and the selection stay, to try again
            self.notify(str(message.error), title="Link not saved", severity="error", markup=False, timeout=10)

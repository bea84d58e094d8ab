"""Review the candidate events of an imported article, then write the accepted ones to events.json.

``ReviewScreen`` shows one candidate at a time — its date, title, basis and confidence — above the
article (a :class:`SourceView`) with the candidate's sentence highlighted. ``y`` accepts, ``n``
rejects, ``e`` edits date/title/summary/tags and accepts, ``m`` merges the quote into the
existing event with the same date (suggested automatically), ``[``/``]`` move between candidates,
``f`` finishes: the accepted events are written (in a worker) with a backup of the previous file.
Nothing slow happens before the first frame: the merge suggestions come from a
:class:`MergeIndex` built over the dataset in a worker thread, and appear when it is done.
The screen dismisses with the :class:`WriteResult`, or ``None`` when left without writing.
:class:`~timeline_tui.ui.import_app.ImportApp` is the small app around it for ``timeline-tui import``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from timeline_tui.core.dates import EdtfDate
from timeline_tui.core.extract.apply import ApplyError, MergeIndex, NewEvent, WriteResult, write_events
from timeline_tui.core.extract.candidates import Candidate, Extraction
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.passages import Passage
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.edit_candidate import EditCandidateScreen
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import assemble, clean, literal
from timeline_tui.ui.widgets.source_view import SourceView

PENDING, ACCEPTED, REJECTED, MERGED = "pending", "accepted", "rejected", "merged"
_MARKS = {PENDING: "·", ACCEPTED: "✓", REJECTED: "✗", MERGED: "⇢"}


@dataclass(slots=True)
class Decision:
    """What the user chose for one candidate; ``event`` holds the (possibly edited) fields."""

    candidate: Candidate
    event: NewEvent
    state: str = PENDING
    merge_suggestion: Event | None = None


class ReviewScreen(Screen[WriteResult | None]):
    """Step through an article's candidates and decide on each; ``f`` writes the accepted events."""

    DEFAULT_CSS = """
    ReviewScreen { layout: vertical; }
    ReviewScreen #review-header { height: auto; max-height: 2; padding: 0 1; background: $panel; }
    ReviewScreen #review-candidate { height: auto; max-height: 7; padding: 0 1; background: $boost; }
    ReviewScreen #review-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    ReviewScreen SourceView { height: 1fr; }
    """

    KEY_SCOPE = "review"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    def __init__(self, dataset: Dataset, extraction: Extraction, source: dict[str, Any], events_path: Path) -> None:
        super().__init__()
        self.dataset = dataset
        self.extraction = extraction
        self.source = source
        self.events_path = events_path
        self.decisions = [Decision(c, NewEvent.from_candidate(c)) for c in extraction.candidates]
        self.suggestions_ready = False  # set once the merge-suggestion worker has finished
        self.index = 0
        self.writing = False
        spans = sorted({(c.quote.start, c.quote.end) for c in extraction.candidates})
        self._passages = [Passage(a, b, f"candidate-{k}", "quote") for k, (a, b) in enumerate(spans)]

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="review-header")
        yield Static("", id="review-candidate")
        yield SourceView(self.extraction.text, self._passages, current=self._passage_index(), id="review-source")
        yield Static("", id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SourceView).focus()
        self._show()
        self._suggest()
        for warning in self.extraction.warnings:
            self.notify(clean(warning), severity="warning", markup=False, timeout=10)
        if not self.decisions:
            self.notify("No dated candidates were found in this article; f adds just the source.",
                        severity="warning", markup=False)

    def _header(self) -> Content:
        pub = self.extraction.published.edtf() if self.extraction.published else "unknown"
        return assemble(
            ("Import: ", "bold"), (self.extraction.title, "bold"), "\n",
            (f"source {self.extraction.source_id} · published {pub} (from {self.extraction.published_from or 'nowhere'})"
             f" · {len(self.decisions)} candidate(s)", "dim"),
        )

    def _passage_index(self) -> int | None:
        if not self.decisions:
            return None
        q = self.decisions[self.index].candidate.quote
        return next((k for k, p in enumerate(self._passages) if (p.start, p.end) == (q.start, q.end)), None)

    def current(self) -> Decision | None:
        return self.decisions[self.index] if self.decisions else None

    def _show(self) -> None:
        panel = self.query_one("#review-candidate", Static)
        d = self.current()
        if d is None:
            panel.update(literal("No candidates."))
        else:
            e, c = d.event, d.candidate
            parts: list[str | tuple[str, str]] = [
                (f"{self.index + 1}/{len(self.decisions)} ", "bold"),
                (f"[{d.state}] ", "bold $accent"),
                (f"{e.date.display()} ({e.date.edtf()})", "bold"),
                f"  confidence {c.confidence:.2f}\n",
                (e.title, "bold"), "\n",
                ("basis: ", "dim"), e.date_basis,
            ]
            if e.tags:
                parts += ["\n", ("tags: ", "dim"), ", ".join(e.tags)]
            if d.state == MERGED and e.merge_into:
                parts += ["\n", ("merged into: ", "dim"), e.merge_into]
            elif d.merge_suggestion is not None:
                parts += ["\n", ("m merges into: ", "dim"), f"{d.merge_suggestion.title} ({d.merge_suggestion.id})"]
            elif not self.suggestions_ready:
                parts += ["\n", ("looking for existing events with this date…", "dim")]
            panel.update(assemble(*parts))
            view = self.query_one(SourceView)
            index = self._passage_index()
            if index is not None:
                view.go_to_passage(index)
        counts = {s: sum(1 for x in self.decisions if x.state == s) for s in _MARKS}
        marks = "".join(_MARKS[x.state] for x in self.decisions)
        self.query_one("#review-status", Static).update(
            literal(
                f"{counts[ACCEPTED]} accepted · {counts[MERGED]} merged · {counts[REJECTED]} rejected · "
                f"{counts[PENDING]} pending   {marks}"
            )
        )

    class Suggested(Message):
        """The merge suggestions (one per candidate, ``None`` where no event has its date)."""

        def __init__(self, found: list[Event | None]) -> None:
            super().__init__()
            self.found = found

    class Written(Message):
        """The accepted events were written (``result``), or could not be (``error``)."""

        def __init__(self, result: WriteResult | None, error: str = "") -> None:
            super().__init__()
            self.result, self.error = result, error

    @work(thread=True, exclusive=True, group="review-suggest", exit_on_error=False, name="merge suggestions")
    def _suggest(self) -> None:
        """Build the merge index over the dataset and suggest a target for every candidate."""
        index = MergeIndex(self.dataset.events)
        found = [index.suggest(d.candidate) for d in self.decisions]
        if not get_current_worker().is_cancelled:  # the screen was left meanwhile
            self.post_message(self.Suggested(found))

    @on(Suggested)
    def _suggested(self, message: Suggested) -> None:
        for d, event in zip(self.decisions, message.found, strict=True):
            d.merge_suggestion = event
        self.suggestions_ready = True
        self._show()

    # --- actions ----------------------------------------------------------------------------------

    def _advance(self) -> None:
        """Go to the next pending candidate after this one (wrapping), else stay."""
        n = len(self.decisions)
        for step in range(1, n + 1):
            k = (self.index + step) % n
            if self.decisions[k].state == PENDING:
                self.index = k
                break
        self._show()

    def _inside_span(self, when: EdtfDate) -> bool:
        span = self.dataset.span
        return span.lower <= when.lower and when.upper <= span.upper

    def action_accept(self) -> None:
        d = self.current()
        if d is None or self.writing:
            return
        if not self._inside_span(d.event.date):
            self.notify(
                f"{d.event.date.edtf()} lies outside the timeline's span {self.dataset.span.edtf()}: press e to edit it, or n",
                severity="warning", markup=False,
            )
            return
        d.state, d.event = ACCEPTED, replace(d.event, merge_into=None)
        self._advance()

    def action_reject(self) -> None:
        d = self.current()
        if d is None or self.writing:
            return
        d.state = REJECTED
        self._advance()

    def action_merge(self) -> None:
        d = self.current()
        if d is None or self.writing:
            return
        if not self.suggestions_ready:
            self.notify("Still looking for existing events with this date; try again in a moment.", markup=False)
            return
        if d.merge_suggestion is None:
            self.notify("No existing event has this date; y accepts it as a new event.", markup=False)
            return
        d.state, d.event = MERGED, replace(d.event, merge_into=d.merge_suggestion.id)
        self._advance()

    def action_edit(self) -> None:
        d = self.current()
        if d is None or self.writing:
            return

        def done(result: NewEvent | None) -> None:
            if result is None:
                return
            d.event, d.state = result, ACCEPTED
            self._advance()

        self.app.push_screen(EditCandidateScreen(d.event, self.dataset.span), done)

    def action_step(self, delta: int) -> None:
        if self.decisions:
            self.index = (self.index + delta) % len(self.decisions)
            self._show()

    def chosen(self) -> list[NewEvent]:
        """The accepted and merged events, in candidate order."""
        return [d.event for d in self.decisions if d.state in (ACCEPTED, MERGED)]

    def action_finish(self) -> None:
        if self.writing:
            return
        self.writing = True
        self.query_one("#review-status", Static).update(literal(f"Writing {self.events_path}…"))
        self._write(self.chosen())

    @work(thread=True, exclusive=True, group="review-write", exit_on_error=False, name="writing events.json")
    def _write(self, chosen: list[NewEvent]) -> None:
        try:
            result = write_events(self.events_path, self.source, chosen)
        except ApplyError as exc:
            self.post_message(self.Written(None, str(exc)))
            return
        except OSError as exc:
            self.post_message(self.Written(None, f"cannot write {self.events_path}: {exc}"))
            return
        self.post_message(self.Written(result))

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.result is not None:
            self.dismiss(message.result)
            return
        self._failed(message.error)

    def _failed(self, message: str) -> None:
        self.writing = False
        self.notify(clean(message), title="Not written", severity="error", markup=False, timeout=15)
        self._show()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one path for a worker that failed unexpectedly: say so, never a traceback."""
        if event.state is WorkerState.ERROR:
            if event.worker.group == "review-write":
                self._failed(f"{event.worker.name} failed: {event.worker.error}")
            else:
                self.notify(clean(f"{event.worker.name} failed: {event.worker.error}"), severity="error",
                            markup=False)

    def action_leave(self) -> None:
        if self.writing:
            return
        if not any(d.state != PENDING for d in self.decisions):
            self.dismiss(None)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Leave without writing? Your decisions will be lost.", "Leave", "Stay"), answer)


def __getattr__(name: str) -> Any:
    """``ImportApp`` moved to :mod:`timeline_tui.ui.import_app`; this keeps ``cli/import_cmd.py`` working."""
    if name == "ImportApp":
        from timeline_tui.ui.import_app import ImportApp

        return ImportApp
    raise AttributeError(name)

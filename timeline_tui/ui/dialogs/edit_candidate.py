"""Edit an import candidate's date, title, summary and tags before accepting it (the review's ``e``)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from timeline_tui.core.dates import EdtfDate, EdtfError, parse_edtf, parse_free
from timeline_tui.core.extract.apply import NewEvent
from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import clean, literal


def _parse_date(text: str) -> EdtfDate:
    """EDTF first (``1945-08``, ``1937/1945``), then free forms (``Aug 1945``)."""
    try:
        return parse_edtf(text.strip())
    except EdtfError:
        return parse_free(text)


class EditCandidateScreen(Dialog[NewEvent | None]):
    """Edit date, title, summary and tags; ``enter`` in the last field (or ``ctrl+s``) saves, ``esc`` cancels."""

    DEFAULT_CSS = """
    EditCandidateScreen > .dialog { width: 80; background: $panel; }
    EditCandidateScreen Label { width: 100%; }
    EditCandidateScreen #edit-error { color: $error; height: auto; }
    """

    KEY_SCOPE = "edit_candidate"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    def __init__(self, event: NewEvent, span: EdtfDate | None = None) -> None:
        super().__init__()
        self._event = event
        self._span = span

    def compose(self) -> ComposeResult:
        e = self._event
        with Vertical(classes="dialog"):
            yield Label(literal("Edit the event before accepting it", "bold"))
            yield Label(literal("Date (EDTF like 1945-08, 1937/1945, or e.g. Aug 1945)"))
            yield Input(e.date.edtf(), id="edit-date")
            yield Label(literal("Title"))
            yield Input(clean(e.title), id="edit-title")
            yield Label(literal("Summary (optional)"))
            yield Input(clean(e.summary), id="edit-summary")
            yield Label(literal("Tags (comma-separated)"))
            yield Input(", ".join(e.tags), id="edit-tags")
            yield Static("", id="edit-error")

    def on_mount(self) -> None:
        self.query_one("#edit-date", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "edit-tags":
            self.action_save()
        else:
            self.focus_next()

    def _error(self, message: str) -> None:
        self.query_one("#edit-error", Static).update(literal(message))

    def action_save(self) -> None:
        value = {name: self.query_one(f"#edit-{name}", Input).value for name in ("date", "title", "summary", "tags")}
        try:
            when = _parse_date(value["date"])
        except EdtfError as exc:
            self._error(f"Date: {exc}")
            return
        if self._span is not None and not (self._span.lower <= when.lower and when.upper <= self._span.upper):
            self._error(f"Date {when.edtf()} lies outside the timeline's span {self._span.edtf()}")
            return
        title = " ".join(clean(value["title"]).split())
        if not title:
            self._error("Title must not be empty")
            return
        tags = tuple(dict.fromkeys(t.strip().lower() for t in clean(value["tags"]).split(",") if t.strip()))
        basis = self._event.date_basis
        if when.edtf() != self._event.date.edtf():
            basis = f"{basis}; date set to {when.edtf()} in review" if basis else f"date set to {when.edtf()} in review"
        self.dismiss(replace(self._event, date=when, title=title, summary=value["summary"].strip(), tags=tags,
                             date_basis=basis, merge_into=None))

    def action_cancel(self) -> None:
        self.dismiss(None)

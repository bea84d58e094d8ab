"""The export dialog: format, what to include, where to write; the file is written in a worker.

``ctrl+s`` (or ``enter`` in the path field, or the Export button) exports; ``esc`` cancels.
A missing directory is reported in the dialog; an existing file needs an explicit "Replace".
The dialog dismisses with the path written (or ``None`` when cancelled) and notifies where it went.
The path is shown absolute: in ``directory`` (the app passes the folder of the last export,
kept in the notes store's settings) or the working directory; ``fmt`` is the format chosen at first
(the last one used).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static
from textual.worker import Worker, WorkerState

from timeline_tui.core.atomicio import atomic_write_text
from timeline_tui.core.export import (
    FORMAT_LABELS,
    FORMATS,
    AnnotationSource,
    ExportOptions,
    UnknownEvents,
    build_export,
    default_export_path,
    swap_extension,
)
from timeline_tui.core.model import Dataset
from timeline_tui.ui.dialogs.confirm import ConfirmScreen
from timeline_tui.ui.dialogs.dialog import Dialog
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal, plural


@dataclass(frozen=True)
class _Job:
    target: Path
    overwrite: bool
    options: ExportOptions
    source: AnnotationSource | None


class ExportDialog(Dialog[Path | None]):
    """Export ``event_ids`` of ``dataset`` with the notes and links ``store`` gives.

    ``store`` is read in the export's worker thread: pass a snapshot that does not change (the
    app passes its :class:`~timeline_tui.ui.annotating.AnnotationState`), or a store nothing else
    writes meanwhile.

    ``filter_description`` goes into the export's header. ``today`` fixes the default file name
    (tests); it defaults to the current date. ``directory`` and ``fmt``: where the default file is
    and the format chosen at first (the working directory and Markdown when not given; a format
    this version does not know is ignored).
    """

    KEY_SCOPE = "export_dialog"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    ExportDialog > .dialog { width: 64; height: 24; }
    ExportDialog #export-body { height: 1fr; scrollbar-size-vertical: 1; }
    ExportDialog #export-what { height: auto; color: $text-muted; }
    ExportDialog #export-note { height: auto; color: $text-warning; }
    ExportDialog .export-label { height: 1; margin-top: 1; text-style: bold; }
    ExportDialog RadioSet { width: 100%; height: auto; }
    ExportDialog #export-include { height: auto; }
    ExportDialog #export-include Checkbox { width: auto; margin-right: 1; }
    ExportDialog #export-path { width: 100%; }
    ExportDialog #export-path-hint { height: auto; color: $text-muted; }
    ExportDialog #export-status { height: auto; margin-top: 1; }
    ExportDialog #export-status.-error { color: $error; text-style: bold; }
    ExportDialog #export-buttons { dock: bottom; height: 1; align-horizontal: right; }
    ExportDialog #export-buttons Button { margin-left: 1; min-width: 10; }
    """

    def __init__(
        self,
        dataset: Dataset,
        store: AnnotationSource | None,
        event_ids: Sequence[str],
        filter_description: str,
        *,
        today: date | None = None,
        note: str = "",
        directory: Path | None = None,
        fmt: str | None = None,
    ) -> None:
        super().__init__()
        self.note = note  # e.g. why fewer events than selected are exported
        self.dataset = dataset
        self.store = store
        self.event_ids = list(event_ids)
        self.filter_description = filter_description
        self.today = today or date.today()
        self.format = fmt if fmt in FORMATS else FORMATS[0]
        self.directory = directory if directory is not None else Path.cwd()
        self._busy = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        count = len(self.event_ids)
        with Vertical(id="export-box", classes="dialog") as box:
            box.border_title = f"Export {plural(count, 'event')}"
            box.border_subtitle = self.key_hints(("export_dialog.export", "export"), ("export_dialog.cancel", "cancel"))
            with VerticalScroll(id="export-body"):
                filters = self.filter_description.strip() or "no filter"
                yield Static(literal(f"{plural(count, 'event')} · filters: {filters}", multiline=False), id="export-what")
                if self.note:
                    yield Static(literal(self.note), id="export-note")
                yield Static("Format", classes="export-label")
                with RadioSet(id="export-format", compact=True):
                    for fmt in FORMATS:
                        yield RadioButton(FORMAT_LABELS[fmt], value=fmt == self.format, id=f"format-{fmt}",
                                          compact=True)
                yield Static("Include", classes="export-label")
                with Horizontal(id="export-include"):
                    yield Checkbox("Quotes", True, id="include-quotes", compact=True)
                    yield Checkbox("Notes", True, id="include-notes", compact=True)
                    yield Checkbox("Links", True, id="include-links", compact=True)
                yield Static("File", classes="export-label")
                yield Static(literal(f"~ expands; a relative path is in {Path.cwd()}"), id="export-path-hint")
                yield Input(str(self.directory / default_export_path(self.format, self.today).name),
                            id="export-path")
                yield Static("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()

    # -- state ---------------------------------------------------------------------------------

    @property
    def options(self) -> ExportOptions:
        """The export options as chosen in the dialog."""
        return ExportOptions(
            format=self.format,
            include_quotes=self.query_one("#include-quotes", Checkbox).value,
            include_notes=self.query_one("#include-notes", Checkbox).value,
            include_links=self.query_one("#include-links", Checkbox).value,
            filter_description=self.filter_description,
        )

    @property
    def path_text(self) -> str:
        return self.query_one("#export-path", Input).value

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(literal(message, multiline=True))
        status.set_class(error, "-error")
        self.call_after_refresh(status.scroll_visible, animate=False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.query_one("#export-go", Button).disabled = busy

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = FORMATS[event.index]
        path_input = self.query_one("#export-path", Input)
        path_input.value = swap_extension(path_input.value, self.format, new)
        self.format = new

    # -- actions -------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Button.Pressed, "#export-go")
    def _go_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def target_path(self) -> Path | str:
        """The file to write, or a message saying why the typed path cannot be used."""
        text = self.path_text.strip()
        if not text:
            return "Type a file name to export to."
        try:
            path = Path(text).expanduser()
        except RuntimeError:  # "~user" with no such user
            return f"Cannot expand {text}: no such user."
        if not path.is_absolute():
            path = Path.cwd() / path
        try:
            if path.is_dir():
                return f"{path} is a directory; add a file name."
            if not path.parent.is_dir():
                return f"Directory {path.parent} does not exist. Create it first or choose another path."
            if path.exists() and not path.resolve().is_file():
                return f"{path} is not a regular file; choose a file name."
        except (OSError, ValueError) as exc:  # name too long, no permission, NUL byte…
            return f"Cannot use {text}: {getattr(exc, 'strerror', None) or exc}."
        return path

    def action_export(self) -> None:
        if self._busy:
            return
        if not self.event_ids:
            self._status("Nothing to export: no events are selected.", error=True)
            return
        target = self.target_path()
        if isinstance(target, str):
            self._status(target, error=True)
            self.query_one("#export-path", Input).focus()
            return
        if target.exists():  # target_path() has already stat'ed it successfully
            question = f"{target} already exists.\nReplace it with this export?"

            def answered(replace: bool | None) -> None:
                if replace:
                    self._start(target, overwrite=True)
                else:
                    self._status("Not replaced. Choose another file name.", error=True)
                    self.query_one("#export-path", Input).focus()

            self.app.push_screen(ConfirmScreen(question, "Replace", "Keep it"), answered)
            return
        self._start(target, overwrite=False)

    def _start(self, target: Path, *, overwrite: bool) -> None:
        self._set_busy(True)
        self._status(f"Writing {target}…")
        self._write(_Job(target, overwrite, self.options, self.store))

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _write(self, job: _Job) -> Path:
        text = build_export(self.dataset, job.source, self.event_ids, job.options)
        atomic_write_text(job.target, text, overwrite=job.overwrite)
        return job.target

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "export":
            return
        if event.state is WorkerState.SUCCESS and isinstance(worker.result, Path):
            path = worker.result
            count = len(self.event_ids)
            self.app.notify(f"Exported {plural(count, 'event')} to {path}", title="Export", markup=False)
            self._busy = False
            self.dismiss(path)
        elif event.state is WorkerState.ERROR:
            self._set_busy(False)
            self._status(self._explain(worker.error), error=True)
        elif event.state is WorkerState.CANCELLED:
            self._set_busy(False)

    @staticmethod
    def _explain(error: BaseException | None) -> str:
        if isinstance(error, FileExistsError):
            return "That file appeared while exporting; export again to choose whether to replace it."
        if isinstance(error, FileNotFoundError) and not os.path.isdir(os.path.dirname(str(error.filename or ""))):
            return "The directory no longer exists. Choose another path."
        if isinstance(error, OSError):
            return f"Could not write the file: {error.strerror or error}."
        if isinstance(error, UnknownEvents):
            return f"Cannot export: {error}."
        return f"Export failed: {error}."

"""Export events with their quotes, citations and the user's notes: Markdown, JSON, CSV, TimelineJS,
an HTML page with a picture of the timeline, or the picture alone (SVG) — and a dataset folder that
opens as a timeline of its own (:func:`export_dataset`). docs/formats.md describes every format.

One exporter for the app and the CLI: both call :func:`build_export` (or :func:`export_events`)
with the same arguments, so the same selection gives the same bytes apart from the time stamp.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from timeline_tui.core.annotation_state import AnnotationState
from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.export.csv_format import render_csv
from timeline_tui.core.export.dataset_format import DatasetExport, DatasetExportError, export_dataset
from timeline_tui.core.export.gather import Gathered, ordered_events
from timeline_tui.core.export.html_format import render_html
from timeline_tui.core.export.json_format import render_json
from timeline_tui.core.export.markdown import render_markdown
from timeline_tui.core.export.options import (
    ALL_FORMATS,
    EXTENSIONS,
    FOLDER_FORMATS,
    FORMAT_LABELS,
    FORMATS,
    ExportOptions,
)
from timeline_tui.core.export.svg_format import render_svg
from timeline_tui.core.export.timelinejs import render_timelinejs
from timeline_tui.core.model import Dataset, Event

__all__ = [
    "ALL_FORMATS",
    "EXTENSIONS",
    "FOLDER_FORMATS",
    "FORMATS",
    "FORMAT_LABELS",
    "AnnotationSource",
    "DatasetExport",
    "DatasetExportError",
    "ExportOptions",
    "UnknownEvents",
    "build_export",
    "default_export_path",
    "export_dataset",
    "export_events",
    "swap_extension",
]

_RENDERERS: dict[str, Callable[[Gathered], str]] = {
    "md": render_markdown,
    "json": render_json,
    "csv": render_csv,
    "timelinejs": render_timelinejs,
    "html": render_html,
    "svg": render_svg,
}


_SURROGATES = re.compile(r"[\ud800-\udfff]")


class AnnotationSource(Protocol):
    """Where the exporter reads the user's notes and links: an
    :class:`~timeline_tui.core.store.AnnotationStore` or the
    :class:`~timeline_tui.core.annotation_state.AnnotationState` it gave (both have ``state``,
    the immutable snapshot grouped by event; a state's ``state`` is itself)."""

    @property
    def state(self) -> AnnotationState: ...


class UnknownEvents(ValueError):
    """Some requested event ids are not in the dataset (``ids`` lists them, in request order)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = list(ids)
        super().__init__("unknown event id(s): " + ", ".join(self.ids))


def export_events(
    dataset: Dataset,
    events: Sequence[Event],
    options: ExportOptions,
    notes: Mapping[str, Sequence[Note]] | None = None,
    links: Mapping[str, Sequence[Link]] | None = None,
) -> str:
    """The export of ``events`` (in chronological order whatever the order given) as text.

    ``notes``/``links`` map event ids to the user's annotations. The output depends only on the
    arguments (``options.generated`` fixes the time stamp), so it is reproducible byte for byte.
    Lone surrogates (undecodable bytes in old notes) become U+FFFD so the text can be written as UTF-8.
    """
    text = _RENDERERS[options.format](Gathered(dataset, ordered_events(events), options, notes, links))
    return _SURROGATES.sub("\ufffd", text)


def build_export(
    dataset: Dataset, annotations: AnnotationSource | None, event_ids: Iterable[str], options: ExportOptions
) -> str:
    """Export the events ``event_ids`` with their notes and links from ``annotations`` (``None``: none).

    ``annotations`` is the store, or a state it gave (read on another thread). Raises :class:`UnknownEvents`
    if an id is not in the dataset.
    """
    ids = list(dict.fromkeys(event_ids))
    unknown = [i for i in ids if dataset.event(i) is None]
    if unknown:
        raise UnknownEvents(unknown)
    events = [e for e in (dataset.event(i) for i in ids) if e is not None]
    notes: dict[str, Sequence[Note]] = {}
    links: dict[str, Sequence[Link]] = {}
    state = annotations.state if annotations is not None else None
    if state is not None and options.include_notes:
        notes = {i: state.notes[i] for i in ids if i in state.notes}
    if state is not None and options.include_links:
        links = {i: state.links[i] for i in ids if i in state.links}
    return export_events(dataset, events, options, notes, links)


def default_export_path(fmt: str, today: date) -> Path:
    """``timeline-export-YYYY-MM-DD.<ext>`` (a folder format: no extension), relative to the working directory."""
    return Path(f"timeline-export-{today.isoformat()}{EXTENSIONS[fmt]}")


def swap_extension(path: str, old_format: str, new_format: str) -> str:
    """``path`` with the ending of ``old_format`` replaced by that of ``new_format`` (else unchanged)."""
    old, new = EXTENSIONS[old_format], EXTENSIONS[new_format]
    if not old:  # from a folder's name: add the file's ending
        return path + new if path and new and not path.endswith(("/", new)) else path
    if path.endswith(old) and not (old == ".json" and path.endswith(EXTENSIONS["timelinejs"])):
        return path[: -len(old)] + new
    return path

"""The CSV export: one row per event (RFC 4180: quoted as needed, CRLF line ends, header row).

A cell that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) gets a
leading apostrophe, the OWASP-recommended defence against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.export.gather import event_notes, ordered_events
from timeline_tui.core.export.options import ExportOptions
from timeline_tui.core.model import Dataset, Event

COLUMNS = ("id", "date", "display_date", "title", "summary", "tags", "sources", "quote_count")
NOTES_COLUMN = "notes"
LIST_SEPARATOR = "; "
NOTE_SEPARATOR = "\n\n"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` made safe to open in a spreadsheet."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(
    dataset: Dataset,
    events: Sequence[Event],
    options: ExportOptions,
    notes: Mapping[str, Sequence[Note]] | None = None,
    links: Mapping[str, Sequence[Link]] | None = None,
) -> str:
    """The CSV text; the ``notes`` column is present only when notes are included."""
    del links  # one row per event: links are in the JSON and Markdown exports
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = [*COLUMNS, NOTES_COLUMN] if options.include_notes else list(COLUMNS)
    writer.writerow(header)
    for event in ordered_events(dataset, events):
        row = [
            event.id,
            event.date.edtf(),
            event.date.display(),
            event.title,
            event.summary,
            LIST_SEPARATOR.join(event.tags),
            LIST_SEPARATOR.join(event.source_ids),
            str(len(event.quotes)),
        ]
        if options.include_notes:
            row.append(NOTE_SEPARATOR.join(n.text for n in event_notes(notes, event.id)))
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()

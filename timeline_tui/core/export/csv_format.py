"""The CSV export: one row per event (RFC 4180: quoted as needed, CRLF line ends, header row).

A cell that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) gets a
leading apostrophe, the OWASP-recommended defence against CSV injection. CSV has no escapes, so
control characters, escape sequences and bidi overrides in the data are written as visible
symbols (:func:`~timeline_tui.core.textsafe.visible`: ESC as ␛); tabs, newlines and CRLF stay.
"""

from __future__ import annotations

import csv
import io

from timeline_tui.core.export.gather import Gathered
from timeline_tui.core.textsafe import visible

COLUMNS = ("id", "date", "display_date", "title", "summary", "tags", "sources", "quote_count")
NOTES_COLUMN = "notes"
LIST_SEPARATOR = "; "
NOTE_SEPARATOR = "\n\n"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` made safe to print and to open in a spreadsheet."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(job: Gathered) -> str:
    """The CSV text; the ``notes`` column is present only when notes are included (links never are)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = [*COLUMNS, NOTES_COLUMN] if job.options.include_notes else list(COLUMNS)
    writer.writerow(header)
    for event in job.events:
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
        if job.options.include_notes:
            row.append(NOTE_SEPARATOR.join(n.text for n in job.notes_of(event)))
        writer.writerow([cell(value) for value in row])
    return buffer.getvalue()

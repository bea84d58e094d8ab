"""The CSV export: one row per quoted passage, the event's columns repeated (RFC 4180: quoted as
needed, CRLF line ends, a header row).

A spreadsheet user filters, sorts and pivots rows, so every row stands on its own: the event
(id, dates, title, summary, tags, sources, quote count, date basis, and the notes when included), then one
passage — ``quote_number`` (1, 2… within the event), ``quote_kind`` (``quote``: a quote of the
dataset; ``link``: a passage you linked), its text, and its citation (source id, title, publisher,
publication date, URL, code-point start and end; for a link also your comment and how its anchor
fits the current text). An event's quotes come first, then its links (unless links are left out).
Without quotes (``--no-quotes``) there is one row per event and no passage columns: the table of
events. docs/formats.md lists the columns.

A cell that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) gets a
leading apostrophe, the OWASP-recommended defence against CSV injection. CSV has no escapes, so
control characters, escape sequences and bidi overrides in the data are written as visible
symbols (:func:`~timeline_tui.core.textsafe.visible`: ESC as ␛); tabs, newlines and CRLF stay.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from timeline_tui.core.export.gather import AnchoredLink, Gathered
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.textsafe import visible

#: The event's columns, on every row.
COLUMNS = ("id", "date", "display_date", "title", "summary", "tags", "sources", "quote_count", "date_basis")
NOTES_COLUMN = "notes"
#: One passage and its citation (present when quotes or links are included).
QUOTE_COLUMNS = (
    "quote_number", "quote_kind", "quote_text", "quote_source", "source_title", "source_publisher",
    "source_published", "source_url", "quote_start", "quote_end",
)
#: Only for a linked passage (present when links are included).
LINK_COLUMNS = ("link_comment", "link_anchor")
LIST_SEPARATOR = "; "
NOTE_SEPARATOR = "\n\n"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """``text`` made safe to print and to open in a spreadsheet."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def header(job: Gathered) -> list[str]:
    """The columns of this export, in order."""
    options = job.options
    columns = [*COLUMNS]
    if options.include_notes:
        columns.append(NOTES_COLUMN)
    if options.include_quotes:
        columns += QUOTE_COLUMNS
        if options.include_links:
            columns += LINK_COLUMNS
    return columns


def _citation(dataset: Dataset, source_id: str, start: int, end: int) -> list[str]:
    """quote_source … quote_end for a passage of ``source_id`` (an unknown source: only its id)."""
    source = dataset.sources.get(source_id)
    if source is None:
        return [source_id, "", "", "", "", str(start), str(end)]
    return [source_id, source.title, source.publisher, source.published.edtf(), source.url, str(start), str(end)]


def _passages(job: Gathered, event: Event) -> Iterator[list[str]]:
    """The passage columns of each of the event's rows: its quotes, then its links (none without quotes)."""
    options, dataset = job.options, job.dataset
    if not options.include_quotes:
        return
    number = 0
    for quote in event.quotes:
        number += 1
        row = [str(number), "quote", quote.text, *_citation(dataset, quote.source, quote.start, quote.end)]
        yield row + (["", ""] if options.include_links else [])
    links: list[AnchoredLink] = job.links_of(event)
    for item in links:
        number += 1
        anchor = "orphaned" if item.orphaned else item.anchor.describe()
        yield [str(number), "link", item.text, *_citation(dataset, item.link.source_id, item.start, item.end),
               item.link.comment, anchor]


def render_csv(job: Gathered) -> str:
    """The CSV text (see the module doc)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = header(job)
    writer.writerow(columns)
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
            event.date_basis,
        ]
        if job.options.include_notes:
            row.append(NOTE_SEPARATOR.join(n.text for n in job.notes_of(event)))
        event_cells = [cell(value) for value in row]
        passages = [[cell(value) for value in passage] for passage in _passages(job, event)] or [[]]
        for passage in passages:
            writer.writerow(event_cells + passage)
    return buffer.getvalue()

"""The TimelineJS3 export (https://timeline.knightlab.com/docs/json-format.html).

A timeline object ``{"title": slide, "events": [slide...], "eras": [era...], "scale": "human"}``.
Each slide has ``start_date`` (a date object: ``year`` required, ``month``/``day`` only at the
precision the source gives), ``end_date`` (the last day the date covers: an interval's end, or
the end of a year-only or month-only date's year or month, so nothing sits on a false 1 January
and an era ends where its last year ends), ``display_date`` (our human date),
``text`` (``headline`` and ``text``, both HTML), ``group`` (the era) and ``unique_id`` (the event
id). Every string from data or notes is HTML-escaped; ``autolink`` is off so no text becomes a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from timeline_tui.core.annotations import Note
from timeline_tui.core.dates import EdtfDate, EdtfPoint, Precision
from timeline_tui.core.export.gather import AnchoredLink, Gathered, json_text, note_time
from timeline_tui.core.export.options import ExportOptions
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.textsafe import plain

_NEEDS_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def html_text(text: str) -> str:
    """Untrusted text as HTML: escaped, controls removed, line breaks kept as ``<br>``."""
    if _NEEDS_PLAIN.search(text):
        text = plain(text, keep_newlines=True)
    return escape(text, quote=True).replace("\n", "<br>")


def date_object(point: EdtfPoint) -> dict[str, Any]:
    """A TimelineJS start date at the point's own precision (TimelineJS reads a missing month or day as the first)."""
    obj: dict[str, Any] = {"year": point.year}
    if point.month is not None:
        obj["month"] = point.month
    if point.day is not None:
        obj["day"] = point.day
    return obj


def end_object(point: EdtfPoint) -> dict[str, Any]:
    """A TimelineJS end date: the last day ``point`` covers (``1945`` ends on 31 December 1945, not on 1 January)."""
    last = point.latest
    return {"year": last.year, "month": last.month, "day": last.day}


def extent(when: EdtfDate) -> dict[str, Any]:
    """``start_date`` and, unless the date is a single day, ``end_date``: the whole stretch the date covers.

    A year-only or month-only event spans its year or month (TimelineJS would otherwise place it on a false
    1 January or 1st of the month); an interval ends on the last day of its end, at the end's precision.
    """
    out: dict[str, Any] = {"start_date": date_object(when.start)}
    last = when.end or when.start
    if when.end is not None or last.precision is not Precision.DAY:
        out["end_date"] = end_object(last)
    return out


def _source_line(dataset: Dataset, source_id: str, start: int, end: int) -> str:
    source = dataset.sources.get(source_id)
    if source is None:
        return html_text(f"unknown source {source_id}, code points {start}–{end}")
    text = f"{source.title}, {source.publisher}, published {source.published.display()}; code points {start}–{end}"
    return html_text(text)


def _body(
    dataset: Dataset, event: Event, options: ExportOptions, notes: list[Note], links: Sequence[AnchoredLink]
) -> str:
    parts = []
    if event.summary.strip():
        parts.append(f"<p>{html_text(event.summary)}</p>")
    if event.date_basis.strip():
        parts.append(f"<p><em>Date basis:</em> {html_text(event.date_basis)}</p>")
    if options.include_quotes:
        for q in event.quotes:
            parts.append(
                f"<blockquote>{html_text(q.text)}<br><cite>{_source_line(dataset, q.source, q.start, q.end)}</cite>"
                "</blockquote>"
            )
    for item in links:
        status = "orphaned" if item.orphaned else item.anchor.describe()
        parts.append(
            f"<blockquote><em>Your linked passage ({html_text(status)}):</em> {html_text(item.text)}<br>"
            f"<cite>{_source_line(dataset, item.link.source_id, item.start, item.end)}</cite></blockquote>"
        )
        if item.link.comment.strip():
            parts.append(f"<p><em>Your comment:</em> {html_text(item.link.comment)}</p>")
    for note in notes:
        stamp = html_text(note_time(note.updated or note.created))
        parts.append(f"<p><em>Your note ({stamp}):</em><br>{html_text(note.text)}</p>")
    if event.tags:
        parts.append(f"<p><em>Tags:</em> {html_text(', '.join(event.tags))}</p>")
    return "".join(parts)


def timeline_document(job: Gathered) -> dict[str, Any]:
    """The TimelineJS timeline object as plain data."""
    dataset, chosen = job.dataset, job.events
    slides: list[dict[str, Any]] = []
    for event in chosen:
        slide: dict[str, Any] = extent(event.date)
        slide["display_date"] = html_text(event.date.display())
        body = _body(dataset, event, job.options, job.notes_of(event), job.links_of(event))
        slide["text"] = {"headline": html_text(event.title), "text": body}
        era = dataset.era_of(event)
        if era is not None:
            slide["group"] = html_text(era.title)
        slide["unique_id"] = event.id
        slide["autolink"] = False
        slides.append(slide)
    summary = (
        f"{len(chosen)} of {len(dataset.events)} events; filters: {job.filters}; "
        f"generated {job.options.generated_text()}"
    )
    eras = [
        {
            "start_date": date_object(era.date.start),
            "end_date": end_object(era.date.end or era.date.start),
            "text": {"headline": html_text(era.title)},
        }
        for era in dataset.eras
    ]
    return {
        "title": {"text": {"headline": html_text(dataset.title), "text": f"<p>{html_text(summary)}</p>"}},
        "events": slides,
        "eras": eras,
        "scale": "human",
    }


def render_timelinejs(job: Gathered) -> str:
    """TimelineJS JSON, pretty-printed, one trailing newline."""
    return json_text(timeline_document(job))

"""The TimelineJS3 export (https://timeline.knightlab.com/docs/json-format.html).

A timeline object ``{"title": slide, "events": [slide...], "eras": [era...], "scale": "human"}``.
Each slide has ``start_date`` and ``end_date``, ``display_date`` (our human date, which TimelineJS
shows instead of its own wording), ``text`` (``headline`` and ``text``, both HTML), ``group`` (the
era) and ``unique_id`` (the event id). Every string from data or notes is HTML-escaped; ``autolink``
is off so no text becomes a link.

Dates, as TimelineJS 3 reads them (checked in TimelineJS itself: tests/browser/test_timelinejs.py):

* a single day is a point: ``start_date`` ``{year, month, day}`` and no ``end_date``;
* anything longer spans every day it covers: a year-only date its year, a month-only date its
  month, an interval from the first day of its start to the last day of its end (``1937/1945``
  ends on 31 December 1945, after the August 1945 events). Both ends are written to the day:
  TimelineJS drops an ``end_date`` whose fields agree with every field the ``start_date`` gives
  (``{year: 1945}`` and ``{year: 1945, month: 12, day: 31}`` would become a point on 1 January);
* each date object carries its own ``display_date`` (``1945``, ``August 1945``) so TimelineJS never
  words a year-only date as "January 1, 1945". Eras are written the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
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
    """A TimelineJS date for a single day (``point`` has day precision), with its ``display_date``."""
    return {"year": point.year, "month": point.month, "day": point.day, "display_date": point.display()}


def _day(day: date, shown: str) -> dict[str, Any]:
    return {"year": day.year, "month": day.month, "day": day.day, "display_date": shown}


def stretch(when: EdtfDate) -> dict[str, Any]:
    """``start_date`` and ``end_date``: the first and the last day ``when`` covers, to the day, each
    worded as its own end of the date (an era; an event longer than a day)."""
    return {"start_date": _day(when.lower, when.start.display()),
            "end_date": _day(when.upper, (when.end or when.start).display())}


def extent(when: EdtfDate) -> dict[str, Any]:
    """An event's dates: a single day is a point (no ``end_date``); anything longer is its :func:`stretch`."""
    if when.end is None and when.start.precision is Precision.DAY:
        return {"start_date": date_object(when.start)}
    return stretch(when)


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
    eras = [{**stretch(era.date), "text": {"headline": html_text(era.title)}} for era in dataset.eras]
    return {
        "title": {"text": {"headline": html_text(dataset.title), "text": f"<p>{html_text(summary)}</p>"}},
        "events": slides,
        "eras": eras,
        "scale": "human",
    }


def render_timelinejs(job: Gathered) -> str:
    """TimelineJS JSON, pretty-printed, one trailing newline."""
    return json_text(timeline_document(job))

"""The JSON export: the selected events with their quotes, the user's notes and links, and the sources cited."""

from __future__ import annotations

from typing import Any

from timeline_tui.core.export.gather import AnchoredLink, Gathered, json_text

FORMAT_NAME = "timeline-tui-export"
FORMAT_VERSION = 1


def _link_json(item: AnchoredLink) -> dict[str, Any]:
    link = item.link
    return {
        "id": link.id,
        "source": link.source_id,
        "text": item.text,
        "start": item.start,
        "end": item.end,
        "stored": {
            "exact": link.quote.exact,
            "prefix": link.quote.prefix,
            "suffix": link.quote.suffix,
            "start": link.position.start,
            "end": link.position.end,
        },
        "anchor": {
            "status": item.anchor.status.value,
            "start": item.anchor.start,
            "end": item.anchor.end,
            "score": round(item.anchor.score, 4),
        },
        "comment": link.comment,
        "created": link.created,
    }


def export_document(job: Gathered) -> dict[str, Any]:
    """The export as plain JSON-able data (keys that were not included are left out)."""
    dataset, options = job.dataset, job.options
    cited: dict[str, None] = {}
    rows: list[dict[str, Any]] = []
    for event in job.events:
        row: dict[str, Any] = {
            "id": event.id,
            "date": event.date.edtf(),
            "display_date": event.date.display(),
            "date_basis": event.date_basis,
            "title": event.title,
            "summary": event.summary,
            "tags": list(event.tags),
        }
        if options.include_quotes:
            row["quotes"] = [{"source": q.source, "start": q.start, "end": q.end, "text": q.text} for q in event.quotes]
            cited.update(dict.fromkeys(q.source for q in event.quotes))
        if options.include_notes:
            row["notes"] = [
                {"id": n.id, "text": n.text, "created": n.created, "updated": n.updated}
                for n in job.notes_of(event)
            ]
        if options.include_links:
            anchored = job.links_of(event)
            row["links"] = [_link_json(item) for item in anchored]
            cited.update(dict.fromkeys(item.link.source_id for item in anchored))
        rows.append(row)
    sources: dict[str, Any] = {}
    for source_id in cited:
        source = dataset.sources.get(source_id)
        if source is None:
            continue
        sources[source_id] = {
            "title": source.title,
            "publisher": source.publisher,
            "published": source.published.edtf(),
            "published_display": source.published.display(),
            "path": source.path,
            "url": source.url,
        }
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "dataset": {"title": dataset.title, "event_count": len(dataset.events)},
        "generated": options.generated_iso(),
        "filter": job.filters,
        "included": {
            "quotes": options.include_quotes,
            "notes": options.include_notes,
            "links": options.include_links,
        },
        "count": len(rows),
        "sources": sources,
        "events": rows,
    }


def render_json(job: Gathered) -> str:
    """Pretty-printed UTF-8 JSON, one trailing newline."""
    return json_text(export_document(job))

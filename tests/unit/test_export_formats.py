"""JSON, CSV and TimelineJS exports round-trip and keep their documented shape; build_export and paths."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.core.anchoring import make_selectors
from timeline_tui.core.annotations import Link, Note
from timeline_tui.core.export import (
    ALL_FORMATS,
    EXTENSIONS,
    FORMATS,
    ExportOptions,
    UnknownEvents,
    build_export,
    default_export_path,
    export_events,
    swap_extension,
)
from timeline_tui.core.model import Dataset
from timeline_tui.core.store import AnnotationStore

FIXED = datetime(2025, 5, 9, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> & =SUM(A1) | `code` \n# heading'


def _opts(fmt: str, **kw: Any) -> ExportOptions:
    return ExportOptions(format=fmt, generated=FIXED, filter_description="tag war", **kw)


def _annotations(mini: Dataset) -> tuple[dict[str, list[Note]], dict[str, list[Link]]]:
    event = mini.events[0]
    text = mini.source_text("harbour")
    assert text is not None
    quote, position = make_selectors(text, 64, 86)
    notes = {event.id: [Note(1, event.id, HOSTILE, "2025-01-01T10:00:00Z", "2025-01-02T10:00:00Z"),
                        Note(2, event.id, "=1+2", "2025-01-03T10:00:00Z", "2025-01-03T10:00:00Z")]}
    links = {event.id: [Link(1, event.id, "harbour", quote, position, "2025-01-01T00:00:00Z", "why")]}
    return notes, links


# -- JSON --------------------------------------------------------------------------------------

def test_json_round_trips_events_quotes_notes_links_and_sources(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    chosen = [mini.events[3], mini.events[0]]
    doc = json.loads(export_events(mini, chosen, _opts("json"), notes, links))
    assert doc["format"] == "timeline-tui-export" and doc["version"] == 1
    assert doc["generated"] == "2025-05-09T12:00:00Z" and doc["filter"] == "tag war" and doc["count"] == 2
    assert [e["id"] for e in doc["events"]] == ["1945-08-ships-return", "2009-trade-record"]
    first = doc["events"][0]
    event = mini.events[0]
    assert first["date"] == "1945-08" and first["display_date"] == "August 1945" and first["title"] == event.title
    assert first["tags"] == list(event.tags) and first["date_basis"] == event.date_basis
    assert first["quotes"] == [{"source": q.source, "start": q.start, "end": q.end, "text": q.text} for q in event.quotes]
    assert [n["text"] for n in first["notes"]] == [HOSTILE, "=1+2"]  # JSON keeps text exactly
    (link,) = first["links"]
    assert link["anchor"]["status"] == "exact" and link["text"] == mini.source_text("harbour")[64:86]  # type: ignore[index]
    assert link["start"] == 64 and link["stored"]["end"] == 86 and link["comment"] == "why"
    assert doc["events"][1]["notes"] == [] and doc["events"][1]["links"] == []
    assert set(doc["sources"]) == {"harbour", "museum"}
    assert doc["sources"]["harbour"]["published"] == "2010-05-09?"
    assert doc["sources"]["harbour"]["path"] == "sources/harbour.txt"


def test_json_leaves_out_what_is_excluded(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    opts = _opts("json", include_quotes=False, include_notes=False, include_links=False)
    doc = json.loads(export_events(mini, mini.events[:1], opts, notes, links))
    assert set(doc["events"][0]) == {"id", "date", "display_date", "date_basis", "title", "summary", "tags"}
    assert doc["sources"] == {} and doc["included"] == {"quotes": False, "notes": False, "links": False}


# -- CSV ---------------------------------------------------------------------------------------

EVENT_COLUMNS = ["id", "date", "display_date", "title", "summary", "tags", "sources", "quote_count", "date_basis"]
QUOTE_COLUMNS = ["quote_number", "quote_kind", "quote_text", "quote_source", "source_title", "source_publisher",
                 "source_published", "source_url", "quote_start", "quote_end"]


def _rows(text: str) -> list[dict[str, str]]:
    assert text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_one_row_per_quote_with_its_citation_and_the_events_columns(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    text = export_events(mini, mini.events, _opts("csv"), notes, links)
    rows = _rows(text)
    assert list(rows[0]) == [*EVENT_COLUMNS, "notes", *QUOTE_COLUMNS, "link_comment", "link_anchor"]
    quote_rows = [r for r in rows if r["quote_kind"] == "quote"]
    expected = [(e, n, q) for e in mini.events for n, q in enumerate(e.quotes, 1)]
    assert len(quote_rows) == len(expected) == sum(len(e.quotes) for e in mini.events)
    for row, (event, number, quote) in zip(quote_rows, expected, strict=True):
        assert row["id"] == event.id and row["quote_number"] == str(number)
        assert row["date"] == event.date.edtf() and row["display_date"] == event.date.display()
        assert row["title"] == event.title and row["summary"] == event.summary
        assert row["date_basis"] == event.date_basis
        assert row["tags"].split("; ") == list(event.tags)
        assert row["sources"].split("; ") == list(event.source_ids)
        assert int(row["quote_count"]) == len(event.quotes)
        source = mini.sources[quote.source]
        text_now = mini.source_text(quote.source)
        assert text_now is not None and row["quote_text"] == text_now[quote.start:quote.end] == quote.text
        assert (row["quote_source"], row["source_title"], row["source_publisher"], row["source_published"]) == (
            source.id, source.title, source.publisher, source.published.edtf())
        assert (int(row["quote_start"]), int(row["quote_end"])) == (quote.start, quote.end)
        assert row["link_comment"] == row["link_anchor"] == ""
    # the event's notes on each of its rows (multi-line notes survive quoting), nothing on the others
    first = [r for r in rows if r["id"] == mini.events[0].id]
    assert all(r["notes"] == HOSTILE + "\n\n=1+2" for r in first)
    assert all(r["notes"] == "" for r in rows if r["id"] != mini.events[0].id)
    # the user's linked passage follows the event's quotes, with its citation, comment and anchor
    (link_row,) = [r for r in rows if r["quote_kind"] == "link"]
    assert first[-1] == link_row and link_row["quote_number"] == str(len(mini.events[0].quotes) + 1)
    assert link_row["quote_text"] == mini.source_text("harbour")[64:86]  # type: ignore[index]
    assert (link_row["quote_source"], link_row["quote_start"], link_row["quote_end"]) == ("harbour", "64", "86")
    assert (link_row["link_comment"], link_row["link_anchor"]) == ("why", "exact")
    assert [r["id"] for r in rows] == [e.id for e in mini.events for _ in range(len(e.quotes) + (e is mini.events[0]))]


def test_csv_without_quotes_has_one_row_per_event(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    rows = _rows(export_events(mini, mini.events, _opts("csv", include_quotes=False), notes, links))
    assert list(rows[0]) == [*EVENT_COLUMNS, "notes"]
    assert [r["id"] for r in rows] == [e.id for e in mini.events]
    assert rows[0]["notes"] == HOSTILE + "\n\n=1+2"


def test_csv_without_links_has_no_link_rows_or_columns(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    rows = _rows(export_events(mini, mini.events, _opts("csv", include_links=False), notes, links))
    assert list(rows[0]) == [*EVENT_COLUMNS, "notes", *QUOTE_COLUMNS]
    assert {r["quote_kind"] for r in rows} == {"quote"} and len(rows) == sum(len(e.quotes) for e in mini.events)


def test_csv_defuses_formula_cells(mini: Dataset) -> None:
    text = mini.source_text("harbour")
    assert text is not None
    first = mini.events[0]
    quote = replace(first.quotes[0], text="-" + first.quotes[0].text)  # as if the passage started with a minus
    mini.events[0] = replace(first, title="=HYPERLINK(\"http://x\")", summary="+1", tags=("@a", "b"), quotes=(quote,))
    row = _rows(export_events(mini, mini.events[:1], _opts("csv")))[0]
    assert row["title"] == "'=HYPERLINK(\"http://x\")" and row["summary"] == "'+1" and row["tags"] == "'@a; b"
    assert row["quote_text"] == "'" + quote.text


def test_csv_shows_controls_as_symbols(mini: Dataset) -> None:
    first = mini.events[0]
    quote = replace(first.quotes[0], text="a\x1b[2Jb\tc\r\nd")
    mini.events[0] = replace(first, title="T\x1b]52;c;x\x07", quotes=(quote,))
    text = export_events(mini, mini.events[:1], _opts("csv"))
    assert "\x1b" not in text and "\x07" not in text
    row = _rows(text)[0]
    assert row["title"] == "T␛]52;c;x␇" and row["quote_text"] == "a␛[2Jb\tc\r\nd"


def test_csv_without_notes_has_no_notes_column(mini: Dataset) -> None:
    notes, _ = _annotations(mini)
    text = export_events(mini, mini.events[:1], _opts("csv", include_notes=False), notes)
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert "notes" not in header and "=1+2" not in text


# -- TimelineJS --------------------------------------------------------------------------------

def _check_date(obj: dict[str, Any]) -> None:
    """A TimelineJS date object: year required; month, day... optional numbers."""
    assert isinstance(obj["year"], int)
    assert set(obj) <= {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}
    if "month" in obj:
        assert 1 <= obj["month"] <= 12
    if "day" in obj:
        assert "month" in obj and 1 <= obj["day"] <= 31


def _check_slide(slide: dict[str, Any], *, title: bool = False) -> None:
    allowed = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink",
               "unique_id"}
    assert set(slide) <= allowed
    if not title:
        _check_date(slide["start_date"])
    if "end_date" in slide:
        _check_date(slide["end_date"])
    if "text" in slide:
        assert set(slide["text"]) <= {"headline", "text"}
        assert all(isinstance(v, str) for v in slide["text"].values())


def test_timelinejs_has_the_documented_fields(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    doc = json.loads(export_events(mini, mini.events, _opts("timelinejs"), notes, links))
    assert set(doc) <= {"events", "title", "eras", "scale"} and isinstance(doc["events"], list)
    assert doc["scale"] in ("human", "cosmological")
    _check_slide(doc["title"], title=True)
    for slide in doc["events"]:
        _check_slide(slide)
    for era in doc["eras"]:
        _check_date(era["start_date"])
        _check_date(era["end_date"])
        assert set(era) <= {"start_date", "end_date", "text"}
    ids = [s["unique_id"] for s in doc["events"]]
    assert ids == [e.id for e in mini.events] and len(set(ids)) == len(ids)
    by_id = {s["unique_id"]: s for s in doc["events"]}
    rebuild = by_id["1950-1953-rebuild"]
    # an interval of years ends on the last day of its last year, not on 1 January of it
    assert rebuild["start_date"] == {"year": 1950, "month": 1, "day": 1, "display_date": "1950"}
    assert rebuild["end_date"] == {"year": 1953, "month": 12, "day": 31, "display_date": "1953"}
    assert by_id["2010-05-08-parade"]["start_date"] == {"year": 2010, "month": 5, "day": 8, "display_date": "8 May 2010"}
    assert "end_date" not in by_id["2010-05-08-parade"]  # a single day is a point
    ships = by_id["1945-08-ships-return"]
    # a month-only event spans its month; the era it lies in ends after it
    assert ships["start_date"] == {"year": 1945, "month": 8, "day": 1, "display_date": "August 1945"}
    assert ships["end_date"] == {"year": 1945, "month": 8, "day": 31, "display_date": "August 1945"}
    assert ships["display_date"] == "August 1945"
    assert ships["group"] == "War years"
    war = next(era for era in doc["eras"] if era["text"]["headline"] == "War years")
    assert (war["end_date"]["year"], war["end_date"]["month"], war["end_date"]["day"]) >= (1945, 8, 31)


def test_timelinejs_places_every_date_at_its_precision() -> None:
    """Both ends to the day (TimelineJS drops an end whose fields match every field of the start, which
    would put a year-only event on 1 January), each worded at its own precision."""
    from timeline_tui.core.dates import parse_edtf
    from timeline_tui.core.export.timelinejs import extent

    def day(y: int, m: int, d: int, shown: str) -> dict[str, Any]:
        return {"year": y, "month": m, "day": d, "display_date": shown}

    assert extent(parse_edtf("1945")) == {"start_date": day(1945, 1, 1, "1945"), "end_date": day(1945, 12, 31, "1945")}
    assert extent(parse_edtf("2024-02")) == {"start_date": day(2024, 2, 1, "February 2024"),
                                             "end_date": day(2024, 2, 29, "February 2024")}
    assert extent(parse_edtf("2010-05-09")) == {"start_date": day(2010, 5, 9, "9 May 2010")}
    assert extent(parse_edtf("1937-07/1945")) == {"start_date": day(1937, 7, 1, "July 1937"),
                                                  "end_date": day(1945, 12, 31, "1945")}
    assert extent(parse_edtf("2025-05-07/2025-05-10"))["end_date"] == day(2025, 5, 10, "10 May 2025")
    assert extent(parse_edtf("2005~"))["start_date"]["display_date"] == "c. 2005"


def test_timelinejs_escapes_html(mini: Dataset) -> None:
    notes, links = _annotations(mini)
    mini.events[0] = replace(mini.events[0], title="<b>bold</b> & co")
    doc = json.loads(export_events(mini, mini.events[:1], _opts("timelinejs"), notes, links))
    slide = doc["events"][0]
    assert slide["text"]["headline"] == "&lt;b&gt;bold&lt;/b&gt; &amp; co"
    body = slide["text"]["text"]
    assert "<script" not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "# heading" in body and "<br>" in body  # the note's line break kept as <br>


# -- shared behaviour --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_deterministic(mini: Dataset, fmt: str) -> None:
    notes, links = _annotations(mini)
    one = export_events(mini, mini.events, _opts(fmt), notes, links)
    two = export_events(mini, list(reversed(mini.events)), _opts(fmt), notes, links)
    assert one == two


@pytest.mark.parametrize("fmt", FORMATS)
def test_lone_surrogates_in_old_notes_become_replacement_characters(mini: Dataset, fmt: str) -> None:
    """Notes saved from undecodable input may hold lone surrogates; the export must still be valid UTF-8."""
    event = mini.events[0]
    text = mini.source_text("harbour")
    assert text is not None
    quote, position = make_selectors(text, 64, 86)
    notes = {event.id: [Note(1, event.id, "bad \udcff byte", "2025-01-01T10:00:00Z", "2025-01-01T10:00:00Z")]}
    links = {event.id: [Link(1, event.id, "harbour", quote, position, "2025-01-01T00:00:00Z", "why \ud800")]}
    out = export_events(mini, [event], _opts(fmt), notes, links)
    out.encode("utf-8")  # would raise on a lone surrogate
    if fmt != "svg":  # the picture alone shows no notes or links
        assert "\ufffd" in out
    if fmt == "csv":
        assert "bad \ufffd byte" in out


def test_generated_time_is_shown_in_utc(mini: Dataset) -> None:
    plus2 = datetime(2025, 5, 9, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    md = export_events(mini, mini.events[:1], ExportOptions(generated=plus2))
    assert "Generated 2025-05-09 12:00:00 UTC." in md


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        ExportOptions(format="docx")
    with pytest.raises(ValueError, match="folder"):  # written by export_dataset, not as text
        ExportOptions(format="dataset")
    assert set(ALL_FORMATS) == set(FORMATS) | {"dataset"} and "dataset" not in FORMATS


def test_default_export_path_and_extension_swap() -> None:
    assert default_export_path("md", date(2025, 5, 9)) == Path("timeline-export-2025-05-09.md")
    assert default_export_path("timelinejs", date(2025, 5, 9)).name == "timeline-export-2025-05-09.timeline.json"
    assert default_export_path("dataset", date(2025, 5, 9)) == Path("timeline-export-2025-05-09")  # a folder
    assert len(set(EXTENSIONS.values())) == len(ALL_FORMATS)
    assert swap_extension("out/x.md", "md", "csv") == "out/x.csv"
    assert swap_extension("x.json", "json", "timelinejs") == "x.timeline.json"
    assert swap_extension("x.timeline.json", "timelinejs", "json") == "x.json"
    assert swap_extension("x.timeline.json", "json", "md") == "x.timeline.json"
    assert swap_extension("notes.txt", "md", "csv") == "notes.txt"
    assert swap_extension("out/x.md", "md", "dataset") == "out/x"  # a folder has no ending
    assert swap_extension("out/x", "dataset", "csv") == "out/x.csv"
    assert swap_extension("out/", "dataset", "csv") == "out/"


def test_build_export_reads_notes_and_links_from_the_store(mini: Dataset, tmp_path: Path) -> None:
    store = AnnotationStore.open(tmp_path / "store.json")
    try:
        a, b = mini.events[0], mini.events[2]
        store.add_note(a.id, "note on a")
        store.add_note(b.id, "note on b")
        store.add_note(mini.events[1].id, "not exported")
        text = mini.source_text("harbour")
        assert text is not None
        store.add_link(a.id, "harbour", text, 64, 86, "c")
        opts = _opts("json")
        doc = json.loads(build_export(mini, store, [b.id, a.id], opts))
        assert [e["id"] for e in doc["events"]] == [a.id, b.id]
        assert [n["text"] for n in doc["events"][0]["notes"]] == ["note on a"]
        assert [n["text"] for n in doc["events"][1]["notes"]] == ["note on b"]
        assert len(doc["events"][0]["links"]) == 1 and "not exported" not in json.dumps(doc)
        # same arguments, same bytes as calling the exporter with the gathered mappings
        direct = export_events(
            mini, [a, b], opts, {a.id: store.notes(a.id), b.id: store.notes(b.id)}, {a.id: store.links(a.id)}
        )
        assert build_export(mini, store, [a.id, b.id], opts) == direct
        with pytest.raises(UnknownEvents) as err:
            build_export(mini, store, [a.id, "nope", "gone"], opts)
        assert err.value.ids == ["nope", "gone"]
        assert build_export(mini, None, [a.id], _opts("md")).count("Your notes") == 0
    finally:
        store.close()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_count_line_agrees_with_its_noun(mini: Dataset, fmt: str) -> None:
    assert "Exported 1 of 6 events from" in export_events(mini, mini.events[:1], _opts(fmt))
    mini.events[1:] = []
    assert "Exported 1 of 1 event from" in export_events(mini, mini.events, _opts(fmt))

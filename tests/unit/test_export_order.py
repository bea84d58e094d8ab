"""One order everywhere, over generated datasets: the timeline's event rows, ``list --json`` and every export format.

Hypothesis writes small datasets to a temporary folder — dates crowded into a few years so that many
share a first day, a month, a year, with every precision, qualifiers and intervals — and each consumer
is asked for its order through its own output: the layout's event rows, ``list --json``, Markdown's ``ID``
lines, JSON's events, CSV's rows, TimelineJS's slides, the HTML page's sections, the SVG picture's
numbered marks and the dataset export's events.json. All must equal the contract's order (first day,
last day, id).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_support import commonmark

from timeline_tui.cli import main
from timeline_tui.core.dates import EdtfDate, EdtfPoint
from timeline_tui.core.layout import build_layout
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.order import event_order_key

SOURCE = "The article. " + " ".join(f"Sentence number {i} of the source, with words." for i in range(40))


@st.composite
def points(draw: st.DrawFn) -> EdtfPoint:
    year = draw(st.integers(1944, 1946))
    month = draw(st.none() | st.integers(1, 12))
    day = None if month is None else draw(st.none() | st.sampled_from([1, 2, 15, 28]))
    return EdtfPoint(year, month, day, draw(st.sampled_from(["", "", "", "?", "~", "%"])))


@st.composite
def dates(draw: st.DrawFn) -> EdtfDate:
    start = draw(points())
    if draw(st.booleans()):
        return EdtfDate(start)
    end = draw(points())
    if end.latest < start.earliest:
        start, end = end, start
    return EdtfDate(start, end)


ids = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?", fullmatch=True)
events = st.lists(st.tuples(ids, dates(), st.integers(0, 39)), min_size=1, max_size=14, unique_by=lambda e: e[0])


def write_dataset(folder: Path, drawn: list[tuple[str, EdtfDate, int]]) -> Path:
    (folder / "sources").mkdir()
    (folder / "sources" / "a.txt").write_text(SOURCE, encoding="utf-8", newline="")
    ordered = sorted(drawn, key=lambda e: (e[1].lower, e[1].upper, e[0]))  # the contract's order
    rows = []
    for event_id, when, n in ordered:
        sentence = f"Sentence number {n} of the source"
        start = SOURCE.index(sentence)
        rows.append({"id": event_id, "date": when.edtf(), "title": f"Event {event_id}", "summary": "",
                     "tags": ["t"], "quotes": [{"source": "a", "start": start, "end": start + len(sentence),
                                                "text": sentence}]})
    doc = {"schema_version": 1, "title": "Generated", "span": {"start": "1937", "end": "2025"},
           "eras": [{"id": "war", "title": "War", "date": "1944/1945"}],
           "sources": [{"id": "a", "title": "A", "publisher": "P", "published": "2010", "path": "sources/a.txt"}],
           "events": rows}
    path = folder / "events.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def cli(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(args)) == 0
    return out.getvalue()


def export(path: Path, fmt: str, shuffled: list[str]) -> str:
    return cli("export", str(path), "--ids", ",".join(shuffled), "--format", fmt, "-o", "-")


def orders(path: Path, shuffled: list[str], folder: Path) -> dict[str, list[str]]:
    """Every consumer's order of the events, read from what it shows or writes."""
    dataset = load_dataset(path)
    layout = build_layout(dataset.events, None, dataset.span)
    found: dict[str, list[str]] = {}
    found["layout.order"] = [dataset.events[i].id for i in layout.order]
    rows = (layout.event_at(r) for r in range(len(layout)))
    found["timeline rows"] = [dataset.events[i].id for i in rows if i is not None]
    found["list --json"] = [e["id"] for e in json.loads(cli("list", str(path), "--json"))]
    md = export(path, "md", shuffled)
    tokens = commonmark().parse(md)
    found["md ID lines"] = [line.rsplit("*ID:* ", 1)[1] for line in md.splitlines() if "*ID:* " in line]
    found["md headings"] = [tokens[i + 1].content.rsplit("Event ", 1)[1] for i, t in enumerate(tokens)
                            if t.type == "heading_open" and t.tag == "h2"]
    found["json"] = [e["id"] for e in json.loads(export(path, "json", shuffled))["events"]]
    csv_rows = csv.DictReader(io.StringIO(export(path, "csv", shuffled), newline=""))
    found["csv"] = list(dict.fromkeys(r["id"] for r in csv_rows))
    found["timelinejs"] = [s["unique_id"] for s in json.loads(export(path, "timelinejs", shuffled))["events"]]
    found["html"] = re.findall(r'<section class="event" id="event-\d+" data-id="([^"]+)"', export(path, "html", shuffled))
    marks = re.findall(r'<g class="mark[^"]*" data-n="(\d+)"[^>]*><title>\d+\. [^<]*?Event ([^<]+)</title>',
                       export(path, "svg", shuffled))
    assert [int(n) for n, _ in marks] == list(range(1, len(marks) + 1)), "marks numbered in document order"
    found["svg"] = [event_id for _, event_id in marks]
    cli("export", str(path), "--ids", ",".join(shuffled), "--format", "dataset", "-o", str(folder / "copy"))
    found["dataset"] = [e["id"] for e in json.loads((folder / "copy" / "events.json").read_text(encoding="utf-8"))["events"]]
    return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=events, data=st.data())
def test_every_consumer_lists_events_in_the_one_order(drawn: list[tuple[str, EdtfDate, int]], data: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_dataset(folder, drawn)
        expected = [e.id for e in sorted(load_dataset(path).events, key=event_order_key)]
        shuffled = data.draw(st.permutations(expected))
        found = orders(path, shuffled, folder)
    wrong = {name: ids for name, ids in found.items() if ids != expected}
    assert not wrong, f"expected {expected}, got {wrong}"

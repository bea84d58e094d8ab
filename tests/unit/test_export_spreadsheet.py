"""The CSV export opened by a real spreadsheet: LibreOffice Calc (headless) reads it and saves it as .xlsx, which
openpyxl reads back cell by cell.

Calc is told to evaluate formulas while importing (the dangerous setting a user may have on), so a cell that
it would run shows up as a formula: none may. Every quote, title and note must arrive as its text — with the
leading apostrophe the formula defence adds where the text starts with ``= + - @`` — line breaks, curly quotes
and CJK included; one row per quote, in the export's order. SKIPPED with the reason where LibreOffice
(``apt-get install libreoffice-calc-nogui``; ``.ci/run`` installs it) or openpyxl is missing.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from timeline_tui.cli import main
from timeline_tui.core.loader import load_dataset
from timeline_tui.core.store import AnnotationStore

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: Calc's CSV import options: comma, double quote, UTF-8 (76), from line 1, default column types, default
#: language, quoted fields not forced to text, no special-number detection, (3 export-only fields), all sheets,
#: and the 13th: evaluate formulas.
CSV_IMPORT = "CSV:44,34,76,1,,0,false,false,false,false,false,-1,true"

#: one passage per event, in chronological order
PARAGRAPHS = [
    ("1945", "@dispatch: peace was declared in 1945."),
    ("1945-05-09", "=SUM(1;2) was the clerk's first formula, typed on 9 May 1945."),
    ("1945-08", "+7 ships came back in August 1945, the log says."),
    ("1946-01", "-10 degrees froze the harbour in January 1946."),
    ("1950", "A “curly” quote, a non\u00a0breaking space and 中文 in 1950.\nIt goes on on a second line."),
]
FORMULA_START = ("=", "+", "-", "@")


def _dataset(folder: Path) -> Path:
    folder.mkdir()
    (folder / "sources").mkdir()
    text = "Formula test article\n\n" + "\n\n".join(para for _, para in PARAGRAPHS) + "\n"
    (folder / "sources" / "a.txt").write_bytes(text.encode("utf-8"))
    events = []
    for i, (when, para) in enumerate(PARAGRAPHS):
        start = text.index(para)
        events.append({
            "id": f"e{i}", "date": when, "title": "=HYPERLINK(\"http://example.com\",\"click\")" if i == 0 else f"Event {i}",
            "summary": "Two lines\nof summary", "tags": ["@tag", "plain"],
            "quotes": [{"source": "a", "start": start, "end": start + len(para), "text": para}],
        })
    doc = {
        "schema_version": 1, "title": "Spreadsheet test", "span": {"start": "1937", "end": "2025"},
        "sources": [{"id": "a", "title": "=A1 title", "publisher": "Test Wire", "published": "2010-05-09",
                     "path": "sources/a.txt"}],
        "events": events,
    }
    (folder / "events.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder / "events.json"


def expected(text: str) -> str:
    """What a cell holds: the text, after the formula defence's apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _read_xlsx(path: Path) -> list[list[Any]]:
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed (pip install -e '.[dev]')")
    sheet = openpyxl.load_workbook(path).active
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == [], f"cells run as formulas: {formulas}"
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui; "
                                            ".ci/run installs it)")
def test_libreoffice_reads_every_quote_as_text_and_runs_no_formula(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    events = _dataset(tmp_path / "data")
    dataset = load_dataset(events)
    notes = {"e0": "=1+1", "e2": "line one\nline two, “quoted”"}
    with AnnotationStore.open(tmp_path / "notes-store.json") as store:  # $TIMELINE_TUI_NOTES in tests
        for event_id, text in notes.items():
            store.add_note(event_id, text)
    target = tmp_path / "timeline.csv"
    assert main(["export", str(events), "--all", "--format", "csv", "-o", str(target)]) == 0
    capsys.readouterr()
    ours = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))

    assert SOFFICE is not None
    done = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
         "--convert-to", "xlsx", f"--infilter={CSV_IMPORT}", "--outdir", str(tmp_path), str(target)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0 and (tmp_path / "timeline.xlsx").is_file(), done.stderr
    sheet = _read_xlsx(tmp_path / "timeline.xlsx")

    header = sheet[0]
    assert header == ours[0]
    rows = [dict(zip(header, row, strict=True)) for row in sheet[1:]]
    by_order = list(dataset.events)
    assert [e.id for e in by_order] == [f"e{i}" for i in range(len(PARAGRAPHS))]
    assert [r["id"] for r in rows] == [e.id for e in by_order], "one row per quote, in the export's order"
    for row, event in zip(rows, by_order, strict=True):
        (quote,) = event.quotes
        assert row["quote_text"] == expected(quote.text)  # as a string, line breaks and all
        assert row["title"] == expected(event.title)
        assert row["summary"] == "Two lines\nof summary"
        assert row["tags"] == "'@tag; plain"
        assert row["source_title"] == "'=A1 title"
        assert (row["quote_start"], row["quote_end"]) == (quote.start, quote.end)  # numbers to Calc
        assert row["notes"] == (expected(notes[event.id]) if event.id in notes else None)
        assert str(row["display_date"]) == event.date.display()  # "1945" arrives as the number 1945

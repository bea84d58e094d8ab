"""The baseline: what a Textual developer would write first — every event as a row of a ``DataTable``.

    python benchmarks/baseline_app.py EVENTS_JSON

It loads the dataset with the project's own loader (so load costs are identical and the
comparison isolates the UI), then adds one ``DataTable`` row per event with four columns: the
date (``EdtfDate.display()``), the title, the tags and the source ids. Keys, on top of the
table's own arrows/PgUp/PgDn/Home/End:

- ``j``/``k`` cursor down/up, ``g``/``G`` first/last row;
- ``]``/``[`` next/previous year: a linear scan from the cursor for the first row of another year;
- ``/`` shows an ``Input`` at the bottom; ``enter`` searches — a linear scan, from the row after
  the cursor and wrapping round, for the first event whose title, summary, tags, date basis or
  quote texts contain the case-folded term — moves the cursor there and hides the input again
  (``escape`` hides it without searching); the match (or "no match") is shown in a status line;
- ``q`` quits.

Cells are plain ``str`` (DataTable parses them as markup, as it does for any developer who
passes strings; the synthetic data contains no square brackets).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding, BindingType  # noqa: E402
from textual.widgets import DataTable, Input, Static  # noqa: E402

from timeline_tui.core.loader import load_dataset  # noqa: E402
from timeline_tui.core.model import Dataset, Event  # noqa: E402


def haystack(event: Event) -> str:
    """The text the baseline search looks in (the same fields as the app's search)."""
    parts = [event.title, event.summary, " ".join(event.tags), event.date_basis, *(q.text for q in event.quotes)]
    return "\n".join(parts)


def find_next(events: list[Event], term: str, after: int) -> int | None:
    """First event after row ``after`` (wrapping) whose text contains ``term``, case-folded; a linear scan."""
    needle = term.casefold()
    n = len(events)
    for step in range(1, n + 1):
        i = (after + step) % n
        if needle in haystack(events[i]).casefold():
            return i
    return None


def find_all(events: list[Event], term: str) -> list[int]:
    """Every matching row, by the same linear scan (used to time the baseline's search in the core)."""
    needle = term.casefold()
    return [i for i, e in enumerate(events) if needle in haystack(e).casefold()]


class BaselineApp(App[int]):
    """A DataTable of every event with vim-ish keys and a simple search."""

    CSS = """
    DataTable { height: 1fr; }
    #search { dock: bottom; display: none; }
    #status { dock: bottom; height: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "down", "Down"),
        Binding("k", "up", "Up"),
        Binding("g", "first", "First"),
        Binding("G", "last", "Last"),
        Binding("right_square_bracket", "next_year", "Next year"),
        Binding("left_square_bracket", "previous_year", "Previous year"),
        Binding("slash", "search", "Search"),
        Binding("escape", "hide_search", "Close search", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="table")
        yield Static("", id="status")
        yield Input(placeholder="search…", id="search")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Title", "Tags", "Sources")
        table.add_rows(
            (e.date.display(), e.title, ", ".join(e.tags), ", ".join(e.source_ids)) for e in self.dataset.events
        )
        table.focus()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one(DataTable)

    def action_down(self) -> None:
        self.table.action_cursor_down()

    def action_up(self) -> None:
        self.table.action_cursor_up()

    def action_first(self) -> None:
        self.table.move_cursor(row=0)

    def action_last(self) -> None:
        self.table.move_cursor(row=len(self.dataset.events) - 1)

    def _year(self, row: int) -> int:
        return self.dataset.events[row].date.lower.year

    def action_next_year(self) -> None:
        row = self.table.cursor_row
        year = self._year(row)
        for i in range(row + 1, len(self.dataset.events)):
            if self._year(i) != year:
                self.table.move_cursor(row=i)
                return

    def action_previous_year(self) -> None:
        row = self.table.cursor_row
        if row == 0:
            return
        year = self._year(row - 1) if self._year(row) != self._year(row - 1) else self._year(row)
        i = row - 1
        while i > 0 and self._year(i - 1) == year:
            i -= 1
        self.table.move_cursor(row=i)

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.value = ""
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        status = self.query_one("#status", Static)
        term = event.value.strip()
        if term:
            found = find_next(self.dataset.events, term, self.table.cursor_row)
            if found is None:
                status.update(f"no match for {term!r}")
            else:
                self.table.move_cursor(row=found)
                status.update(f"{term!r}: row {found + 1}")
        self.table.focus()

    def action_hide_search(self) -> None:
        self.query_one("#search", Input).display = False
        self.table.focus()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: baseline_app.py EVENTS_JSON", file=sys.stderr)
        return 2
    dataset = load_dataset(Path(args[0]))
    return BaselineApp(dataset).run() or 0


if __name__ == "__main__":
    raise SystemExit(main())

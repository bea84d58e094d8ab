"""The ``f`` dialog: narrow the timeline to tags, sources, eras and annotated events, with a live count."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, SelectionList, Static
from textual.widgets.selection_list import Selection

from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter
from timeline_tui.ui.dialogs.dialog import Dialog, hint_for
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal


class FilterScreen(Dialog[Filter | None]):
    """Choose tags, sources and eras (any of each) and whether only annotated events show; dismiss with
    the new Filter, or None to keep the old."""

    KEY_SCOPE = "filter"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    FilterScreen > .dialog { width: 96; }
    FilterScreen #filter-lists { layout: horizontal; height: auto; max-height: 20; }
    FilterScreen SelectionList { width: 1fr; height: auto; max-height: 18; border: round $primary 40%; }
    FilterScreen SelectionList:focus { border: round $accent; }
    FilterScreen #filter-annotated { margin: 0 1; }
    FilterScreen #filter-count { color: $text-accent; margin: 0 1; }
    FilterScreen #filter-buttons { height: auto; align-horizontal: right; }
    FilterScreen Button { margin-left: 1; min-width: 10; }
    FilterScreen.-narrow > .dialog { height: 100%; }
    FilterScreen.-narrow #filter-lists { layout: vertical; height: 1fr; max-height: 100%; }
    FilterScreen.-narrow SelectionList { width: 100%; max-height: 8; }
    FilterScreen.-narrow #filter-count { margin: 0; }
    """

    def __init__(self, dataset: Dataset, current: Filter, count: Callable[[Filter], int]) -> None:
        super().__init__()
        self.dataset = dataset
        self.current = current
        self._count = count

    def compose(self) -> ComposeResult:
        ds = self.dataset
        with Vertical(classes="dialog") as box:
            box.border_title = "Filter events"
            box.border_subtitle = " · ".join((
                "space toggles", hint_for(self, "filter.apply", "applies", every=True),
                hint_for(self, "filter.clear", "clears"), hint_for(self, "filter.cancel", "cancels")))
            with VerticalScroll(id="filter-lists", can_focus=False):
                tags = SelectionList[str](
                    *(Selection(literal("#" + t), t, t in self.current.tags) for t in ds.tags), id="filter-tags"
                )
                tags.border_title = "Tags"
                yield tags
                sources = SelectionList[str](
                    *(
                        Selection(literal(f"[{n}] {s.publisher}: {s.title}"), s.id, s.id in self.current.sources)
                        for n, s in enumerate(ds.sources.values(), start=1)
                    ),
                    id="filter-sources",
                )
                sources.border_title = "Sources"
                yield sources
                eras = SelectionList[str](
                    *(Selection(literal(f"{e.title} ({e.date.display()})"), e.id, e.id in self.current.eras)
                      for e in ds.eras),
                    id="filter-eras",
                )
                eras.border_title = "Eras"
                yield eras
            yield Checkbox("Only annotated events ✎", self.current.annotated_only,
                           id="filter-annotated", compact=True)
            yield Static(id="filter-count")
            with Horizontal(id="filter-buttons"):
                yield Button("Clear", id="filter-clear-button", compact=True)
                yield Button("Cancel", id="filter-cancel-button", compact=True)
                yield Button("Apply", id="filter-apply-button", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 80 or self.app.size.height < 24, "-narrow")
        self._update_count()

    def chosen(self) -> Filter:
        """The filter as currently ticked (other fields of the current filter are kept)."""
        def values(sel: str) -> frozenset[str]:
            return frozenset(self.query_one(sel, SelectionList).selected)

        return Filter(
            tags=values("#filter-tags"),
            sources=values("#filter-sources"),
            eras=values("#filter-eras"),
            date_from=self.current.date_from,
            date_to=self.current.date_to,
            annotated_only=self.query_one("#filter-annotated", Checkbox).value,
            query=self.current.query,
            ids=self.current.ids,
        )

    def _update_count(self) -> None:
        flt = self.chosen()
        n = self._count(flt)
        total = len(self.dataset.events)
        self.query_one("#filter-count", Static).update(
            literal(f"{n} of {total} events match — {flt.describe()}")
        )

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self._update_count()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._update_count()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "filter-apply-button":
            self.action_apply()
        elif event.button.id == "filter-cancel-button":
            self.action_cancel()
        elif event.button.id == "filter-clear-button":
            self.action_clear()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        for sel in ("#filter-tags", "#filter-sources", "#filter-eras"):
            self.query_one(sel, SelectionList).deselect_all()
        self.query_one("#filter-annotated", Checkbox).value = False
        self._update_count()

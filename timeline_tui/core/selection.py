"""The events a user has selected, and a range being chosen with ``V``: a pure value, no Textual.

A :class:`Selection` is immutable: every change returns a new one, so the screen can compare
before and after, save it in a worker and test it without a terminal. Event positions come from
a :class:`~timeline_tui.core.layout.TimelineLayout` (what is shown, in display order); ids from
the dataset's events (``ids[i]`` is the id of dataset event ``i``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from timeline_tui.core.layout import TimelineLayout

IndexOf = Callable[[str], int | None]


@dataclass(frozen=True)
class Selection:
    """Selected event ids, and where a range began (a dataset event index) while one is being chosen."""

    ids: frozenset[str] = field(default_factory=frozenset)
    range_start: int | None = None

    # -- reading ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    @property
    def ranging(self) -> bool:
        """True while a range is being chosen (between ``V`` and taking or cancelling it)."""
        return self.range_start is not None

    def range_ids(self, layout: TimelineLayout, ids: Sequence[str], position: int) -> list[str]:
        """Ids of the shown events from where the range began to the ``position``-th shown event, in order.

        Empty when no range is being chosen or its first event is not shown (filtered out since).
        """
        if self.range_start is None or not layout.event_count:
            return []
        row = layout.row_of_event(self.range_start)
        if row is None:
            return []
        a = layout.position_of_row(row)
        b = max(0, min(position, layout.event_count - 1))
        lo, hi = min(a, b), max(a, b)
        return [ids[layout.order[k]] for k in range(lo, hi + 1)]

    def ordered(self, index_of: IndexOf) -> list[str]:
        """The selected ids in the dataset's (chronological) order; unknown ids last, by id."""
        known = [(k, i) for i in self.ids if (k := index_of(i)) is not None]
        unknown = sorted(i for i in self.ids if index_of(i) is None)
        return [i for _k, i in sorted(known)] + unknown

    def shown(self, layout: TimelineLayout, index_of: IndexOf) -> tuple[list[str], int]:
        """The selected events the layout shows (chronological), and how many it hides."""
        shown = [i for i in self.ordered(index_of)
                 if (k := index_of(i)) is not None and layout.row_of_event(k) is not None]
        return shown, len(self.ids) - len(shown)

    # -- changing -----------------------------------------------------------------------------------
    def toggled(self, event_id: str) -> Selection:
        """``event_id`` unselected if it was selected, else selected."""
        return replace(self, ids=self.ids ^ {event_id})

    def adding(self, event_ids: Iterable[str]) -> Selection:
        return replace(self, ids=self.ids | frozenset(event_ids))

    def only(self, event_ids: Iterable[str]) -> Selection:
        """Exactly ``event_ids`` selected (a range being chosen goes on)."""
        return replace(self, ids=frozenset(event_ids))

    def cleared(self) -> Selection:
        """Nothing selected, no range."""
        return Selection()

    def starting_range(self, index: int) -> Selection:
        """A range begins at dataset event ``index``."""
        return replace(self, range_start=index)

    def without_range(self) -> Selection:
        """The range being chosen is cancelled (the selection stays)."""
        return replace(self, range_start=None)

    def taking_range(self, layout: TimelineLayout, ids: Sequence[str], position: int) -> tuple[Selection, int]:
        """The range (see :meth:`range_ids`) added to the selection, and how many events that added."""
        chosen = frozenset(self.range_ids(layout, ids, position))
        return Selection(self.ids | chosen), len(chosen - self.ids)

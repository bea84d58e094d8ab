"""The one order of events everywhere: the data contract's (interval start, then end, then id).

events.json must list events in this order (the loader checks it), so a dataset's position of an
event *is* its rank; the timeline's rows, ``list``, ``notes list``, every export format and the
extractor's output all follow it. Anything that holds events outside a dataset sorts them with
:func:`event_order_key`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from timeline_tui.core.model import Event

OrderKey = tuple[date, date, str]


def event_order_key(event: Event) -> OrderKey:
    """``(first day, last day, id)``: the chronological order of the data contract."""
    return (event.date.lower, event.date.upper, event.id)


def sort_events(events: Iterable[Event]) -> list[Event]:
    """``events`` in the one chronological order."""
    return sorted(events, key=event_order_key)

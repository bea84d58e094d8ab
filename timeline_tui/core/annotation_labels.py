"""Short human labels for the user's notes: when a note was written, its first line."""

from __future__ import annotations

from datetime import datetime

from timeline_tui.core.annotations import Note
from timeline_tui.core.dates import MONTH_NAMES


def local_time(stamp: str) -> str:
    """An ISO 8601 time as ``9 May 2025, 14:02`` in local time (unreadable stamps as they are)."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {MONTH_NAMES[when.month - 1][:3]} {when.year}, {when:%H:%M}"


def note_label(note: Note) -> str:
    """``9 May 2025, 14:02`` (with "edited" when changed since it was written)."""
    label = local_time(note.updated)
    return label + " (edited)" if note.updated != note.created else label


def first_line(text: str, limit: int = 60) -> str:
    """The first non-blank line of ``text``, cut to ``limit`` characters."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"

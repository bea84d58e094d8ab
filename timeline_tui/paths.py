"""Where the bundled dataset lives: the repository root in a checkout, package data when installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def default_events_path() -> Path:
    """The bundled events.json (``timeline_tui/data/`` in a wheel, the repo root in a checkout)."""
    installed = _PACKAGE / "data" / "events.json"
    if installed.is_file():
        return installed
    return _PACKAGE.parent / "events.json"

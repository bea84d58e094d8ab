"""timeline_tui: a keyboard-driven terminal timeline of dated events backed by verbatim source quotes."""

__version__ = "0.1.0"

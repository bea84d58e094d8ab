"""Reusable widgets: the timeline view, overview strip, detail pane."""

"""Moved to the core; this module only re-exports it for the UI until its imports are updated.

* :class:`~timeline_tui.core.annotation_state.AnnotationState` — the store's immutable snapshot;
* :func:`~timeline_tui.core.anchoring.anchor_link`, :func:`~timeline_tui.core.anchoring.linked_text`;
* :func:`~timeline_tui.core.annotation_labels.local_time`, ``note_label``, ``first_line``.

``StateSource`` is no longer needed: an ``AnnotationState`` is itself what the exporter reads.
"""

from __future__ import annotations

from timeline_tui.core.anchoring import anchor_link, linked_text
from timeline_tui.core.annotation_labels import first_line, local_time, note_label
from timeline_tui.core.annotation_state import AnnotationState

__all__ = ["AnnotationState", "StateSource", "anchor_link", "first_line", "linked_text", "local_time", "note_label"]


class StateSource:
    """An :class:`AnnotationState` for the exporter (pass the state itself instead; kept for old callers)."""

    def __init__(self, state: AnnotationState) -> None:
        self.state = state

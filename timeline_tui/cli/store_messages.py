"""What the commands say about the notes store (shared by ``notes``, ``export`` and the app)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore


def damaged_store_message(store: AnnotationStore) -> str:
    """Why a command that only reads stops on a damaged notes store, and what will happen to it."""
    return (f"the notes store {store.path} cannot be read: {store.damage}. It was left as it is; the app or "
            f"`timeline-tui notes add`/`rm` moves it aside to {store.path.name}.corrupt-<time> on the next change.")

"""Pilot tests never touch a real clipboard: no X11, Wayland or tmux session is visible to them
(a test that copies puts its own fake tool on ``PATH`` and sets what that tool needs)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_real_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)

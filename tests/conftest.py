"""Shared fixtures: paths to the shipped data and to small test datasets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from timeline_tui.core.loader import load_dataset
from timeline_tui.core.model import Dataset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def mini_path(tmp_path: Path) -> Path:
    """A private copy of the mini dataset (6 events, 2 sources), safe to modify."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest / "events.json"


@pytest.fixture
def mini(mini_path: Path) -> Dataset:
    return load_dataset(mini_path)


@pytest.fixture(autouse=True)
def _isolated_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user-data or config directory from a test (no user keymap either)."""
    monkeypatch.setenv("TIMELINE_TUI_NOTES", str(tmp_path / "notes-store.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("TIMELINE_TUI_KEYMAP", raising=False)

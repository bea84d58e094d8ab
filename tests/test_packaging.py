"""A non-editable install outside the repo finds its bundled events.json and sources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("timeline_tui-*.whl"))


def test_wheel_bundles_data_and_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "timeline-tui = timeline_tui.cli:main" in zf.read(entry_points).decode()
    assert "timeline_tui/data/events.json" in names
    assert "timeline_tui/web/templates/app_index.html" in names, "the page `serve` sends"
    shipped = {p.name for p in (ROOT / "sources").glob("*.txt")}
    assert shipped and {f"timeline_tui/data/sources/{n}" for n in shipped} <= names


def test_installed_copy_validates_its_bundled_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-m", "timeline_tui", "validate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert str(target / "timeline_tui" / "data" / "events.json") in result.stdout

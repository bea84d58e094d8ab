"""The pure core must import with ``textual`` made unimportable (the UI only calls into it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name == "textual" or name.startswith("textual.") or name == "rich" or name.startswith("rich."):
                raise ImportError(f"{name} is blocked: the core must not import the UI toolkit")
            return None

    sys.meta_path.insert(0, Block())
    import timeline_tui.core as core
    imported = []
    for info in pkgutil.walk_packages(core.__path__, "timeline_tui.core."):
        importlib.import_module(info.name)
        imported.append(info.name)
    importlib.import_module("timeline_tui.paths")
    leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    assert not leaked, leaked
    print(len(imported))
    """
)


def test_core_imports_without_textual() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 8  # dates, model, loader, search, quote, textsafe, atomicio, annotations, ...


def test_blocker_really_blocks() -> None:
    """Guard against a check that cannot fail: the same blocker stops a textual import."""
    probe = SCRIPT.split("import timeline_tui.core")[0] + "import textual\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode != 0
    assert "blocked" in result.stderr

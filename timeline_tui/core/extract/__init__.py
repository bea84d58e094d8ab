"""Find dated events in news articles: temporal expressions, boilerplate removal, candidates, evaluation.

The names below are loaded on first use, so importing one submodule (the source viewer uses the
sentence splitter) does not load the whole extractor.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["Article", "Candidate", "Extraction", "extract", "find_published", "read_article"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("timeline_tui.core.extract.candidates"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

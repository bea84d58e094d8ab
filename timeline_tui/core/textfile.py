"""Read a source text exactly as stored (UTF-8, newlines untouched), with one readable error message."""

from __future__ import annotations

from pathlib import Path


class TextFileError(Exception):
    """A text file cannot be read as UTF-8; ``missing`` marks a file that does not exist."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def read_exact_text(path: Path | str) -> str:
    """The file's text with code-point offsets intact (no newline translation), or :class:`TextFileError`."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise TextFileError(f"{path} not found", missing=True) from None
    except IsADirectoryError:
        raise TextFileError(f"{path} is a directory, not a text file") from None
    except UnicodeDecodeError as exc:
        raise TextFileError(f"{path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise TextFileError(f"cannot read {path}: {exc.strerror}") from None

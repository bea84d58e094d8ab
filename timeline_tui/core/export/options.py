"""What an export contains and how it is labelled: :class:`ExportOptions` and the format list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

#: Formats written as one text file (:func:`timeline_tui.core.export.build_export`); the app's export
#: dialog offers these.
FORMATS = ("md", "json", "csv", "timelinejs", "html", "svg")
#: Formats written as a folder (:func:`timeline_tui.core.export.export_dataset`): ``export --format
#: dataset -o DIR``. Not in :data:`FORMATS`: the app's export dialog writes one file, and its path
#: checks, overwrite question and writer are a file's.
FOLDER_FORMATS = ("dataset",)
#: Every format ``timeline-tui export --format`` takes.
ALL_FORMATS = FORMATS + FOLDER_FORMATS

#: File name ending per format (TimelineJS is JSON too, so it gets its own double extension; a folder none).
EXTENSIONS = {
    "md": ".md", "json": ".json", "csv": ".csv", "timelinejs": ".timeline.json", "html": ".html", "svg": ".svg",
    "dataset": "",
}

#: Human names, for the dialog and help texts.
FORMAT_LABELS = {
    "md": "Markdown",
    "json": "JSON",
    "csv": "CSV",
    "timelinejs": "TimelineJS",
    "html": "HTML page",
    "svg": "SVG picture",
    "dataset": "Dataset folder",
}


@dataclass(frozen=True)
class ExportOptions:
    """Format, what to include, and the header's filter line and generation time.

    ``generated`` is fixed by tests so the output is reproducible; ``None`` means now (UTC).
    """

    format: str = "md"
    include_quotes: bool = True
    include_notes: bool = True
    include_links: bool = True
    filter_description: str = ""
    generated: datetime | None = None

    def __post_init__(self) -> None:
        if self.format in FOLDER_FORMATS:
            raise ValueError(f"the {self.format!r} format is a folder: write it with export_dataset, not as text")
        if self.format not in FORMATS:
            raise ValueError(f"unknown export format {self.format!r} (choose from {', '.join(FORMATS)})")

    def generated_utc(self) -> datetime:
        """The generation time in UTC (a naive time is taken to be UTC already)."""
        when = self.generated or datetime.now(UTC)
        if when.tzinfo is None:
            return when.replace(tzinfo=UTC)
        return when.astimezone(UTC)

    def generated_text(self) -> str:
        """``2025-05-09 12:00:00 UTC``."""
        return self.generated_utc().strftime("%Y-%m-%d %H:%M:%S UTC")

    def generated_iso(self) -> str:
        """``2025-05-09T12:00:00Z``."""
        return self.generated_utc().strftime("%Y-%m-%dT%H:%M:%SZ")

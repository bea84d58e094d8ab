"""Dataclasses for the timeline: Source, Era, Quote, Event and the Dataset that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from timeline_tui.core.dates import EdtfDate
from timeline_tui.core.textfile import TextFileError, read_source


@dataclass(frozen=True, slots=True)
class Source:
    """An article the events are drawn from; ``path`` is relative to the dataset's directory."""

    id: str
    title: str
    publisher: str
    published: EdtfDate
    path: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Era:
    """A named period drawn as a band on the timeline and used for era jumps."""

    id: str
    title: str
    date: EdtfDate


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim passage of a source at code-point offsets ``[start, end)``."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event with its verbatim quotes."""

    id: str
    date: EdtfDate
    title: str
    summary: str
    tags: tuple[str, ...]
    quotes: tuple[Quote, ...]
    date_basis: str = ""

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The distinct sources quoted, in quote order."""
        return tuple(dict.fromkeys(q.source for q in self.quotes))


@dataclass(slots=True)
class Dataset:
    """A loaded events.json: events in chronological order plus sources and eras.

    Source texts are read lazily on first use and cached (a missing file gives ``None``).
    """

    title: str
    span: EdtfDate
    sources: dict[str, Source]
    eras: tuple[Era, ...]
    events: list[Event]
    path: Path
    schema_version: int = 1
    warnings: list[str] = field(default_factory=list)
    _texts: dict[str, str | None] = field(default_factory=dict, repr=False)
    _text_errors: dict[str, str] = field(default_factory=dict, repr=False)
    _by_id: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        """Directory that source paths are relative to."""
        return self.path.parent

    def source_path(self, source_id: str) -> Path:
        """Where the source's file is said to be (for messages; read it with :meth:`source_text`)."""
        return self.root / self.sources[source_id].path

    def source_text(self, source_id: str) -> str | None:
        """The source's full text, or ``None`` if the file is missing, unreadable or refused.

        Read with :func:`~timeline_tui.core.textfile.read_source`: only a regular file inside the
        dataset's folder, within the size limit, is ever opened.
        """
        if source_id not in self._texts:
            source = self.sources.get(source_id)
            try:
                self._texts[source_id] = None if source is None else read_source(self.root, source.path)
            except TextFileError as exc:
                self._texts[source_id] = None
                self._text_errors[source_id] = str(exc)
        return self._texts[source_id]

    def source_error(self, source_id: str) -> str | None:
        """Why :meth:`source_text` gives ``None`` for this source (missing, not UTF-8, refused: outside
        the dataset's folder, not a regular file, too large), or ``None`` when the text is there."""
        if self.source_text(source_id) is not None:
            return None
        if source_id not in self.sources:
            return f"unknown source {source_id!r}"
        return self._text_errors.get(source_id, "the source file cannot be read")

    def index_of(self, event_id: str) -> int | None:
        """Position of an event in ``events`` (chronological), or ``None``."""
        if len(self._by_id) != len(self.events):
            self._by_id = {e.id: i for i, e in enumerate(self.events)}
        return self._by_id.get(event_id)

    def event(self, event_id: str) -> Event | None:
        i = self.index_of(event_id)
        return None if i is None else self.events[i]

    def era_of(self, event: Event) -> Era | None:
        """The first era whose interval contains the event's start, if any."""
        for era in self.eras:
            if era.date.contains(event.date.lower):
                return era
        return None

    def eras_of(self, event: Event) -> tuple[Era, ...]:
        """Every era the event's date overlaps (what the era filter matches), in dataset order."""
        return tuple(era for era in self.eras if era.date.overlaps(event.date))

    @property
    def tags(self) -> list[str]:
        """All tags in use, sorted."""
        return sorted({t for e in self.events for t in e.tags})

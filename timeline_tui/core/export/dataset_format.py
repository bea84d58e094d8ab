"""The dataset export: a folder that opens as a timeline of its own (``export --format dataset -o DIR``).

* ``DIR/events.json`` — the chosen events in the one order, the eras they overlap and the
  sources they quote (and those the exported links point into), with the dataset's title and span,
  valid under the data contract (docs/events-json.md);
* ``DIR/sources/`` — those source files, byte for byte (a file keeps its name when it is a plain
  one and no other copied file has it, else it is named after the source id), so every quote's
  offsets hold;
* ``DIR/notes.json`` — a notes store (``--notes DIR/notes.json``) holding the notes and links of
  those events with their ids and times, and the exported events as the selection.

The folder is built beside DIR under a hidden temporary name, loaded back and checked, then
renamed into place: DIR is never seen half written. DIR must not exist or must be empty; with
``force`` a non-empty DIR is replaced only if it holds nothing but what a dataset export writes,
and never if it is the folder the exported dataset comes from.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from timeline_tui.core.annotation_state import AnnotationState
from timeline_tui.core.atomicio import atomic_write_bytes, fsync_directory
from timeline_tui.core.export.gather import json_text, ordered_events
from timeline_tui.core.loader import SCHEMA_VERSION, DatasetError, load_dataset
from timeline_tui.core.model import Dataset, Event, Source
from timeline_tui.core.store import AnnotationStore, StoreError
from timeline_tui.core.store_lock import lock_path
from timeline_tui.core.textsafe import echo

EVENTS_FILE = "events.json"
NOTES_FILE = "notes.json"
SOURCES_DIR = "sources"
#: What a dataset export writes at the top of its folder (``--force`` replaces only such a folder).
WRITTEN = frozenset({EVENTS_FILE, NOTES_FILE, SOURCES_DIR, lock_path(Path(NOTES_FILE)).name})

_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
_TEMP_SUFFIX = ".tmp-timeline-tui"


class DatasetExportError(Exception):
    """The folder cannot be written; the message says why, for the user. Nothing was written."""


@dataclass(frozen=True, slots=True)
class DatasetExport:
    """What was written: the folder and how many events, eras, sources, notes and links it holds."""

    path: Path
    events: int
    eras: int
    sources: int
    notes: int
    links: int


# -- events.json ---------------------------------------------------------------------------------

def _event_json(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"id": event.id, "date": event.date.edtf()}
    if event.date_basis:
        out["date_basis"] = event.date_basis
    out["title"] = event.title
    out["summary"] = event.summary
    out["tags"] = list(event.tags)
    out["quotes"] = [{"source": q.source, "start": q.start, "end": q.end, "text": q.text} for q in event.quotes]
    return out


def _source_json(source: Source, path: str) -> dict[str, Any]:
    out = {"id": source.id, "title": source.title, "publisher": source.publisher,
           "published": source.published.edtf(), "path": path}
    if source.url:
        out["url"] = source.url
    return out


def dataset_document(dataset: Dataset, events: Sequence[Event], paths: dict[str, str]) -> dict[str, Any]:
    """events.json for ``events`` (in the one order): the dataset's title and span, the eras the events
    overlap and the sources in ``paths`` (source id → path in the new folder), in the dataset's order."""
    span = dataset.span
    eras = [era for era in dataset.eras if any(era.date.overlaps(e.date) for e in events)]
    return {
        "schema_version": SCHEMA_VERSION,
        "title": dataset.title,
        "span": {"start": span.start.edtf(), "end": (span.end or span.start).edtf()},
        "eras": [{"id": era.id, "title": era.title, "date": era.date.edtf()} for era in eras],
        "sources": [_source_json(s, paths[s.id]) for s in dataset.sources.values() if s.id in paths],
        "events": [_event_json(e) for e in events],
    }


def source_paths(dataset: Dataset, source_ids: Iterable[str]) -> dict[str, str]:
    """Where each source's file goes in the new folder: ``sources/<its file name>`` when that is a plain
    name not taken yet, else ``sources/<source id>.txt``. Sources sharing one file share its copy."""
    wanted = set(source_ids)
    by_file: dict[str, str] = {}
    taken: set[str] = set()
    out: dict[str, str] = {}
    for source in dataset.sources.values():
        if source.id not in wanted:
            continue
        original = os.path.normpath(source.path)
        if original in by_file:
            out[source.id] = by_file[original]
            continue
        name = PurePosixPath(source.path.replace("\\", "/")).name
        if not _PLAIN_NAME.fullmatch(name) or name.lower() in taken:
            name, n = f"{source.id}.txt", 1
            while name.lower() in taken:
                n += 1
                name = f"{source.id}-{n}.txt"
        taken.add(name.lower())
        out[source.id] = by_file[original] = f"{SOURCES_DIR}/{name}"
    return out


# -- the folder ----------------------------------------------------------------------------------

def _check_target(target: Path, dataset: Dataset, force: bool) -> None:
    """Refuse a destination that cannot or must not become the export's folder (before any work)."""
    if not target.name:
        raise DatasetExportError(f"{target} cannot be a dataset folder; name a new folder")
    if not target.parent.is_dir():
        raise DatasetExportError(f"directory {target.parent} does not exist; nothing was written")
    if target.is_symlink():
        raise DatasetExportError(f"{target} is a symbolic link; name a new folder")
    if not target.exists():
        return
    if not target.is_dir():
        raise DatasetExportError(f"{target} is a file; a dataset export writes a folder, name a new one")
    if any(target.iterdir()):
        if not force:
            raise DatasetExportError(f"{target} is not empty; use --force to replace an earlier dataset export there")
        _check_not_in_use(target, dataset)
        _check_replaceable(target)


def _check_not_in_use(target: Path, dataset: Dataset) -> None:
    """``--force`` never replaces the folder of the dataset being exported, or one holding its source files."""
    folder = target.resolve()
    if dataset.root.resolve().is_relative_to(folder):
        raise DatasetExportError(f"{target} holds the dataset being exported; name another folder")
    for source in dataset.sources.values():
        if Path(os.path.realpath(dataset.root / source.path)).is_relative_to(folder):
            raise DatasetExportError(f"{target} holds source files of the dataset being exported "
                                     f"({echo(source.path)}); name another folder")


def _check_replaceable(target: Path) -> None:
    """``--force`` replaces only what a dataset export wrote: events.json, notes.json and sources/ of files."""
    extra = sorted(p.name for p in target.iterdir() if p.name not in WRITTEN)
    sources = target / SOURCES_DIR
    if sources.is_symlink() or (sources.exists() and not sources.is_dir()):
        extra.append(SOURCES_DIR)
    elif sources.is_dir():
        extra += [f"{SOURCES_DIR}/{p.name}" for p in sources.iterdir() if p.is_symlink() or not p.is_file()]
    if extra:
        shown = ", ".join(echo(name, 40) for name in extra[:5]) + (" …" if len(extra) > 5 else "")
        raise DatasetExportError(
            f"{target} holds more than a dataset export writes ({shown}); --force replaces only a folder "
            f"of {EVENTS_FILE}, {NOTES_FILE} and {SOURCES_DIR}/, so nothing was written"
        )


def _new_folder(target: Path) -> Path:
    """An empty hidden folder beside ``target`` (permissions as for any new folder: 0777 less the umask)."""
    for _ in range(100):
        folder = target.with_name(f".{target.name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise DatasetExportError(f"cannot create a temporary folder beside {target}")


def _place(built: Path, target: Path, force: bool) -> None:
    """Rename the finished folder to ``target``: in one step when ``target`` is absent or empty; with
    ``force``, an earlier export there is moved aside first and removed once the new one is in place."""
    try:
        os.rename(built, target)
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
        if not force:
            raise DatasetExportError(f"{target} is not empty; use --force to replace an earlier dataset export there"
                                     ) from None
        _check_replaceable(target)
        old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old{_TEMP_SUFFIX}")
        os.rename(target, old)
        try:
            os.rename(built, target)
        except BaseException:
            os.rename(old, target)
            raise
        fsync_directory(target.parent)
        shutil.rmtree(old, ignore_errors=True)
        return
    fsync_directory(target.parent)


def _texts(dataset: Dataset, quoted: Iterable[str], linked: Iterable[str]) -> dict[str, str]:
    """The text of every source to copy; a quoted source that cannot be read stops the export (its
    quotes could not be checked), a linked-only one is left out (its links stay, as orphans do)."""
    texts: dict[str, str] = {}
    for source_id in quoted:
        text = dataset.source_text(source_id)
        if text is None:
            reason = dataset.source_error(source_id) or "it cannot be read"
            raise DatasetExportError(f"source {echo(source_id)} cannot be copied: {reason}; nothing was written")
        texts[source_id] = text
    for source_id in linked:
        if source_id not in texts and source_id in dataset.sources:
            text = dataset.source_text(source_id)
            if text is not None:
                texts[source_id] = text
    return texts


def export_dataset(
    dataset: Dataset,
    annotations: AnnotationState | AnnotationStore | None,
    event_ids: Iterable[str],
    target: Path,
    *,
    include_notes: bool = True,
    include_links: bool = True,
    force: bool = False,
) -> DatasetExport:
    """Write the events ``event_ids`` (unknown ids are ignored: check them first) as a dataset folder at
    ``target``, with their notes and links from ``annotations`` (see the module doc).

    Raises :class:`DatasetExportError` with a message for the user, or ``OSError`` (a full disk, no
    permission); either way nothing is left behind and ``target`` is as it was.
    """
    target = Path(os.path.abspath(Path(target).expanduser()))
    _check_target(target, dataset, force)
    events = ordered_events([e for e in (dataset.event(i) for i in event_ids) if e is not None])
    if not events:
        raise DatasetExportError("no events to export; nothing was written")
    ids = [e.id for e in events]
    state = annotations.state if annotations is not None else AnnotationState()
    notes = [n for i in ids for n in state.notes.get(i, ())] if include_notes else []
    links = [lk for i in ids for lk in state.links.get(i, ())] if include_links else []
    quoted = dict.fromkeys(q.source for e in events for q in e.quotes)
    texts = _texts(dataset, quoted, dict.fromkeys(lk.source_id for lk in links))
    paths = source_paths(dataset, texts)
    document = dataset_document(dataset, events, paths)

    built = _new_folder(target)
    try:
        (built / SOURCES_DIR).mkdir()
        written: set[str] = set()
        for source_id, path in paths.items():
            if path not in written:
                written.add(path)
                atomic_write_bytes(built / path, texts[source_id].encode("utf-8"), overwrite=False)
        atomic_write_bytes(built / EVENTS_FILE, json_text(document).encode("utf-8"), overwrite=False)
        _write_notes(built / NOTES_FILE, notes, links, ids)
        _check_built(built / EVENTS_FILE, ids)
        _place(built, target, force)
    finally:
        if built.exists():
            shutil.rmtree(built, ignore_errors=True)
    return DatasetExport(target, len(events), len(document["eras"]), len(paths), len(notes), len(links))


def _write_notes(path: Path, notes: Sequence[Any], links: Sequence[Any], selection: Sequence[str]) -> None:
    """The notes file, written by the store itself (its format, atomic and durable)."""
    store = AnnotationStore.open(path, create_dir=False)
    try:
        store.import_annotations(notes, links, selection)
    except StoreError as exc:
        raise DatasetExportError(f"cannot write the notes file: {exc}") from None
    finally:
        store.close()
    # The store's lock file is never removed where others may use it; this folder is not visible yet
    # and no one else knows its name, so its lock file is just clutter.
    with contextlib.suppress(FileNotFoundError):
        lock_path(Path(os.path.realpath(path))).unlink()


def _check_built(events_file: Path, ids: Sequence[str]) -> None:
    """Load the new dataset as ``timeline-tui`` will: it must be valid and hold exactly ``ids``, in order."""
    try:
        loaded = load_dataset(events_file)
    except DatasetError as exc:
        problems = "; ".join(str(p) for p in exc.problems[:3])
        raise DatasetExportError(f"the exported dataset did not pass validation ({echo(problems, 300)}); "
                                 "nothing was written — please report this") from None
    if [e.id for e in loaded.events] != list(ids):
        raise DatasetExportError("the exported dataset lost or reordered events; nothing was written — please report this")

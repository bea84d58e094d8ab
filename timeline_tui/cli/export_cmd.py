"""``timeline-tui export``: write events with quotes, citations and notes without the UI.

Uses the same exporter (:func:`timeline_tui.core.export.build_export`) as the app's export
dialog, so the same selection gives the same file apart from the "Generated" line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from timeline_tui.cli.common import (
    NO_MATCH_HELP,
    add_events_argument,
    add_filter_arguments,
    events_path,
    filter_from,
    load_or_report,
    no_match_message,
    unknown_filter_values,
)
from timeline_tui.cli.store_messages import damaged_store_message
from timeline_tui.core.atomicio import atomic_write_text
from timeline_tui.core.export import (
    ALL_FORMATS,
    FOLDER_FORMATS,
    DatasetExportError,
    ExportOptions,
    build_export,
    default_export_path,
    export_dataset,
)
from timeline_tui.core.model import Dataset
from timeline_tui.core.search import Filter, apply_filter
from timeline_tui.core.store import AnnotationStore, StoreError
from timeline_tui.core.textsafe import echo, one_line

EPILOG = f"""\
which events:
  --all            every event (narrowed by any filters given)
  --selection      the events selected in the app (saved in the notes store)
  --ids A,B,...    exactly these event ids (repeatable); an unknown id is an error
  With none of these, filters alone (--from, --tag, --query...) choose from all
  events, and with no filters either the app's selection is exported; if nothing
  is selected the command stops and asks for --all, --selection or --ids.
  Filters always narrow the chosen set; the export is in chronological order.

formats (each described in docs/formats.md):
  md          Markdown with footnote citations (pandoc, GitHub, any CommonMark tool)
  json        the events, quotes, notes, links and cited sources, for scripts
  csv         one row per quote (or linked passage) with its event's columns
              and citation; one row per event with --no-quotes --no-links
  timelinejs  TimelineJS3 JSON, to publish as an interactive timeline
  html, svg   a self-contained page with a picture of the timeline; the picture
  dataset     a folder DIR that opens as a timeline of its own:
              timeline-tui DIR/events.json --notes DIR/notes.json
              (events.json, the source files in sources/, and notes.json with
              the events' notes and links, the events selected)

output:
  -o FILE writes FILE atomically and never replaces an existing file unless
  --force is given; -o - writes to standard output. The default file is
  timeline-export-YYYY-MM-DD.<ext> in the current directory (md, json, csv,
  timeline.json for TimelineJS, html, svg). A summary line goes to standard error.
  Every format is safe to print: control characters and escape sequences in
  the data are \\u escapes in JSON, visible symbols (␛) in CSV, and removed
  from Markdown and TimelineJS text
  (HTML and SVG escape them as text). A closed pipe (| head) ends quietly.
  --format dataset -o DIR writes the folder DIR (default
  timeline-export-YYYY-MM-DD), which must not exist or be empty; it is built
  beside DIR and renamed into place. --force replaces a folder an earlier
  dataset export wrote, never one holding anything else. It needs the quotes
  (no --no-quotes) and a folder (no -o -).

{NO_MATCH_HELP}

exit status:
  0  exported
  1  bad input: unreadable dataset, unknown ids, empty selection, no matching
     events, a --notes file that does not exist, a damaged notes store (it is
     left as it is), missing output directory, existing file or non-empty
     folder, a quoted source file that cannot be read (dataset); standard
     output cannot be written (a full disk, closed)
  2  usage error (unknown option, bad date, no events chosen, -o '', a
     dataset to standard output or without quotes)
"""

PROG = "timeline-tui export"


def register(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    add_events_argument(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="export every event (see 'which events' below)")
    which.add_argument("--selection", action="store_true", help="export the events selected in the app")
    which.add_argument("--ids", action="append", default=[], metavar="ID,...", help="export these event ids")
    add_filter_arguments(parser)
    parser.add_argument("--annotated", action="store_true", help="only events with your notes or links")
    parser.add_argument("--format", choices=ALL_FORMATS, default="md", help="output format (default: md; see below)")
    parser.add_argument("--no-quotes", action="store_true", help="leave out the events' source quotes")
    parser.add_argument("--no-notes", action="store_true", help="leave out your notes")
    parser.add_argument("--no-links", action="store_true", help="leave out your linked passages")
    parser.add_argument("--notes", type=Path, default=None, metavar="PATH",
                        help="the notes store to read (default: $TIMELINE_TUI_NOTES, else the dataset's store "
                             "in the user data directory); it is only read, never changed")
    parser.add_argument("-o", "--output", default=None, metavar="FILE",
                        help="where to write ('-' for standard output; default: timeline-export-YYYY-MM-DD.md); "
                             "the folder for --format dataset")
    parser.add_argument("--force", action="store_true",
                        help="replace FILE if it exists (a dataset: the folder of an earlier dataset export)")


def _error(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
    return code


def _split_ids(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _filter(args: argparse.Namespace) -> Filter:
    return filter_from(args, annotated_only=args.annotated)


def _chosen_ids(args: argparse.Namespace, dataset: Dataset, store: AnnotationStore | None, flt: Filter) -> list[str] | int:
    """The event ids to export, chronological, or an exit status after printing why not."""
    if args.ids:
        base = _split_ids(args.ids)
        unknown = [i for i in base if dataset.index_of(i) is None]
        if unknown:
            shown = ", ".join(echo(i) for i in unknown[:10]) + (f" … ({len(unknown) - 10} more)" if len(unknown) > 10 else "")
            return _error(f"unknown event id(s): {shown} (see `timeline-tui list`)")
        if not base:
            return _error("--ids needs at least one event id", 2)
    elif args.selection or (not args.all and not flt.active):
        base = store.selection() if store is not None else []
        stale = [i for i in base if dataset.index_of(i) is None]
        if stale:
            print(f"{PROG}: warning: selected id(s) no longer in the dataset: {echo(', '.join(stale), 200)}",
                  file=sys.stderr)
            base = [i for i in base if i not in stale]
        if not base:
            if args.selection:
                return _error("no events are selected (select them in the app with space, or use --all or --ids)")
            return _error("nothing to export: no events are selected in the app; "
                          "use --all, --ids ID,... or a filter such as --tag", 2)
    else:
        base = [e.id for e in dataset.events]
    annotated = store.annotated_ids() if store is not None else set()
    passing = {dataset.events[i].id for i in apply_filter(dataset, flt, annotated=annotated)}
    wanted = set(base) & passing
    ids = [e.id for e in dataset.events if e.id in wanted]
    if not ids:
        return _error(f"{no_match_message(flt)}; nothing was written")
    return ids


def _open_store(args: argparse.Namespace, dataset: Dataset) -> AnnotationStore | int | None:
    """The notes store, only read (no file is created, locked or moved), or an exit status."""
    given = args.notes.expanduser() if args.notes is not None else None
    try:
        store = AnnotationStore.open_for(dataset, given, read_only=True)
    except StoreError as exc:
        return _error(str(exc))
    if given is not None and not store.path.is_file():
        return _error(f"no notes store at {given}")
    if store.damage is not None:
        return _error(damaged_store_message(store))
    for notice in store.notices:
        print(f"{PROG}: {one_line(notice)}", file=sys.stderr)
    return store


def _write_stdout(text: str) -> int:
    """The export on standard output (a closed pipe or a full disk is handled by :mod:`timeline_tui.cli.output`)."""
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _write_file(target: Path, text: str, force: bool) -> int:
    if target.is_dir():
        return _error(f"{target} is a directory; give a file name")
    if not target.parent.is_dir():
        return _error(f"directory {target.parent} does not exist; nothing was written")
    try:
        atomic_write_text(target, text, overwrite=force)
    except FileExistsError:
        return _error(f"{target} already exists; use --force to replace it")
    except OSError as exc:
        return _error(f"cannot write {target}: {exc.strerror or exc}")
    return 0


def _usage_problem(args: argparse.Namespace) -> str | None:
    """What makes the command line unusable before anything is read (exit status 2)."""
    if args.output == "":
        return "-o needs a file name, or - for standard output"
    if args.format in FOLDER_FORMATS and args.output == "-":
        return f"--format {args.format} writes a folder; give its name with -o DIR"
    if args.format in FOLDER_FORMATS and args.no_quotes:
        return f"--format {args.format} keeps every quote (each event of a dataset needs its quotes); drop --no-quotes"
    return None


def _write_dataset(args: argparse.Namespace, dataset: Dataset, store: AnnotationStore | None, chosen: list[str]) -> int:
    """The dataset folder, with a summary line on standard error."""
    target = Path(args.output).expanduser() if args.output else default_export_path(args.format, date.today())
    try:
        done = export_dataset(dataset, store.state if store is not None else None, chosen, target,
                              include_notes=not args.no_notes, include_links=not args.no_links, force=args.force)
    except DatasetExportError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"cannot write {target}: {exc.strerror or exc}; nothing was written")
    counts = [_plural(done.events, "event"), _plural(done.sources, "source"), _plural(done.notes, "note"),
              _plural(done.links, "link")]
    print(f"{PROG}: wrote {', '.join(counts)} to {target}/; open it with: "
          f"timeline-tui {target / 'events.json'} --notes {target / 'notes.json'}", file=sys.stderr)
    return 0


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def run(args: argparse.Namespace) -> int:
    problem = _usage_problem(args)
    if problem is not None:
        return _error(problem, 2)
    dataset = load_or_report(events_path(args))
    if dataset is None:
        return 1
    unknown = unknown_filter_values(dataset, args.tag, args.source)
    if unknown:
        return _error("; ".join(unknown))
    opened = _open_store(args, dataset)
    if isinstance(opened, int):
        return opened
    store = opened
    try:
        flt = _filter(args)
        chosen = _chosen_ids(args, dataset, store, flt)
        if isinstance(chosen, int):
            return chosen
        if args.format in FOLDER_FORMATS:
            return _write_dataset(args, dataset, store, chosen)
        options = ExportOptions(
            format=args.format, include_quotes=not args.no_quotes, include_notes=not args.no_notes,
            include_links=not args.no_links, filter_description=flt.describe(),
        )
        text = build_export(dataset, store, chosen, options)
    finally:
        if store is not None:
            store.close()
    if args.output == "-":
        return _write_stdout(text)
    target = Path(args.output).expanduser() if args.output else default_export_path(args.format, date.today())
    status = _write_file(target, text, args.force)
    if status == 0:
        print(f"{PROG}: wrote {_plural(len(chosen), 'event')} to {target}", file=sys.stderr)
    return status

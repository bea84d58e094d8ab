"""The ``timeline-tui`` command: run the app, or one of the headless sub-commands.

Each sub-command lives in its own module here, exposing ``register(parser)`` and ``run(args)``;
only the module of the command being run is imported, so start-up stays cheap.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

#: sub-command name -> (module in this package, one-line help).
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate_cmd", "check events.json against the data contract"),
    "list": ("list_cmd", "print the events in order, for scripts and a quick look"),
    "quote": ("quote_cmd", "locate an exact passage in a source and print its quote object"),
    "notes": ("notes_cmd", "list, add and remove notes without the UI"),
    "export": ("export_cmd", "export events with quotes, citations and notes (md, json, csv, timelinejs, html, svg)"),
    "extract": ("extract_cmd", "propose dated events from new articles, or evaluate the extractor"),
    "import": ("import_cmd", "add an article as a source and review its candidate events in the app"),
    "serve": ("serve_cmd", "serve the app to web browsers, one app per tab, behind a secret token"),
}

EPILOG = "\n".join(
    ["commands:"]
    + [f"  {name:<10} {help_text}" for name, (_, help_text) in SUBCOMMANDS.items()]
    + ["", "Run `timeline-tui COMMAND --help` for a command's options."]
)


def command_parser(name: str) -> argparse.ArgumentParser:
    """The parser of one sub-command, with its module's arguments registered."""
    module, help_text = SUBCOMMANDS[name]
    parser = argparse.ArgumentParser(prog=f"timeline-tui {name}", description=help_text)
    import_module(f"timeline_tui.cli.{module}").register(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every sub-command's output goes through :mod:`timeline_tui.cli.output`."""
    from timeline_tui.cli.output import run_guarded

    args_list = list(sys.argv[1:] if argv is None else argv)
    return run_guarded(lambda: _dispatch(args_list))


def _dispatch(args_list: list[str]) -> int:
    if args_list and args_list[0] in SUBCOMMANDS:
        name = args_list[0]
        args = command_parser(name).parse_args(args_list[1:])
        return int(import_module(f"timeline_tui.cli.{SUBCOMMANDS[name][0]}").run(args))
    return int(import_module("timeline_tui.cli.app_cmd").main(args_list))

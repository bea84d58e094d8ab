"""Copying text so that the app can say truthfully where it went.

A terminal app cannot read the clipboard back, so "copied" is only claimed when a program
confirmed it: :func:`copy_with_tool` hands the text to the first clipboard tool that is present
and usable here — ``wl-copy`` (Wayland), ``xclip`` or ``xsel`` (X11), ``pbcopy`` (macOS), else
tmux's paste buffer (``tmux load-buffer``, inside tmux) — and returns its name when it exited
successfully. The app also always sends the text to the terminal as an OSC 52 sequence
(Textual's ``copy_to_clipboard``), which many terminals honour but none confirm: that is what
:func:`copy_message` says when no tool took it, with what the user may need to change.

Runs a subprocess: call :func:`copy_with_tool` from a worker thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: seconds a clipboard tool may take before it is given up on
TOOL_TIMEOUT = 3.0


@dataclass(frozen=True)
class Tool:
    """A clipboard program: its name, the command that reads the text from standard input, and the
    environment variable that must be set for it to have a clipboard to write to (if any)."""

    name: str
    argv: tuple[str, ...]
    needs: str = ""
    then: tuple[str, ...] = ()  # a fallback command line (an older version without an option)


TOOLS: tuple[Tool, ...] = (
    Tool("wl-copy", ("wl-copy",), "WAYLAND_DISPLAY"),
    Tool("xclip", ("xclip", "-selection", "clipboard"), "DISPLAY"),
    Tool("xsel", ("xsel", "--clipboard", "--input"), "DISPLAY"),
    Tool("pbcopy", ("pbcopy",)),
    # -w also passes it on to the terminal's clipboard (tmux 3.2+); older tmux: the buffer alone
    Tool("tmux", ("tmux", "load-buffer", "-w", "-"), "TMUX", then=("tmux", "load-buffer", "-")),
)


def _run(argv: Sequence[str], path: str, data: bytes, env: Mapping[str, str]) -> bool:
    exe = shutil.which(argv[0], path=path)
    if exe is None:
        return False
    try:
        # The tool may leave a child running to serve the selection (xclip, wl-copy): no pipe is
        # kept open to it, so this returns when the tool itself exits.
        done = subprocess.run([exe, *argv[1:]], input=data, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(env), timeout=TOOL_TIMEOUT, start_new_session=True, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def copy_with_tool(text: str, env: Mapping[str, str] | None = None) -> str | None:
    """Give ``text`` to the first clipboard tool that takes it; its name (``"tmux (buffer only)"``
    when only the fallback command of an older tmux worked), or ``None`` if none did."""
    env = os.environ if env is None else env
    path = env.get("PATH", os.defpath)
    data = text.encode("utf-8", "surrogateescape")
    for tool in TOOLS:
        if tool.needs and not env.get(tool.needs):
            continue
        if _run(tool.argv, path, data, env):
            return tool.name
        if tool.then and _run(tool.then, path, data, env):
            return f"{tool.name} (buffer only)"
    return None


def copy_message(what: str, tool: str | None, *, web: bool = False) -> str:
    """What to tell the user after copying ``what`` (e.g. "2 events as Markdown")."""
    if tool == "tmux":
        return (f"Copied {what} into tmux's paste buffer (prefix ] pastes it); tmux also passed it on to "
                "the terminal's clipboard, if the terminal allows that.")
    if tool == "tmux (buffer only)":
        return (f"Copied {what} into tmux's paste buffer (prefix ] pastes it). For the system clipboard "
                "too, this tmux needs: set -g set-clipboard on")
    if tool is not None:
        return f"Copied {what} to the clipboard with {tool}."
    if web:
        return f"Sent {what} to the browser's clipboard (the page may need permission to use it)."
    return (f"Sent {what} to the terminal's clipboard (OSC 52). If it does not arrive, your terminal does not "
            "allow it (in tmux: set -g set-clipboard on); x exports to a file instead.")

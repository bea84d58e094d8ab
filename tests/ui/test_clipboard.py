"""``y`` says truthfully where the copy went (issue 13, item 5): a clipboard tool present here takes
it and is named; without one the text is only *sent* to the terminal (OSC 52), and the message says
so and what the user may need. The tools are fakes on ``PATH`` that record what they were given."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pilot_helpers import notified, running_on, settle

from timeline_tui.core.model import Dataset
from timeline_tui.ui.clipboard import copy_with_tool


def fake_tool(bin_dir: Path, name: str, *, fails_with: str | None = None, fails: bool = False) -> Path:
    """A script called ``name`` that saves its standard input to ``<bin_dir>/<name>.out`` (and its
    arguments to ``.args``); it exits 1 when ``fails`` or when ``fails_with`` is among its arguments."""
    bin_dir.mkdir(exist_ok=True)
    out, args = bin_dir / f"{name}.out", bin_dir / f"{name}.args"
    refuse = f'for a in "$@"; do [ "$a" = "{fails_with}" ] && exit 1; done\n' if fails_with else ""
    script = bin_dir / name
    script.write_text(
        "#!/bin/sh\n" + ("exit 1\n" if fails else "") + refuse
        + f'echo "$@" > "{args}"\n/bin/cat > "{out}"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return out


def with_path(monkeypatch: pytest.MonkeyPatch, bin_dir: Path) -> None:
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")


async def copy_first_event(mini: Dataset, tmp_path: Path) -> tuple[list[str], str]:
    """Press ``y`` on the first event; the notifications and what the app's clipboard holds."""
    async with running_on(mini, tmp_path) as (app, pilot):
        await pilot.press("y")
        await settle(app, pilot)
        return notified(app), app.clipboard


async def test_a_clipboard_tool_takes_the_copy_and_is_named(mini: Dataset, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    out = fake_tool(bin_dir, "xclip")
    with_path(monkeypatch, bin_dir)
    monkeypatch.setenv("DISPLAY", ":99")
    said, clipboard = await copy_first_event(mini, tmp_path)
    assert out.read_text(encoding="utf-8") == clipboard and "# " in clipboard  # the Markdown itself
    assert (bin_dir / "xclip.args").read_text(encoding="utf-8").split() == ["-selection", "clipboard"]
    assert "Copied 1 event as Markdown to the clipboard with xclip." in said
    assert not any("OSC 52" in m for m in said)


async def test_without_a_tool_it_says_the_text_was_only_sent(mini: Dataset, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "xclip")  # present, but there is no X display to copy to: not used
    with_path(monkeypatch, bin_dir)
    said, clipboard = await copy_first_event(mini, tmp_path)
    assert clipboard  # sent to the terminal (OSC 52)
    assert not (bin_dir / "xclip.out").exists()
    message = next(m for m in said if "OSC 52" in m)
    assert message.startswith("Sent 1 event as Markdown to the terminal's clipboard (OSC 52).")
    assert "set -g set-clipboard on" in message and not message.startswith("Copied")


async def test_in_tmux_the_paste_buffer_takes_it(mini: Dataset, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    out = fake_tool(bin_dir, "tmux", fails_with="-w")  # an older tmux without load-buffer -w
    with_path(monkeypatch, bin_dir)
    monkeypatch.setenv("TMUX", "/tmp/tmux-fake/default,1,0")
    said, clipboard = await copy_first_event(mini, tmp_path)
    assert out.read_text(encoding="utf-8") == clipboard
    assert (bin_dir / "tmux.args").read_text(encoding="utf-8").split() == ["load-buffer", "-"]
    message = next(m for m in said if m.startswith("Copied 1 event as Markdown into tmux's paste buffer"))
    assert "set -g set-clipboard on" in message  # the older tmux cannot pass it on itself


def test_tools_are_tried_in_order_and_a_failing_one_is_skipped(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "wl-copy", fails=True)
    xsel = fake_tool(bin_dir, "xsel")
    env = {"PATH": str(bin_dir), "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert copy_with_tool("héllo\n", env) == "xsel"
    assert xsel.read_text(encoding="utf-8") == "héllo\n"
    assert copy_with_tool("x", {"PATH": str(tmp_path / "empty")}) is None


async def test_a_recent_tmux_takes_it_and_passes_it_on(mini: Dataset, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    out = fake_tool(bin_dir, "tmux")
    with_path(monkeypatch, bin_dir)
    monkeypatch.setenv("TMUX", "/tmp/tmux-fake/default,1,0")
    said, clipboard = await copy_first_event(mini, tmp_path)
    assert out.read_text(encoding="utf-8") == clipboard
    assert (bin_dir / "tmux.args").read_text(encoding="utf-8").split() == ["load-buffer", "-w", "-"]
    assert any(m.startswith("Copied 1 event as Markdown into tmux's paste buffer") and "passed it on" in m
               for m in said)

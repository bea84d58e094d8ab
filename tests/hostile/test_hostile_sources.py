"""A dataset whose source paths lead out of its folder, to FIFOs, devices or huge files (issue 11, items 1-2).

Each case runs every command that reads sources — validate, list, export in every format,
quote, and the app's start in a real terminal — as a separate process with a timeout, with a
secret canary outside the dataset and in the environment. None may print the canary, hang,
show a traceback or put a raw control character on the terminal; validate must name the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_support import SECRET, assert_safe, dataset, outside_secret, run_cli, run_in_terminal

Setup = Callable[[Path], str]  # prepares the hostile source in tmp and returns the path events.json gives


def _absolute(tmp: Path) -> str:
    return str(outside_secret(tmp))


def _dot_dot(tmp: Path) -> str:
    outside_secret(tmp)
    return "../outside/secret.txt"


def _environ(tmp: Path) -> str:
    return "../" * 12 + "proc/self/environ"


def _link(tmp: Path, name: str, target: Path | str, *, folder: bool = False) -> str:
    """``sources/NAME`` inside the dataset as a symlink to ``target``; returns that relative path."""
    link = tmp / "ds" / "sources" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=folder)
    return f"sources/{name}"


def _symlink_out(tmp: Path) -> str:
    return _link(tmp, "link.txt", outside_secret(tmp))


def _symlink_environ(tmp: Path) -> str:
    return _link(tmp, "env.txt", "/proc/self/environ")


def _symlinked_folder(tmp: Path) -> str:
    outside_secret(tmp)
    return _link(tmp, "more", tmp / "outside", folder=True) + "/secret.txt"


def _fifo(tmp: Path) -> str:
    fifo = tmp / "ds" / "sources" / "pipe.txt"
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    return "sources/pipe.txt"


def _dev_zero(tmp: Path) -> str:
    return "/dev/zero"


def _dev_urandom_link(tmp: Path) -> str:
    return _link(tmp, "random.txt", "/dev/urandom")


def _nul(tmp: Path) -> str:
    return "sources/ok.txt\x00../../outside/secret.txt"


def _directory(tmp: Path) -> str:
    return "sources"


def _huge_sparse(tmp: Path) -> str:
    big = tmp / "ds" / "sources" / "big.txt"
    big.parent.mkdir(parents=True, exist_ok=True)
    with open(big, "wb") as fh:
        fh.truncate(200_000_000)  # 200 MB of nothing on disk, more than the 64 MB limit
    return "sources/big.txt"


def _escape_in_name(tmp: Path) -> str:
    name = "sources/\x1b]0;pwned\x07\x1b[2J\u202etxt.evil"
    (tmp / "ds" / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / "ds" / name).write_text("an ordinary article inside the folder\n" * 100, encoding="utf-8")
    return name


CASES: dict[str, Setup] = {
    "absolute path": _absolute,
    "dot-dot out of the folder": _dot_dot,
    "../../proc/self/environ": _environ,
    "symlink to a file outside": _symlink_out,
    "symlink to /proc/self/environ": _symlink_environ,
    "symlinked folder leading outside": _symlinked_folder,
    "FIFO": _fifo,
    "/dev/zero": _dev_zero,
    "symlink to /dev/urandom": _dev_urandom_link,
    "NUL in the path": _nul,
    "a directory": _directory,
    "a 200 MB file": _huge_sparse,
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return dataset(tmp_path, hostile_path=CASES[request.param](tmp_path))


def test_validate_names_the_path_and_reads_nothing(hostile: Path, tmp_path: Path) -> None:
    run = run_cli(["validate", str(hostile)], tmp_path)
    assert_safe(run, allowed=(1,))
    assert "sources[1].path" in run.stdout
    assert "text differs" not in run.output  # the file was never opened, so no quote was compared


@pytest.mark.parametrize("args", [
    ["list", "{ds}"], ["list", "{ds}", "--json"],
    ["export", "{ds}", "--all", "-o", "-"], ["export", "{ds}", "--all", "--format", "json", "-o", "-"],
    ["export", "{ds}", "--all", "--format", "csv", "-o", "-"],
    ["export", "{ds}", "--all", "--format", "timelinejs", "-o", "-"],
    ["quote", "hostile", "root", "--events", "{ds}"], ["quote", "hostile", SECRET[:10], "--events", "{ds}"],
    ["extract", "--evaluate", "{ds}"], ["notes", "--events", "{ds}", "list"],
], ids=lambda a: " ".join(x for x in a[:4] if x != "{ds}"))
def test_no_command_discloses_or_hangs(hostile: Path, tmp_path: Path, args: list[str]) -> None:
    assert_safe(run_cli([str(hostile) if a == "{ds}" else a for a in args], tmp_path))


def test_the_app_starts_without_disclosing(hostile: Path, tmp_path: Path) -> None:
    screen, status, _ = run_in_terminal([str(hostile)], tmp_path, until="First ships return")
    assert SECRET not in screen
    assert "Traceback" not in screen
    assert status == 0


def test_a_symlink_swapped_in_after_the_check_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race: the path is checked, then the file is replaced by a symlink before it is opened."""
    from timeline_tui.core import textfile
    from timeline_tui.core.textfile import TextFileError, read_source

    root = tmp_path / "ds"
    (root / "sources").mkdir(parents=True)
    target = root / "sources" / "a.txt"
    target.write_text("harmless", encoding="utf-8")
    secret = outside_secret(tmp_path)
    real_check = textfile.check_source_path

    def check_then_swap(base: Path, path: str) -> Path:
        resolved = real_check(base, path)
        target.unlink()
        target.symlink_to(secret)  # swapped in after the check
        return resolved

    monkeypatch.setattr(textfile, "check_source_path", check_then_swap)
    with pytest.raises(TextFileError) as info:
        read_source(root, "sources/a.txt")
    assert SECRET not in str(info.value)


def test_a_folder_swapped_for_a_symlink_after_the_check_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """O_NOFOLLOW guards only the last component; the opened descriptor's real path guards the rest."""
    from timeline_tui.core import textfile
    from timeline_tui.core.textfile import TextFileError, read_source

    root = tmp_path / "ds"
    (root / "sources" / "sub").mkdir(parents=True)
    (root / "sources" / "sub" / "secret.txt").write_text("harmless", encoding="utf-8")
    outside_secret(tmp_path)
    real_check = textfile.check_source_path

    def check_then_swap(base: Path, path: str) -> Path:
        resolved = real_check(base, path)
        (root / "sources" / "sub").rename(root / "sources" / "old")
        (root / "sources" / "sub").symlink_to(tmp_path / "outside", target_is_directory=True)
        return resolved

    monkeypatch.setattr(textfile, "check_source_path", check_then_swap)
    with pytest.raises(TextFileError) as info:
        read_source(root, "sources/sub/secret.txt")
    assert "outside" in str(info.value) and SECRET not in str(info.value)


def test_symlinks_that_stay_inside_are_followed(tmp_path: Path) -> None:
    path = dataset(tmp_path)
    (path.parent / "sources" / "alias.txt").symlink_to("ok.txt")
    text = path.read_text(encoding="utf-8").replace('"path": "sources/ok.txt"', '"path": "sources/alias.txt"', 1)
    path.write_text(text, encoding="utf-8")
    run = run_cli(["validate", str(path)], tmp_path)
    assert "sources[0]" not in run.stdout  # the alias inside the folder is fine (the probe source is not)


@pytest.mark.parametrize("make", [_fifo, _dev_zero, _huge_sparse], ids=["FIFO", "/dev/zero", "200 MB file"])
def test_extract_and_quote_refuse_non_regular_or_huge_inputs(tmp_path: Path, make: Setup) -> None:
    given = make(tmp_path)
    path = given if given.startswith("/") else str(tmp_path / "ds" / given)
    for args in (["extract", path], ["quote", path, "anything"]):
        run = run_cli(args, tmp_path)
        assert_safe(run, allowed=(1,))
    run = run_cli(["import", path, "--events", str(dataset(tmp_path)), "--json"], tmp_path)
    assert_safe(run, allowed=(1,))


def test_control_characters_in_a_file_name_are_shown_not_sent(tmp_path: Path) -> None:
    path = dataset(tmp_path, hostile_path=_escape_in_name(tmp_path))
    for args in (["validate", str(path)], ["list", str(path)], ["export", str(path), "--all", "-o", "-"]):
        assert_safe(run_cli(args, tmp_path))

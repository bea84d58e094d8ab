"""``timeline-tui extract``: exit codes and the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline_tui.cli import main
from timeline_tui.core.dates import parse_edtf

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["extract", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_for_one_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ARTICLES / "bridge_reopens.txt"), "--json", "--source-id", "bridge")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"source", "candidates"}
    assert data["source"]["id"] == "bridge"
    assert data["source"]["published"] == "2024-06-12" and data["source"]["published_from"] == "text"
    text = (ARTICLES / "bridge_reopens.txt").read_text(encoding="utf-8")
    assert data["candidates"]
    for c in data["candidates"]:
        assert {"date", "date_basis", "quote", "title", "confidence"} <= set(c)
        parse_edtf(c["date"])
        assert text[c["quote"]["start"] : c["quote"]["end"]] == c["quote"]["text"]
        assert 0 <= c["confidence"] <= 1


def test_json_list_for_several_and_published_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, str(ARTICLES / "bridge_reopens.txt"), str(ARTICLES / "glacier_study.html"), "--json",
        "--published", "2024-06-16",
    )
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    assert all(d["source"]["published"] == "2024-06-16" and d["source"]["published_from"] == "option" for d in data)


def test_html_offsets_refer_to_the_converted_text(capsys: pytest.CaptureFixture[str]) -> None:
    from timeline_tui.core.extract.candidates import read_article

    code, out, _ = run(capsys, str(ARTICLES / "glacier_study.html"), "--json")
    assert code == 0
    text = read_article(ARTICLES / "glacier_study.html").text
    for c in json.loads(out)["candidates"]:
        assert text[c["quote"]["start"] : c["quote"]["end"]] == c["quote"]["text"]


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ARTICLES / "orchestra_tour.txt"))
    assert code == 0
    assert "published 2019-03-03 (from text)" in out and "2018-11-14" in out


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, )[0] == 2
    assert run(capsys, "a.txt", "b.txt", "--source-id", "x")[0] == 2
    assert run(capsys, str(ARTICLES / "bridge_reopens.txt"), "--evaluate", "events.json")[0] == 2
    assert main(["extract", "a.txt", "--published", "not a date"]) == 2


def test_unreadable_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.txt"))
    assert code == 1 and "not found" in err
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9 in 1945".encode("latin-1"))
    code, _, err = run(capsys, str(bad))
    assert code == 1 and "not UTF-8" in err


def test_evaluate(capsys: pytest.CaptureFixture[str], repo_root: Path, mini_path: Path) -> None:
    code, out, _ = run(capsys, "--evaluate", str(repo_root / "events.json"), "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["sources"]) == 5 and data["targets"]["met"] is True
    assert data["total"]["recall"] >= 0.8 and data["total"]["precision"] >= 0.6
    code, out, _ = run(capsys, "--evaluate", str(mini_path))
    assert code == 0 and "total" in out
    code, _, err = run(capsys, "--evaluate", str(mini_path.parent / "nope.json"))
    assert code == 1 and err


def test_evaluate_below_target_exits_1(capsys: pytest.CaptureFixture[str], mini_path: Path) -> None:
    # strip the dates out of one source's text: its events can no longer be found
    src = mini_path.parent / "sources" / "harbour.txt"
    data = json.loads(mini_path.read_text(encoding="utf-8"))
    text = src.read_text(encoding="utf-8")
    for word in ("August 1945", "1950 and 1953", "2005", "Last year", "on Saturday"):
        text = text.replace(word, "x" * len(word))
    src.write_text(text, encoding="utf-8")
    for event in data["events"]:
        for q in event["quotes"]:
            if q["source"] == "harbour":
                q["text"] = text[q["start"] : q["end"]]
    mini_path.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "--evaluate", str(mini_path))
    assert code == 1 and "NOT met" in out


# --- timeline-tui import: the checks made before the review opens -------------------------------------


def test_import_without_publication_date_copies_nothing(capsys: pytest.CaptureFixture[str], mini_path: Path,
                                                         tmp_path: Path) -> None:
    article = tmp_path / "undated.txt"
    article.write_text("Quiet town\n\nThe mill closed last year. It was built in 1880.\n", encoding="utf-8")
    before = sorted(p.name for p in (mini_path.parent / "sources").iterdir())
    code = main(["import", str(article), "--events", str(mini_path), "--yes"])
    _, err = capsys.readouterr()
    assert code == 1 and "--published" in err
    assert sorted(p.name for p in (mini_path.parent / "sources").iterdir()) == before


def test_import_rejects_unreadable_and_taken_ids(capsys: pytest.CaptureFixture[str], mini_path: Path,
                                                 tmp_path: Path) -> None:
    assert main(["import", str(tmp_path / "missing.txt"), "--events", str(mini_path), "--yes"]) == 1
    article = tmp_path / "new.txt"
    article.write_text("Title\n\nSomething happened in 1950.\n", encoding="utf-8")
    assert main(["import", str(article), "--events", str(mini_path), "--source-id", "harbour",
                 "--published", "2010-05-09", "--yes"]) == 1
    assert "taken" in capsys.readouterr().err
    assert main(["import", str(article), "--events", str(mini_path.parent / "nope.json"), "--json"]) == 1


def test_min_confidence_is_checked_with_evaluate_too(capsys: pytest.CaptureFixture[str], mini_path: Path) -> None:
    for value in ("2", "-0.5", "nan"):
        code, out, err = run(capsys, "--evaluate", str(mini_path), "--min-confidence", value)
        assert code == 2 and "--min-confidence" in err and not out


CONTROL_ARTICLE = (
    "Harbour news \x1b[31mred\x1b[0m\n\n"
    "Published: 9 May 2010\n\n"
    "The quay \x9b31m was rebuilt in 1953 \x7f by the town.\n"
)


def test_json_output_escapes_del_and_c1_controls(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = tmp_path / "controls.txt"
    article.write_text(CONTROL_ARTICLE, encoding="utf-8")
    code, out, _ = run(capsys, str(article), "--json")
    assert code == 0
    assert not any(ch in out for ch in "\x1b\x7f\x9b")
    data = json.loads(out)
    quote = data["candidates"][0]["quote"]
    assert quote["text"] == CONTROL_ARTICLE[quote["start"] : quote["end"]] and "\x9b" in quote["text"]


def test_text_output_is_plain(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    article = tmp_path / "controls.txt"
    article.write_text(CONTROL_ARTICLE.replace("Published: 9 May 2010\n\n", ""), encoding="utf-8")
    code, out, err = run(capsys, str(article))
    assert code == 0 and "1953" in out and "warning" in out
    assert not any(ch in out + err for ch in "\x1b\x7f\x9b")


@pytest.mark.parametrize("source_id", ["Bad Id", "harbour2\n", "a--b", "a.", "über", ""])
def test_import_checks_the_source_id_before_extracting(
    capsys: pytest.CaptureFixture[str], mini_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    source_id: str,
) -> None:
    import timeline_tui.cli.import_cmd as import_cmd

    def no_extraction(*args: object, **kwargs: object) -> None:
        raise AssertionError("extracted before checking --source-id")

    monkeypatch.setattr(import_cmd, "extract", no_extraction)
    article = tmp_path / "new.txt"
    article.write_text("Title\n\nSomething happened in 1950.\n", encoding="utf-8")
    before = sorted(p.name for p in (mini_path.parent / "sources").iterdir())
    code = main(["import", str(article), "--events", str(mini_path), "--source-id", source_id,
                 "--published", "2010-05-09"])
    err = capsys.readouterr().err
    assert code == 2 and "--source-id" in err and "not a valid id" in err
    assert len(err.splitlines()) == 1  # a newline in the id is shown escaped
    assert sorted(p.name for p in (mini_path.parent / "sources").iterdir()) == before

"""Write a synthetic but valid events.json with N events (plus source articles) for benchmarks.

    python benchmarks/generate.py N [--seed S] [--out DIR] [--notes M]

The dataset looks like the real one at scale: events spread over 1937–2025 (denser in the war
years and after 2005), every date form the data contract allows (year, month, day, intervals,
``?``/``~``/``%`` qualifiers, dates resolved from "last year" against a source's publication
date), realistic titles, summaries and tags, and 1–3 quotes per event that are real slices of
the source files — the files contain curly quotes, non-breaking spaces, CJK text and em dashes,
so code-point offsets matter. Events are in the contract's chronological order, ids are unique
slugs, and the output passes ``timeline-tui validate``. The same N and seed give byte-identical
files. ``--notes M`` also writes M notes on random events into an annotation store file
(``notes.json`` beside events.json) through :class:`timeline_tui.core.store.AnnotationStore`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from timeline_tui.core.dates import MONTH_NAMES, parse_edtf  # noqa: E402

#: Bump when the output for a given (n, seed) changes, so cached data under benchmarks/data is rebuilt.
GENERATOR_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent / "data"
FIRST_YEAR, LAST_YEAR = 1937, 2025

ERAS = (
    ("war-of-resistance", "War of Resistance / WWII", "1937/1945"),
    ("civil-war", "Civil war and the new republic", "1946/1949"),
    ("alliance", "Sino-Soviet alliance", "1950/1959"),
    ("split", "Sino-Soviet split", "1960/1988"),
    ("normalisation", "Normalisation", "1989/2000"),
    ("partnership", "Strategic partnership", "2001/2025"),
)

SOURCES = (
    ("xinhua-2005-victory-60", "Sixty years on, veterans recall the liberation of the Northeast", "Xinhua", "2005-05-09", 2005),
    ("chinadaily-2010-harbin", "Harbin remembers the Red Army’s August advance", "China Daily", "2010-08-15", 2010),
    ("tass-2015-parade", "Chinese honour guard marches on Red Square", "TASS", "2015-05-09", 2015),
    ("globaltimes-2020-archives", "Archives shed new light on Soviet volunteer pilots", "Global Times", "2020-09-03?", 2020),
    ("rg-2025-friendship", "Eighty years of friendship forged in war", "Rossiyskaya Gazeta", "2025-05-07", 2025),
    ("gdtoday-2025-alyosha", "Grandson of Liu Shaoqi passes on the torch of memory", "GDToday", "2025-05-06?", 2025),
)

PLACES = (
    "Harbin", "Shenyang", "Dalian", "Lüshun", "Changchun", "Mudanjiang", "Vladivostok", "Khabarovsk",
    "Moscow", "Beijing", "Wuhan", "Nanjing", "Chongqing", "Yan’an", "Lanzhou", "Urumqi", "Ivanovo",
    "St Petersburg", "Shanghai", "Qiqihar", "Manzhouli", "Heihe", "Blagoveshchensk", "Irkutsk",
)
WORKS = ("《东方红》", "《红莓花儿开》", "《喀秋莎》", "《莫斯科郊外的晚上》", "《保卫黄河》")

#: (first year, last year, actors, title predicates, sentence predicates, tags)
ERA_VOCAB: tuple[tuple[int, int, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        1937, 1945,
        ("Soviet volunteer pilots", "the Red Army", "the Eighth Route Army", "Northeast Anti-Japanese United Army fighters",
         "Soviet military advisers", "Chinese guerrillas", "a Soviet tank brigade", "Soviet medics"),
        ("defend the skies over", "enter", "liberate", "reach", "supply arms to fighters near", "evacuate children from",
         "break the siege of", "open a field hospital in"),
        ("flew sorties over", "marched into", "liberated", "reached the outskirts of", "delivered rifles and ammunition to",
         "evacuated wounded soldiers from", "broke through the defences of", "set up a field hospital in"),
        ("war", "military", "aviation", "liberation", "medicine"),
    ),
    (
        1946, 1959,
        ("Soviet engineers", "a Chinese government delegation", "Mao Zedong", "Zhou Enlai", "Soviet teachers",
         "Chinese students", "the Changchun Railway administration", "Soviet geologists"),
        ("arrive in", "sign a friendship treaty in", "open a tractor plant in", "hand over the railway at",
         "study engineering in", "build a bridge at", "survey oil fields near", "open a hospital in"),
        ("arrived in", "signed the Treaty of Friendship, Alliance and Mutual Assistance in", "opened a tractor plant in",
         "handed over the railway at", "began engineering studies in", "completed a bridge at",
         "surveyed oil fields near", "opened a hospital in"),
        ("diplomacy", "treaty", "economy", "education", "science", "industry"),
    ),
    (
        1960, 1988,
        ("Soviet advisers", "border guards", "a Chinese trade mission", "Nikita Khrushchev", "Deng Xiaoping",
         "diplomats", "Soviet specialists", "a joint commission"),
        ("are recalled from", "clash near", "resume trade talks in", "criticise the line taken in",
         "reopen the consulate in", "meet quietly in", "leave their posts in", "negotiate the river border at"),
        ("were recalled from", "clashed near", "resumed trade talks in", "criticised the line taken in",
         "reopened the consulate in", "met quietly in", "left their posts in", "negotiated the river border at"),
        ("diplomacy", "border", "trade", "politics"),
    ),
    (
        1989, 2000,
        ("Mikhail Gorbachev", "Jiang Zemin", "Boris Yeltsin", "border traders", "a Russian trade delegation",
         "Chinese veterans", "Russian veterans", "the two foreign ministers"),
        ("visit", "open a border market at", "settle the eastern border in", "hold a summit in",
         "found a friendship society in", "reopen the rail crossing at", "sign a border agreement in", "meet veterans in"),
        ("visited", "opened a border market at", "settled the eastern border in", "held a summit in",
         "founded a friendship society in", "reopened the rail crossing at", "signed a border agreement in",
         "met veterans in"),
        ("diplomacy", "border", "trade", "veterans", "memory"),
    ),
    (
        2001, 2025,
        ("Xi Jinping", "Vladimir Putin", "Hu Jintao", "Dmitry Medvedev", "a Chinese honour guard",
         "Russian and Chinese veterans", "museum curators", "students from both countries", "film-makers",
         "Alyosha (Liu Weining, 刘维宁)"),
        ("attend the Victory Day parade in", "unveil a memorial in", "open an exhibition in", "honour veterans in",
         "premiere a documentary in", "launch a student exchange in", "lay wreaths in", "sign a joint statement in",
         "hold joint naval drills off", "open a pipeline near"),
        ("attended the Victory Day parade in", "unveiled a memorial to Soviet soldiers in", "opened an exhibition in",
         "honoured veterans in", "premiered a documentary in", "launched a student exchange in", "laid wreaths in",
         "signed a joint statement in", "held joint naval drills off", "opened a pipeline near"),
        ("memory", "commemoration", "diplomacy", "culture", "media", "museum", "veterans", "energy", "education"),
    ),
)

CLOSINGS = (
    "residents still speak of it today.",
    "according to archive records kept in the city museum.",
    "a moment the newspaper called “a new page of friendship”.",
    "and 27\u00a0million Soviet lives had been lost by the war’s end.",
    "which veterans described as “unforgettable”.",
    "as the song {work} played in the square.",
    "an event later retold in school textbooks.",
    "though the figures remain disputed by historians.",
    "drawing crowds of more than 10\u00a0000 people.",
    "— a story local families have passed down for generations.",
)
FILLER = (
    "The memory of those years is kept alive by families on both sides of the Amur.",
    "Historians on both sides continue to publish new material from the archives.",
    "“We must not let the sacrifices of our ancestors fade into oblivion,” one speaker said.",
    "Museums in the region have collected letters, photographs and medals from the period.",
    "The article’s author interviewed several descendants of the participants.",
    "Schoolchildren sang {work} at the ceremony, in Chinese and in Russian.",
    "Some details of the account could not be independently verified.",
    "Volunteers maintain the cemeteries where Soviet soldiers are buried in Northeast China.",
)
NOTE_TEXTS = (
    "Check this date against the second article.",
    "Cross-reference with the museum catalogue; the figure of 27\u00a0million is quoted elsewhere.",
    "Possible duplicate of a nearby event — compare the quotes.",
    "Good quote for the chapter on memory politics.",
    "Ask the archive for the original photograph.",
    "The summary simplifies; the source is more cautious.",
)


@dataclass
class _Sentence:
    source: int
    start: int
    end: int
    text: str
    date: str  # EDTF
    phrase: str  # the words carrying the date
    basis: str  # how the date was read


def _era_vocab(year: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    for lo, hi, actors, titles, predicates, tags in ERA_VOCAB:
        if lo <= year <= hi:
            return actors, titles, predicates, tags
    raise ValueError(year)


def _date_forms(rng: random.Random, year: int) -> list[tuple[str, str, str]]:
    """(phrase, EDTF, basis) for one year: every precision, qualifiers and intervals."""
    forms: list[tuple[str, str, str]] = []
    forms.append((f"In {year}", f"{year}", "stated"))
    forms.append((f"That year, {year}", f"{year}", "stated"))
    for month in range(1, 13):
        forms.append((f"In {MONTH_NAMES[month - 1]} {year}", f"{year}-{month:02d}", "stated"))
    for _ in range(24):
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        forms.append((f"On {day}\u00a0{MONTH_NAMES[month - 1]} {year}", f"{year}-{month:02d}-{day:02d}", "stated"))
    forms.append((f"Around {year}", f"{year}~", "stated as approximate"))
    month = rng.randint(1, 12)
    forms.append((f"Probably in {MONTH_NAMES[month - 1]} {year}", f"{year}-{month:02d}?", "stated as uncertain"))
    forms.append((f"Probably around {year}", f"{year}%", "stated as uncertain and approximate"))
    if year < LAST_YEAR:
        end = min(LAST_YEAR, year + rng.randint(1, 4))
        forms.append((f"Between {year} and {end}", f"{year}/{end}", "stated interval"))
    m1 = rng.randint(1, 10)
    m2 = rng.randint(m1 + 1, 12)
    forms.append(
        (f"From {MONTH_NAMES[m1 - 1]} to {MONTH_NAMES[m2 - 1]} {year}", f"{year}-{m1:02d}/{year}-{m2:02d}", "stated interval")
    )
    d1 = rng.randint(1, 20)
    d2 = d1 + rng.randint(1, 7)
    forms.append(
        (f"From {d1} to {d2}\u00a0{MONTH_NAMES[m1 - 1]} {year}", f"{year}-{m1:02d}-{d1:02d}/{year}-{m1:02d}-{d2:02d}", "stated interval")
    )
    return forms


def _year_weight(year: int) -> float:
    if year <= 1945:
        return 3.0
    if year >= 2005:
        return 2.5
    if 1960 <= year <= 1980:
        return 0.4  # sparse years, so the timeline has gaps to show
    return 1.0


def _build_sources(rng: random.Random) -> tuple[list[str], list[_Sentence]]:
    """Assemble the articles from dated sentences; returns the texts and every dated sentence's slice."""
    parts: list[list[str]] = [[] for _ in SOURCES]
    lengths = [0] * len(SOURCES)
    sentences: list[_Sentence] = []

    def add(i: int, text: str) -> tuple[int, int]:
        start = lengths[i]
        parts[i].append(text)
        lengths[i] += len(text)
        return start, lengths[i]

    for i, (_, title, publisher, _published, _) in enumerate(SOURCES):
        add(i, f"• Home\n• World\n• Share\n\n{title}\n\nBy staff reporters, {publisher}\n\n")
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        actors, _, predicates, _ = _era_vocab(year)
        for phrase, edtf, basis in _date_forms(rng, year):
            i = rng.randrange(len(SOURCES))
            closing = rng.choice(CLOSINGS).format(work=rng.choice(WORKS))
            text = f"{phrase}, {rng.choice(actors)} {rng.choice(predicates)} {rng.choice(PLACES)}, {closing}"
            text = text[0].upper() + text[1:]
            start, end = add(i, text)
            sentences.append(_Sentence(i, start, end, text, edtf, phrase, f"“{phrase}” ({basis})"))
            add(i, " " + rng.choice(FILLER).format(work=rng.choice(WORKS)) + ("\n\n" if rng.random() < 0.4 else " "))
    # Dates relative to the article: "last year" resolved against the source's publication date.
    for i, (_, _, _, published, pub_year) in enumerate(SOURCES):
        actors, _, predicates, _ = _era_vocab(pub_year - 1)
        for _ in range(3):
            text = f"Last year, {rng.choice(actors)} {rng.choice(predicates)} {rng.choice(PLACES)}, {rng.choice(CLOSINGS)}"
            text = text.format(work=rng.choice(WORKS))
            start, end = add(i, text)
            basis = f"“last year” in an article published {published.rstrip('?')}"
            sentences.append(_Sentence(i, start, end, text, f"{pub_year - 1}", "Last year", basis))
            add(i, "\n\n")
    return ["".join(p) for p in parts], sentences


def _slug(text: str) -> str:
    out = []
    for ch in text.casefold():
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _digits(edtf: str) -> str:
    return "".join(ch for ch in edtf.split("/")[0] if ch.isdigit())[:6]


def _event(rng: random.Random, k: int, sent: _Sentence, by_source: list[list[_Sentence]], texts: list[str]) -> dict[str, object]:
    year = int(sent.date[:4])
    actors, titles, _, tags = _era_vocab(year)
    actor, place = rng.choice(actors), rng.choice(PLACES)
    title = f"{actor} {rng.choice(titles)} {place}"
    title = title[0].upper() + title[1:]
    summary = (
        f"{title} ({sent.phrase.casefold() if sent.phrase != 'Last year' else 'the year before the article'}). "
        f"The account comes from {SOURCES[sent.source][2]}"
        + (", which quotes local witnesses." if rng.random() < 0.5 else " and is echoed in a later article.")
    )
    event_tags = sorted(rng.sample(tags, rng.randint(1, min(3, len(tags)))))
    quotes = [{"source": SOURCES[sent.source][0], "start": sent.start, "end": sent.end, "text": sent.text}]
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        other = rng.choice(by_source[rng.randrange(len(SOURCES))])
        if rng.random() < 0.3:  # a longer passage: the sentence plus what follows it
            end = min(len(texts[other.source]), other.end + rng.randint(40, 120))
            text = texts[other.source][other.start : end]
            if text.rstrip() != text:
                end = other.start + len(text.rstrip())
                text = text.rstrip()
            quotes.append({"source": SOURCES[other.source][0], "start": other.start, "end": end, "text": text})
        else:
            quotes.append({"source": SOURCES[other.source][0], "start": other.start, "end": other.end, "text": other.text})
    return {
        "id": f"{_digits(sent.date)}-{_slug(actor)[:18].strip('-')}-{_slug(place)}-{k:06d}",
        "date": sent.date,
        "date_basis": sent.basis,
        "title": title,
        "summary": summary,
        "tags": event_tags,
        "quotes": quotes,
    }


def build(n: int, seed: int = 0) -> tuple[dict[str, object], dict[str, str]]:
    """The events.json document and the source files (relative path -> text) for ``n`` events."""
    rng = random.Random(seed)
    texts, sentences = _build_sources(rng)
    by_source: list[list[_Sentence]] = [[s for s in sentences if s.source == i] for i in range(len(SOURCES))]
    weights = [_year_weight(int(s.date[:4])) for s in sentences]
    picks = rng.choices(sentences, weights=weights, k=n)
    events = [_event(rng, k, sent, by_source, texts) for k, sent in enumerate(picks)]

    def key(e: dict[str, object]) -> tuple[object, ...]:
        d = parse_edtf(str(e["date"]))
        return (d.lower, d.upper, e["id"])

    events.sort(key=key)
    files = {f"sources/{sid}.txt": texts[i] for i, (sid, *_rest) in enumerate(SOURCES)}
    doc: dict[str, object] = {
        "schema_version": 1,
        "title": f"Synthetic timeline: {n} events (seed {seed})",
        "span": {"start": str(FIRST_YEAR), "end": str(LAST_YEAR)},
        "eras": [{"id": i, "title": t, "date": d} for i, t, d in ERAS],
        "sources": [
            {"id": sid, "title": title, "publisher": pub, "published": published, "path": f"sources/{sid}.txt"}
            for sid, title, pub, published, _ in SOURCES
        ],
        "events": events,
    }
    return doc, files


def _stamp(n: int, seed: int) -> str:
    return json.dumps({"generator": GENERATOR_VERSION, "n": n, "seed": seed})


def generate(n: int, out_dir: Path | str, seed: int = 0) -> Path:
    """Write events.json and its sources into ``out_dir``; returns the events.json path."""
    out = Path(out_dir)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    doc, files = build(n, seed)
    for rel, text in files.items():
        with open(out / rel, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    path = out / "events.json"
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    (out / ".generated").write_text(_stamp(n, seed) + "\n", encoding="utf-8")
    return path


def cached(n: int, seed: int = 0, root: Path = DATA_DIR) -> Path:
    """events.json for (n, seed) under ``benchmarks/data/``, generated only if missing or stale."""
    out = root / f"n{n}-s{seed}"
    stamp = out / ".generated"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == _stamp(n, seed) and (out / "events.json").is_file():
        return out / "events.json"
    return generate(n, out, seed)


def add_notes(events_path: Path, m: int, store_path: Path, seed: int = 0) -> Path:
    """Write ``m`` notes on random events of the dataset into an annotation store at ``store_path``."""
    from timeline_tui.core.loader import load_dataset
    from timeline_tui.core.store import AnnotationStore

    dataset = load_dataset(events_path)
    rng = random.Random(seed + 1)
    store = AnnotationStore.open(store_path)
    try:
        for _ in range(m):
            event = rng.choice(dataset.events)
            store.add_note(event.id, rng.choice(NOTE_TEXTS))
    finally:
        store.close()
    return store_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="output directory (default benchmarks/data/nN-sS)")
    parser.add_argument("--notes", type=int, default=0, metavar="M", help="also write M notes into OUT/notes.json")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    out = args.out if args.out is not None else DATA_DIR / f"n{args.n}-s{args.seed}"
    t0 = time.perf_counter()
    path = generate(args.n, out, args.seed)
    print(f"{path}: {args.n} events ({time.perf_counter() - t0:.1f} s)")
    if args.notes:
        t0 = time.perf_counter()
        store = add_notes(path, args.notes, out / "notes.json", args.seed)
        print(f"{store}: {args.notes} notes ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

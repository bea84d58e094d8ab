"""The Markdown export: a readable, cited document that renders the same in any CommonMark tool.

Layout (chronological)::

    ---
    title: "Timeline export — <dataset title>"
    date: "<generation date>"
    ---

    # Timeline export — <dataset title>
    <what was exported: count, dataset, filters>\\
    Generated <time>.

    ## <human date> — <event title>
    *Date basis:* ... · *EDTF:* ... · *ID:* ...
    <summary>
    *Tags:* ...
    > <quote>[^1]
    > *Your linked passage (anchor exact):*\\ <passage>[^2]
    **Your notes**
    - *Note, updated ...:*
      <note text>

    [^1]: *<source title>*, <publisher>, published <date>. File <path>, code points <start>–<end>.

Footnotes are numbered in order of first use; a passage quoted by several events shares one.
"""

from __future__ import annotations

import json

from timeline_tui.core.annotations import Note
from timeline_tui.core.export.escape import block, md_text
from timeline_tui.core.export.footnotes import SAFE_URL, CitationStyle, Footnotes
from timeline_tui.core.export.gather import AnchoredLink, Gathered, note_time
from timeline_tui.core.export.options import ExportOptions
from timeline_tui.core.model import Dataset, Event
from timeline_tui.core.textsafe import plain

#: How a citation is written in Markdown (the wording is shared with the HTML export).
_CITATIONS = CitationStyle(
    text=md_text,
    emphasis=lambda text: f"*{text}*",
    url=lambda url: f"<{url}>" if SAFE_URL.fullmatch(url) else md_text(url),
    definition=lambda number, body: f"[^{number}]: {body}",
)


def _quote_lines(text: str, ref: int, label: str = "") -> list[str]:
    """A passage as a blockquote whose last line ends with the footnote reference."""
    lines = block(text, prefix="> ")
    if not lines:
        lines = ["> " + "\u2026"]
    if label:
        lines.insert(0, f"> {label}\\")
    last = lines[-1]
    if last.endswith("!"):  # "![^1]" would read as an image
        last = last[:-1] + "\\!"
    lines[-1] = f"{last}[^{ref}]"  # attached: no space between the passage and its citation
    return lines


def _event_lines(
    dataset: Dataset, event: Event, options: ExportOptions, notes: list[Note], links: list[AnchoredLink],
    footnotes: Footnotes,
) -> list[str]:
    heading = md_text(event.date.display())
    if plain(event.title).strip():
        heading += f" — {md_text(event.title)}"
    out = [f"## {heading}", ""]
    facts = []
    if event.date_basis.strip():
        facts.append(f"*Date basis:* {md_text(event.date_basis)}")
    facts.append(f"*EDTF:* {md_text(event.date.edtf())}")
    facts.append(f"*ID:* {md_text(event.id)}")
    out += [" · ".join(facts), ""]
    summary = block(event.summary)
    if summary:
        out += [*summary, ""]
    if event.tags:
        out += ["*Tags:* " + ", ".join(md_text(t) for t in event.tags), ""]
    if options.include_quotes:
        for quote in event.quotes:
            out += [*_quote_lines(quote.text, footnotes.quote(quote)), ""]
    if options.include_links:
        for item in links:
            status = "orphaned, stored text" if item.orphaned else md_text(item.anchor.describe())
            label = f"*Your linked passage ({status}):*"
            out += [*_quote_lines(item.text, footnotes.link(item), label), ""]
            if item.link.comment.strip():
                out += block(item.link.comment, first_prefix="*Your comment on this passage:* ")
                out.append("")
    if options.include_notes and notes:
        out += ["**Your notes**", ""]
        for note in notes:
            stamp = md_text(note_time(note.updated or note.created))
            out += [f"- *Note, updated {stamp}:*", ""]
            body = block(note.text, prefix="  ")
            if body:
                out += [*body, ""]
    return out


def render_markdown(job: Gathered) -> str:
    """The whole Markdown document (ends with one newline)."""
    dataset, chosen = job.dataset, job.events
    count = len(chosen)
    noun = "event" if len(dataset.events) == 1 else "events"  # "1 of 6 events", "1 of 1 event"
    title = f"Timeline export — {md_text(dataset.title)}"
    out = [
        # YAML metadata (pandoc -s takes its title from it; other tools read it as front matter).
        # Pandoc reads the values as Markdown, so they are the escaped text inside a JSON/YAML string.
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"date: {json.dumps(job.options.generated_utc().strftime('%Y-%m-%d'))}",
        "---",
        "",
        f"# {title}",
        "",
        f"Exported {count} of {len(dataset.events)} {noun} from *{md_text(dataset.title)}*.\\",
        f"Filters: {md_text(job.filters)}.\\",
        f"Generated {job.options.generated_text()}.",
        "",
    ]
    footnotes = Footnotes(dataset, _CITATIONS)
    for event in chosen:
        out += _event_lines(dataset, event, job.options, job.notes_of(event), job.links_of(event), footnotes)
    for definition in footnotes.definitions:
        out += [definition, ""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"

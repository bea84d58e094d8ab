"""The HTML export: one self-contained page to look at, share and print — a picture, then the text.

The page is a single file with nothing to fetch: the style is inline, fonts are the reader's own,
there is no script at all, and a Content-Security-Policy forbids scripts and every network load,
so even a mistake in escaping could not run code or call home. It holds:

* the title and the line saying what was exported (as the Markdown export words it);
* the picture of the timeline (:func:`timeline_tui.core.export.svg_format.timeline_svg`), each
  mark numbered and linked to its event;
* per event, numbered the same way: a heading with the human date and title, the date's basis,
  EDTF and id, the summary, the tags, each quote (``blockquote.quote`` carrying its source and
  code points) with its footnote, your linked passages and notes;
* the footnotes: source title, publisher, publication date, file and code points.

The content and its wording are the Markdown export's (:mod:`timeline_tui.core.export.markdown`),
and a test holds the two to each other. Multi-line text keeps its lines (``pre-wrap``). A print
style sheet makes "print to PDF" give a handout. The page is also well-formed XML (void elements
closed), which lets tests parse it strictly.
"""

from __future__ import annotations

from timeline_tui.core.annotations import Note
from timeline_tui.core.export.footnotes import SAFE_URL, CitationStyle, Footnotes
from timeline_tui.core.export.gather import AnchoredLink, Gathered, note_time
from timeline_tui.core.export.svg_format import timeline_svg
from timeline_tui.core.export.xmltext import xml_block, xml_line
from timeline_tui.core.model import Event
from timeline_tui.core.textsafe import plain

#: The id prefix of an event's section (``event-1``...), which the picture's marks link to.
SECTION_PREFIX = "event-"

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_STYLE = """
:root{color-scheme:light}
body{font:16px/1.55 Georgia,"DejaVu Serif","Liberation Serif",serif;color:#1a202c;background:#fff;
  max-width:52rem;margin:2rem auto;padding:0 1.2rem}
h1{font-size:1.65rem;line-height:1.25;margin:0 0 .6rem}
.about{color:#4a5568}
figure{margin:1.6rem 0 2rem;width:min(1000px,calc(100vw - 2rem));position:relative;left:50%;transform:translateX(-50%)}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:.85rem;color:#4a5568;max-width:52rem;margin:.3rem auto 0;padding:0 1.2rem;box-sizing:border-box}
section.event{border-top:1px solid #e2e8f0;margin-top:1.8rem;padding-top:.4rem}
h2{font-size:1.2rem;line-height:1.3;margin:.6rem 0 .3rem}
h2[data-n]::before{content:attr(data-n) ". ";color:#718096;font-weight:normal}
.facts{font-size:.85rem;color:#4a5568;margin:.2rem 0 .6rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
blockquote{margin:.9rem 0;padding:.15rem 0 .15rem 1rem;border-left:3px solid #2b6cb0;color:#2d3748}
blockquote p{margin:.2rem 0}
blockquote.linked{border-left-color:#dd6b20}
a.ref{font-size:.75em;vertical-align:super;line-height:0;text-decoration:none;margin-left:.15em}
ul.notes{padding-left:1.2rem}
hr.footnotes-sep{margin-top:2.5rem;border:0;border-top:1px solid #cbd5e0}
ol.footnotes{font-size:.85rem;color:#2d3748;padding-left:1.6rem}
ol.footnotes li{margin:.3rem 0;overflow-wrap:anywhere}
a{color:#2b6cb0}
@media print{
  @page{margin:16mm 15mm}
  body{font-size:10.5pt;max-width:none;margin:0;padding:0}
  a{color:inherit;text-decoration:none}
  figure{break-inside:avoid;width:auto;left:0;transform:none}
  figcaption .screen{display:none}
  section.event{break-inside:auto}
  h2{break-after:avoid}
  blockquote,ul.notes li,ol.footnotes li{break-inside:avoid}
}
"""


#: How a citation is written in HTML (the wording is shared with the Markdown export).
_CITATIONS = CitationStyle(
    text=xml_line,
    emphasis=lambda text: f"<em>{text}</em>",
    url=lambda url: f'<a href="{xml_line(url)}">{xml_line(url)}</a>' if SAFE_URL.fullmatch(url) else xml_line(url),
    definition=lambda number, body: f'<li id="fn-{number}">{body}</li>',
)


def _ref(number: int) -> str:
    return f'<a class="ref" href="#fn-{number}">[{number}]</a>'


def _passage(text: str, ref: int) -> str:
    """A quoted passage with its footnote reference at the end of its last line."""
    return f'<p><span class="text">{xml_block(text) or "…"}</span>{_ref(ref)}</p>'


def _event_html(number: int, job: Gathered, event: Event, notes: list[Note], links: list[AnchoredLink],
                footnotes: Footnotes) -> list[str]:
    options = job.options
    heading = xml_line(event.date.display())
    if plain(event.title).strip():
        heading += f" — {xml_line(event.title)}"
    out = [
        f'<section class="event" id="{SECTION_PREFIX}{number}" data-id="{xml_line(event.id)}">',
        f'<h2 data-n="{number}">{heading}</h2>',
    ]
    facts = []
    if event.date_basis.strip():
        facts.append(f"<em>Date basis:</em> {xml_line(event.date_basis)}")
    facts.append(f"<em>EDTF:</em> {xml_line(event.date.edtf())}")
    facts.append(f"<em>ID:</em> {xml_line(event.id)}")
    out.append(f'<p class="facts">{" · ".join(facts)}</p>')
    summary = xml_block(event.summary)
    if summary:
        out.append(f'<p class="summary text">{summary}</p>')
    if event.tags:
        out.append(f'<p class="tags"><em>Tags:</em> {", ".join(xml_line(t) for t in event.tags)}</p>')
    if options.include_quotes:
        for quote in event.quotes:
            out.append(
                f'<blockquote class="quote" data-source="{xml_line(quote.source)}" data-start="{quote.start}" '
                f'data-end="{quote.end}">{_passage(quote.text, footnotes.quote(quote))}</blockquote>'
            )
    if options.include_links:
        for item in links:
            status = "orphaned, stored text" if item.orphaned else xml_line(item.anchor.describe())
            out.append(
                f'<blockquote class="linked"><p class="label"><em>Your linked passage ({status}):</em></p>\n'
                f"{_passage(item.text, footnotes.link(item))}</blockquote>"
            )
            comment = xml_block(item.link.comment)
            if comment.strip():
                out.append(f'<p class="comment"><em>Your comment on this passage:</em> <span class="text">{comment}</span></p>')
    if options.include_notes and notes:
        out += ['<p class="notes-heading"><strong>Your notes</strong></p>', '<ul class="notes">']
        for note in notes:
            stamp = xml_line(note_time(note.updated or note.created))
            body = xml_block(note.text)
            out.append(f"<li><p><em>Note, updated {stamp}:</em></p>"
                       + (f'\n<p class="text">{body}</p>' if body else "") + "</li>")
        out.append("</ul>")
    out.append("</section>")
    return out


def render_html(job: Gathered) -> str:
    """The whole page (ends with one newline)."""
    dataset, chosen = job.dataset, job.events
    count = len(chosen)
    noun = "event" if len(dataset.events) == 1 else "events"  # "1 of 6 events", "1 of 1 event"
    title = xml_line(dataset.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        '<meta name="generator" content="timeline-tui"/>',
        f"<title>Timeline export — {title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>Timeline export — {title}</h1>",
        f'<p class="about">Exported {count} of {len(dataset.events)} {noun} from <em>{title}</em>.<br/>\n'
        f"Filters: {xml_line(job.filters)}.<br/>\nGenerated {job.options.generated_text()}.</p>",
        '<figure class="picture">',
        timeline_svg(dataset, chosen, link_prefix=SECTION_PREFIX),
        "<figcaption>One mark per event, numbered as below; a month or year the source gives no day for "
        "is drawn across that month or year; grey breaks are years without events."
        '<span class="screen"> Click a mark to go to its event.</span></figcaption>',
        "</figure>",
    ]
    footnotes = Footnotes(dataset, _CITATIONS)
    for number, event in enumerate(chosen, 1):
        out += _event_html(number, job, event, job.notes_of(event), job.links_of(event), footnotes)
    if footnotes.definitions:
        out += ['<hr class="footnotes-sep"/>', '<ol class="footnotes">', *footnotes.definitions, "</ol>"]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"

"""What the marks on the timeline screen mean: the legend its help (``?``) shows."""

from __future__ import annotations

from collections.abc import Mapping

from timeline_tui.ui.keys import hint

#: (mark as it looks, what it means), in the order they meet the eye: strip, band, rows, details;
#: ``{export}`` and the like are filled in with the keys as bound now (see :func:`timeline_legend`)
TIMELINE_LEGEND: tuple[tuple[str, str], ...] = (
    ("▁▃▅█ · ▲", "the overview strip: events per year over the whole span (taller = more, on a log scale; "
                      "one column per year, or per few years when narrow), · a year without events, ▲ the "
                      "cursor's year; click it to jump"),
    ("▌", "the era band at the left of the rows: one colour per era; an era's name is on the first year "
          "header inside it, and the border above the timeline names the cursor's year and eras"),
    ("┆ 1946–2004", "a run of years without events (without matching events when filtered)"),
    ("1945 Aug 8 May", "an event's date at its own precision: a year-only event sits in its year, a "
                         "month-only event in its month, never on a made-up day"),
    ("7–10 May", "an interval (also 1937–1945, May–Jun): the event lasts from the first date to the second"),
    ("1945?", "uncertain date (EDTF ?)"),
    ("c. 1945", "approximate date (EDTF ~)"),
    ("c. 1945?", "uncertain and approximate (EDTF %)"),
    ("⟨1 3⟩", "the sources quoting the event, numbered as under Source badges below (… when more)"),
    ("✎", "you have notes or linked passages on the event"),
    ("●", "selected (kept in the notes store; {export} exports, {copy} copies)"),
    ("○", "in a range being chosen with {range} ({select} or {open} takes it)"),
    ("›", "matches the search; the matching words are highlighted in the title"),
    ("▌ (details)", "a quote (blue), your linked passage (green; red when it is no longer found in the "
                         "source), your note (yellow); ⚠ a quote whose source file is missing"),
    ("exact moved fuzzy", "where your linked passage is now: at its place, elsewhere in the source, or "
                              "only approximately (the text changed)"),
)


def timeline_legend(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """The legend with the keys it names as the user's keymap binds them."""
    keys = {"export": "export", "copy": "export.copy", "range": "select.range", "select": "select.toggle",
            "open": "open_source"}
    named = {name: hint(key_id, keymap) for name, key_id in keys.items()}
    return [(mark, meaning.format(**named)) for mark, meaning in TIMELINE_LEGEND]

"""The size limits on untrusted input, in one place (documented in docs/data.md, "Limits").

A dataset, an article or a note may come from anyone, so every size the program reads is
bounded: past a limit the input is refused with a message that names the limit and the place,
and nothing is read further. The defaults are generous: the 100,000-event benchmark file
(96 MB) loads, a 10 MB article can be extracted and imported, a 20 MB summary and a 10 MB note
are accepted (the app shows them truncated where it must).

Lengths are in code points (Python ``len``), file sizes in bytes.
"""

from __future__ import annotations

MB = 1_000_000

#: events.json itself. The 100k benchmark file is 96 MB; loading takes about 4.5 times the file size in memory.
MAX_EVENTS_FILE_BYTES = 512 * MB
#: a source article (events.json's ``sources[].path``), and an article given to ``extract`` or ``import``.
MAX_SOURCE_BYTES = 64 * MB
#: how deeply JSON may nest (events.json needs 5 levels); enforced by the JSON parser (orjson's limit).
MAX_JSON_DEPTH = 1024

#: ids of events, sources and eras (slugs).
MAX_ID_CHARS = 200
#: an EDTF date string (the longest valid one, ``YYYY-MM-DD%/YYYY-MM-DD%``, has 23 characters).
MAX_DATE_CHARS = 64
#: titles: the dataset's, an event's, a source's or era's, and a source's publisher.
MAX_TITLE_CHARS = 2_000
#: an event's summary: a 20 MB summary is accepted (the app truncates what it shows at first).
MAX_SUMMARY_CHARS = 32 * MB
#: an event's ``date_basis`` ("a few words" on where the date comes from).
MAX_DATE_BASIS_CHARS = 10_000
#: one tag, and the number of tags on one event.
MAX_TAG_CHARS = 200
MAX_TAGS = 1_000
#: a source's ``path`` and ``url``.
MAX_PATH_CHARS = 4_096
#: a note's text (``notes add``, the note editor): a 10 MB note is accepted.
MAX_NOTE_CHARS = 16 * MB

#: data echoed in a message (an id, a date, a path) is cut to this many characters, ending in "…".
ECHO_CHARS = 80
#: the extractor cuts a "sentence" longer than this (a page without full stops) into pieces of at most this size.
MAX_SENTENCE_CHARS = 2_000


def size_text(n: int) -> str:
    """A byte count for a message: ``64 MB``, ``1.5 MB``, ``900 bytes``."""
    if n >= MB:
        value = n / MB
        return f"{value:.0f} MB" if value >= 10 or value.is_integer() else f"{value:.1f} MB"
    return f"{n:,} bytes"

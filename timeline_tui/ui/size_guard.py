"""Below the smallest usable terminal, every screen shows one message and only quitting and
resizing act.

Under :data:`MIN_WIDTH` × :data:`MIN_HEIGHT` nothing can be read or edited safely, so the app
(:class:`~timeline_tui.ui.keyed_app.KeyedApp`) gives every screen on its stack — the timeline,
the source viewer, the import review, any dialog, Textual's own screens — the ``-too-small``
class and a :class:`TooSmallNotice`; the CSS here hides everything else (toasts too). Keys,
mouse and pastes are dropped before they reach any screen, except the quit keys; the notice says
what to do in as many words as fit, down to a few cells.
"""

from __future__ import annotations

from textual.widgets import Static

from timeline_tui.ui.text import literal, width_of

#: below this the app shows only :class:`TooSmallNotice`
MIN_WIDTH, MIN_HEIGHT = 40, 12

#: the app-wide rules (the app's ``CSS``): a too-small screen shows its notice and nothing else
CSS = """
TooSmallNotice {
    display: none;
    width: 100%;
    height: 100%;
    content-align: center middle;
    text-align: center;
    background: $background;
    color: $text-warning;
    text-style: bold;
}
Screen.-too-small > * { display: none !important; }
Screen.-too-small > TooSmallNotice { display: block !important; }
/* a new toast sets its rack's display itself: hidden that way instead, so the message stays whole */
Screen.-too-small > ToastRack { max-height: 0 !important; }
"""


def notice_lines(width: int, height: int, *, quit_key: str, unsaved: bool = False) -> list[str]:
    """The notice for a ``width`` × ``height`` terminal: the longest wording whose lines all fit.

    ``quit_key`` is the key that quits from here (``q``, or ``ctrl+q`` when a note being edited
    would be lost: ``unsaved``).
    """
    need, now = f"{MIN_WIDTH}×{MIN_HEIGHT}", f"{width}×{height}"
    if unsaved:
        quits, short = f"{quit_key} quits without saving the note", f"{quit_key} quits"
        unsaved_line = ["note not saved"]
    else:
        quits = short = f"{quit_key} quits"
        unsaved_line = []
    variants = [
        ["Terminal too small", "", f"Resize to at least {need}", f"(it is {now} now)", "", quits],
        ["Terminal too small", f"Resize to at least {need}", *unsaved_line, quits],
        ["Too small", f"need {need}", f"now {now}", *unsaved_line, short],
        ["Too small", f"need {need}", *unsaved_line, short],
        ["Too small", *unsaved_line, short],
        ["Too small", short],
        ["Too small"],
    ]
    for lines in variants:
        if len(lines) <= height and all(width_of(line) <= width for line in lines):
            return lines
    return ["Too small"[: max(1, width)]]


class TooSmallNotice(Static):
    """The message a too-small screen shows instead of its content (see :func:`notice_lines`)."""

    def show_for(self, width: int, height: int, *, quit_key: str, unsaved: bool) -> None:
        self.update(literal("\n".join(notice_lines(width, height, quit_key=quit_key, unsaved=unsaved)),
                            multiline=True))

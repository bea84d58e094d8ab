"""The note being edited was changed or deleted elsewhere: say so, show their version, and let the
user choose — overwrite it, keep both (theirs, and this text as a new note), or go back to editing.
Nothing is dropped without the user choosing it."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from timeline_tui.core.annotations import Note
from timeline_tui.ui.annotating import local_time
from timeline_tui.ui.dialogs.dialog import Dialog, hint_for
from timeline_tui.ui.keys import bindings
from timeline_tui.ui.text import literal

Choice = Literal["overwrite", "both", "back"]

#: characters of the other version shown (the whole of it is kept in the store)
SHOWN = 800


class EditConflictScreen(Dialog[Choice]):
    """Note ``expected`` (as the editor opened it) is now ``current`` (``None``: deleted elsewhere).

    Dismisses with ``"overwrite"`` (save this text over theirs; not offered when it was deleted),
    ``"both"`` (keep theirs, save this text as a new note) or ``"back"`` (to the editor, text kept).
    """

    KEY_SCOPE = "conflict"
    BINDINGS: ClassVar[list[BindingType]] = bindings(KEY_SCOPE)

    DEFAULT_CSS = """
    EditConflictScreen > .dialog { width: 72; border: round $warning; }
    EditConflictScreen #conflict-body { height: auto; max-height: 16; }
    EditConflictScreen #conflict-theirs { height: auto; margin: 1 0; padding: 0 1; background: $panel; }
    EditConflictScreen #conflict-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    EditConflictScreen Button { margin-left: 1; min-width: 8; }
    EditConflictScreen.-narrow #conflict-buttons { layout: vertical; align-horizontal: left; }
    EditConflictScreen.-narrow Button { margin-left: 0; width: 100%; }
    EditConflictScreen.-narrow #conflict-theirs { margin: 0; }
    EditConflictScreen.-narrow #conflict-buttons { margin-top: 0; }
    """

    def __init__(self, expected: Note, current: Note | None) -> None:
        super().__init__()
        self.expected, self.current = expected, current

    def compose(self) -> ComposeResult:
        deleted = self.current is None
        with Vertical(classes="dialog") as box:
            box.border_title = "Note deleted elsewhere" if deleted else "Note changed elsewhere"
            with VerticalScroll(id="conflict-body"):
                if self.current is None:
                    yield Static(literal("While you were editing this note, another program deleted it. "
                                         "Your text is kept.", multiline=True), id="conflict-what")
                else:
                    theirs = self.current.text
                    shown = theirs if len(theirs) <= SHOWN else theirs[:SHOWN] + "…"
                    yield Static(literal(f"While you were editing this note, another program changed it "
                                         f"(on {local_time(self.current.updated)}). It now reads:", multiline=True),
                                 id="conflict-what")
                    yield Static(literal(shown, multiline=True), id="conflict-theirs")
                    yield Static(literal("Your text is kept.", multiline=True))
            with Horizontal(id="conflict-buttons"):
                if not deleted:
                    yield Button(literal(f"Overwrite theirs ({hint_for(self, 'conflict.overwrite', '').strip()})"),
                                 id="conflict-overwrite", variant="warning", compact=True)
                both = "Keep both" if not deleted else "Save as a new note"
                yield Button(literal(f"{both} ({hint_for(self, 'conflict.both', '').strip()})"), id="conflict-both",
                             variant="primary", compact=True)
                yield Button(literal(f"Back to editing ({hint_for(self, 'conflict.back', '').strip()})"),
                             id="conflict-back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#conflict-both", Button).focus()

    def on_resize(self) -> None:
        narrow = self.size.width < 72
        self.set_class(narrow, "-narrow")  # the buttons one under the other
        buttons = len(self.query(Button)) if narrow else 2
        # the text scrolls; the buttons always stay in view
        self.query_one("#conflict-body").styles.max_height = max(2, min(16, self.size.height - 2 - buttons))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose((event.button.id or "conflict-back").removeprefix("conflict-"))

    def action_choose(self, choice: str) -> None:
        if choice == "overwrite" and self.current is None:
            return  # nothing to overwrite: it was deleted
        if choice in ("overwrite", "both", "back"):
            self.dismiss(choice)  # type: ignore[arg-type]

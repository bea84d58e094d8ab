"""A user's keymap: a TOML file that binds actions (by id) to other keys, and the clashes that makes.

The file has one table::

    [keymap]
    note.add = "n"           # one key
    "search.next" = "ctrl+n, F3"   # several, comma-separated

Keys are written as typed (``?``, ``(``, ``ctrl+n``, ``F3``, ``pagedown``) and stored in the long
form the UI's key events use (``question_mark``, ``left_parenthesis``, ``ctrl+n``, ``f3``). Nothing
here knows about Textual: the caller passes the ids it knows, and for clashes the default keys and
the scopes (screens, widgets) that are active together.
"""

from __future__ import annotations

import string
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timeline_tui.core.textsafe import plain

#: a keymap file larger than this is not read (it would be a mistake: the whole table is ~60 lines)
MAX_BYTES = 256 * 1024
MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
NAMED_KEYS = frozenset({
    "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete", "backspace",
    "tab", "enter", "escape", "space", *(f"f{n}" for n in range(1, 25)),
})
#: the UI's short names for some characters' Unicode names
REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at", "hyphen_minus": "minus",
                "plus_sign": "plus", "low_line": "underscore"}
#: names people type for keys, as the UI spells them
ALIASES = {"esc": "escape", "return": "enter", "pgup": "pageup", "pgdn": "pagedown", "page_up": "pageup",
           "page_down": "pagedown", "del": "delete", "ins": "insert", "bs": "backspace", " ": "space"}


class KeyError_(ValueError):
    """A key name that no key press can produce."""


def _quoted(text: str, limit: int = 40) -> str:
    text = plain(text)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def normalize_key(key: str) -> str:
    """One key as the UI names it: ``?`` -> ``question_mark``, ``Ctrl+N`` -> ``ctrl+N``, ``F3`` -> ``f3``.

    Raises :class:`KeyError_` for something no key press can produce.
    """
    raw = key.strip()
    if not raw:
        raise KeyError_("an empty key")
    if raw == "+":
        mods, base = [], "+"
    elif raw.endswith("++"):
        mods, base = raw[:-2].split("+"), "+"
    else:
        *mods, base = raw.split("+")
    modifiers: list[str] = []
    for m in mods:
        m = m.strip().lower()
        if m not in MODIFIERS:
            raise KeyError_(f"unknown modifier {_quoted(m)} in {_quoted(raw)}")
        if m not in modifiers:
            modifiers.append(m)
    base = base.strip()
    if not base:
        raise KeyError_(f"no key after the modifiers in {_quoted(raw)}")
    if len(base) == 1:
        name = _char_name(base)
    else:
        lower = base.lower()
        lower = ALIASES.get(lower, lower)
        if lower in NAMED_KEYS or lower in _PUNCTUATION:
            name = lower
        else:
            try:
                char = unicodedata.lookup(lower.replace("_", " ").upper())
            except KeyError:
                raise KeyError_(f"unknown key {_quoted(base)}") from None
            name = _char_name(char)
    ordered = [m for m in MODIFIERS if m in modifiers]
    return "+".join([*ordered, name])


def _char_name(char: str) -> str:
    """A single character as a key name: letters and digits as themselves, others by Unicode name."""
    if char == " ":
        return "space"
    if not char.isprintable():
        raise KeyError_(f"the control character U+{ord(char):04X} is not a key")
    if char.isalnum():
        return char
    try:
        name = unicodedata.name(char).lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        raise KeyError_(f"the character {_quoted(char)} has no key name") from None
    return REPLACEMENTS.get(name, name)


#: every ASCII punctuation key by its long name (``less_than_sign``, ``slash`` ...)
_PUNCTUATION = frozenset(_char_name(c) for c in string.punctuation)


def normalize_keys(keys: str) -> str:
    """A comma-separated list of keys, each normalized (duplicates dropped, order kept)."""
    out: list[str] = []
    for part in keys.split(","):
        if not part.strip():
            raise KeyError_(f"an empty key in {_quoted(keys)} (write comma for the , key)")
        name = normalize_key(part)
        if name not in out:
            out.append(name)
    return ",".join(out)


@dataclass(frozen=True)
class KeymapFile:
    """What a keymap file asks for (binding id -> normalized keys) and what was wrong with it."""

    path: Path | None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def parse_keymap(text: str, known: Collection[str], path: Path | None = None) -> KeymapFile:
    """Read the ``[keymap]`` table of a TOML document; unknown ids and bad keys become problems."""
    where = f"{path}: " if path is not None else ""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return KeymapFile(path, {}, (f"{where}not valid TOML ({plain(str(exc))}); the default keys are used.",))
    table = doc.get("keymap", {})
    if not isinstance(table, dict):
        return KeymapFile(path, {}, (f"{where}[keymap] must be a table of action = \"keys\".",))
    problems: list[str] = []
    keymap: dict[str, str] = {}
    for action, value in _flatten(table):
        if action not in known:
            problems.append(f"{where}unknown action {_quoted(action)} (the help screen, ?, lists the action ids).")
            continue
        if not isinstance(value, str):
            problems.append(f"{where}{action} must be a string of keys such as \"n\" or \"ctrl+n, f3\".")
            continue
        try:
            keymap[action] = normalize_keys(value)
        except KeyError_ as exc:
            problems.append(f"{where}{action}: {exc}; its default key is kept.")
    extra = sorted(k for k in doc if k != "keymap")
    if extra:
        problems.append(f"{where}unknown table(s) {', '.join(_quoted(k) for k in extra)}; only [keymap] is read.")
    return KeymapFile(path, keymap, tuple(problems))


def _flatten(table: Mapping[str, object], prefix: str = "") -> Iterable[tuple[str, object]]:
    """``note.add = "n"`` parses as a nested table ``{"note": {"add": "n"}}``: give back dotted ids."""
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name + ".")
        else:
            yield name, value


def read_keymap(path: Path, known: Collection[str]) -> KeymapFile:
    """The keymap in ``path``; a missing file is an empty keymap, an unreadable one a problem."""
    try:
        if not path.is_file():
            if path.exists():
                return KeymapFile(path, {}, (f"{path} is not a regular file; the default keys are used.",))
            return KeymapFile(path)
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return KeymapFile(path, {}, (f"Cannot read {path}: {exc.strerror or exc}; the default keys are used.",))
    if len(data) > MAX_BYTES:
        return KeymapFile(path, {}, (f"{path} is larger than {MAX_BYTES // 1024} KB; the default keys are used.",))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return KeymapFile(path, {}, (f"{path} is not UTF-8 text; the default keys are used.",))
    return parse_keymap(text, known, path)


@dataclass(frozen=True)
class Bound:
    """A binding's defaults: the scope it lives in, its keys (normalized, comma-separated), its action."""

    scope: str
    keys: str
    action: str


@dataclass(frozen=True)
class Clash:
    """``key`` runs more than one action where they are active together (``scopes``)."""

    key: str
    ids: tuple[str, ...]
    scopes: tuple[str, ...]


def find_clashes(
    defaults: Mapping[str, Bound],
    together: Sequence[Sequence[str]],
    keymap: Mapping[str, str],
) -> list[Clash]:
    """Keys the keymap makes ambiguous.

    ``defaults`` maps each binding id to its :class:`Bound`; ``together`` lists the groups of
    scopes active at the same time (a screen, the widget focused in it, the app). A clash is a key
    bound to two different actions in one group where at least one of them was rebound by
    ``keymap`` and the defaults did not already put those actions on that key (their own overlaps,
    such as the source viewer's ``q`` over the app's, are by design).
    """
    effective = _keys_in_groups(defaults, together, {i: keymap.get(i, b.keys) for i, b in defaults.items()})
    before = _keys_in_groups(defaults, together, {i: b.keys for i, b in defaults.items()})
    found: dict[tuple[str, tuple[str, ...]], Clash] = {}
    for (group, key), ids in effective.items():
        actions = {defaults[i].action for i in ids}  # two ids for one action (q, ctrl+q) are no clash
        by_default = {defaults[i].action for i in before.get((group, key), [])}
        if len(actions) > 1 and actions != by_default and any(i in keymap for i in ids):
            clash_ids = tuple(sorted(ids))
            scopes = tuple(dict.fromkeys(defaults[i].scope for i in clash_ids))
            found.setdefault((key, clash_ids), Clash(key, clash_ids, scopes))
    return sorted(found.values(), key=lambda c: (c.key, c.ids))


def _keys_in_groups(
    defaults: Mapping[str, Bound], together: Sequence[Sequence[str]], keys_of: Mapping[str, str]
) -> dict[tuple[int, str], list[str]]:
    """(group number, key) -> the binding ids that key runs in that group."""
    out: dict[tuple[int, str], list[str]] = {}
    for n, group in enumerate(together):
        for binding_id, bound in defaults.items():
            if bound.scope in group:
                for key in keys_of[binding_id].split(","):
                    ids = out.setdefault((n, key), [])
                    if key and binding_id not in ids:
                        ids.append(binding_id)
    return out

"""The user's annotations as one immutable value: what the store holds, the UI shows and the exporter reads.

:class:`AnnotationState` is the one copy of the notes, links, selection and settings in memory.
The store (:mod:`timeline_tui.core.store`) builds it from its file and replaces it with a new
value after every change, its own or another process's; nobody mutates it, so any thread may
read the state it was given while the store moves on. It is grouped by event once, here:

* ``notes`` / ``links`` — event id → the notes / links on it, oldest (lowest id) first;
* ``note(id)`` / ``link(id)``, ``all_notes()`` / ``all_links()`` (in id order), ``annotated``;
* ``selection`` — the selected event ids, in the order saved; ``settings`` — key → JSON value.

It is also what the exporter reads (:class:`timeline_tui.core.export.AnnotationSource`); its
``state`` is itself, as a store's ``state`` is its current one.

:class:`OutsideChanges` says what other processes changed between two states (notes added,
changed, removed; links; the selection; settings) with a one-line summary for the user, e.g.
``"2 notes added elsewhere"``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from timeline_tui.core.annotations import Link, Note

if TYPE_CHECKING:
    from timeline_tui.core.store import AnnotationStore

_EMPTY: Mapping[str, Any] = {}
_MISSING = object()


def _group(items: Iterable[Note | Link]) -> dict[str, tuple[Any, ...]]:
    """Items (in id order) by event id, each group in id order."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(item.event_id, []).append(item)
    return {event_id: tuple(group) for event_id, group in groups.items()}


def _insert_sorted(group: tuple[Any, ...], item: Note | Link) -> tuple[Any, ...]:
    """``group`` (in id order) with ``item`` put in its place (replacing one with the same id)."""
    ids = [x.id for x in group]
    i = bisect.bisect_left(ids, item.id)
    if i < len(group) and group[i].id == item.id:
        return (*group[:i], item, *group[i + 1:])
    return (*group[:i], item, *group[i:])


def _put(groups: Mapping[str, tuple[Any, ...]], by_id: dict[int, Any], item: Note | Link
         ) -> tuple[dict[str, tuple[Any, ...]], dict[int, Any]]:
    """Groups and index (in id order) with ``item`` added, or replacing the one with its id."""
    old = by_id.get(item.id)
    new_groups = _drop(groups, by_id, old)[0] if old is not None and old.event_id != item.event_id else dict(groups)
    new_groups[item.event_id] = _insert_sorted(new_groups.get(item.event_id, ()), item)
    new_by_id = dict(by_id)
    new_by_id[item.id] = item
    if old is None and item.id < next(reversed(by_id), 0):
        new_by_id = dict(sorted(new_by_id.items()))
    return new_groups, new_by_id


def _drop(groups: Mapping[str, tuple[Any, ...]], by_id: dict[int, Any], item: Note | Link
          ) -> tuple[dict[str, tuple[Any, ...]], dict[int, Any]]:
    """Groups and index without ``item``."""
    new_groups = dict(groups)
    rest = tuple(x for x in new_groups.get(item.event_id, ()) if x.id != item.id)
    if rest:
        new_groups[item.event_id] = rest
    else:
        new_groups.pop(item.event_id, None)
    new_by_id = dict(by_id)
    new_by_id.pop(item.id, None)
    return new_groups, new_by_id


@dataclass(frozen=True)
class AnnotationState:
    """Notes and links by event id (oldest first), the selection and the settings, at one moment.

    ``last_note_id`` / ``last_link_id`` are the highest ids ever given out in this store (ids are
    never reused, so a note restored by undo keeps its id). Never mutate the mappings.
    """

    notes: Mapping[str, tuple[Note, ...]] = field(default_factory=dict)
    links: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    selection: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    last_note_id: int = 0
    last_link_id: int = 0

    @classmethod
    def build(
        cls, notes: Iterable[Note], links: Iterable[Link], selection: Iterable[str] = (),
        settings: Mapping[str, Any] = _EMPTY, last_note_id: int = 0, last_link_id: int = 0,
    ) -> AnnotationState:
        """A state from records in any order (grouped and sorted here)."""
        all_notes = sorted(notes, key=lambda n: n.id)
        all_links = sorted(links, key=lambda lk: lk.id)
        last_note = max(last_note_id, all_notes[-1].id if all_notes else 0)
        last_link = max(last_link_id, all_links[-1].id if all_links else 0)
        state = cls(_group(all_notes), _group(all_links), tuple(selection), dict(settings), last_note, last_link)
        state.__dict__["_notes_by_id"] = {n.id: n for n in all_notes}
        state.__dict__["_links_by_id"] = {lk.id: lk for lk in all_links}
        return state

    @classmethod
    def read(cls, store: AnnotationStore | None) -> AnnotationState:
        """The store's current state (empty without a store). Costs nothing: the state is shared."""
        return cls() if store is None else store.state

    # -- looking up ----------------------------------------------------------------------------

    @property
    def state(self) -> AnnotationState:
        """This state itself: a state and its store can both be handed to the exporter."""
        return self

    @cached_property
    def _notes_by_id(self) -> dict[int, Note]:
        return {n.id: n for n in sorted((n for ns in self.notes.values() for n in ns), key=lambda n: n.id)}

    @cached_property
    def _links_by_id(self) -> dict[int, Link]:
        return {lk.id: lk for lk in sorted((lk for ls in self.links.values() for lk in ls), key=lambda lk: lk.id)}

    def note(self, note_id: int) -> Note | None:
        return self._notes_by_id.get(note_id)

    def link(self, link_id: int) -> Link | None:
        return self._links_by_id.get(link_id)

    def all_notes(self) -> list[Note]:
        """Every note, oldest (lowest id) first."""
        return list(self._notes_by_id.values())

    def all_links(self) -> list[Link]:
        """Every link, oldest (lowest id) first."""
        return list(self._links_by_id.values())

    @property
    def note_count(self) -> int:
        return len(self._notes_by_id)

    @property
    def annotated(self) -> set[str]:
        """Events having notes or links."""
        return set(self.notes) | set(self.links)

    def searchable(self, event_id: str) -> str:
        """The user's text on one event for ``/``: notes, link comments and linked passages."""
        parts = [n.text for n in self.notes.get(event_id, ())]
        for link in self.links.get(event_id, ()):
            parts.append(link.quote.exact)
            if link.comment:
                parts.append(link.comment)
        return "\n".join(parts)

    def changed_events(self, other: AnnotationState) -> set[str]:
        """Events whose notes or links differ between ``self`` and ``other``."""
        ids = set(self.notes) | set(other.notes) | set(self.links) | set(other.links)
        return {
            i for i in ids
            if self.notes.get(i, ()) != other.notes.get(i, ()) or self.links.get(i, ()) != other.links.get(i, ())
        }

    # -- new states (the store's changes) ------------------------------------------------------

    def _derive(self, **changes: Any) -> AnnotationState:
        return replace(self, **changes)

    def _with_index(self, state: AnnotationState, name: str, index: dict[int, Any]) -> AnnotationState:
        state.__dict__[name] = index
        return state

    def with_note(self, note: Note) -> AnnotationState:
        """This state with ``note`` added, or replacing the note with its id."""
        notes, by_id = _put(self.notes, self._notes_by_id, note)
        state = self._derive(notes=notes, last_note_id=max(self.last_note_id, note.id))
        return self._with_index(state, "_notes_by_id", by_id)

    def without_note(self, note: Note) -> AnnotationState:
        notes, by_id = _drop(self.notes, self._notes_by_id, note)
        return self._with_index(self._derive(notes=notes), "_notes_by_id", by_id)

    def with_link(self, link: Link) -> AnnotationState:
        """This state with ``link`` added, or replacing the link with its id."""
        links, by_id = _put(self.links, self._links_by_id, link)
        state = self._derive(links=links, last_link_id=max(self.last_link_id, link.id))
        return self._with_index(state, "_links_by_id", by_id)

    def without_link(self, link: Link) -> AnnotationState:
        links, by_id = _drop(self.links, self._links_by_id, link)
        return self._with_index(self._derive(links=links), "_links_by_id", by_id)

    def with_selection(self, event_ids: Iterable[str]) -> AnnotationState:
        return self._derive(selection=tuple(event_ids))

    def with_setting(self, key: str, value: Any) -> AnnotationState:
        settings = dict(self.settings)
        settings[key] = value
        return self._derive(settings=settings)


def _differ(old: Note | Link, new: Note | Link) -> bool:
    return old is not new and old != new


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True)
class OutsideChanges:
    """What other processes changed in the store (see :meth:`AnnotationStore.refresh`).

    Notes and links are the versions now in the store (``*_removed``: as they were last seen).
    ``messages`` are notices for the user found on the way (a damaged file, one moved aside).
    """

    notes_added: tuple[Note, ...] = ()
    notes_changed: tuple[Note, ...] = ()
    notes_removed: tuple[Note, ...] = ()
    links_added: tuple[Link, ...] = ()
    links_changed: tuple[Link, ...] = ()
    links_removed: tuple[Link, ...] = ()
    selection_changed: bool = False
    settings_changed: frozenset[str] = frozenset()
    messages: tuple[str, ...] = ()
    #: Events the changed notes and links were on before (one may have moved to another event).
    events_before: frozenset[str] = frozenset()

    @classmethod
    def between(cls, before: AnnotationState, after: AnnotationState) -> OutsideChanges:
        """What differs from ``before`` to ``after``."""
        old_notes, new_notes = before._notes_by_id, after._notes_by_id
        old_links, new_links = before._links_by_id, after._links_by_id
        keys = set(before.settings) | set(after.settings)
        return cls(
            notes_added=tuple(n for i, n in new_notes.items() if i not in old_notes),
            notes_changed=tuple(n for i, n in new_notes.items() if i in old_notes and _differ(old_notes[i], n)),
            notes_removed=tuple(n for i, n in old_notes.items() if i not in new_notes),
            links_added=tuple(lk for i, lk in new_links.items() if i not in old_links),
            links_changed=tuple(lk for i, lk in new_links.items() if i in old_links and _differ(old_links[i], lk)),
            links_removed=tuple(lk for i, lk in old_links.items() if i not in new_links),
            selection_changed=before.selection != after.selection,
            settings_changed=frozenset(k for k in keys if before.settings.get(k, _MISSING) != after.settings.get(k, _MISSING)),
            events_before=frozenset(
                [old_notes[i].event_id for i, n in new_notes.items() if i in old_notes and _differ(old_notes[i], n)]
                + [old_links[i].event_id for i, lk in new_links.items() if i in old_links and _differ(old_links[i], lk)]
            ),
        )

    def __bool__(self) -> bool:
        return any((self.notes_added, self.notes_changed, self.notes_removed, self.links_added,
                    self.links_changed, self.links_removed, self.selection_changed, self.settings_changed,
                    self.messages))

    def then(self, later: OutsideChanges) -> OutsideChanges:
        """These changes followed by ``later`` ones (counts add up; a note may appear in both)."""
        return OutsideChanges(
            self.notes_added + later.notes_added, self.notes_changed + later.notes_changed,
            self.notes_removed + later.notes_removed, self.links_added + later.links_added,
            self.links_changed + later.links_changed, self.links_removed + later.links_removed,
            self.selection_changed or later.selection_changed, self.settings_changed | later.settings_changed,
            self.messages + later.messages, self.events_before | later.events_before,
        )

    def events(self) -> set[str]:
        """Events whose notes or links changed."""
        items: list[Note | Link] = [*self.notes_added, *self.notes_changed, *self.notes_removed,
                                    *self.links_added, *self.links_changed, *self.links_removed]
        return {item.event_id for item in items} | self.events_before

    def summary(self) -> str:
        """``"2 notes added, 1 link removed elsewhere"``; ``""`` when no note, link or selection changed."""
        parts = []
        for items, noun, verb in (
            (self.notes_added, "note", "added"), (self.notes_changed, "note", "changed"),
            (self.notes_removed, "note", "removed"), (self.links_added, "link", "added"),
            (self.links_changed, "link", "changed"), (self.links_removed, "link", "removed"),
        ):
            if items:
                parts.append(f"{_plural(len(items), noun)} {verb}")
        if self.selection_changed:
            parts.append("selection changed")
        return ", ".join(parts) + " elsewhere" if parts else ""

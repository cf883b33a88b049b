"""Writes that belong together: new rows and changed cells, across tabs, landing all or none.

A renewal is a membership term plus its donation; an erasure blanks a person and scrubs
their gifts; every write made through the app carries its audit rows. Rules build a
`ChangeSet` (pure, testable), and `Store.commit` lands it in one transaction (SQLite) or one
request (Google Sheets), so a failure can never leave half a record behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .tabs import tab

__all__ = ["ChangeSet", "KeyFill", "RowEdit"]


@dataclass(frozen=True)
class RowEdit:
    """One row's changed cells, and the row as the user saw it (for the conflict check)."""

    key: str
    changes: Mapping[str, Any]
    seen: Mapping[str, Any]


@dataclass(frozen=True)
class KeyFill:
    """A key for the row at sheet row `row`, which has none or shares one with another row.

    Such a row cannot be found by key, so it is found by position, and `seen` (every cell
    as read, the old key included) must still be what that row holds: a sort, an inserted
    row or an edit since the read is a conflict, never a key written into the wrong row.
    """

    row: int
    key: str
    seen: Mapping[str, Any]


@dataclass
class ChangeSet:
    """New rows by tab and row edits by tab, in the order they were added."""

    appends: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    edits: dict[str, list[RowEdit]] = field(default_factory=dict)
    #: Rows to remove, each with the row as the user saw it (`changes` is empty).
    deletes: dict[str, list[RowEdit]] = field(default_factory=dict)
    #: When set, the audit trail records this one sentence (as `audit_action`) instead of
    #: the values before and after: an erasure must not copy the erased data into the log,
    #: and a mailing's thousand status changes are one entry, not a thousand.
    audit_summary: str = ""
    audit_action: str = "summary"
    #: With `audit_summary`, what the entry keeps as its `before`: the cells a merge
    #: changed, as JSON, so the merge can be undone from the log.
    audit_before: str = ""
    #: New rows go in exactly as given, a key some row already has included (a copy of a
    #: sheet, the demo with its planted problems; Data health lists shared keys). Otherwise
    #: every store refuses a new row whose key the tab holds when the commit runs.
    as_given: bool = False

    def append(self, tab_name: str, *records: Mapping[str, Any]) -> ChangeSet:
        """Add new rows (ids assigned by the caller) to `tab_name`."""
        tab(tab_name)
        self.appends.setdefault(tab_name, []).extend(records)
        return self

    def edit(
        self, tab_name: str, key: str, changes: Mapping[str, Any], seen: Mapping[str, Any]
    ) -> ChangeSet:
        """Change only the named cells of the row whose key is `key`, if it is still as
        `seen`; an edit with no changes is dropped."""
        tab(tab_name)
        if changes:
            self.edits.setdefault(tab_name, []).append(RowEdit(key, dict(changes), seen))
        return self

    def delete(self, tab_name: str, key: str, seen: Mapping[str, Any]) -> ChangeSet:
        """Remove the row whose key is `key`, if it is still as `seen`."""
        tab(tab_name)
        self.deletes.setdefault(tab_name, []).append(RowEdit(key, {}, seen))
        return self

    def __bool__(self) -> bool:
        return any(self.appends.values()) or any(self.edits.values()) or any(
            self.deletes.values())

    def rows(self) -> Iterator[tuple[str, str, str]]:
        """(action, tab, key) of every row this set touches: what an audit trail records."""
        for name, records in self.appends.items():
            key = tab(name).key
            for record in records:
                yield "add", name, str(record.get(key, ""))
        for name, edits in self.edits.items():
            for edit in edits:
                yield "change", name, edit.key
        for name, deletes in self.deletes.items():
            for gone in deletes:
                yield "delete", name, gone.key

"""The Store contract every backend honours, and the rules they share.

A store moves the workbook's text in and out; `sheets_schema` types it. Writes find rows by
their key at the moment of writing, never by a remembered position, and refuse to overwrite
a row that changed since the user saw it.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sheets_schema import TABS, Locale, parse_tab, tab
from sheets_schema.cells import CellError, to_text
from sheets_schema.changes import ChangeSet, RowEdit
from sheets_schema.workbook import Workbook

from .errors import CellConflict, Conflict

__all__ = [
    "AuditHook",
    "ChangeSet",
    "RowEdit",
    "SchemaReport",
    "Store",
    "canonical",
    "duplicate_key",
    "find_conflicts",
]

#: Given the changes that are about to land (conflicting edits already left out), the
#: `audit_log` rows that record them; they land in the same transaction or request.
AuditHook = Callable[[ChangeSet], Sequence[Mapping[str, Any]]]

_DEFAULT_LOCALE = Locale()  # ISO dates and a point for decimals, as the app writes them


@dataclass
class SchemaReport:
    """What `ensure_schema` changed: tabs created and columns added to each tab."""

    created_tabs: list[str] = field(default_factory=list)
    added_columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created_tabs or self.added_columns)


class Store(abc.ABC):
    """Where the workbook lives. See DESIGN.md, "The store contract"."""

    #: Shown in the sidebar: the sheet's title or the database file.
    title: str = ""
    #: A link to open the data where staff edit it (the Google Sheet), if there is one.
    url: str | None = None
    #: How this store's people type ambiguous dates and numbers.
    locale: Locale = _DEFAULT_LOCALE

    @abc.abstractmethod
    def read(self, tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        """Every requested tab's text in one round trip, indexed by sheet row number."""

    @abc.abstractmethod
    def commit(
        self,
        changes: ChangeSet,
        *,
        skip_conflicts: bool = False,
        audit: AuditHook | None = None,
    ) -> list[Conflict]:
        """Land every append, edit and delete of `changes` together, or none of them.

        Rows are found by key at the moment of writing. If a row to edit or delete differs
        from its `seen`, raise that `Conflict` and write nothing; with `skip_conflicts`
        (a bulk-edit grid) leave such rows out, land the rest, and return their Conflicts.
        `audit` adds the audit rows of what lands, in the same transaction or request.
        """

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        """Add rows at the end of a tab; ids are assigned by the caller."""
        self.commit(ChangeSet().append(tab_name, *records))

    def update(
        self, tab_name: str, key: str, changes: Mapping[str, Any], seen: Mapping[str, Any]
    ) -> None:
        """Change only the named cells of the row whose key is `key`.

        `seen` is the row as the user saw it; if any of its cells differs now, raise
        `Conflict` and write nothing.
        """
        self.commit(ChangeSet().edit(tab_name, key, changes, seen))

    def update_many(self, tab_name: str, edits: Sequence[RowEdit]) -> list[Conflict]:
        """Apply many row edits at once (a bulk-edit grid). Rows that changed since the user
        saw them are not written and come back as Conflicts; the rest are written together."""
        changes = ChangeSet()
        for edit in edits:
            changes.edit(tab_name, edit.key, edit.changes, edit.seen)
        return self.commit(changes, skip_conflicts=True)

    def delete(self, tab_name: str, key: str, seen: Mapping[str, Any]) -> None:
        """Remove the row whose key is `key`, under the same rule as `update`."""
        self.commit(ChangeSet().delete(tab_name, key, seen))

    @abc.abstractmethod
    def ensure_schema(self) -> SchemaReport:
        """Create missing tabs and header cells; never delete or reorder what is there."""

    def row_link(self, tab_name: str, row: int) -> str | None:
        """A link that opens `row` of `tab_name` where staff edit it; None without one."""
        return None

    def load(self, tabs: Sequence[str] = tuple(TABS)) -> Workbook:
        """Typed frames and row problems for `tabs`, from one `read`: the notebook's entry."""
        raw = self.read(tabs)
        return Workbook({name: parse_tab(name, frame, self.locale) for name, frame in raw.items()})


def canonical(tab_name: str, column: str, value: Any, locale: Locale = _DEFAULT_LOCALE) -> str:
    """One comparable text for a cell, whether it comes typed from a frame or as sheet text.

    `2024-03-15`, `3/15/2024` and a Timestamp of that day are the same date; `1,234.50` and
    `Decimal("1234.5")` are the same amount. Text that does not parse compares as written.
    """
    spec = tab(tab_name)
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    value = plain(value)
    if column not in spec.column_names:
        return to_text(value).strip()
    kind = spec.column(column).kind
    if isinstance(value, str):
        try:
            value = kind.parse(value, locale)
        except CellError:
            return value.strip()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
        if kind.name == "date":
            value = value.date()
    if kind.name in {"money", "decimal"} and value is not None:
        value = value.normalize() if hasattr(value, "normalize") else value
    return to_text(value)


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds; anything else unchanged.

    A row taken from a typed frame (`frame.loc[row]`, a data_editor's edits) holds
    `numpy.bool_`, `numpy.int64` and `numpy.float64`, whose text (`True`, `np.float64(2.5)`)
    is not the sheet's (`TRUE`, `2.5`): unwrapped, they compare and write like the values
    a form gives.
    """
    return value.item() if isinstance(value, np.generic) else value


def duplicate_key(tab_name: str, key: str, rows: Sequence[int]) -> Conflict:
    """The error for a key that several rows share: which rows, and what to do about it."""
    spec = tab(tab_name)
    return Conflict(tab_name, key, [], f"Rows {', '.join(map(str, rows))} of {tab_name} all "
                    f"have {spec.key} {key!r}, so the app cannot tell which to change. Give "
                    f"each its own {spec.key} (see Data health), then try again.")


def find_conflicts(
    tab_name: str,
    current: Mapping[str, str],
    seen: Mapping[str, Any],
    changes: Mapping[str, Any] | None = None,
    locale: Locale = _DEFAULT_LOCALE,
) -> list[CellConflict]:
    """Cells of `seen` whose value in the store now differs (a column someone removed counts
    as changed). `changes` adds what this user wanted, for showing the choice."""
    conflicts = []
    for column, seen_value in seen.items():
        now = current.get(column, "")
        if canonical(tab_name, column, now, locale) != canonical(tab_name, column, seen_value,
                                                                   locale):
            wanted = None if changes is None or column not in changes else to_text(
                plain(changes[column]))
            conflicts.append(CellConflict(column, to_text(plain(seen_value)) if not isinstance(
                seen_value, str) else seen_value, now, wanted))
    return conflicts


def raise_if_conflicts(
    tab_name: str,
    key: str,
    current: Mapping[str, str],
    seen: Mapping[str, Any],
    changes: Mapping[str, Any] | None = None,
    locale: Locale = _DEFAULT_LOCALE,
) -> None:
    conflicts = find_conflicts(tab_name, current, seen, changes, locale)
    if conflicts:
        raise Conflict(tab_name, key, conflicts)

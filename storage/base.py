"""The Store contract every backend honours, and the rules they share.

A store moves the workbook's text in and out; `sheets_schema` types it. Writes find rows by
their key at the moment of writing, never by a remembered position, and refuse to overwrite
a row that changed since the user saw it.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from rules.write_rules import new_key_clash
from sheets_schema import TABS, Locale, parse_tab, tab
from sheets_schema.cells import CellError, cell_text, is_blank, python_value, to_text
from sheets_schema.changes import ChangeSet, KeyFill, RowEdit
from sheets_schema.workbook import Workbook

from .errors import CellConflict, Conflict, KeyInUse, SchemaMismatch, Unavailable

if TYPE_CHECKING:
    from .capacity import Usage

__all__ = [
    "AuditHook",
    "ChangeSet",
    "KeyFill",
    "RowEdit",
    "SchemaReport",
    "Store",
    "canonical",
    "check_key_fills",
    "duplicate_key",
    "find_conflicts",
    "key_fill_changes",
    "refuse_keys_in_use",
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
    """Where the workbook lives. See docs/architecture.md, "The Store contract"."""

    #: Shown in the sidebar: the sheet's title or the database file.
    title: str = ""
    #: A link to open the data where staff edit it (the Google Sheet), if there is one.
    url: str | None = None
    #: How this store's people type ambiguous dates and numbers.
    locale: Locale = _DEFAULT_LOCALE

    @property
    def name(self) -> str:
        """How messages name this store, as the command line names it (`copy` reports
        "the SQLite file data/steward.db"); `title` is for the sidebar."""
        return self.title

    def tabs(self) -> list[str]:
        """The workbook's tabs (of `TABS`, in that order) this store holds now: a workbook
        from before a tab was added to Steward lacks it, and `copy` copies it as empty.

        This default reads every tab, and one by one only when some tab is missing;
        backends override it with one look at their list of tables or tabs."""
        try:
            return list(self.read(list(TABS)))
        except SchemaMismatch:
            found = []
            for name in TABS:
                try:
                    self.read([name])
                except SchemaMismatch:
                    continue
                found.append(name)
            return found

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

    def assign_keys_by_row(
        self, tab_name: str, fills: Sequence[KeyFill], *, audit: AuditHook | None = None
    ) -> None:
        """Write each fill's key into the key cell of the row of `tab_name` at its sheet row
        number, all together or none: the one write that finds rows by position, for rows
        no key can find (none typed, or one shared with another row).

        Every cell of each fill's `seen` (the old key included) must still be what that row
        holds, or a `Conflict` is raised and nothing is written; a key already in the tab is
        a Conflict too. Only key cells change. `audit` gets the fills as key changes
        (`key_fill_changes`). A backend that cannot address rows by position refuses.
        """
        raise Unavailable(f"This store ({type(self).__name__}) cannot give rows ids by row "
                          f"number, so nothing was saved. Type an id into each row instead.")

    @abc.abstractmethod
    def ensure_schema(self) -> SchemaReport:
        """Create missing tabs and header cells; never delete or reorder what is there."""

    def row_link(self, tab_name: str, row: int) -> str | None:
        """A link that opens `row` of `tab_name` where staff edit it; None without one."""
        return None

    def clear(self, tabs: Sequence[str]) -> None:
        """Delete every data row of `tabs`, keeping each tab and its header row.

        `copy --overwrite` empties a target this way before writing. This default deletes
        row by row in one commit, found by key (so every row needs its own key); backends
        override it with one statement or one request.
        """
        changes = ChangeSet()
        for name, frame in self.read(tabs).items():
            key = tab(name).key
            for _, row in frame.iterrows():
                if any(str(v).strip() for v in row):
                    changes.delete(name, str(row.get(key, "")),
                                   {str(c): v for c, v in row.items()})
        self.commit(changes)

    def add_columns(self, columns: Mapping[str, Sequence[str]]) -> None:
        """Add header cells for `columns` (by tab) that are not in the spec, such as
        columns staff added to the sheet, so a copy keeps them. This default does nothing,
        which is right for a backend whose `commit` adds unknown columns itself (SQLite);
        one that does not raises `SchemaMismatch` from `commit`, naming the column."""
        return None

    def usage(self) -> Usage | None:
        """How near this store is to its backend's limits (cells, requests a minute), as
        far as it knows without asking; None for a backend without such limits."""
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
    if is_blank(value):
        return ""
    value = python_value(value)
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


def key_fill_changes(tab_name: str, fills: Sequence[KeyFill]) -> ChangeSet:
    """The fills as key changes, for the audit hook: row by row, the old key (blank or
    shared) before and the new one after, recorded under the new key."""
    key = tab(tab_name).key
    changes = ChangeSet()
    for fill in fills:
        changes.edit(tab_name, fill.key, {key: fill.key}, fill.seen)
    return changes


def check_key_fills(
    tab_name: str,
    fills: Sequence[KeyFill],
    rows_now: Mapping[int, Mapping[str, str]],
    keys_in_use: set[str],
    locale: Locale = _DEFAULT_LOCALE,
) -> None:
    """Raise the Conflict of the first fill whose row (by number, in `rows_now`: the tab's
    text read just now) is gone or differs from its `seen`, or whose key is in use."""
    spec = tab(tab_name)
    if len({f.row for f in fills}) < len(fills) or len({f.key for f in fills}) < len(fills):
        raise ValueError("each fill needs its own row and its own key")
    for fill in fills:
        where = f"row {fill.row}"
        current = rows_now.get(fill.row)
        if current is None:
            raise Conflict(tab_name, where, [], f"Row {fill.row} of {tab_name} is not there any "
                           f"more (someone deleted rows), so no {spec.key} was given. Refresh "
                           f"and try again.")
        cells = find_conflicts(tab_name, current, fill.seen, None, locale)
        if cells:
            raise Conflict(tab_name, where, cells, f"Row {fill.row} of {tab_name} changed after "
                           f"you looked ({', '.join(c.column for c in cells)}; someone edited, "
                           f"sorted or inserted rows), so no {spec.key} was given. Refresh and "
                           f"try again.")
        if fill.key in keys_in_use:
            raise Conflict(tab_name, fill.key, [], f"{spec.key} {fill.key} is already used in "
                           f"{tab_name}, so it was not given to row {fill.row}. Try again.")


def refuse_keys_in_use(tab_name: str, records: Sequence[Mapping[str, Any]],
                       keys_in_use: set[str]) -> None:
    """Raise KeyInUse, naming the key, when a new row of `tab_name` would share its key with
    a row the tab holds now (`keys_in_use`, read inside the commit) or with another new row.

    Every backend calls this at commit time, so it holds for every caller (a page, the CLI,
    a second app process that added the same id a moment earlier), not only for the rows a
    page saw. A commit made `as_given` (a copy, the demo) skips it.
    """
    clash = new_key_clash(tab_name, records, keys_in_use)
    if clash is not None:
        spec = tab(tab_name)
        raise KeyInUse(f"{tab_name} already has a row with {spec.key} {clash!r} (someone may "
                       f"have added it meanwhile), so nothing was saved. Refresh the page and "
                       f"add it again: it will get a new {spec.key}.")


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
            wanted = None if changes is None or column not in changes else cell_text(
                changes[column])
            conflicts.append(CellConflict(column, cell_text(seen_value) if not isinstance(
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

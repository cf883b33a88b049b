"""One commit and one key fill, written once: the rule every backend shares, with the I/O
left to the backend.

A commit finds each edited or deleted row by its key now, checks it against what the user
saw (`Conflict`, or left out with `skip_conflicts`), refuses a new row whose key is in use
(`refuse_keys_in_use`), applies what passed and adds the audit rows of what lands. Each
backend fills `CommitIO` with its own I/O inside its own atomic unit (SQLite's `BEGIN
IMMEDIATE`, PostgreSQL's transaction with its rows locked, the Sheets backend's one read and
one `batchUpdate`) and runs `run_commit`; `run_key_fills` is the same for
`assign_keys_by_row`. What a backend adds around that unit (the Sheets backend's retries
that re-read, its scratch-tab proof of landing, the intent tab of a large save;
PostgreSQL's rerun after a lost deadlock) is its own I/O, not part of the rule.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sheets_schema import Locale, tab
from sheets_schema.changes import ChangeSet, KeyFill, RowEdit

from .base import (
    AuditHook,
    check_key_fills,
    key_fill_changes,
    raise_if_conflicts,
    refuse_keys_in_use,
)
from .errors import Conflict, NotFound, SchemaMismatch

__all__ = ["CommitIO", "KeyFillIO", "edits_and_deletes", "row_gone", "run_commit",
           "run_key_fills", "tab_missing"]


def row_gone(tab_name: str, key: str) -> NotFound:
    """The error for an edit or delete whose row no key finds any more."""
    spec = tab(tab_name)
    return NotFound(f"There is no row with {spec.key} {key!r} in {tab_name} any more; someone "
                    f"may have deleted it. Refresh to see the current data.")


def tab_missing(tab_name: str, where: str) -> SchemaMismatch:
    """The error for a tab the store does not have: ``tab_missing("people", "the Google
    Sheet")`` says "The people tab does not exist in the Google Sheet" and what to run."""
    return SchemaMismatch(f"The {tab_name} tab does not exist in {where}. Run "
                          f"`python -m steward init` to create it.")


def edits_and_deletes(changes: ChangeSet) -> Iterator[tuple[str, str, RowEdit]]:
    """("edit" or "delete", tab, edit) of `changes`: every edit of every tab, then every
    delete, the order in which a commit checks and applies them."""
    for name, edits in changes.edits.items():
        for edit in edits:
            yield "edit", name, edit
    for name, deletes in changes.deletes.items():
        for gone in deletes:
            yield "delete", name, gone


class CommitIO(abc.ABC):
    """What one backend does inside one commit's atomic unit."""

    @abc.abstractmethod
    def row(self, tab_name: str, edit: RowEdit) -> tuple[Any, Mapping[str, str]]:
        """The row holding `edit.key` now: a handle the backend writes it by, and its text.
        Raise `row_gone` when no row has the key, `base.duplicate_key` when several do."""

    @abc.abstractmethod
    def edit(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        """Write `edit.changes` into the row found as `handle` (checked already)."""

    @abc.abstractmethod
    def delete(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        """Remove the row found as `handle` (checked already)."""

    @abc.abstractmethod
    def keys_in_use(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> set[str]:
        """Which keys of `records` rows of `tab_name` hold now (a superset will do)."""

    @abc.abstractmethod
    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        """Add `records` at the end of `tab_name`, keys as given."""


def run_commit(io: CommitIO, changes: ChangeSet, *, skip_conflicts: bool,
               audit: AuditHook | None, locale: Locale) -> list[Conflict]:
    """The commit rule over `io` (see `Store.commit`): the Conflicts left out, when
    `skip_conflicts`; else the first one is raised, before anything is appended."""
    conflicts: list[Conflict] = []
    landing = ChangeSet(audit_summary=changes.audit_summary,
                        audit_action=changes.audit_action)
    for kind, tab_name, edit in edits_and_deletes(changes):
        try:
            handle, current = io.row(tab_name, edit)
            raise_if_conflicts(tab_name, edit.key, current, edit.seen,
                               edit.changes or None, locale)
        except Conflict as conflict:
            if not skip_conflicts:
                raise
            conflicts.append(conflict)
            continue
        if kind == "edit":
            io.edit(tab_name, handle, edit)
            landing.edit(tab_name, edit.key, edit.changes, edit.seen)
        else:
            io.delete(tab_name, handle, edit)
            landing.delete(tab_name, edit.key, edit.seen)
    for tab_name, records in changes.appends.items():
        if records and not changes.as_given:
            gone = {edit.key for edit in landing.deletes.get(tab_name, [])}
            refuse_keys_in_use(tab_name, records,
                               io.keys_in_use(tab_name, records) - gone - {""})
        io.append(tab_name, records)
        landing.append(tab_name, *records)
    if audit is not None and landing:
        io.append("audit_log", audit(landing))
    return conflicts


class KeyFillIO(abc.ABC):
    """What one backend does inside one `assign_keys_by_row`'s atomic unit."""

    @abc.abstractmethod
    def rows_by_number(self, tab_name: str) -> Mapping[int, Mapping[str, str]]:
        """Every row of `tab_name` now, by the sheet row number `read` gives it."""

    def landed(self, fills: Sequence[KeyFill], in_use: set[str]) -> bool:
        """Whether an earlier attempt whose answer was lost already gave these keys (then
        nothing is written). A backend that never resends says no."""
        return False

    @abc.abstractmethod
    def write_keys(self, tab_name: str, key: str, fills: Sequence[KeyFill]) -> None:
        """Write each fill's key into the `key` cell of the row at its number."""

    @abc.abstractmethod
    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        """Add `records` (the audit rows) at the end of `tab_name`."""


def run_key_fills(io: KeyFillIO, tab_name: str, fills: Sequence[KeyFill], *,
                  audit: AuditHook | None, locale: Locale) -> bool:
    """The rule of `Store.assign_keys_by_row` over `io`: each row checked at its number
    against what was seen, no key given twice, only key cells written, the fills audited
    as key changes. False when `io` says an earlier attempt already landed."""
    key = tab(tab_name).key
    now = io.rows_by_number(tab_name)
    in_use = {str(cells.get(key, "")).strip() for cells in now.values()}
    if io.landed(fills, in_use):
        return False
    check_key_fills(tab_name, fills, now, in_use, locale)
    io.write_keys(tab_name, key, fills)
    if audit is not None:
        io.append("audit_log", audit(key_fill_changes(tab_name, fills)))
    return True

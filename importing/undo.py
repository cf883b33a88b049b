"""Undoing an import: every row one import added deleted in one change, refused while any
of them was changed since or a later row points at a person it added.

A row is still as imported while its `import_check` matches `importing.row_check.row_check` of
its cells now, whether it was changed through the app or typed over in the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

import pandas as pd

from rules.health import REFERENCES
from sheets_schema.cells import to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.tabs import tab
from sheets_schema.workbook import Workbook

from .row_check import row_check

__all__ = ["UndoRefused", "undo_import"]


class UndoRefused(ValueError):
    """The import cannot be undone as a whole; the message says which rows stop it."""


#: (tab, column) of every link to a person by id (a shift's list of people aside): the data
#: health check's list, so a tab that links to people later is covered here too.
_REFERENCES = {(reference.tab, reference.column) for reference in REFERENCES
               if reference.target == "people" and not reference.many}


def undo_import(book: Workbook, import_id: str, *, now: datetime, user: str) -> ChangeSet:
    """Delete every row `import_id` added, in one change, if each is still as imported.

    Refused (UndoRefused, naming the rows) when a row was changed or removed since, or when
    someone added rows that point at a person the import added (a later gift must not be
    left pointing at nobody). Each delete carries the row as read, so a change made between
    this check and the write is a conflict, not a loss.
    """
    imports = book.frame("imports")
    batch = imports[imports["id"] == import_id]
    if batch.empty:
        raise UndoRefused(f"There is no import {import_id}.")
    record = batch.iloc[0]
    if record["status"] == "undone":
        raise UndoRefused(f"Import {import_id} was undone already, on "
                          f"{to_text(record['undone_at'])} by {record['undone_by']}.")
    kind_tab = "people" if record["kind"] == "people" else str(record["kind"])
    tabs = [kind_tab] + (["people"] if kind_tab != "people" else [])
    found = {name: _rows_of(book, name, import_id) for name in tabs}
    expected = {kind_tab: int(record["rows"] or 0)}
    if kind_tab != "people":
        expected["people"] = int(record["people_added"] or 0)
    reasons: list[str] = []
    for name, rows in found.items():
        missing = expected[name] - len(rows)
        if missing > 0:
            reasons.append(f"{missing:,} of its {name} rows are gone or no longer carry the "
                           f"import's id")
        changed = [str(r[tab(name).key]) for r in _records(rows)
                   if row_check(name, r) != str(r.get("import_check", ""))]
        if changed:
            reasons.append(f"{len(changed):,} {name} rows were changed since: "
                           f"{_some(changed)}")
    reasons.extend(_pointing_at(book, found.get("people"), found))
    if reasons:
        raise UndoRefused(f"Import {import_id} cannot be undone as a whole: "
                          + "; ".join(reasons) + ". Change or remove those rows by hand.")
    changes = ChangeSet(audit_action="undo import")
    for name, rows in found.items():
        columns = list(tab(name).column_names)
        for row in _records(rows[columns]):
            changes.delete(name, str(row[tab(name).key]), row)
    changes.edit("imports", import_id, {"status": "undone", "undone_at": now,
                                        "undone_by": user}, {"status": "imported"})
    removed = ", ".join(f"{len(rows):,} {name}" for name, rows in found.items() if len(rows))
    changes.audit_summary = f"Undid import {import_id} ({record['file_name']}): removed " \
                            f"{removed or 'nothing'}"
    return changes


def _rows_of(book: Workbook, name: str, import_id: str) -> pd.DataFrame:
    frame = book.frame(name)
    return frame[frame["import_id"] == import_id]


def _pointing_at(book: Workbook, people: pd.DataFrame | None,
                 found: Mapping[str, pd.DataFrame]) -> list[str]:
    """Rows outside the import that refer to a person the import added."""
    if people is None or people.empty:
        return []
    ids = set(people["id"].astype(str))
    reasons = []
    for name, column in sorted(_REFERENCES):
        frame = book.frame(name)
        inside = set(found[name].index) if name in found else set()
        pointing = frame[frame[column].isin(ids) & ~frame.index.isin(inside)]
        if not pointing.empty:
            reasons.append(f"{len(pointing):,} {name} rows added since refer to people it "
                           f"added: {_some(pointing[tab(name).key].astype(str).tolist())}")
    return reasons


def _some(keys: list[str], shown: int = 5) -> str:
    more = f" and {len(keys) - shown:,} more" if len(keys) > shown else ""
    return ", ".join(keys[:shown]) + more


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))

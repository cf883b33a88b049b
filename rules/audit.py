"""The audit trail: one `audit_log` row for each row the app adds, changes or deletes.

Built from the `ChangeSet` that lands (conflicting edits already left out), so the log says
exactly what was written and by whom. Edits made directly in the Google Sheet do not pass
through the app and are not in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sheets_schema.cells import cell_text
from sheets_schema.changes import ChangeSet
from sheets_schema.tabs import tab
from sheets_schema.workbook import new_id

__all__ = ["MAX_ROWS_LOGGED", "audit_rows"]

#: Beyond this many new rows in one tab (an import), one entry sums them up instead of
#: copying every row into the log.
MAX_ROWS_LOGGED = 50


def _json(values: Mapping[str, Any]) -> str:
    return json.dumps({k: cell_text(v) for k, v in values.items()}, ensure_ascii=False,
                      sort_keys=True)


def _entry(now: datetime, user: str, action: str, tab_name: str, key: str,
           before: str = "", after: str = "") -> dict[str, Any]:
    return {"id": new_id("A"), "at": now, "user": user, "action": action, "tab": tab_name,
            "record_id": key, "before": before, "after": after}


def audit_rows(changes: ChangeSet, user: str, now: datetime) -> list[dict[str, Any]]:
    """The audit entries for `changes`: for a change, the changed cells before and after;
    for a new row, the row; for a delete, the row as it was."""
    if changes.audit_summary:
        people = [edit.key for edit in changes.edits.get("people", [])]
        touched = [name for _, name, _ in changes.rows()]
        return [_entry(now, user, changes.audit_action, "people" if people else touched[0],
                       people[0] if people else "", before=changes.audit_before,
                       after=changes.audit_summary)]
    rows = []
    for tab_name, records in changes.appends.items():
        key_column = tab(tab_name).key
        if len(records) > MAX_ROWS_LOGGED:
            keys = [str(r.get(key_column, "")) for r in records]
            rows.append(_entry(now, user, "import", tab_name, "",
                               after=f"{len(records):,} rows added: {keys[0]} … {keys[-1]}"))
            continue
        for record in records:
            rows.append(_entry(now, user, "add", tab_name, str(record.get(key_column, "")),
                               after=_json(record)))
    for tab_name, edits in changes.edits.items():
        for edit in edits:
            before = {c: edit.seen.get(c) for c in edit.changes}
            rows.append(_entry(now, user, "change", tab_name, edit.key, _json(before),
                               _json(edit.changes)))
    for tab_name, deletes in changes.deletes.items():
        for gone in deletes:
            rows.append(_entry(now, user, "delete", tab_name, gone.key, _json(gone.seen)))
    return rows

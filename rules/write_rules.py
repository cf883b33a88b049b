"""What one write may touch, beyond which tabs a role may write: the cells of a change set.

A page offers only some cells, but a modified browser can send any cell of any row it is
shown. These rules judge the change set itself, whatever page built it: a row's key never
changes, a new row brings a key of its own, and the columns that are permissions of their
own (`roles.column_write_action`: approving hours, deleting or erasing a person, marking
rows as imported) are written only by a role that has that permission. `storage.signed_in`
applies them before anything is written; that a new key is not already in the tab is
checked by every store at commit time, against the rows as they are then
(`new_key_clash`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from sheets_schema.cells import CellError, Locale, to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.tabs import SchemaError, tab

from .roles import ACTIONS, Role, can, column_write_action

__all__ = ["cell_text", "new_key_clash", "write_refusal"]


def cell_text(tab_name: str, column: str, value: Any) -> str:
    """One comparable text of a value for `column`, typed or as typed in a sheet.

    >>> cell_text("volunteer_hours", "approved", "yes"), cell_text("people", "id", " P1 ")
    ('TRUE', 'P1')
    """
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        try:
            value = tab(tab_name).column(column).kind.parse(value, Locale())
        except (CellError, SchemaError):
            return value.strip()
    return to_text(value).strip()


def _unset(tab_name: str, column: str, value: Any) -> bool:
    """True when a new row's `value` for `column` is blank or the column's default: what
    a new row holds when nobody wrote that cell."""
    text = cell_text(tab_name, column, value)
    return text in ("", cell_text(tab_name, column, tab(tab_name).column(column).default))


def _refusal(role: Role, action: str, doing: str, where: str) -> str:
    who = ", ".join(r.value for r in Role if r in ACTIONS[action][1])
    return (f"As {role.value} you may not {doing} ({where}), so nothing was saved. Leave "
            f"that cell as it was and save again, or ask someone who may ({who}).")


def write_refusal(role: Role, changes: ChangeSet) -> str | None:
    """Why `role` may not make `changes`, as a sentence; None when every cell is allowed.

    The tab-level rule (may this role add, change or delete rows of a tab at all) is
    `roles.write_action`; this judges the cells: a changed key, a new row without a key or
    with a key twice, and a column that needs its own permission.
    """
    for tab_name, records in changes.appends.items():
        spec = tab(tab_name)
        seen: set[str] = set()
        for record in records:
            key = cell_text(tab_name, spec.key, record.get(spec.key))
            if not key:
                return (f"A new {spec.description} needs its {spec.key}, so nothing was saved. "
                        f"Refresh the page and add it again.")
            if key in seen:
                return (f"Two new rows of {tab_name} have the {spec.key} {key}, so nothing was "
                        f"saved. Refresh the page and add them again.")
            seen.add(key)
            for column, value in record.items():
                action = column_write_action(tab_name, str(column))
                if (action is not None and not can(role, action)
                        and not _unset(tab_name, str(column), value)):
                    return _refusal(role, action, _DOING.get(action, ACTIONS[action][0]),
                                    f"{column} of the new {tab_name} row {key}")
    for tab_name, edits in changes.edits.items():
        spec = tab(tab_name)
        for edit in edits:
            if spec.key in edit.changes and cell_text(
                    tab_name, spec.key, edit.changes[spec.key]) != edit.key.strip():
                new = cell_text(tab_name, spec.key, edit.changes[spec.key])
                return (f"The {spec.key} of a row never changes ({tab_name} {edit.key} would "
                        f"become {new or 'blank'}: everything linked to it would point at "
                        f"nobody), so nothing was saved. Add a new row instead.")
            for column in _changed(tab_name, edit.changes, edit.seen):
                action = column_write_action(tab_name, column)
                if action is not None and not can(role, action):
                    return _refusal(role, action, _DOING.get(action, ACTIONS[action][0]),
                                    f"{column} of {tab_name} {edit.key}")
    return None


def _changed(tab_name: str, changes: Mapping[str, Any], seen: Mapping[str, Any]
             ) -> Iterable[str]:
    """The columns whose new value differs from the row as seen."""
    for column, value in changes.items():
        column = str(column)
        if column not in seen or cell_text(tab_name, column, value) != cell_text(
                tab_name, column, seen[column]):
            yield column


def new_key_clash(tab_name: str, records: Iterable[Mapping[str, Any]],
                  keys_in_use: set[str]) -> str | None:
    """The first key of `records` (new rows of `tab_name`) that the tab already holds, as
    `keys_in_use` (its key column as text, read at commit time) says, or that two of the
    records share; None when every key is new. Blank keys are left to Data health.

    >>> new_key_clash("people", [{"id": "P9"}, {"id": "P1"}], {"P1"})
    'P1'
    """
    key = tab(tab_name).key
    taken = {k.strip() for k in keys_in_use}
    for record in records:
        text = cell_text(tab_name, key, record.get(key))
        if not text:
            continue
        if text in taken:
            return text
        taken.add(text)
    return None


#: What each column permission lets a role do, as the refusal says it.
_DOING = {
    "delete_people": "delete or restore a person",
    "privacy_erase": "mark a person as erased",
    "edit_volunteering": "approve hours",
    "import_data": "mark rows as coming from an import",
}

"""Merging two records of one person: pick each field's value, move every link, keep history.

`merge_changes` builds one `ChangeSet`, so the kept person's new values, every re-pointed
row and the dropped person's soft delete land together or not at all: no gift can be left
pointing at nobody. The rows moved are exactly those `privacy.rows_about` finds through an
id (gifts and soft credits, memberships, standing gifts, volunteer profile, hours, shifts,
outbox messages, reminders); the audit trail keeps its entries as they were.

Decisions: the dropped person is soft-deleted (never removed) with a note "merged into
<keep_id>", so the merge can be traced; a gift soft-crediting the kept
person after the move would credit its own donor, so that soft credit is cleared; when both
have a volunteer profile the kept person's stays and the dropped one is removed (the
summary says so); when only the dropped person has one, it is copied to the kept id.

Undo: the merge's one audit entry keeps, as its `before`, every cell the merge changed
(before and after), the rows it added and the rows it removed (`undo_record`).
`unmerge_changes` turns that back into one ChangeSet while every one of those cells still
holds what the merge wrote: anything changed since (a gift edited, the person restored by
hand, the merge undone already) refuses the undo, and `seen` = the merged state makes a
change between the read and the write a conflict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from sheets_schema.cells import CellError, Locale, is_blank, to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.frames import validate_changes
from sheets_schema.models import Person, Volunteer
from sheets_schema.tabs import tab
from sheets_schema.workbook import Workbook

from .health import REFERENCES
from .people import EDITABLE_FIELDS
from .privacy import rows_about

__all__ = [
    "MAX_UNDO_CHARS",
    "MERGE_FIELDS",
    "MergeRefused",
    "differing_fields",
    "merge_changes",
    "merges",
    "undo_record",
    "unmerge_changes",
]

#: Google Sheets holds at most 50,000 characters in a cell; a merge whose undo record would
#: not fit in the audit entry's `before` is still made, but cannot be undone from the app.
MAX_UNDO_CHARS = 45_000
MERGE_ACTION, UNMERGE_ACTION = "merge", "unmerge"

#: The fields whose value staff choose between, in the order a comparison shows them.
MERGE_FIELDS = (*EDITABLE_FIELDS, "email_consent", "email_consent_date", "email_consent_source")

#: (tab, column) of every link to a person by id (data health's list), apart from profiles
#: and shifts (merged on their own) and dismissals (about the pair, not moved).
_LINKS = tuple((reference.tab, reference.column) for reference in REFERENCES
               if reference.target == "people" and not reference.many
               and reference.tab not in ("volunteers", "duplicate_dismissals"))

Side = Literal["keep", "drop"]


class MergeRefused(ValueError):
    """A merge that must not go ahead, and why."""


def _plain(value: Any) -> Any:
    """A frame cell as a Python value: NaT/NaN are None, numpy scalars their item, a
    Timestamp a datetime."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _seen(row: pd.Series) -> dict[str, Any]:
    """The whole row as read (numpy scalars as Python values), for the conflict check."""
    return {str(column): value.item() if isinstance(value, np.generic) else value
            for column, value in row.items()}


def differing_fields(keep: Mapping[Any, Any], drop: Mapping[Any, Any]) -> list[str]:
    """The `MERGE_FIELDS` whose values differ between two `people` rows (as text)."""
    return [f for f in MERGE_FIELDS
            if to_text(_plain(keep.get(f))) != to_text(_plain(drop.get(f)))]


def _person(book: Workbook, person_id: str) -> pd.Series:
    row = book.row("people", person_id)
    if row is None:
        raise MergeRefused(f"There is no person with id {person_id}.")
    if pd.notna(row.get("erased_at")):
        raise MergeRefused(f"{person_id} was erased; an erased person cannot be merged.")
    if pd.notna(row.get("deleted_at")):
        raise MergeRefused(f"{person_id} is deleted; restore them first to merge them.")
    return row


def _kept_values(keep: pd.Series, drop: pd.Series, choices: Mapping[str, Side],
                 now: datetime) -> dict[str, Any]:
    chosen = [f for f, side in choices.items() if side == "drop" and f in MERGE_FIELDS
              and f in differing_fields(keep.to_dict(), drop.to_dict())]
    if not chosen:
        return {}
    merged = {f: _plain(keep.get(f)) for f in Person.model_fields if f in keep}
    merged.update({f: _plain(drop.get(f)) for f in chosen})
    if merged.get("email_consent_date") is not None:
        merged["email_consent_date"] = pd.Timestamp(merged["email_consent_date"]).date()
    person = Person.model_validate(merged)
    return {**{f: getattr(person, f) for f in chosen}, "updated_at": now}


def merge_changes(book: Workbook, keep_id: str, drop_id: str, choices: Mapping[str, Side],
                  now: datetime) -> ChangeSet:
    """Everything a merge of `drop_id` into `keep_id` writes, as one ChangeSet.

    `choices` names, per field, whose value the kept person ends with ("keep" is the
    default for a field not named). Every edit's `seen` is the row as read, so a change
    made meanwhile is a conflict and nothing is written. Raises MergeRefused.
    """
    if keep_id == drop_id:
        raise MergeRefused("A person cannot be merged into themselves.")
    keep, drop = _person(book, keep_id), _person(book, drop_id)
    about = rows_about(book, drop_id)
    changes = ChangeSet()
    moved = 0
    for name in dict.fromkeys(linked for linked, _ in _LINKS):
        columns = [column for linked, column in _LINKS if linked == name]
        for _, row in about[name].iterrows():
            edit = {c: keep_id for c in columns if row[c] == drop_id}
            donor = edit.get("person_id", row.get("person_id"))
            if name == "donations" and edit.get("soft_credit_person_id") == donor:
                edit["soft_credit_person_id"] = ""  # a gift cannot soft-credit its donor
            changes.edit(name, str(row["id"]), edit, _seen(row))
            moved += 1
    for _, row in about["volunteer_shifts"].iterrows():
        assigned = tuple(dict.fromkeys(keep_id if i == drop_id else i for i in row["assigned"]))
        changes.edit("volunteer_shifts", str(row["id"]), {"assigned": assigned}, _seen(row))
        moved += 1
    notes = []
    for _, profile in about["volunteers"].iterrows():
        if book.row("volunteers", keep_id) is None:
            copied = {**_seen(profile), "id": keep_id}
            record = Volunteer.model_validate(copied).model_dump()
            extra = {k: v for k, v in copied.items() if k not in record}
            changes.append("volunteers", {**extra, **record})
            moved += 1
        else:
            notes.append(f"kept {keep_id}'s volunteer profile and removed {drop_id}'s")
        changes.delete("volunteers", drop_id, _seen(profile))
    changes.edit("people", keep_id, _kept_values(keep, drop, choices, now), _seen(keep))
    note = f"merged into {keep_id}"
    old_notes = str(drop.get("notes") or "")
    changes.edit("people", drop_id, {
        "deleted_at": now, "updated_at": now,
        "notes": f"{old_notes}\n{note}" if old_notes else note,
    }, _seen(drop))
    undo = undo_record(changes, keep_id, drop_id)
    if len(undo) > MAX_UNDO_CHARS:
        undo = ""
        notes.append("too large to undo from the app")
    changes.audit_summary = "; ".join(
        [f"merged {drop_id} into {keep_id}: {moved} rows moved", *notes])
    changes.audit_action = MERGE_ACTION
    changes.audit_before = undo
    return changes


def _text(value: Any) -> str:
    """A typed or text cell as the one text the comparison and the record use."""
    plain = _plain(value)
    return "" if plain is None else to_text(plain)


def undo_record(changes: ChangeSet, keep_id: str, drop_id: str) -> str:
    """What undoing `changes` needs, as compact JSON: edits grouped by the cells they change
    (a donor's 300 gifts moving from one id to another are one entry with 300 ids), rows
    added (tab and key) and rows removed (every cell, as text)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name, edits in changes.edits.items():
        for edit in edits:
            cells = {c: [_text(edit.seen.get(c)), _text(v)] for c, v in edit.changes.items()}
            groups.setdefault((name, json.dumps(cells, sort_keys=True, ensure_ascii=False)),
                              []).append(edit.key)
    record = {
        "keep": keep_id, "drop": drop_id,
        "edits": [[name, json.loads(cells), keys] for (name, cells), keys in groups.items()],
        "added": [[name, str(r.get(tab(name).key, ""))]
                  for name, rows in changes.appends.items() for r in rows],
        "removed": [[name, {str(c): _text(v) for c, v in gone.seen.items()}]
                    for name, deletes in changes.deletes.items() for gone in deletes],
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _canonical(tab_name: str, column: str, value: Any) -> str:
    """One comparable text for a typed cell or its text (a date typed two ways is one)."""
    spec = tab(tab_name)
    text = _text(value)
    if column not in spec.column_names or not text:
        return text.strip()
    try:
        parsed = spec.column(column).kind.parse(text, Locale())
    except CellError:
        return text.strip()
    if isinstance(parsed, datetime) and spec.column(column).kind.name == "date":
        parsed = parsed.date()
    return "" if parsed is None else to_text(parsed)


def merges(audit: pd.DataFrame) -> pd.DataFrame:
    """The merges in the audit trail, newest first: id, at, user, summary, the ids kept and
    dropped, and whether each was undone (and so cannot be undone again)."""
    columns = ["id", "at", "user", "summary", "keep", "drop", "undoable", "undone"]
    if audit.empty:
        return pd.DataFrame(columns=columns)
    undone = set()
    for text in audit.loc[audit["action"] == UNMERGE_ACTION, "before"]:
        try:
            undone.add(str(json.loads(text).get("undoes", "")))
        except (ValueError, AttributeError):
            continue
    rows = []
    for _, entry in audit[audit["action"] == MERGE_ACTION].iterrows():
        try:
            record = json.loads(entry["before"]) if entry["before"] else {}
        except ValueError:
            record = {}
        rows.append({"id": entry["id"], "at": entry["at"], "user": entry["user"],
                     "summary": entry["after"], "keep": record.get("keep", ""),
                     "drop": record.get("drop", ""), "undoable": bool(record),
                     "undone": entry["id"] in undone})
    found = pd.DataFrame(rows, columns=columns)
    return found.sort_values("at", ascending=False, kind="stable").reset_index(drop=True)


def _typed(tab_name: str, cells: Mapping[str, str]) -> dict[str, Any]:
    """Text cells as typed values for a write; text the column cannot take stays text."""
    try:
        return validate_changes(tab_name, cells)
    except ValueError:
        return dict(cells)


def unmerge_changes(book: Workbook, entry: Mapping[str, Any]) -> ChangeSet:
    """Everything undoing the merge in audit entry `entry` writes, as one ChangeSet: each
    changed cell back to its value before, the rows the merge added removed, the rows it
    removed added back, and the dropped person no longer deleted.

    Raises MergeRefused when the entry is not an undoable merge, or when any row the merge
    touched was changed since (naming what changed): an undo must not overwrite later work.
    """
    if str(entry.get("action", "")) != MERGE_ACTION or not entry.get("before"):
        raise MergeRefused("This entry is not a merge the app can undo.")
    undone = merges(book.frame("audit_log"))
    if entry["id"] in set(undone.loc[undone["undone"], "id"]):
        raise MergeRefused("This merge was undone already.")
    try:
        record = json.loads(str(entry["before"]))
    except ValueError:
        raise MergeRefused("This merge's record was erased, so it cannot be undone from the "
                           "app.") from None
    changes = ChangeSet()
    changed: list[str] = []
    moved = 0
    for name, cells, keys in record["edits"]:
        for key in keys:
            row = book.row(name, key)
            if row is None:
                changed.append(f"{name} {key} is gone")
                continue
            differs = [c for c, (_, after) in cells.items()
                       if _canonical(name, c, row.get(c)) != _canonical(name, c, after)]
            if differs:
                changed.append(f"{name} {key} ({', '.join(differs)})")
                continue
            changes.edit(name, key, _typed(name, {c: before for c, (before, _) in
                                                  cells.items()}), _seen(row))
            moved += name != "people"
    for name, key in record["added"]:
        row = book.row(name, key)
        if row is None:
            changed.append(f"{name} {key} is gone")
            continue
        changes.delete(name, key, _seen(row))
    for name, cells in record["removed"]:
        key = cells.get(tab(name).key, "")
        if book.row(name, key) is not None:
            changed.append(f"{name} {key} was added again")
            continue
        model = tab(name).model
        typed = {c: v for c, v in cells.items() if c not in model.model_fields}
        typed.update(model.model_validate(
            {c: v for c, v in cells.items() if c in model.model_fields}).model_dump())
        changes.append(name, typed)
        moved += 1
    if changed:
        raise MergeRefused("Rows this merge touched were changed since, so it cannot be undone "
                           "from the app: " + "; ".join(changed[:10])
                           + ("…" if len(changed) > 10 else ""))
    keep_id, drop_id = record["keep"], record["drop"]
    changes.audit_summary = (f"undid the merge of {drop_id} into {keep_id}: "
                             f"{moved} rows put back")
    changes.audit_action = UNMERGE_ACTION
    changes.audit_before = json.dumps({"undoes": str(entry["id"])})
    return changes

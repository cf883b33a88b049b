"""Merging two records of one person: pick each field's value, move every link, keep history.

`merge_changes` builds one `ChangeSet`, so the kept person's new values, every re-pointed
row and the dropped person's soft delete land together or not at all: no gift can be left
pointing at nobody. The rows moved are exactly those `privacy.rows_about` finds through an
id (gifts and soft credits, memberships, standing gifts, volunteer profile, hours, shifts,
outbox messages, reminders); the audit trail keeps its entries as they were.

Decisions: the dropped person is soft-deleted (never removed) with a note "merged into
<keep_id>", so the merge can be traced and undone by hand; a gift soft-crediting the kept
person after the move would credit its own donor, so that soft credit is cleared; when both
have a volunteer profile the kept person's stays and the dropped one is removed (the
summary says so); when only the dropped person has one, it is copied to the kept id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from .cells import to_text
from .changes import ChangeSet
from .models import Person, Volunteer
from .people import EDITABLE_FIELDS
from .privacy import rows_about
from .workbook import Workbook

__all__ = ["MERGE_FIELDS", "MergeRefused", "differing_fields", "merge_changes"]

#: The fields whose value staff choose between, in the order a comparison shows them.
MERGE_FIELDS = (*EDITABLE_FIELDS, "email_consent", "email_consent_date", "email_consent_source")

#: (tab, column) of every link to a person by id, apart from profiles and shifts.
_LINKS = (
    ("donations", "person_id"), ("donations", "soft_credit_person_id"),
    ("memberships", "person_id"), ("recurring_gifts", "person_id"),
    ("volunteer_hours", "person_id"), ("outbox", "person_id"), ("reminders", "person_id"),
)

Side = Literal["keep", "drop"]


class MergeRefused(ValueError):
    """A merge that must not go ahead, and why."""


def _plain(value: Any) -> Any:
    """A frame cell as a Python value: NaT/NaN are None, numpy scalars their item, a
    Timestamp a datetime."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
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
    for name in dict.fromkeys(tab for tab, _ in _LINKS):
        columns = [column for tab, column in _LINKS if tab == name]
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
    changes.audit_summary = "; ".join(
        [f"merged {drop_id} into {keep_id}: {moved} rows moved", *notes])
    changes.audit_action = "merge"
    return changes

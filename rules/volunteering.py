"""Rules about volunteering: profiles, shifts and sign-ups, logged hours and approvals.

Pure functions that return the `ChangeSet` a page commits, so the rules (a shift never
takes more people than it has places, a volunteer only adds or removes themselves, an
approval touches only the rows whose flag changed) hold in a notebook and a test as well
as in the app. Each edit carries the row as the user saw it: two volunteers taking the last
place at once is a conflict for the second, never an overfull shift.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

import pandas as pd
from pydantic import ValidationError

from sheets_schema.cells import cell_text, is_blank
from sheets_schema.changes import ChangeSet
from sheets_schema.frames import record_cells
from sheets_schema.tabs import tab
from sheets_schema.workbook import new_id

from .membership_terms import add_months

__all__ = [
    "PROFILE_FIELDS",
    "PROFILE_STATUSES",
    "VolunteeringError",
    "approval_changes",
    "assign_changes",
    "check_is_due",
    "hours_changes",
    "person_for_email",
    "places_left",
    "profile_changes",
    "shift_changes",
    "sign_up_changes",
    "skill_choices",
    "withdraw_changes",
]

#: The profile fields a form edits, in the order it shows them.
#: A volunteer profile's statuses, in the model's order.
PROFILE_STATUSES = tab("volunteers").column("status").choices
PROFILE_FIELDS = ("status", "skills", "availability", "background_check_date",
                  "emergency_contact", "notes")


class VolunteeringError(ValueError):
    """A change the rules refuse, with the sentence to show the person who asked."""


def _validated(tab_name: str, record: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return record_cells(tab_name, record)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}"
                             for e in error.errors())
        raise VolunteeringError(f"That cannot be saved: {problems}.") from error


def person_for_email(people: pd.DataFrame, email: str) -> str | None:
    """The id of the (not deleted) person whose email is `email`, matched
    case-insensitively, or None: how a signed-in volunteer finds their own record."""
    wanted = email.strip().casefold()
    if not wanted or people.empty:
        return None
    live = people[people["deleted_at"].isna()] if "deleted_at" in people else people
    match = live[live["email"].fillna("").astype(str).str.strip().str.casefold() == wanted]
    return None if match.empty else str(match.iloc[0]["id"])


def skill_choices(volunteers: pd.DataFrame) -> list[str]:
    """The distinct skills already used in profiles, sorted case-insensitively, so a form
    offers them first (and a new one can still be typed)."""
    seen: dict[str, str] = {}
    for skills in volunteers["skills"] if "skills" in volunteers else ():
        for skill in skills or ():
            seen.setdefault(skill.strip().casefold(), skill.strip())
    return sorted((s for s in seen.values() if s), key=str.casefold)


def check_is_due(checked_on: date | None, as_of: date, months: int) -> bool:
    """True when a background check is missing or older than `months` on `as_of`:
    ``check_is_due(date(2022, 1, 1), date(2025, 1, 2), 36) is True``."""
    if is_blank(checked_on):
        return True
    day = checked_on.date() if hasattr(checked_on, "date") else checked_on
    return bool(add_months(day, months) < as_of)


def profile_changes(person_id: str, values: Mapping[str, Any],
                    seen: Mapping[str, Any] | None) -> ChangeSet:
    """A new profile for `person_id` (when `seen` is None) or the cells of its profile that
    `values` changes. Raises VolunteeringError for a value the model refuses."""
    if seen is None:
        return ChangeSet().append("volunteers", _validated("volunteers",
                                                           {**values, "id": person_id}))
    merged = {k: v for k, v in seen.items() if k in PROFILE_FIELDS or k == "id"}
    merged.update({k: v for k, v in values.items() if k in PROFILE_FIELDS})
    row = _validated("volunteers", merged)
    changes = {k: row[k] for k in PROFILE_FIELDS
               if k in values and cell_text(row[k]) != cell_text(seen.get(k))}
    return ChangeSet().edit("volunteers", person_id, changes, seen)


def shift_changes(day: date, start: time | None, end: time | None, activity: str,
                  campaign_id: str, places: int | None) -> ChangeSet:
    """A new shift with nobody assigned yet."""
    if start is not None and end is not None and end <= start:
        raise VolunteeringError("The shift must end after it starts.")
    row = _validated("volunteer_shifts", {
        "id": new_id("S"), "date": day, "start": start, "end": end,
        "activity": activity.strip(), "campaign_id": campaign_id, "places": places,
        "assigned": ()})
    return ChangeSet().append("volunteer_shifts", row)


def _assigned(shift: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(shift.get("assigned") or ())


def _places(shift: Mapping[str, Any]) -> int | None:
    places = shift.get("places")
    return None if is_blank(places) else int(places)


def places_left(shift: Mapping[str, Any]) -> int | None:
    """Places still open on `shift`; None when it has no limit."""
    places = _places(shift)
    return None if places is None else max(0, places - len(_assigned(shift)))


def sign_up_changes(shift: Mapping[str, Any], person_id: str) -> ChangeSet:
    """`person_id` takes a place on `shift`. Raises VolunteeringError when they already
    have one or none is left."""
    assigned = _assigned(shift)
    if person_id in assigned:
        raise VolunteeringError("You are already signed up for this shift.")
    if places_left(shift) == 0:
        raise VolunteeringError("This shift is full: every place is taken.")
    return ChangeSet().edit("volunteer_shifts", str(shift["id"]),
                            {"assigned": (*assigned, person_id)}, shift)


def withdraw_changes(shift: Mapping[str, Any], person_id: str) -> ChangeSet:
    """`person_id` gives up their place on `shift` (everyone else stays)."""
    assigned = _assigned(shift)
    if person_id not in assigned:
        raise VolunteeringError("You are not signed up for this shift.")
    return ChangeSet().edit("volunteer_shifts", str(shift["id"]),
                            {"assigned": tuple(p for p in assigned if p != person_id)}, shift)


def assign_changes(shift: Mapping[str, Any], person_ids: Iterable[str]) -> ChangeSet:
    """Staff set who works `shift`, in the order given; never more people than places."""
    chosen = tuple(dict.fromkeys(p for p in person_ids if p))
    places = _places(shift)
    if places is not None and len(chosen) > places:
        raise VolunteeringError(f"This shift has {places} places; {len(chosen)} people were "
                                f"chosen.")
    if chosen == _assigned(shift):
        return ChangeSet()
    return ChangeSet().edit("volunteer_shifts", str(shift["id"]), {"assigned": chosen}, shift)


def hours_changes(person_id: str, day: date, hours: Decimal | float, activity: str,
                  campaign_id: str = "", note: str = "", *,
                  approved: bool = False) -> ChangeSet:
    """One day of hours, unapproved unless staff log it as approved."""
    if not person_id:
        raise VolunteeringError("Choose whose hours these are.")
    row = _validated("volunteer_hours", {
        "id": new_id("VH"), "person_id": person_id, "date": day,
        "hours": Decimal(str(hours)), "activity": activity.strip(),
        "campaign_id": campaign_id, "approved": approved, "note": note.strip()})
    return ChangeSet().append("volunteer_hours", row)


def approval_changes(rows: Iterable[Mapping[str, Any]], approved: Mapping[str, bool]) -> ChangeSet:
    """One commit setting `approved` on the rows (as seen) whose flag `approved` changes;
    rows it does not name, or names with their current value, are untouched."""
    changes = ChangeSet()
    for row in rows:
        key = str(row["id"])
        if key in approved and bool(approved[key]) != bool(row.get("approved")):
            changes.edit("volunteer_hours", key, {"approved": bool(approved[key])}, row)
    return changes

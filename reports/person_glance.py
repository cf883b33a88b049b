"""What the top of a person's page says at a glance beside their giving and membership:
volunteer hours this (fiscal) year, their last contact and the next step it named, and
their open tasks. Pure, from what the reader may see of one snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from rules.contacts import open_tasks
from sheets_schema.workbook import Workbook

from .fiscal import fiscal_year
from .timeline import PersonRows, person_rows

__all__ = ["Glance", "person_glance"]


@dataclass(frozen=True)
class Glance:
    """Blank (None, "", 0) where nothing is recorded."""

    hours_this_year: Decimal
    last_contact: datetime | None
    last_contact_kind: str
    days_since_contact: int | None
    next_step: str
    open_tasks: int


def person_glance(book: Workbook, person_id: str, as_of: date, fiscal_year_start: int = 1,
                  index: PersonRows | None = None) -> Glance:
    """`person_id`'s hours in the fiscal year of `as_of` (years starting in month
    `fiscal_year_start`), newest contact up to `as_of` and its next step, and how many
    tasks about them are open. `index` is the snapshot's `person_rows`, when kept."""
    index = index or person_rows(book)
    hours = index.of(book, "volunteer_hours", "person_id", person_id)
    year = fiscal_year(as_of, fiscal_year_start)
    days = pd.to_datetime(hours["date"]).dt.date
    in_year = [h for d, h in zip(days, hours["hours"], strict=True)
               if not pd.isna(d) and not pd.isna(h)
               and fiscal_year(d, fiscal_year_start) == year and d <= as_of]
    contacts = index.of(book, "interactions", "person_id", person_id)
    contacts = contacts[contacts["when"].notna()]
    contacts = contacts[pd.to_datetime(contacts["when"]).dt.date <= as_of]
    last = contacts.sort_values("when", kind="stable").tail(1)
    when = None if last.empty else pd.Timestamp(last["when"].iloc[0]).to_pydatetime()
    return Glance(
        hours_this_year=sum(in_year, start=Decimal(0)),
        last_contact=when,
        last_contact_kind="" if last.empty else str(last["kind"].iloc[0]),
        days_since_contact=None if when is None else (as_of - when.date()).days,
        next_step="" if last.empty else str(last["next_step"].iloc[0] or ""),
        open_tasks=len(open_tasks(book.frame("tasks"), person_id=person_id)),
    )

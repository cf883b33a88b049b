"""Contacts with people and the tasks that follow them up: what logging a contact writes,
which tasks are due when, and what closing a task writes.

A contact (a row of `interactions`) is logged in one commit with whatever it closes, so a
call made from a task is never recorded without the task being done, or the other way
round. Pure: rows and dates in, change sets and frames out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from sheets_schema.cells import is_blank, python_value
from sheets_schema.changes import ChangeSet
from sheets_schema.models import CONTACT_KINDS
from sheets_schema.workbook import new_id

__all__ = [
    "CONTACT_KINDS",
    "ContactRefused",
    "DueTasks",
    "close_task",
    "due_tasks",
    "log_contact",
    "new_task",
    "open_tasks",
]

#: The longest summary a contact keeps: a conversation's gist, not a transcript.
MAX_SUMMARY_CHARS = 2_000


class ContactRefused(ValueError):
    """A contact or task that cannot be saved as given, and what to do instead."""


def _contact(person_id: str, kind: str, summary: str, *, by: str, now: datetime,
             **more: Any) -> dict[str, Any]:
    if not person_id.strip():
        raise ContactRefused("Choose the person this contact was with, then save.")
    if kind not in CONTACT_KINDS:
        raise ContactRefused(f"{kind!r} is not a kind of contact; choose one of "
                             f"{', '.join(CONTACT_KINDS)}.")
    if not summary.strip():
        raise ContactRefused("Say in a few words what was said or done, then save.")
    if len(summary) > MAX_SUMMARY_CHARS:
        raise ContactRefused(f"The summary is {len(summary):,} characters; keep it under "
                             f"{MAX_SUMMARY_CHARS:,} (the gist, and the next step below).")
    return {"id": new_id("IN"), "person_id": person_id.strip(), "when": now, "kind": kind,
            "by": by, "summary": summary.strip(), "created_at": now,
            **{k: v.strip() if isinstance(v, str) else v for k, v in more.items()}}


def log_contact(person_id: str, kind: str, summary: str, *, by: str, now: datetime,
                direction: str = "", outcome: str = "", next_step: str = "",
                campaign_id: str = "", confidential: bool = False) -> ChangeSet:
    """The change that records one contact with `person_id`, made by `by` (a user's email)
    at `now`. Raises ContactRefused with what to fix (no person, no summary, a kind that is
    not one of `CONTACT_KINDS`)."""
    changes = ChangeSet()
    changes.append("interactions", _contact(
        person_id, kind, summary, by=by, now=now, direction=direction, outcome=outcome,
        next_step=next_step, campaign_id=campaign_id, confidential=confidential))
    return changes


def new_task(title: str, *, assignee: str, due: date | None, by: str, now: datetime,
             person_id: str = "", kind: str = "to do", priority: str = "normal",
             note: str = "", source: str = "") -> ChangeSet:
    """The change that gives `assignee` a task. Raises ContactRefused without a title or an
    assignee."""
    if not title.strip():
        raise ContactRefused("Give the task a title (what is to be done), then save.")
    if not assignee.strip():
        raise ContactRefused("Choose who the task is for, then save.")
    changes = ChangeSet()
    changes.append("tasks", {
        "id": new_id("T"), "title": title.strip(), "person_id": person_id.strip(),
        "assignee": assignee.strip(), "due_date": due, "kind": kind, "priority": priority,
        "status": "open", "source": source or f"added by {by}", "note": note.strip(),
        "created_by": by, "created_at": now,
    })
    return changes


def _seen(row: Mapping[str, Any] | pd.Series) -> dict[str, Any]:
    return {str(column): python_value(value) for column, value in row.items()}


def close_task(task: Mapping[str, Any] | pd.Series, *, by: str, now: datetime,
               summary: str = "", outcome: str = "", next_step: str = "") -> ChangeSet:
    """The change that marks `task` (its row as read) done by `by` at `now`.

    A task of a contact kind (a call, a meeting) about a person logs that contact in the
    same commit: `summary` says what was said (the task's title if blank). Raises
    ContactRefused when the task is not open.
    """
    status = str(task.get("status", ""))
    if status != "open":
        raise ContactRefused(f"This task is {status or 'not open'}; there is nothing to "
                             f"close. Refresh to see it as it is now.")
    changes = ChangeSet()
    changes.edit("tasks", str(task["id"]), {"status": "done", "done_by": by, "done_at": now},
                 _seen(task))
    kind, person_id = str(task.get("kind", "")), str(task.get("person_id", "") or "")
    if kind in CONTACT_KINDS and person_id and not is_blank(person_id):
        changes.append("interactions", _contact(
            person_id, kind, summary or str(task["title"]), by=by, now=now,
            outcome=outcome, next_step=next_step, task_id=str(task["id"])))
    return changes


def open_tasks(tasks: pd.DataFrame, *, assignee: str | None = None,
               person_id: str | None = None) -> pd.DataFrame:
    """Open tasks, soonest due first (those without a day last), of one assignee (matched
    ignoring case) or about one person when given."""
    mine = tasks[tasks["status"] == "open"]
    if assignee is not None:
        wanted = assignee.strip().casefold()
        mine = mine[mine["assignee"].astype(str).str.strip().str.casefold() == wanted]
    if person_id is not None:
        mine = mine[mine["person_id"] == person_id]
    order = {"high": 0, "normal": 1, "low": 2}
    return mine.assign(_p=mine["priority"].map(order).fillna(1)).sort_values(
        ["due_date", "_p"], na_position="last", kind="stable").drop(columns="_p")


@dataclass(frozen=True)
class DueTasks:
    """Open tasks by when they are due, as My tasks lists them."""

    overdue: pd.DataFrame
    today: pd.DataFrame
    this_week: pd.DataFrame
    later: pd.DataFrame


def due_tasks(tasks: pd.DataFrame, today: date) -> DueTasks:
    """Split open tasks (`open_tasks`) into overdue (due before `today`), due today, due
    in the six days after it, and later (or with no day)."""
    ordered = open_tasks(tasks)
    due = pd.to_datetime(ordered["due_date"]).dt.date
    known = ordered["due_date"].notna()
    week_end = today + timedelta(days=6)
    overdue = known & (due < today)
    is_today = known & (due == today)
    week = known & (due > today) & (due <= week_end)
    return DueTasks(ordered[overdue], ordered[is_today], ordered[week],
                    ordered[~(overdue | is_today | week)])

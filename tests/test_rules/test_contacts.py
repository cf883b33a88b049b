"""Logging a contact and following it up: what each writes, and which tasks are due when,
worked out by hand for Tuesday 10 March 2026."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from rules.contacts import ContactRefused, close_task, due_tasks, log_contact, new_task, open_tasks
from sheets_schema import parse_tab, rows_to_raw

NOW = datetime(2026, 3, 10, 14, 30)
TODAY = NOW.date()
ME = "sam@example.org"


def tasks(*rows: dict[str, str]) -> pd.DataFrame:
    return parse_tab("tasks", rows_to_raw("tasks", list(rows))).frame


def test_a_contact_is_one_new_row_saying_who_when_and_what() -> None:
    changes = log_contact("P1", "call", "  Thanked her for the gala gift ", by=ME, now=NOW,
                          next_step="Invite to the spring tour")
    [row] = changes.appends["interactions"]
    assert row["person_id"] == "P1" and row["kind"] == "call" and row["by"] == ME
    assert row["when"] == NOW and row["summary"] == "Thanked her for the gala gift"
    assert row["next_step"] == "Invite to the spring tour" and row["id"].startswith("IN")
    assert not changes.edits and not changes.deletes


@pytest.mark.parametrize(("person", "kind", "summary", "says"), [
    ("", "call", "hello", "Choose the person"),
    ("P1", "fax", "hello", "not a kind of contact"),
    ("P1", "call", "   ", "what was said"),
    ("P1", "call", "x" * 2_001, "keep it under 2,000"),
])
def test_a_contact_that_cannot_be_saved_says_what_to_fix(person: str, kind: str, summary: str,
                                                        says: str) -> None:
    with pytest.raises(ContactRefused, match=says):
        log_contact(person, kind, summary, by=ME, now=NOW)


def test_closing_a_call_task_logs_the_call_in_the_same_change() -> None:
    task = tasks({"id": "T1", "title": "Call about renewal", "person_id": "P2",
                  "assignee": ME, "kind": "call", "due_date": "2026-03-09"}).iloc[0]
    changes = close_task(task, by=ME, now=NOW, summary="Will renew in April")
    [edit] = changes.edits["tasks"]
    assert edit.key == "T1" and edit.changes == {"status": "done", "done_by": ME, "done_at": NOW}
    assert edit.seen["status"] == "open"
    [contact] = changes.appends["interactions"]
    assert (contact["kind"], contact["person_id"], contact["task_id"]) == ("call", "P2", "T1")
    assert contact["summary"] == "Will renew in April"


def test_closing_a_to_do_or_a_task_about_nobody_logs_no_contact() -> None:
    frame = tasks({"id": "T1", "title": "Order stamps", "assignee": ME},
                  {"id": "T2", "title": "Ring the hall", "assignee": ME, "kind": "call"})
    for _, task in frame.iterrows():
        assert "interactions" not in close_task(task, by=ME, now=NOW).appends


def test_a_task_already_done_cannot_be_closed_again() -> None:
    task = tasks({"id": "T1", "title": "Call", "assignee": ME, "status": "done"}).iloc[0]
    with pytest.raises(ContactRefused, match="This task is done"):
        close_task(task, by=ME, now=NOW)


def test_a_task_needs_a_title_and_someone_to_do_it() -> None:
    with pytest.raises(ContactRefused, match="title"):
        new_task(" ", assignee=ME, due=TODAY, by=ME, now=NOW)
    with pytest.raises(ContactRefused, match="who the task is for"):
        new_task("Call", assignee="", due=TODAY, by=ME, now=NOW)
    [row] = new_task("Call", assignee=ME, due=TODAY, by=ME, now=NOW,
                     person_id="P1").appends["tasks"]
    assert row["status"] == "open" and row["source"] == f"added by {ME}"


def test_tasks_are_due_overdue_today_this_week_or_later() -> None:
    frame = tasks(
        {"id": "T1", "title": "a", "assignee": ME, "due_date": "2026-03-02"},   # overdue
        {"id": "T2", "title": "b", "assignee": ME, "due_date": "2026-03-10"},   # today
        {"id": "T3", "title": "c", "assignee": ME, "due_date": "2026-03-16"},   # 6 days: week
        {"id": "T4", "title": "d", "assignee": ME, "due_date": "2026-03-17"},   # 7 days: later
        {"id": "T5", "title": "e", "assignee": ME},                             # no day: later
        {"id": "T6", "title": "f", "assignee": ME, "due_date": "2026-03-01", "status": "done"},
        {"id": "T7", "title": "g", "assignee": ME, "due_date": "2026-03-10",
         "priority": "high"},                                                   # today, first
    )
    due = due_tasks(frame, TODAY)
    assert list(due.overdue["id"]) == ["T1"]
    assert list(due.today["id"]) == ["T7", "T2"]
    assert list(due.this_week["id"]) == ["T3"]
    assert list(due.later["id"]) == ["T4", "T5"]


def test_open_tasks_of_one_assignee_match_their_email_ignoring_case() -> None:
    frame = tasks({"id": "T1", "title": "a", "assignee": "Sam@Example.org "},
                  {"id": "T2", "title": "b", "assignee": "kim@example.org"})
    assert list(open_tasks(frame, assignee=ME)["id"]) == ["T1"]
    assert due_tasks(tasks(), date(2026, 1, 1)).overdue.empty

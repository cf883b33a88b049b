"""What the home page says needs doing, worked out by hand on a small organisation on
15 March 2026 (calendar years, 30 grace days, standing gifts lapse after 15 days)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from reports.today import Line, glance, mail_lines, work_lines
from rules.roles import Role, visible_workbook
from sheets_schema import TABS, parse_tab, rows_to_raw
from sheets_schema.workbook import Workbook

AS_OF = date(2026, 3, 15)
PEOPLE = [{"id": f"P{n}", "first_name": f"Person {n}"} for n in range(1, 5)]
GIFTS = [  # id, person, date, amount, status, receipt
    ("D1", "P1", "2026-02-01", "100", "completed", "to send"),   # to thank; this year
    ("D2", "P2", "2025-03-01", "50", "completed", "sent"),       # last year to the same day
    ("D3", "P1", "2026-03-01", "40", "pending", "to send"),      # pending: not yet to thank
    ("D4", "P3", "2025-06-01", "70", "completed", "to send"),    # to thank; after that day
]
TERMS = [  # id, person, level, start, end
    ("M1", "P1", "L1", "2025-03-19", "2026-03-18"),  # ends in 3 days: due this week
    ("M2", "P2", "L1", "2025-03-02", "2026-03-01"),  # ended 14 days ago: in grace
    ("M3", "P3", "L1", "2025-05-01", "2026-04-30"),  # ends in 46 days: not this week
]
SCHEDULES = [  # id, person, next date
    ("R1", "P1", "2026-02-20"),  # 23 days past due: lapsed
    ("R2", "P2", "2026-03-10"),  # 5 days: still active
    ("R3", "P3", "2025-10-01"),  # 165 days: closed, not lapsed
]


def organisation(**extra: list[dict[str, Any]]) -> Workbook:
    records: dict[str, list[dict[str, Any]]] = {
        "people": PEOPLE,
        "donations": [dict(zip(("id", "person_id", "date", "amount", "status",
                                "receipt_status"), g, strict=True)) for g in GIFTS],
        "membership_levels": [{"id": "L1", "name": "Individual", "fee": "50"}],
        "memberships": [dict(zip(("id", "person_id", "level_id", "start_date", "end_date"),
                                 t, strict=True)) | {"join_date": t[3]} for t in TERMS],
        "recurring_gifts": [{"id": i, "person_id": p, "amount": "10", "frequency": "monthly",
                             "start_date": "2025-01-20", "next_date": d}
                            for i, p, d in SCHEDULES],
        **extra,
    }
    return Workbook({name: parse_tab(name, rows_to_raw(name, records.get(name, [])))
                     for name in TABS})


def counts(lines: list[Line]) -> dict[str, int]:
    return {line.text: line.count for line in lines}


def test_staff_see_each_kind_of_work_with_its_count_and_page() -> None:
    lines = work_lines(organisation(), AS_OF, Role.STAFF)
    assert counts(lines) == {
        "2 gifts await a thank-you": 2,
        "1 membership ends within 7 days": 1,
        "1 member is in grace: their term has ended": 1,
        "1 standing gift has lapsed": 1,
    }
    assert [line.page for line in lines] == ["pages/acknowledgments.py", "pages/renewals.py",
                                             "pages/renewals.py", "pages/recurring.py"]


def test_hours_logged_for_nobody_are_a_data_problem_on_the_data_problems_page() -> None:
    book = organisation(volunteer_hours=[{"id": "H1", "person_id": "P404", "date": "2026-03-01",
                                          "hours": "2"}])
    [line] = [line for line in work_lines(book, AS_OF, Role.STAFF)
              if line.page == "pages/data_health.py"]
    assert line.text == "1 data problem to fix"


def test_nothing_to_do_is_no_line() -> None:
    quiet = organisation(donations=[], memberships=[], recurring_gifts=[])
    assert work_lines(quiet, AS_OF, Role.ADMIN) == []


def test_a_volunteer_gets_no_line_about_gifts_members_or_money() -> None:
    book = organisation(volunteer_shifts=[{"id": "S1", "assigned": "P1, P404"}])
    seen = visible_workbook(book, Role.VOLUNTEER)
    lines = work_lines(seen, AS_OF, Role.VOLUNTEER, ("donations", "recurring_gifts"))
    assert [line.page for line in lines] == ["pages/data_health.py"]
    assert glance(seen, AS_OF, Role.VOLUNTEER) is None


def test_the_year_so_far_is_against_last_year_to_the_same_day() -> None:
    year = glance(organisation(), AS_OF, Role.DIRECTOR)
    assert year is not None
    assert (year.this_year.total, year.this_year.donors) == (Decimal(100), 1)
    assert (year.last_year.total, year.last_year.donors) == (Decimal(50), 1)


MAILINGS = pd.DataFrame([{"id": "A1", "name": "Spring", "status": "sending"},
                         {"id": "A2", "name": "Winter", "status": "sent"}])
JOURNAL = {"A1": {"queued": 3, "sending": 1, "sent": 10, "uncertain": 2},
           "A2": {"sent": 5, "uncertain": 1}}


def test_appeals_left_to_send_and_uncertain_messages_open_their_appeal() -> None:
    lines = mail_lines(MAILINGS, JOURNAL, Role.DIRECTOR)
    assert [(line.count, line.query) for line in lines] == [
        (4, (("id", "A1"),)), (2, (("id", "A1"),)), (1, (("id", "A2"),))]
    assert lines[0].text == "Appeal Spring: 4 messages still to send (sending or paused)"
    assert {line.page for line in lines} == {"pages/mailing.py"}


def test_a_volunteer_hears_nothing_about_appeals() -> None:
    assert mail_lines(MAILINGS, JOURNAL, Role.VOLUNTEER) == []


def test_my_overdue_tasks_and_those_due_today_open_my_tasks() -> None:
    from reports.today import task_lines

    me = "sam@example.org"
    book = organisation(tasks=[
        {"id": "T1", "title": "a", "assignee": me, "due_date": "2026-03-10"},   # overdue
        {"id": "T2", "title": "b", "assignee": me, "due_date": "2026-03-12"},   # overdue
        {"id": "T3", "title": "c", "assignee": me, "due_date": "2026-03-15"},   # today
        {"id": "T4", "title": "d", "assignee": me, "due_date": "2026-03-16"},   # this week
        {"id": "T5", "title": "e", "assignee": "kim@example.org", "due_date": "2026-03-01"},
        {"id": "T6", "title": "f", "assignee": me, "due_date": "2026-03-01", "status": "done"},
    ])
    lines = task_lines(book, AS_OF, me)
    assert counts(lines) == {"2 tasks of yours are overdue": 2,
                             "1 task of yours is due today": 1}
    assert {line.page for line in lines} == {"pages/my_tasks.py"}
    assert task_lines(book, AS_OF, "nobody@example.org") == []

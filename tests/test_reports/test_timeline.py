"""One person's timeline: every contact and everything recorded about them, newest first,
derived from the tabs (a small organisation, worked out by hand)."""

from __future__ import annotations

from typing import Any

from reports.timeline import COLUMNS, timeline
from rules.roles import Role, visible_workbook
from sheets_schema import TABS, parse_tab, rows_to_raw
from sheets_schema.workbook import Workbook


def organisation(**extra: list[dict[str, Any]]) -> Workbook:
    records: dict[str, list[dict[str, Any]]] = {
        "people": [{"id": "P1", "first_name": "Ann", "email_consent": "granted",
                    "email_consent_date": "2025-01-02", "email_consent_source": "web form",
                    "import_id": "I1"},
                   {"id": "P2", "first_name": "Bo"}],
        "imports": [{"id": "I1", "kind": "people", "file_name": "list.csv",
                     "imported_at": "2025-01-01 09:00", "imported_by": "kim@example.org"}],
        "campaigns": [{"id": "C1", "name": "Spring appeal"}],
        "donations": [
            {"id": "D1", "person_id": "P1", "date": "2026-03-01", "amount": "50",
             "campaign_id": "C1", "method": "card"},
            {"id": "D2", "person_id": "P1", "date": "2026-03-05", "amount": "20",
             "status": "refunded"},
            {"id": "D3", "person_id": "P2", "date": "2026-02-01", "amount": "80",
             "soft_credit_person_id": "P1"},
            {"id": "D4", "person_id": "P2", "date": "2026-02-02", "amount": "5"},
        ],
        "membership_levels": [{"id": "L1", "name": "Individual"}],
        "memberships": [{"id": "M1", "person_id": "P1", "level_id": "L1",
                         "start_date": "2025-06-01", "end_date": "2026-05-31"}],
        "mailings": [{"id": "ML1", "name": "Spring letter"}],
        "outbox": [{"id": "O1", "mailing_id": "ML1", "person_id": "P1", "status": "sent",
                    "sent_at": "2026-02-20 08:00"},
                   {"id": "O2", "mailing_id": "ML1", "person_id": "P1", "status": "skipped"}],
        "volunteer_hours": [{"id": "VH1", "person_id": "P1", "date": "2025-09-09",
                             "hours": "3", "activity": "Gardening", "approved": "TRUE"}],
        "volunteer_shifts": [{"id": "S1", "date": "2026-04-01", "activity": "Gala",
                              "assigned": "P1, P2"}],
        "reminders": [{"id": "RM1", "term_id": "M1", "person_id": "P1", "offset": "30",
                       "status": "sent", "created_at": "2026-05-01 07:00"}],
        "interactions": [
            {"id": "IN1", "person_id": "P1", "when": "2026-03-06 10:00", "kind": "call",
             "by": "sam@example.org", "summary": "Thanked her", "next_step": "Tour"},
            {"id": "IN2", "person_id": "P1", "when": "2026-03-07 10:00", "kind": "meeting",
             "summary": "Talked about a bequest", "confidential": "TRUE"},
            {"id": "IN3", "person_id": "P2", "when": "2026-03-08 10:00", "kind": "call",
             "summary": "Not Ann's"},
        ],
        "audit_log": [{"id": "A1", "at": "2026-01-05 12:00", "user": "kim@example.org",
                       "action": "merge", "tab": "people", "record_id": "P1",
                       "after": "merged P9 into P1: 3 rows moved"}],
        **extra,
    }
    return Workbook({name: parse_tab(name, rows_to_raw(name, records.get(name, [])))
                     for name in TABS})


def test_everything_about_a_person_is_on_one_timeline_newest_first() -> None:
    story = timeline(organisation(), "P1")
    assert list(story.columns) == COLUMNS
    assert list(zip(story["kind"], story["record_id"], strict=True)) == [
        ("reminder", "RM1"), ("shift", "S1"), ("meeting", "IN2"), ("call", "IN1"),
        ("refund", "D2"), ("gift", "D1"), ("mail", "O1"), ("gift", "D3"), ("merge", "A1"),
        ("volunteering", "VH1"), ("membership", "M1"), ("consent", "P1"), ("import", "I1"),
    ]
    lines = dict(zip(story["record_id"], story["what"], strict=True))
    assert lines["D1"] == "gift of 50.00 · Spring appeal · card"
    assert lines["D2"] == "gift of 20.00 · refunded"
    assert lines["D3"] == "Soft credit: gift of 80.00"
    assert lines["IN1"] == "Thanked her · next: Tour"
    assert lines["O1"] == "Sent “Spring letter”"
    assert lines["M1"] == "Individual membership from 2025-06-01 to 2026-05-31"
    assert lines["P1"] == "Email consent granted (web form)"
    assert lines["I1"] == "Added by the import of list.csv"
    assert lines["A1"] == "Merged P9 into P1"
    assert story.loc[story["record_id"] == "IN1", "by"].item() == "sam@example.org"


def test_the_timeline_filters_by_kind_and_keeps_the_newest() -> None:
    story = timeline(organisation(), "P1", kinds=["call", "meeting", "gift"], limit=3)
    assert list(story["record_id"]) == ["IN2", "IN1", "D1"]


def test_a_volunteer_sees_no_gifts_no_confidential_contact_and_no_audit() -> None:
    seen = visible_workbook(organisation(), Role.VOLUNTEER)
    story = timeline(seen, "P1")
    assert set(story["kind"]) == {"call", "shift", "membership", "consent", "import",
                                  "reminder"}
    director = timeline(visible_workbook(organisation(), Role.DIRECTOR), "P1")
    assert "IN2" not in set(director["record_id"]) and "D1" in set(director["record_id"])
    assert "IN2" in set(timeline(visible_workbook(organisation(), Role.STAFF), "P1")["record_id"])


def test_a_person_with_nothing_recorded_has_an_empty_timeline() -> None:
    story = timeline(organisation(), "P404")
    assert story.empty and list(story.columns) == COLUMNS


def test_a_confidential_flag_that_cannot_be_read_still_keeps_the_contact_from_volunteers(
        ) -> None:
    book = organisation(interactions=[
        {"id": "IN9", "person_id": "P1", "when": "2026-03-06", "kind": "note",
         "summary": "Health news", "confidential": "yes!"}])
    assert timeline(visible_workbook(book, Role.VOLUNTEER), "P1", kinds=["note"]).empty
    assert list(timeline(book, "P1", kinds=["note"])["record_id"]) == ["IN9"]


def test_a_person_at_a_glance_counts_this_years_hours_and_their_last_contact() -> None:
    from datetime import date, datetime
    from decimal import Decimal

    from reports.person_glance import person_glance

    book = organisation(
        volunteer_hours=[
            {"id": "VH1", "person_id": "P1", "date": "2026-02-01", "hours": "2.5"},
            {"id": "VH2", "person_id": "P1", "date": "2026-03-09", "hours": "1"},
            {"id": "VH3", "person_id": "P1", "date": "2025-12-31", "hours": "4"},  # last year
            {"id": "VH4", "person_id": "P2", "date": "2026-02-01", "hours": "9"},  # not theirs
        ],
        tasks=[{"id": "T1", "title": "Call", "person_id": "P1", "assignee": "s@x.org"},
               {"id": "T2", "title": "Done", "person_id": "P1", "assignee": "s@x.org",
                "status": "done"}])
    glance = person_glance(book, "P1", date(2026, 3, 10))
    assert glance.hours_this_year == Decimal("3.5")
    assert glance.last_contact == datetime(2026, 3, 7, 10, 0)  # IN2, the newest
    assert (glance.last_contact_kind, glance.days_since_contact) == ("meeting", 3)
    assert glance.open_tasks == 1
    july = person_glance(book, "P1", date(2026, 3, 10), fiscal_year_start=7)
    assert july.hours_this_year == Decimal("7.5"), "FY2026 runs from July 2025"
    nobody = person_glance(book, "P2", date(2026, 3, 10))
    assert nobody.open_tasks == 0 and nobody.next_step == ""
    assert person_glance(book, "P404", date(2026, 3, 10)).last_contact is None

"""Volunteering rules: finding a volunteer's own record, skills, background checks, profile
edits, shifts that never overfill, hours and approvals."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from rules.volunteering import (
    VolunteeringError,
    approval_changes,
    assign_changes,
    check_is_due,
    hours_changes,
    person_for_email,
    places_left,
    profile_changes,
    shift_changes,
    sign_up_changes,
    skill_choices,
    withdraw_changes,
)
from sheets_schema import parse_tab, rows_to_raw


def frame(tab: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


SHIFT = {"id": "S1", "date": pd.Timestamp("2025-06-01"), "places": 2, "assigned": ("P1",),
         "activity": "pantry"}


def test_a_volunteer_is_found_by_email_whatever_the_case() -> None:
    people = frame("people", [
        {"id": "P1", "first_name": "Ann", "email": "Ann@Example.org"},
        {"id": "P2", "first_name": "Bo", "email": "bo@example.org",
         "deleted_at": "2025-01-01 10:00"}])
    assert person_for_email(people, " ann@example.ORG ") == "P1"
    assert person_for_email(people, "bo@example.org") is None
    assert person_for_email(people, "") is None


def test_skill_choices_are_the_distinct_skills_used() -> None:
    vols = frame("volunteers", [{"id": "P1", "skills": "driving, IT help"},
                                {"id": "P2", "skills": "Driving, cooking"}])
    assert skill_choices(vols) == ["cooking", "driving", "IT help"]


@pytest.mark.parametrize(("checked", "due"), [
    (None, True), (date(2022, 1, 1), True), (date(2022, 1, 2), False), (date(2024, 6, 1), False)])
def test_a_background_check_is_due_after_the_months(checked: date | None, due: bool) -> None:
    assert check_is_due(checked, date(2025, 1, 2), 36) is due


def test_a_new_profile_is_appended_and_an_edit_changes_only_changed_cells() -> None:
    new = profile_changes("P1", {"status": "active", "skills": ("driving",)}, None)
    assert new.appends["volunteers"][0]["id"] == "P1"
    seen = {"id": "P1", "status": "active", "skills": ("driving",), "availability": "",
            "background_check_date": None, "emergency_contact": "", "notes": ""}
    edit = profile_changes("P1", {"status": "inactive", "skills": ("driving",),
                                  "availability": ""}, seen)
    assert edit.edits["volunteers"][0].changes == {"status": "inactive"}
    assert not profile_changes("P1", {"status": "active"}, seen)
    with pytest.raises(VolunteeringError):
        profile_changes("P1", {"status": "retired"}, seen)


def test_a_shift_must_end_after_it_starts() -> None:
    made = shift_changes(date(2025, 6, 1), time(9), time(12), "pantry", "", 3)
    row = made.appends["volunteer_shifts"][0]
    assert row["places"] == 3 and row["assigned"] == ()
    with pytest.raises(VolunteeringError):
        shift_changes(date(2025, 6, 1), time(12), time(9), "pantry", "", 3)


def test_signing_up_fills_a_place_and_never_past_places() -> None:
    changes = sign_up_changes(SHIFT, "P2")
    edit = changes.edits["volunteer_shifts"][0]
    assert edit.changes == {"assigned": ("P1", "P2")} and edit.seen is SHIFT
    full = {**SHIFT, "assigned": ("P1", "P2")}
    assert places_left(full) == 0
    with pytest.raises(VolunteeringError, match="full"):
        sign_up_changes(full, "P3")
    with pytest.raises(VolunteeringError, match="already"):
        sign_up_changes(SHIFT, "P1")
    assert places_left({**SHIFT, "places": None}) is None


def test_withdrawing_removes_only_yourself() -> None:
    shift = {**SHIFT, "assigned": ("P1", "P2")}
    assert withdraw_changes(shift, "P1").edits["volunteer_shifts"][0].changes == {
        "assigned": ("P2",)}
    with pytest.raises(VolunteeringError):
        withdraw_changes(shift, "P9")


def test_staff_assign_anyone_up_to_the_places() -> None:
    assert assign_changes(SHIFT, ["P3", "P3", "P4"]).edits["volunteer_shifts"][0].changes == {
        "assigned": ("P3", "P4")}
    assert not assign_changes(SHIFT, ["P1"])
    with pytest.raises(VolunteeringError):
        assign_changes(SHIFT, ["P1", "P2", "P3"])


def test_hours_are_logged_unapproved_and_validated() -> None:
    row = hours_changes("P1", date(2025, 6, 1), 2.5, " pantry ").appends["volunteer_hours"][0]
    assert row["hours"] == Decimal("2.5") and row["approved"] is False
    assert row["activity"] == "pantry" and row["id"].startswith("VH-")
    with pytest.raises(VolunteeringError):
        hours_changes("P1", date(2025, 6, 1), 30, "pantry")
    with pytest.raises(VolunteeringError):
        hours_changes("", date(2025, 6, 1), 2, "pantry")


def test_approval_edits_only_rows_whose_flag_changes() -> None:
    rows = [{"id": "H1", "approved": False}, {"id": "H2", "approved": True},
            {"id": "H3", "approved": False}]
    changes = approval_changes(rows, {"H1": True, "H2": True, "H3": False})
    assert [(e.key, dict(e.changes)) for e in changes.edits["volunteer_hours"]] == [
        ("H1", {"approved": True})]

"""Membership rules: term dates, statuses on the exact boundary days, and what a renewal adds.

Tables of hand-worked examples first (month ends, leap days, 2100 not being a leap year,
fixed periods with and without rollover, each status's first and last day), then the rows
a join or renewal writes, then hypothesis properties over every start date.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from rules.membership_terms import (
    LevelError,
    MembershipError,
    Status,
    add_months,
    cancel_changes,
    fixed_term,
    governing_term,
    is_member,
    join_records,
    membership_status,
    next_term,
    person_status,
    renewal_records,
    renewal_start,
    term_dates,
    term_end,
)
from rules.roles import Role, User
from sheets_schema import parse_tab, rows_to_raw
from sheets_schema.models import MembershipLevel
from storage import Conflict, Store, Unavailable
from storage.signed_in import SignedInStore
from tests.emulator import SheetsEmulator

D = date
NOW = datetime(2025, 1, 2, 9, 30)
YEARLY = {"id": "L1", "name": "Individual", "fee": Decimal(50), "duration": 12,
          "period_type": "rolling", "fixed_start": "", "rollover": "", "active": True}
LIFETIME = {**YEARLY, "id": "L3", "name": "Lifetime", "fee": Decimal(1000), "duration": None}
CALENDAR = {**YEARLY, "id": "L4", "name": "Calendar", "period_type": "fixed",
            "fixed_start": "01-01", "rollover": "10-01"}
JULY_JUNE = {**CALENDAR, "fixed_start": "07-01", "rollover": "04-01"}


def rolling(months: int | None) -> dict[str, Any]:
    return {**YEARLY, "duration": months}


def term(start: date | None, end: date | None, join: date | None = None, override: str = "",
         **more: Any) -> dict[str, Any]:
    return {"id": "M1", "person_id": "P1", "level_id": "L1", "join_date": join or start,
            "start_date": start, "end_date": end, "amount": Decimal(50),
            "status_override": override, **more}


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),   # leap February
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2100, 1, 31), 1, D(2100, 2, 28)),   # 2100 is not a leap year
    (D(2096, 1, 31), 1, D(2096, 2, 29)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2024, 1, 15), -13, D(2022, 12, 15)),
    (D(2024, 12, 15), 1, D(2025, 1, 15)),
    (D(2024, 5, 31), 0, D(2024, 5, 31)),
])
def test_add_months_clamps_to_the_end_of_the_month(day: date, months: int,
                                                   expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("start", "months", "end"), [
    (D(2024, 3, 15), 12, D(2025, 3, 14)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),   # leap-day start, no Feb 29 next year
    (D(2024, 1, 31), 1, D(2024, 2, 29)),    # no Feb 31: ends on February's last day
    (D(2024, 1, 30), 1, D(2024, 2, 29)),
    (D(2024, 1, 29), 1, D(2024, 2, 28)),    # the next term starts on Feb 29
    (D(2024, 2, 28), 12, D(2025, 2, 27)),
    (D(2023, 2, 28), 12, D(2024, 2, 27)),
    (D(2023, 3, 1), 12, D(2024, 2, 29)),    # the leap day is covered, not skipped
    (D(2024, 5, 1), 1, D(2024, 5, 31)),     # a whole May, not May 1-30
    (D(2024, 3, 31), 1, D(2024, 4, 30)),
    (D(2024, 12, 1), 1, D(2024, 12, 31)),
    (D(2099, 3, 1), 12, D(2100, 2, 28)),
    (D(2100, 1, 31), 1, D(2100, 2, 28)),
    (D(2024, 3, 15), 24, D(2026, 3, 14)),
])
def test_rolling_term_ends_the_day_before_the_same_day_later(start: date, months: int,
                                                             end: date) -> None:
    assert term_end(rolling(months), start) == end


def test_lifetime_level_terms_never_end() -> None:
    assert term_dates(LIFETIME, D(2024, 3, 15)) == (D(2024, 3, 15), None)
    assert term_dates({**CALENDAR, "duration": None}, D(2024, 3, 15)) == (D(2024, 3, 15), None)


def test_level_model_and_mapping_give_the_same_term() -> None:
    model = MembershipLevel.model_validate(YEARLY)
    assert term_end(model, D(2024, 3, 15)) == term_end(YEARLY, D(2024, 3, 15))


@pytest.mark.parametrize(("level", "day", "start", "end"), [
    (CALENDAR, D(2024, 4, 15), D(2024, 1, 1), D(2024, 12, 31)),
    (CALENDAR, D(2024, 1, 1), D(2024, 1, 1), D(2024, 12, 31)),
    (CALENDAR, D(2024, 9, 30), D(2024, 1, 1), D(2024, 12, 31)),
    (CALENDAR, D(2024, 10, 1), D(2024, 1, 1), D(2025, 12, 31)),   # rollover day itself
    (CALENDAR, D(2024, 10, 15), D(2024, 1, 1), D(2025, 12, 31)),
    ({**CALENDAR, "rollover": ""}, D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31)),
    (JULY_JUNE, D(2024, 8, 1), D(2024, 7, 1), D(2025, 6, 30)),
    (JULY_JUNE, D(2025, 3, 31), D(2024, 7, 1), D(2025, 6, 30)),
    (JULY_JUNE, D(2025, 4, 1), D(2024, 7, 1), D(2026, 6, 30)),
    (JULY_JUNE, D(2025, 7, 1), D(2025, 7, 1), D(2026, 6, 30)),
    ({**CALENDAR, "duration": 6, "rollover": "05-01"}, D(2024, 2, 1), D(2024, 1, 1),
     D(2024, 6, 30)),
    ({**CALENDAR, "duration": 6, "rollover": "05-01"}, D(2024, 5, 1), D(2024, 1, 1),
     D(2024, 12, 31)),
    ({**CALENDAR, "duration": 6, "rollover": "05-01"}, D(2024, 8, 1), D(2024, 7, 1),
     D(2024, 12, 31)),   # the July-December half has no May 1, so no rollover
    ({**CALENDAR, "duration": 3, "rollover": ""}, D(2024, 11, 15), D(2024, 10, 1),
     D(2024, 12, 31)),
    ({**CALENDAR, "duration": 24, "rollover": ""}, D(2025, 8, 1), D(2025, 1, 1),
     D(2026, 12, 31)),
    ({**CALENDAR, "fixed_start": "03-01", "rollover": ""}, D(2024, 2, 29), D(2023, 3, 1),
     D(2024, 2, 29)),
])
def test_fixed_term_covers_the_period_holding_the_day(level: dict[str, Any], day: date,
                                                      start: date, end: date) -> None:
    assert fixed_term(level, day) == (start, end)
    assert term_dates(level, day) == (start, end)


@pytest.mark.parametrize("change", [{"fixed_start": "13-01"}, {"rollover": "02-30"},
                                    {"rollover": "Oct 1"}, {"duration": 0}])
def test_a_level_that_cannot_be_read_says_what_to_fix(change: dict[str, Any]) -> None:
    with pytest.raises(LevelError, match="Calendar level"):
        term_dates({**CALENDAR, **change}, D(2024, 4, 15))


# A yearly term joined 2024-03-15: New to 2024-06-15, Current to 2025-03-14, then 30 days
# of grace to 2025-04-13.
FIRST = term(D(2024, 3, 15), D(2025, 3, 14))


@pytest.mark.parametrize(("on", "status"), [
    (D(2024, 3, 14), Status.PENDING),    # paid for, not begun
    (D(2024, 3, 15), Status.NEW),
    (D(2024, 6, 15), Status.NEW),        # join + 3 months, inclusive
    (D(2024, 6, 16), Status.CURRENT),
    (D(2025, 3, 14), Status.CURRENT),    # the end day
    (D(2025, 3, 15), Status.GRACE),      # end + 1
    (D(2025, 4, 13), Status.GRACE),      # end + grace_days
    (D(2025, 4, 14), Status.EXPIRED),    # end + grace_days + 1
])
def test_status_on_each_boundary_day(on: date, status: Status) -> None:
    assert membership_status(FIRST, False, on, grace_days=30) == status


@pytest.mark.parametrize(("on", "status"), [
    (D(2025, 2, 28), Status.NEW),        # 2024-11-30 + 3 months clamps to Feb 28
    (D(2025, 3, 1), Status.CURRENT),
])
def test_new_lasts_to_join_plus_three_months_clamped(on: date, status: Status) -> None:
    assert membership_status(term(D(2024, 11, 30), D(2025, 11, 29)), False, on) == status


@pytest.mark.parametrize(("record", "deceased", "on", "status"), [
    (term(D(2024, 3, 15), D(2025, 3, 14), override="Pending"), False, D(2024, 8, 1),
     Status.PENDING),
    (term(D(2024, 3, 15), D(2025, 3, 14), override="Cancelled"), False, D(2024, 8, 1),
     Status.CANCELLED),
    (term(D(2024, 3, 15), D(2025, 3, 14), override="Deceased"), False, D(2024, 8, 1),
     Status.DECEASED),
    (term(D(2024, 3, 15), D(2025, 3, 14), override="Cancelled"), True, D(2024, 8, 1),
     Status.DECEASED),
    (term(D(2024, 3, 15), D(2025, 3, 14)), True, D(2024, 3, 20), Status.DECEASED),
    (term(D(2025, 3, 15), D(2026, 3, 14), join=D(2024, 3, 15)), False, D(2025, 3, 15),
     Status.CURRENT),    # a renewal: the join was a year ago, so not New
    (term(D(2010, 1, 1), None), False, D(2090, 1, 1), Status.CURRENT),   # lifetime
    (term(D(2024, 1, 1), D(2024, 12, 31), join=D(2024, 4, 15)), False, D(2024, 3, 1),
     Status.PENDING),    # a fixed period that began before they joined
    (term(D(2024, 1, 1), D(2024, 12, 31), join=D(2024, 4, 15)), False, D(2024, 4, 15),
     Status.NEW),
    (term(None, D(2025, 3, 14), join=D(2024, 3, 15)), False, D(2024, 8, 1),
     Status.CURRENT),    # a blank start reads as the join date
])
def test_overrides_deceased_and_special_terms(record: dict[str, Any], deceased: bool, on: date,
                                              status: Status) -> None:
    assert membership_status(record, deceased, on) == status


def test_no_grace_means_expired_the_day_after_the_end() -> None:
    assert membership_status(FIRST, False, D(2025, 3, 15), grace_days=0) == Status.EXPIRED


def test_a_term_with_no_dates_cannot_give_a_status() -> None:
    with pytest.raises(MembershipError, match="start_date"):
        membership_status({**FIRST, "start_date": None, "join_date": None}, False, D(2024, 1, 1))


@pytest.mark.parametrize(("status", "member"), [
    (Status.NEW, True), (Status.CURRENT, True), (Status.GRACE, True), (Status.EXPIRED, False),
    (Status.PENDING, False), (Status.CANCELLED, False), (Status.DECEASED, False),
    ("Current", True), ("Expired", False),
])
def test_only_new_current_and_grace_are_members(status: Status | str, member: bool) -> None:
    assert is_member(status) is member


# Renewed a month early (2025-02-10) for the term starting 2025-03-15.
AHEAD = term(D(2025, 3, 15), D(2026, 3, 14), join=D(2024, 3, 15), id="M2")


@pytest.mark.parametrize(("terms", "status"), [
    ([FIRST, AHEAD], Status.CURRENT),        # still on the term they are in
    ([AHEAD], Status.PENDING),               # signed up ahead: not a member yet
    ([FIRST, {**AHEAD, "status_override": "Pending"}], Status.CURRENT),
    ([FIRST, {**AHEAD, "status_override": "Cancelled"}], Status.CANCELLED),
    ([{**FIRST, "status_override": "Pending"}, AHEAD], Status.PENDING),
])
def test_a_term_paid_in_advance_does_not_decide_todays_status(terms: list[dict[str, Any]],
                                                              status: Status) -> None:
    assert person_status(terms, False, D(2025, 2, 10)) == status


def test_the_latest_term_decides_by_start_then_end() -> None:
    shorter = term(D(2024, 3, 15), D(2024, 4, 14), id="M0")
    assert governing_term([FIRST, shorter], D(2024, 8, 1)) is FIRST
    assert person_status([FIRST, shorter], False, D(2024, 8, 1)) == Status.CURRENT


@pytest.mark.parametrize(("status", "on", "start"), [
    (Status.NEW, D(2024, 5, 1), D(2025, 3, 15)),
    (Status.CURRENT, D(2025, 2, 1), D(2025, 3, 15)),
    (Status.GRACE, D(2025, 4, 1), D(2025, 3, 15)),     # backdated to the day after the end
    (Status.EXPIRED, D(2025, 6, 1), D(2025, 6, 1)),    # starts on the renewal day
    (Status.CANCELLED, D(2024, 8, 1), D(2024, 8, 1)),
])
def test_renewal_start_by_status(status: Status, on: date, start: date) -> None:
    assert renewal_start(FIRST, status, on) == start


def test_a_first_term_starts_on_the_day_paid() -> None:
    assert renewal_start(None, Status.NEW, D(2024, 8, 1)) == D(2024, 8, 1)


@pytest.mark.parametrize(("last", "status", "message"), [
    (term(D(2010, 1, 1), None), Status.CURRENT, "lifetime"),
    ({**FIRST, "status_override": "Pending"}, Status.PENDING, "Pending"),
    (FIRST, Status.DECEASED, "deceased"),
])
def test_renewals_that_cannot_be_taken_say_why(last: dict[str, Any], status: Status,
                                               message: str) -> None:
    with pytest.raises(MembershipError, match=message):
        renewal_start(last, status, D(2024, 8, 1))


@pytest.mark.parametrize(("paid_on", "start", "end"), [
    (D(2024, 5, 1), D(2025, 3, 15), D(2026, 3, 14)),    # while New
    (D(2025, 2, 1), D(2025, 3, 15), D(2026, 3, 14)),    # while Current
    (D(2025, 4, 13), D(2025, 3, 15), D(2026, 3, 14)),   # last day of grace
    (D(2025, 4, 14), D(2025, 4, 14), D(2026, 4, 13)),   # Expired: starts that day
])
def test_renewal_appends_a_term_keeping_the_join_date(paid_on: date, start: date,
                                                      end: date) -> None:
    new = renewal_records("P1", YEARLY, FIRST, paid_on, None, "cheque", NOW).membership
    assert (new["join_date"], new["start_date"], new["end_date"]) == (D(2024, 3, 15), start, end)


def test_renewal_rows_are_a_term_and_the_membership_payment_for_it() -> None:
    membership, donation = renewal_records("P1", YEARLY, FIRST, D(2025, 2, 1), None, "card", NOW)
    assert membership["id"].startswith("M-") and donation["id"].startswith("D-")
    assert membership["donation_id"] == donation["id"]
    assert (membership["level_id"], membership["amount"], membership["created_at"]) == (
        "L1", Decimal(50), NOW)
    assert (donation["person_id"], donation["date"], donation["amount"]) == (
        "P1", D(2025, 2, 1), Decimal(50))
    assert (donation["kind"], donation["status"], donation["method"]) == (
        "membership", "completed", "card")


@pytest.mark.parametrize(("last", "paid_on", "start", "end"), [
    (term(D(2024, 1, 1), D(2024, 12, 31)), D(2024, 11, 20), D(2025, 1, 1), D(2025, 12, 31)),
    (term(D(2024, 1, 1), D(2024, 12, 31)), D(2025, 1, 20), D(2025, 1, 1), D(2025, 12, 31)),
    (term(D(2023, 1, 1), D(2023, 12, 31)), D(2025, 10, 15), D(2025, 1, 1), D(2026, 12, 31)),
])
def test_fixed_renewal_covers_the_next_periods(last: dict[str, Any], paid_on: date,
                                               start: date, end: date) -> None:
    new = renewal_records("P1", CALENDAR, last, paid_on, None, "cash", NOW).membership
    assert (new["start_date"], new["end_date"]) == (start, end)


@pytest.mark.parametrize(("level", "joined", "start", "end"), [
    (YEARLY, D(2024, 2, 29), D(2024, 2, 29), D(2025, 2, 28)),
    (CALENDAR, D(2024, 4, 15), D(2024, 1, 1), D(2024, 12, 31)),
    (CALENDAR, D(2024, 10, 15), D(2024, 1, 1), D(2025, 12, 31)),
    (LIFETIME, D(2024, 4, 15), D(2024, 4, 15), None),
])
def test_join_records_start_a_membership(level: dict[str, Any], joined: date, start: date,
                                         end: date | None) -> None:
    new = join_records("P9", level, joined, None, "online", NOW).membership
    assert (new["join_date"], new["start_date"], new["end_date"]) == (joined, start, end)


def test_an_inactive_level_cannot_be_joined_or_renewed() -> None:
    retired = {**YEARLY, "active": False}
    with pytest.raises(MembershipError, match="Individual level is no longer offered"):
        join_records("P9", retired, D(2024, 4, 15), None, "cash", NOW)
    with pytest.raises(MembershipError, match="no longer offered"):
        renewal_records("P1", {**retired, "active": "FALSE"}, FIRST, D(2025, 2, 1), None,
                        "cash", NOW)


def test_a_level_without_a_fee_needs_the_amount_paid() -> None:
    pay_what_you_can = {**YEARLY, "fee": None}
    with pytest.raises(MembershipError, match="type the amount paid"):
        join_records("P9", pay_what_you_can, D(2024, 4, 15), None, "cash", NOW)
    new = join_records("P9", pay_what_you_can, D(2024, 4, 15), Decimal("12.50"), "cash", NOW)
    assert new.membership["amount"] == new.donation["amount"] == Decimal("12.50")


def test_no_membership_is_taken_for_someone_deceased() -> None:
    with pytest.raises(MembershipError, match="deceased"):
        join_records("P9", YEARLY, D(2024, 4, 15), None, "cash", NOW, deceased=True)


def test_a_row_of_the_typed_frame_can_be_renewed() -> None:
    raw = {**FIRST, "amount": "50"}
    row = parse_tab("memberships", rows_to_raw("memberships", [raw])).frame.iloc[0].to_dict()
    new = renewal_records("P1", YEARLY, row, D(2025, 2, 1), None, "cash", NOW).membership
    assert (new["join_date"], new["start_date"]) == (D(2024, 3, 15), D(2025, 3, 15))


def test_rows_are_validated_by_the_models() -> None:
    with pytest.raises(ValidationError, match="method"):
        join_records("P9", YEARLY, D(2024, 4, 15), None, "bitcoin", NOW)


@pytest.mark.parametrize(("level", "last", "paid_on", "expected"), [
    # a calendar year taken after a rolling term starts the day after it, never overlapping
    (CALENDAR, term(D(2024, 3, 15), D(2025, 3, 14)), D(2025, 3, 1),
     (D(2024, 3, 15), D(2025, 3, 15), D(2025, 12, 31))),
    # ... and after a lapse, from its period's start (the old term ended long before)
    (CALENDAR, term(D(2023, 3, 15), D(2024, 3, 14)), D(2025, 3, 1),
     (D(2023, 3, 15), D(2025, 1, 1), D(2025, 12, 31))),
    # a lapsed rolling member comes back on the day paid, keeping the join date
    (YEARLY, term(D(2022, 5, 1), D(2023, 4, 30), join=D(2021, 5, 1)), D(2024, 6, 1),
     (D(2021, 5, 1), D(2024, 6, 1), D(2025, 5, 31))),
    # cancelled mid-term: the new term starts on the day paid, inside the old one
    (YEARLY, term(D(2024, 9, 1), D(2025, 8, 31), override="Cancelled"), D(2025, 1, 10),
     (D(2024, 9, 1), D(2025, 1, 10), D(2026, 1, 9))),
    (YEARLY, None, D(2025, 1, 10), (D(2025, 1, 10), D(2025, 1, 10), D(2026, 1, 9))),
])
def test_next_term_dates(level: dict[str, Any], last: dict[str, Any] | None, paid_on: date,
                         expected: tuple[date, date, date]) -> None:
    assert next_term(level, last, paid_on) == expected
    if last is not None:
        new = renewal_records("P1", level, last, paid_on, None, "cash", NOW).membership
        assert (new["join_date"], new["start_date"], new["end_date"]) == expected


def test_cancelling_edits_only_the_override_of_the_term_as_seen() -> None:
    changes = cancel_changes(FIRST)
    [edit] = changes.edits["memberships"]
    assert (edit.key, dict(edit.changes), edit.seen) == (
        "M1", {"status_override": "Cancelled"}, FIRST)
    assert not changes.appends and not changes.deletes
    with pytest.raises(MembershipError, match="already Cancelled"):
        cancel_changes({**FIRST, "status_override": "Cancelled"})


def test_a_new_term_is_one_change_set_of_both_rows() -> None:
    new = renewal_records("P1", YEARLY, FIRST, D(2025, 2, 1), None, "card", NOW)
    changes = new.changes()
    assert changes.appends == {"memberships": [new.membership], "donations": [new.donation]}


# ---------------------------------------------------------- landing a renewal in a store

STAFF = User("staff@example.org", Role.STAFF)
LEVEL_ROW = {**YEARLY, "fee": "50", "duration": "12", "active": "TRUE"}


def _member(store: Store) -> dict[str, Any]:
    """P1 with one term (M1, FIRST) in the store; returns the term as a user sees it."""
    store.append("people", [{"id": "P1", "first_name": "Ann", "last_name": "Lee"}])
    store.append("membership_levels", [LEVEL_ROW])
    store.append("memberships", [FIRST])
    return store.load(["memberships"]).frame("memberships").iloc[0].to_dict()


def _sizes(store: Store) -> dict[str, int]:
    book = store.load(["memberships", "donations", "audit_log"])
    return {name: len(book.frame(name)) for name in book.tabs}


def test_a_renewal_lands_with_its_payment_and_audit_rows(store: Store) -> None:
    last = _member(store)
    new = renewal_records("P1", YEARLY, last, D(2025, 2, 1), None, "cheque", NOW)
    SignedInStore(store, STAFF).commit(new.changes())
    book = store.load(["memberships", "donations", "audit_log"])
    term = book.row("memberships", new.membership["id"])
    gift = book.row("donations", new.donation["id"])
    assert term is not None and gift is not None and term["donation_id"] == gift["id"]
    assert term["start_date"] == pd.Timestamp(D(2025, 3, 15)) and gift["kind"] == "membership"
    log = book.frame("audit_log")
    assert sorted(zip(log["tab"], log["record_id"], strict=True)) == [
        ("donations", gift["id"]), ("memberships", term["id"])]


@pytest.fixture
def sheets_member(store: Store, backend: str) -> dict[str, Any]:
    if backend != "sheets":
        pytest.skip("counts Google Sheets requests")
    return _member(store)


def test_a_renewal_on_google_sheets_is_one_read_and_one_write(
    store: Store, sheets_member: dict[str, Any], emulator: SheetsEmulator
) -> None:
    new = renewal_records("P1", YEARLY, sheets_member, D(2025, 2, 1), None, "cheque", NOW)
    emulator.reset_counts()
    SignedInStore(store, STAFF).commit(new.changes())
    assert [endpoint for _, endpoint, _ in emulator.requests] == [
        "values.batchGet", "spreadsheets.batchUpdate"]
    assert emulator.counts["write"] == 1


@pytest.mark.parametrize("fault", ["down", "once", "answer lost"])
def test_a_failed_renewal_on_google_sheets_leaves_all_or_nothing(
    store: Store, sheets_member: dict[str, Any], emulator: SheetsEmulator, fault: str
) -> None:
    before = _sizes(store)
    new = renewal_records("P1", YEARLY, sheets_member, D(2025, 2, 1), None, "cheque", NOW)
    if fault == "down":
        emulator.fail_always(status=500, kind="write")
        with pytest.raises(Unavailable):
            SignedInStore(store, STAFF).commit(new.changes())
        emulator.heal()
        assert _sizes(store) == before  # not the term without its payment, nor the reverse
        return
    if fault == "once":
        emulator.fail_next(status=500, kind="write")
    else:
        emulator.timeout_next(kind="spreadsheets.batchUpdate", applied=True)
    SignedInStore(store, STAFF).commit(new.changes())  # retried, landing exactly once
    assert _sizes(store) == {"memberships": before["memberships"] + 1,
                             "donations": before["donations"] + 1,
                             "audit_log": before["audit_log"] + 2}


def test_cancelling_a_term_changed_meanwhile_is_a_conflict(store: Store) -> None:
    seen = _member(store)
    store.update("memberships", "M1", {"end_date": D(2025, 6, 30)}, seen)  # staff, in the sheet
    with pytest.raises(Conflict):
        SignedInStore(store, STAFF).commit(cancel_changes(seen))
    term = store.load(["memberships"]).row("memberships", "M1")
    assert term is not None and term["status_override"] == ""


# ------------------------------------------------------------------------------ properties

starts = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))


@given(start=starts, months=st.integers(min_value=1, max_value=120))
def test_rolling_term_is_whole_months_and_never_ends_before_it_starts(start: date,
                                                                      months: int) -> None:
    end = term_end(rolling(months), start)
    assert end is not None and end >= start
    later = add_months(start, months)
    if start.day <= calendar.monthrange(later.year, later.month)[1]:
        assert end + timedelta(days=1) == later
    else:
        assert end == later and (end + timedelta(days=1)).day == 1


@given(start=starts, months=st.integers(min_value=1, max_value=36))
def test_renewing_on_time_leaves_no_gap_and_no_overlap(start: date, months: int) -> None:
    first = term(start, term_end(rolling(months), start))
    new = renewal_records("P1", rolling(months), first, start, None, "cash", NOW).membership
    assert new["start_date"] == first["end_date"] + timedelta(days=1)


month_days = st.dates(min_value=D(2024, 1, 1), max_value=D(2024, 12, 31)).map(
    lambda d: f"{d:%m-%d}")


@given(day=starts, fixed_start=month_days, rollover=st.one_of(st.just(""), month_days),
       months=st.sampled_from([1, 2, 3, 4, 6, 12, 18, 24]))
def test_fixed_term_covers_its_day_and_starts_on_a_period_start(
    day: date, fixed_start: str, rollover: str, months: int
) -> None:
    level = {**CALENDAR, "fixed_start": fixed_start, "rollover": rollover, "duration": months}
    start, end = fixed_term(level, day)
    assert end is not None and start <= day <= end
    assert start > add_months(day, -12)
    assert start.day == min(int(fixed_start[3:]), calendar.monthrange(start.year, start.month)[1])

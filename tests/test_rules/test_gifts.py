"""Gift rules: one gift from a form, a deposit batch against its control total, refunds and
thank-yous as status changes, campaigns, and standing gifts' next dates and lapses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from rules.gifts import (
    FieldErrors,
    apply_status_changes,
    awaiting_thanks,
    campaign_changes,
    check_batch,
    mark_sent,
    new_campaign,
    new_gift,
    new_schedule,
    next_charge,
    parse_amount,
    record_recurring,
    refund,
    schedule_status,
    status_changes,
)
from sheets_schema import parse_tab, rows_to_raw

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 10, 0)
PEOPLE = {"P1", "P2", "P3"}


def gift(**values: Any) -> dict[str, Any]:
    return new_gift({"person_id": "P1", "amount": "25", "date": TODAY, **values}, today=TODAY,
                    now=NOW, people_ids=PEOPLE, campaign_ids={"C1"}, currency="USD")


def errors_of(**values: Any) -> dict[str, str]:
    with pytest.raises(FieldErrors) as raised:
        gift(**values)
    return raised.value.errors


# ----------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(("typed", "amount"), [
    ("25", Decimal("25")), ("1,234.50", Decimal("1234.50")), ("$0.01", Decimal("0.01")),
    (Decimal("10.10"), Decimal("10.10")), (12.3, Decimal("12.3")),
])
def test_amounts_are_read_exactly(typed: Any, amount: Decimal) -> None:
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Type the amount"), ("0", "above zero"), ("-5", "above zero"),
    ("1.005", "at most two decimals"), ("ten", "not an amount"),
])
def test_a_bad_amount_says_what_to_type(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(typed)


# ------------------------------------------------------------------------------ a gift


def test_a_gift_from_the_form_is_a_complete_row_awaiting_thanks() -> None:
    row = gift(fund="Roof", campaign_id="C1", method="cheque", reference="1001")
    assert row["id"].startswith("D-") and row["created_at"] == NOW
    assert (row["person_id"], row["amount"], row["date"]) == ("P1", Decimal("25"), TODAY)
    assert (row["status"], row["receipt_status"], row["currency"]) == ("completed", "to send",
                                                                      "USD")
    assert gift(thank=False)["receipt_status"] == "not needed"


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"person_id": ""}, "person_id", "Pick the person"),
    ({"person_id": "P9"}, "person_id", "no person with id P9"),
    ({"amount": ""}, "amount", "Type the amount"),
    ({"date": None}, "date", "Type the date"),
    ({"date": date(2026, 12, 1)}, "date", "after today"),
    ({"date": "2026-02-31"}, "date", "not a real date"),
    ({"kind": "in-kind"}, "in_kind_description", "Describe what was given"),
    ({"in_kind_description": "a sofa"}, "in_kind_description", "Only an in-kind gift"),
    ({"tribute_type": "in memory"}, "tribute_name", "in memory of"),
    ({"tribute_name": "Grandma"}, "tribute_type", "in honour or in memory"),
    ({"soft_credit_person_id": "P1"}, "soft_credit_person_id", "other than the donor"),
    ({"soft_credit_person_id": "P9"}, "soft_credit_person_id", "no person with id P9"),
    ({"campaign_id": "C9"}, "campaign_id", "no campaign with id C9"),
    ({"method": "barter"}, "method", "not one of"),
])
def test_each_problem_is_named_beside_its_field(values: dict[str, Any], field: str,
                                               message: str) -> None:
    assert message in errors_of(**values)[field]


def test_every_problem_is_reported_at_once() -> None:
    assert set(errors_of(person_id="", amount="0", date=None)) == {"person_id", "amount", "date"}


def test_an_in_kind_gift_is_described_and_valued_at_its_amount() -> None:
    row = gift(kind="in-kind", in_kind_description="Laptop for the office", amount="400")
    assert (row["kind"], row["method"], row["amount"]) == ("in-kind", "in-kind", Decimal(400))
    assert gift(method="in-kind", in_kind_description="Books")["kind"] == "in-kind"


def test_a_tribute_and_a_soft_credit_are_kept() -> None:
    row = gift(tribute_type="in memory", tribute_name="Ann Lee", soft_credit_person_id="P2")
    assert (row["tribute_type"], row["tribute_name"], row["soft_credit_person_id"]) == (
        "in memory", "Ann Lee", "P2")


# ------------------------------------------------------------------------------ a batch


def batch(rows: list[dict[str, Any]], control: Any) -> Any:
    return check_batch(rows, control, deposit_date=date(2026, 11, 27), today=TODAY, now=NOW,
                       people_ids=PEOPLE, batch_id="B-1", currency="USD")


DEPOSIT = [
    {"person_id": "P1", "amount": "20.00", "method": "cash"},
    {"person_id": "P2", "amount": "35.10", "method": "cheque", "reference": "1001"},
    {"person_id": "P3", "amount": "0.20", "method": "cheque", "reference": "1002",
     "date": date(2026, 11, 26)},
    {"person_id": None, "amount": None, "method": None, "reference": None},  # the empty line
]


def test_a_batch_that_adds_up_to_the_control_total_is_ready() -> None:
    checked = batch(DEPOSIT, "55.30")
    assert checked.ready and checked.total == Decimal("55.30") and checked.difference == 0
    assert [g["batch_id"] for g in checked.gifts] == ["B-1"] * 3
    assert [g["date"] for g in checked.gifts] == [date(2026, 11, 27), date(2026, 11, 27),
                                                  date(2026, 11, 26)]
    assert {g["receipt_status"] for g in checked.gifts} == {"to send"}
    assert len({g["id"] for g in checked.gifts}) == 3
    assert checked.changes().appends == {"donations": checked.gifts}


def test_the_match_is_exact_to_the_cent() -> None:
    tenths = [{"person_id": "P1", "amount": "0.10", "method": "cash"}] * 3
    assert batch(tenths, "0.30").ready  # 0.1 + 0.1 + 0.1 == 0.3 in Decimal, not in floats
    checked = batch(DEPOSIT, "55.31")
    assert not checked.ready and checked.difference == Decimal("0.01")
    assert "a difference of 0.01" in checked.refusal()
    with pytest.raises(ValueError, match="difference"):
        checked.changes()


@pytest.mark.parametrize(("control", "message"), [
    ("", "Type the deposit slip's total"), ("abc", "not an amount"), ("0", "above zero"),
])
def test_without_a_good_control_total_nothing_is_ready(control: str, message: str) -> None:
    checked = batch(DEPOSIT, control)
    assert not checked.ready and message in checked.refusal()


def test_bad_rows_are_named_by_row_number() -> None:
    rows = [{"person_id": "P1", "amount": "20", "method": "cheque"},
            {"person_id": "P9", "amount": "5", "method": "card"},
            {"person_id": "P2", "amount": "5", "method": "cash"}]
    checked = batch(rows, "30")
    assert set(checked.errors) == {1, 2} and not checked.ready
    assert "cheque number" in checked.errors[1]
    assert "cash or cheques" in checked.errors[2] and "no person with id P9" in checked.errors[2]
    assert checked.total == Decimal(5) and "Fix the 2 row(s)" in checked.refusal()


def test_an_empty_grid_is_not_a_batch() -> None:
    assert "at least one gift" in batch([], "10").refusal()


# ------------------------------------------------------------------- refunds, receipts


def test_a_refund_is_a_status_change_with_the_reason_in_the_note() -> None:
    seen = {"id": "D1", "status": "completed", "note": "Gala", "receipt_status": "to send"}
    assert refund(seen, "cheque bounced", TODAY) == {
        "status": "refunded", "note": "Gala | Refunded 2026-11-30: cheque bounced",
        "receipt_status": "not needed"}
    assert refund({"status": "completed", "receipt_status": "sent"}, "asked", TODAY) == {
        "status": "refunded", "note": "Refunded 2026-11-30: asked"}


@pytest.mark.parametrize(("status", "reason", "message"), [
    ("refunded", "x", "this one is refunded"), ("pending", "x", "this one is pending"),
    ("completed", " ", "Say why"),
])
def test_only_a_completed_gift_with_a_reason_is_refunded(status: str, reason: str,
                                                         message: str) -> None:
    with pytest.raises(ValueError, match=message):
        refund({"status": status}, reason, TODAY)


def _donations(*rows: dict[str, Any]) -> pd.DataFrame:
    full = [{"person_id": "P1", "amount": "10", "date": "2026-11-01", **r} for r in rows]
    return parse_tab("donations", rows_to_raw("donations", full)).frame


def test_the_thank_you_list_and_marking_it_sent_in_one_commit() -> None:
    frame = _donations({"id": "D2", "receipt_status": "to send", "date": "2026-11-02"},
                       {"id": "D1", "receipt_status": "to send"},
                       {"id": "D3", "receipt_status": "sent"},
                       {"id": "D4", "receipt_status": "to send", "status": "refunded"})
    waiting = awaiting_thanks(frame)
    assert list(waiting["id"]) == ["D1", "D2"]
    changes = mark_sent(waiting.to_dict("records"), TODAY)
    assert [(e.key, dict(e.changes)) for e in changes.edits["donations"]] == [
        ("D1", {"receipt_status": "sent", "receipt_date": TODAY}),
        ("D2", {"receipt_status": "sent", "receipt_date": TODAY})]


# --------------------------------------------------------------------------- campaigns


def test_a_campaign_is_validated_and_only_changed_fields_are_written() -> None:
    row = new_campaign({"name": "Roof", "goal": "5,000", "start_date": date(2026, 1, 1)})
    assert row["id"].startswith("C-") and row["goal"] == Decimal(5000)
    assert campaign_changes(row, {**row, "goal": "6000", "name": "Roof"}) == {
        "goal": Decimal(6000)}
    assert campaign_changes(row, {"goal": ""}) == {"goal": None}


@pytest.mark.parametrize(("values", "field"), [
    ({"name": ""}, "name"), ({"name": "x", "goal": "-1"}, "goal"),
    ({"name": "x", "start_date": date(2026, 2, 1), "end_date": date(2026, 1, 1)}, "end_date"),
])
def test_a_bad_campaign_is_refused_beside_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(FieldErrors) as raised:
        new_campaign(values)
    assert field in raised.value.errors


# ---------------------------------------------------------------------- standing gifts


@pytest.mark.parametrize(("frequency", "start", "due", "after"), [
    ("monthly", date(2024, 1, 31), date(2024, 1, 31), date(2024, 2, 29)),
    ("monthly", date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)),  # back to the 31st
    ("monthly", date(2024, 1, 31), date(2024, 4, 30), date(2024, 5, 31)),
    ("monthly", date(2024, 12, 15), date(2025, 12, 15), date(2026, 1, 15)),
    ("quarterly", date(2024, 11, 30), date(2025, 11, 30), date(2026, 2, 28)),
    ("yearly", date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28)),
    ("weekly", date(2024, 1, 1), date(2024, 12, 30), date(2025, 1, 6)),
    ("monthly", None, date(2024, 3, 10), date(2024, 4, 10)),
    ("monthly", date(2024, 1, 10), date(2024, 3, 20), date(2024, 4, 10)),  # off rhythm: next
])
def test_the_next_charge_keeps_the_day_the_gift_started_on(
    frequency: str, start: date | None, due: date, after: date
) -> None:
    assert next_charge({"frequency": frequency, "start_date": start, "next_date": due}) == after


@pytest.mark.parametrize(("status", "days_late", "becomes"), [
    ("active", -3, "active"), ("active", 15, "active"), ("active", 16, "lapsed"),
    ("active", 90, "lapsed"), ("active", 91, "closed"), ("lapsed", 2, "active"),
    ("lapsed", 200, "closed"), ("paused", 200, "paused"), ("closed", 0, "closed"),
])
def test_a_schedule_past_due_lapses_then_closes(status: str, days_late: int,
                                                becomes: str) -> None:
    due = pd.Timestamp(TODAY) - pd.Timedelta(days=days_late)
    schedule = {"status": status, "next_date": due}
    assert schedule_status(schedule, TODAY, lapse_days=15, close_days=90) == becomes


def _schedules(*rows: dict[str, Any]) -> pd.DataFrame:
    full = [{"person_id": "P1", "amount": "20", "frequency": "monthly", **r} for r in rows]
    return parse_tab("recurring_gifts", rows_to_raw("recurring_gifts", full)).frame


def test_status_changes_list_only_what_the_rule_changes_and_write_in_one_commit() -> None:
    frame = _schedules({"id": "R1", "next_date": "2026-11-20", "status": "active"},
                       {"id": "R2", "next_date": "2026-10-01", "status": "active"},
                       {"id": "R3", "next_date": "2026-01-01", "status": "lapsed"},
                       {"id": "R4", "next_date": "2026-01-01", "status": "paused"},
                       {"id": "R5", "status": "active"})
    changes = status_changes(frame, TODAY, 15, 90)
    assert [(c.id, c.status, c.becomes, c.days_late) for c in changes] == [
        ("R3", "lapsed", "closed", 333), ("R2", "active", "lapsed", 60)]
    commit = apply_status_changes(changes)
    assert [(e.key, dict(e.changes)) for e in commit.edits["recurring_gifts"]] == [
        ("R3", {"status": "closed"}), ("R2", {"status": "lapsed"})]


def test_recording_a_gift_appends_it_and_advances_the_schedule_in_one_commit() -> None:
    [schedule] = _schedules({"id": "R1", "start_date": "2026-01-31", "next_date": "2026-10-31",
                             "status": "lapsed", "fund": "Pantry",
                             "campaign_id": "C1"}).to_dict("records")
    commit = record_recurring(schedule, {"amount": "20", "date": TODAY, "method": "card"},
                              today=TODAY, now=NOW, people_ids=PEOPLE)
    [made] = commit.appends["donations"]
    assert (made["recurring_gift_id"], made["fund"], made["campaign_id"], made["amount"]) == (
        "R1", "Pantry", "C1", Decimal(20))
    [edit] = commit.edits["recurring_gifts"]
    assert dict(edit.changes) == {"next_date": date(2026, 11, 30), "status": "active"}
    assert edit.seen is schedule


def test_a_paused_schedule_records_nothing() -> None:
    [schedule] = _schedules({"id": "R1", "next_date": "2026-11-01",
                             "status": "paused"}).to_dict("records")
    with pytest.raises(ValueError, match="paused"):
        record_recurring(schedule, {"amount": "20", "date": TODAY}, today=TODAY, now=NOW,
                         people_ids=PEOPLE)


def test_a_new_schedule_is_first_due_on_its_start_date() -> None:
    row = new_schedule({"person_id": "P1", "amount": "15", "frequency": "quarterly",
                        "start_date": TODAY}, PEOPLE)
    assert (row["next_date"], row["status"], row["frequency"]) == (TODAY, "active", "quarterly")
    with pytest.raises(FieldErrors) as raised:
        new_schedule({"person_id": "P9", "amount": "0"}, PEOPLE)
    assert set(raised.value.errors) == {"person_id", "amount", "start_date"}

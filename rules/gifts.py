"""Rules about gifts: one gift from a form, a deposit batch and its control total, refunds
and thank-yous as status changes, campaigns, and standing gifts' schedules.

Pure: values in, validated rows, cell changes and `ChangeSet`s out, with "today" and "now"
always passed in. The pages only collect what was typed and write what these return, so a
volunteer's batch, a notebook and a test all apply the same rules:

- A gift has a person, an amount above zero with at most two decimals (cents), and a date
  no later than today. An in-kind gift describes what was given (its value is the amount);
  a tribute has both its kind (in honour / in memory) and a name; a soft credit names
  someone other than the donor.
- A deposit batch is saved only when its rows add up, exactly (Decimal), to the control
  total typed from the deposit slip; its rows share one `batch_id` and land in one append.
- A refund changes a completed gift's status to refunded; nothing in the ledger is deleted.
- A standing gift more than `recurring_lapse_days` past its next date is lapsed, more than
  `recurring_close_days` closed; paused and closed schedules are left as they are.
  Recording a gift against a schedule moves its next date one step on, keeping the day of
  the month it started on (clamped to the month's end: a gift started on the 31st is due on
  the 30th in April and on the 31st again in May).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pandas as pd
from pydantic import ValidationError

from sheets_schema.cells import CellError, cell_text, is_blank, parse_date, to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.models import Campaign, Donation, RecurringGift
from sheets_schema.money import parse_money
from sheets_schema.tabs import tab
from sheets_schema.workbook import new_id

from .membership_terms import add_months
from .people import FieldErrors

__all__ = [
    "BATCH_METHODS",
    "CAMPAIGN_KINDS",
    "CAMPAIGN_STATUSES",
    "FREQUENCIES",
    "FREQUENCY_MONTHS",
    "GIFT_KINDS",
    "GIFT_METHODS",
    "SCHEDULE_STATUSES",
    "TRIBUTES",
    "BatchCheck",
    "FieldErrors",
    "ScheduleChange",
    "apply_status_changes",
    "awaiting_thanks",
    "campaign_changes",
    "check_batch",
    "mark_sent",
    "new_campaign",
    "new_gift",
    "new_schedule",
    "next_charge",
    "parse_amount",
    "record_recurring",
    "refund",
    "schedule_status",
    "status_changes",
]

#: The choices of the models' columns, in the models' order: pages offer these lists.
GIFT_METHODS = tab("donations").column("method").choices
GIFT_KINDS = tab("donations").column("kind").choices
TRIBUTES = tab("donations").column("tribute_type").choices
SCHEDULE_STATUSES = tab("recurring_gifts").column("status").choices
CAMPAIGN_KINDS = tab("campaigns").column("kind").choices
CAMPAIGN_STATUSES = tab("campaigns").column("status").choices
#: What a deposit of paper money holds.
BATCH_METHODS = ("cash", "cheque")
#: Months between charges; weekly gifts step by days instead.
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
#: The model's frequencies, the usual one first.
FREQUENCIES = tab("recurring_gifts").column("frequency").choices
_WEEK = timedelta(days=7)


def _text(value: Any) -> str:
    """A form's or a row's cell as trimmed text ("" for a blank)."""
    return cell_text(value).strip()


def _day(value: Any) -> date | None:
    """A date from a form, a frame cell (Timestamp, NaT) or text; None for a blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))


# ------------------------------------------------------------------------------ amounts


def parse_amount(value: Any, what: str = "amount", currency: str = "") -> Decimal:
    """An amount of money as typed: above zero, at most two decimals, exact, and (with the
    organisation's `currency`) in that currency: ``parse_amount("50,000원", currency="USD")``
    is refused rather than saved as $50,000.00 (`sheets_schema.money.parse_money`).

    ``parse_amount("1,234.50") == Decimal("1234.50")``; raises ValueError with a sentence
    that says what to type."""
    if isinstance(value, Decimal):
        amount: Decimal | None = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        amount = Decimal(str(value))  # a number widget's float: its shortest text is exact
    else:
        try:
            amount = parse_money(_text(value), currency)
        except CellError as error:
            raise ValueError(str(error)) from None
    if amount is None:
        raise ValueError(f"Type the {what}, like 25.00.")
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"The {what} must be above zero.")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"The {what} can have at most two decimals (cents).")
    return amount


def _model_errors(error: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for detail in error.errors():
        name = str(detail["loc"][0]) if detail["loc"] else ""
        errors.setdefault(name, str(detail["msg"]).removeprefix("Value error, "))
    return errors


# -------------------------------------------------------------------------------- a gift


def new_gift(
    values: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    people_ids: Collection[str],
    campaign_ids: Collection[str] = (),
    currency: str = "",
) -> dict[str, Any]:
    """A complete, validated donations row for one gift typed into the form, with a fresh id.

    `values` holds the form's fields by the model's names (person_id, amount, date,
    campaign_id, fund, method, kind, in_kind_description, soft_credit_person_id,
    tribute_type, tribute_name, reference, note) and `thank` (True: the gift awaits a
    thank-you, receipt_status "to send"). Raises FieldErrors naming each field to fix."""
    errors: dict[str, str] = {}
    person = _text(values.get("person_id"))
    if not person:
        errors["person_id"] = "Pick the person who gave."
    elif person not in people_ids:
        errors["person_id"] = f"There is no person with id {person}."
    amount: Decimal | None = None
    try:
        amount = parse_amount(values.get("amount"), currency=currency)
    except ValueError as error:
        errors["amount"] = str(error)
    try:
        day = _day(values.get("date"))
    except CellError as error:
        day, errors["date"] = None, str(error)
    if day is None:
        errors.setdefault("date", "Type the date of the gift.")
    elif day > today:
        errors["date"] = "A gift cannot be dated after today."
    kind = _text(values.get("kind")) or "gift"
    method = _text(values.get("method"))
    described = _text(values.get("in_kind_description"))
    if kind == "in-kind" or method == "in-kind":
        kind, method = "in-kind", "in-kind"
        if not described:
            errors["in_kind_description"] = "Describe what was given (its value is the amount)."
    elif described:
        errors["in_kind_description"] = "Only an in-kind gift has a description; choose the " \
                                        "kind in-kind or clear it."
    tribute, honoured = _text(values.get("tribute_type")), _text(values.get("tribute_name"))
    if tribute and not honoured:
        errors["tribute_name"] = f"Name the person the gift is {tribute} of."
    if honoured and not tribute:
        errors["tribute_type"] = "Choose in honour or in memory, or clear the name."
    credit = _text(values.get("soft_credit_person_id"))
    if credit and credit == person:
        errors["soft_credit_person_id"] = "The soft credit goes to someone other than the donor."
    elif credit and credit not in people_ids:
        errors["soft_credit_person_id"] = f"There is no person with id {credit}."
    campaign = _text(values.get("campaign_id"))
    if campaign and campaign not in campaign_ids:
        errors["campaign_id"] = f"There is no campaign with id {campaign}."
    if errors:
        raise FieldErrors(errors)
    row = {
        "id": new_id("D"), "person_id": person, "date": day, "amount": amount,
        "currency": currency, "campaign_id": campaign, "fund": _text(values.get("fund")),
        "method": method, "kind": kind, "status": "completed",
        "soft_credit_person_id": credit, "tribute_type": tribute, "tribute_name": honoured,
        "in_kind_description": described,
        "receipt_status": "to send" if values.get("thank", True) else "not needed",
        "reference": _text(values.get("reference")), "note": _text(values.get("note")),
        "batch_id": _text(values.get("batch_id")),
        "recurring_gift_id": _text(values.get("recurring_gift_id")), "created_at": now,
    }
    try:
        return Donation.model_validate(row).model_dump()
    except ValidationError as error:
        raise FieldErrors(_model_errors(error)) from None


# ---------------------------------------------------------------------------- a batch


@dataclass(frozen=True)
class BatchCheck:
    """A deposit batch as checked: the rows ready to save, what is wrong with the others
    (by row number, 1 for the grid's first row), the grid's total and the control total."""

    gifts: list[dict[str, Any]]
    errors: dict[int, str]
    total: Decimal
    control: Decimal | None
    control_error: str = ""
    batch_id: str = ""
    #: Each grid row's own problem ("" when it is fine), in grid order; blank rows skipped.
    rows: list[tuple[int, str]] = field(default_factory=list)

    @property
    def difference(self) -> Decimal | None:
        """Control total minus the grid's total; None without a control total."""
        return None if self.control is None else self.control - self.total

    @property
    def ready(self) -> bool:
        """Every row is fine, there is at least one, and they add up to the control total."""
        return bool(self.gifts) and not self.errors and self.difference == 0

    def changes(self) -> ChangeSet:
        """The batch as one commit: every gift in one append."""
        if not self.ready:
            raise ValueError(self.refusal())
        return ChangeSet().append("donations", *self.gifts)

    def refusal(self) -> str:
        """Why the batch cannot be saved, as one sentence; "" when it can."""
        if self.control_error:
            return self.control_error
        if not self.gifts and not self.errors:
            return "Add at least one gift to the grid."
        if self.errors:
            return f"Fix the {len(self.errors)} row(s) marked below first."
        if self.difference:
            return (f"The gifts add up to {self.total:,.2f} but the deposit slip says "
                    f"{self.control:,.2f} (a difference of {self.difference:,.2f}). Find the "
                    f"row that differs; nothing was saved.")
        return ""


def _blank_row(row: Mapping[str, Any]) -> bool:
    return not any(_text(row.get(c)) for c in ("person_id", "amount", "reference"))


def check_batch(
    rows: Sequence[Mapping[str, Any]],
    control_total: Any,
    *,
    deposit_date: date,
    today: date,
    now: datetime,
    people_ids: Collection[str],
    batch_id: str,
    campaign_id: str = "",
    fund: str = "",
    currency: str = "",
) -> BatchCheck:
    """Check a deposit's grid rows (person_id, amount, method, reference, date) against the
    control total typed from the deposit slip.

    Rows with no person, amount or reference are ignored (a grid's empty last line). A row
    without a date takes the deposit's; a cheque needs its number as the reference. Every
    good row becomes a completed donations row carrying `batch_id`, awaiting a thank-you."""
    control, control_error = None, ""
    try:
        control = parse_amount(control_total, "control total", currency)
    except ValueError as error:
        control_error = (f"{error} Type the deposit slip's total first."
                         if _text(control_total) else
                         "Type the deposit slip's total (the control total) first.")
    gifts, errors, checked = [], {}, []
    total = Decimal(0)
    for number, row in enumerate(rows, start=1):
        if _blank_row(row):
            continue
        problems = []
        method = _text(row.get("method")) or "cash"
        if method not in BATCH_METHODS:
            problems.append(f"A deposit holds cash or cheques, not {method}.")
        elif method == "cheque" and not _text(row.get("reference")):
            problems.append("Type the cheque number as the reference.")
        values = {**row, "method": method if method in BATCH_METHODS else "cash",
                  "date": _day(row.get("date")) or deposit_date, "campaign_id": campaign_id,
                  "fund": fund, "batch_id": batch_id, "thank": True}
        try:
            gift = new_gift(values, today=today, now=now, people_ids=people_ids,
                            campaign_ids=[campaign_id] if campaign_id else (),
                            currency=currency)
        except FieldErrors as error:
            problems.extend(error.errors.values())
        else:
            if not problems:
                gifts.append(gift)
                total += gift["amount"]
        problem = " ".join(problems)
        if problem:
            errors[number] = problem
        checked.append((number, problem))
    return BatchCheck(gifts, errors, total, control, control_error, batch_id, checked)


# ------------------------------------------------------------------- refunds, receipts


def refund(gift: Mapping[str, Any], reason: str, today: date) -> dict[str, Any]:
    """The cells that refund `gift`: its status becomes refunded, the note says when and why,
    and a thank-you not yet sent is no longer needed. The row stays in the ledger.

    Raises ValueError for a gift that is not completed."""
    status = _text(gift.get("status")) or "completed"
    if status != "completed":
        raise ValueError(f"Only a completed gift can be refunded; this one is {status}.")
    why = reason.strip()
    if not why:
        raise ValueError("Say why the gift is refunded (it goes in the gift's note).")
    note = _text(gift.get("note"))
    changes: dict[str, Any] = {
        "status": "refunded",
        "note": f"{note} | Refunded {today.isoformat()}: {why}" if note else
        f"Refunded {today.isoformat()}: {why}",
    }
    if _text(gift.get("receipt_status")) == "to send":
        changes["receipt_status"] = "not needed"
    return changes


def awaiting_thanks(donations: pd.DataFrame) -> pd.DataFrame:
    """The completed gifts whose thank-you is still to send, oldest first."""
    waiting = donations[(donations["receipt_status"] == "to send")
                        & (donations["status"] == "completed")]
    return waiting.sort_values(["date", "id"], kind="stable")


def mark_sent(gifts: Iterable[Mapping[str, Any]], today: date) -> ChangeSet:
    """One commit marking every gift's thank-you as sent today."""
    changes = ChangeSet()
    for gift in gifts:
        changes.edit("donations", str(gift["id"]), {"receipt_status": "sent",
                                                    "receipt_date": today}, gift)
    return changes


# --------------------------------------------------------------------------- campaigns

_CAMPAIGN_FIELDS = ("name", "kind", "goal", "start_date", "end_date", "status", "description")


def _campaign_values(values: Mapping[str, Any], currency: str) -> dict[str, Any]:
    out = {k: values[k] for k in _CAMPAIGN_FIELDS if k in values}
    if "goal" in out and not isinstance(out["goal"], Decimal):
        try:  # a goal is money typed in the organisation's currency, like a gift
            out["goal"] = parse_money(_text(out["goal"]), currency)
        except CellError as error:
            raise FieldErrors({"goal": str(error)}) from None
    return out


def _checked_campaign(data: Mapping[str, Any]) -> Campaign:
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as error:
        raise FieldErrors(_model_errors(error)) from None
    errors = {}
    if campaign.goal is not None and campaign.goal < 0:
        errors["goal"] = "A goal cannot be below zero; leave it blank for none."
    if campaign.start_date and campaign.end_date and campaign.end_date < campaign.start_date:
        errors["end_date"] = "A campaign cannot end before it starts."
    if errors:
        raise FieldErrors(errors)
    return campaign


def new_campaign(values: Mapping[str, Any], currency: str = "") -> dict[str, Any]:
    """A validated campaigns row with a fresh id, its goal in `currency`. Raises
    FieldErrors."""
    return _checked_campaign({**_campaign_values(values, currency),
                              "id": new_id("C")}).model_dump()


def campaign_changes(before: Mapping[str, Any], values: Mapping[str, Any],
                     currency: str = "") -> dict[str, Any]:
    """Only the campaign's fields that changed, validated with the rest of the row (the
    goal read in `currency`)."""
    merged = {**{k: before.get(k) for k in ("id", *_CAMPAIGN_FIELDS)},
              **_campaign_values(values, currency)}
    campaign = _checked_campaign(merged)
    return {name: getattr(campaign, name) for name in _CAMPAIGN_FIELDS
            if to_text(getattr(campaign, name)) != _text(before.get(name))}


# ---------------------------------------------------------------------- standing gifts


def next_charge(schedule: Mapping[str, Any]) -> date:
    """The charge after the schedule's next date: one step of its frequency on, on the day of
    the month it started (clamped to the month's end).

    ``next_charge({"frequency": "monthly", "start_date": date(2024, 1, 31),
    "next_date": date(2024, 4, 30)}) == date(2024, 5, 31)``"""
    due = _day(schedule.get("next_date")) or _day(schedule.get("start_date"))
    if due is None:
        raise ValueError("This standing gift has neither a next date nor a start date.")
    frequency = _text(schedule.get("frequency")) or "monthly"
    if frequency == "weekly":
        return due + _WEEK
    step = FREQUENCY_MONTHS[frequency]
    anchor = _day(schedule.get("start_date")) or due
    if anchor > due:
        anchor = due
    months = (due.year - anchor.year) * 12 + due.month - anchor.month
    candidate = add_months(anchor, months + step)
    while candidate <= due:  # a next date typed off the schedule's own rhythm
        months += step
        candidate = add_months(anchor, months + step)
    return candidate


def schedule_status(schedule: Mapping[str, Any], as_of: date, lapse_days: int,
                    close_days: int) -> str:
    """What the schedule's status should be on `as_of`: an active or lapsed schedule more
    than `close_days` past its next date is closed, more than `lapse_days` lapsed, else
    active; paused and closed schedules, and one with no next date, keep their status."""
    status = _text(schedule.get("status")) or "active"
    due = _day(schedule.get("next_date"))
    if status not in {"active", "lapsed"} or due is None:
        return status
    late = (as_of - due).days
    if late > close_days:
        return "closed"
    if late > lapse_days:
        return "lapsed"
    return "active"


@dataclass(frozen=True)
class ScheduleChange:
    """A schedule whose status the rule changes: from what, to what, how many days late."""

    id: str
    person_id: str
    status: str
    becomes: str
    days_late: int
    seen: Mapping[str, Any]


def status_changes(schedules: pd.DataFrame, as_of: date, lapse_days: int,
                   close_days: int) -> list[ScheduleChange]:
    """The schedules whose stored status differs from `schedule_status`, oldest due first."""
    out = []
    for row in cast(list[dict[str, Any]], schedules.to_dict("records")):
        becomes = schedule_status(row, as_of, lapse_days, close_days)
        status = _text(row.get("status")) or "active"
        if becomes != status:
            due = _day(row.get("next_date"))
            late = (as_of - due).days if due else 0
            out.append(ScheduleChange(str(row["id"]), str(row["person_id"]), status, becomes,
                                      late, row))
    return sorted(out, key=lambda change: (-change.days_late, change.id))


def apply_status_changes(changes: Iterable[ScheduleChange]) -> ChangeSet:
    """One commit writing every status change."""
    out = ChangeSet()
    for change in changes:
        out.edit("recurring_gifts", change.id, {"status": change.becomes}, change.seen)
    return out


def record_recurring(
    schedule: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
    people_ids: Collection[str],
    currency: str = "",
) -> ChangeSet:
    """The gift a standing gift made (date, amount, method and reference from `values`; the
    schedule's person, campaign and fund) and the schedule moved to its next charge, as one
    commit. A lapsed schedule that is paid becomes active again. Raises FieldErrors, or
    ValueError for a schedule that is paused or closed."""
    status = _text(schedule.get("status")) or "active"
    if status not in {"active", "lapsed"}:
        raise ValueError(f"This standing gift is {status}; reopen it before recording gifts.")
    campaign = _text(schedule.get("campaign_id"))  # the schedule's, whatever it names
    gift = new_gift({
        "person_id": schedule.get("person_id"), "amount": values.get("amount"),
        "date": values.get("date"), "method": values.get("method") or "card",
        "reference": values.get("reference", ""), "fund": _text(schedule.get("fund")),
        "campaign_id": campaign, "recurring_gift_id": str(schedule["id"]),
        "thank": values.get("thank", False),
    }, today=today, now=now, people_ids=people_ids, campaign_ids=[campaign], currency=currency)
    changes: dict[str, Any] = {"next_date": next_charge(schedule)}
    if status == "lapsed":
        changes["status"] = "active"
    return (ChangeSet().append("donations", gift)
            .edit("recurring_gifts", str(schedule["id"]), changes, schedule))


def new_schedule(values: Mapping[str, Any], people_ids: Collection[str],
                 currency: str = "") -> dict[str, Any]:
    """A validated recurring_gifts row: the first charge is due on the start date; the
    amount is read in the organisation's `currency` (`parse_amount`)."""
    errors: dict[str, str] = {}
    person = _text(values.get("person_id"))
    if person not in people_ids:
        errors["person_id"] = "Pick the person who gives." if not person else \
            f"There is no person with id {person}."
    amount = None
    try:
        amount = parse_amount(values.get("amount"), currency=currency)
    except ValueError as error:
        errors["amount"] = str(error)
    start = _day(values.get("start_date"))
    if start is None:
        errors["start_date"] = "Type the date of the first gift."
    if errors:
        raise FieldErrors(errors)
    row = {"id": new_id("R"), "person_id": person, "amount": amount,
           "frequency": _text(values.get("frequency")) or "monthly", "start_date": start,
           "next_date": start, "status": "active",
           "campaign_id": _text(values.get("campaign_id")), "fund": _text(values.get("fund"))}
    try:
        return RecurringGift.model_validate(row).model_dump()
    except ValidationError as error:
        raise FieldErrors(_model_errors(error)) from None

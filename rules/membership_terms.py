"""Membership rules on plain values: when a term ends, what status it gives, what a renewal adds.

Pure: dates in, dates and small dicts out, no "today" read inside, so the renewal form, the
reminder cron, the reports and a test all apply the same rules. A level or a term may be a
mapping keyed by the model's field names (a dict, or a frame row's ``to_dict()``) or the
model itself; blanks may be None, "", NaN or NaT.

The rules (docs/architecture.md, "Definitions the rules and reports follow"):

- Month arithmetic clamps to the month's end: 2024-01-31 + 1 month is 2024-02-29.
- A rolling term ends the day before the same day `duration` months later; when that month
  has no such day it ends on that month's last day (2024-01-31 + 1 month ends 2024-02-29,
  2024-02-29 + 12 ends 2025-02-28), so renewed terms never leave a gap or overlap.
- A fixed term is the period (from `fixed_start`, every `duration` months) holding the day
  it begins; beginning on or after the period's `rollover` day also covers the next period.
- A level with a blank duration is lifetime: its terms have no end.
- Status, first match wins: Deceased and overrides, New (join to join + 3 months), Current
  (start to end), Grace (end + 1 to end + grace_days), Expired.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

import pandas as pd

from sheets_schema.cells import parse_bool
from sheets_schema.changes import ChangeSet
from sheets_schema.frames import record_cells
from sheets_schema.settings import Settings
from sheets_schema.workbook import new_id

__all__ = [
    "DEFAULT_GRACE_DAYS",
    "MEMBER_STATUSES",
    "LevelError",
    "MembershipError",
    "NewTerm",
    "Status",
    "add_months",
    "cancel_changes",
    "fixed_term",
    "governing_term",
    "is_member",
    "join_records",
    "latest_term",
    "membership_status",
    "new_until",
    "next_term",
    "person_status",
    "renewal_records",
    "renewal_start",
    "term_dates",
    "term_end",
]

DEFAULT_GRACE_DAYS: int = Settings.grace_days
NEW_MONTHS = 3
_DAY = timedelta(days=1)


class Status(StrEnum):
    """A membership's status on a day; the values are what the app and the sheet show."""

    NEW = "New"
    CURRENT = "Current"
    GRACE = "Grace"
    EXPIRED = "Expired"
    PENDING = "Pending"
    CANCELLED = "Cancelled"
    DECEASED = "Deceased"


#: The statuses that count as a member (in counts, lists and member-only benefits).
MEMBER_STATUSES = frozenset({Status.NEW, Status.CURRENT, Status.GRACE})
#: Overrides on a person's newest term that end the membership at once, even paid ahead.
_FINAL_OVERRIDES = frozenset({Status.CANCELLED, Status.DECEASED})


class MembershipError(ValueError):
    """A join or renewal that cannot be made as asked; the message says what to do instead."""


class LevelError(MembershipError):
    """A membership level whose row cannot be used as written (fix it in membership_levels)."""


class NewTerm(NamedTuple):
    """The two rows a payment adds: the `memberships` term and the `donations` row paying
    for it (the term's `donation_id` is the donation's `id`)."""

    membership: dict[str, Any]
    donation: dict[str, Any]

    def changes(self) -> ChangeSet:
        """Both rows as one change set, so a store lands the term and its payment together
        or neither (Google Sheets: one read and one write request)."""
        return ChangeSet().append("memberships", self.membership).append(
            "donations", self.donation)


# ------------------------------------------------------------------------------ values


def _get(record: Mapping[str, Any] | Any, name: str) -> Any:
    """A field of a mapping or a model, with every kind of blank read as None."""
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    if value is None or isinstance(value, str | tuple):
        return value
    return None if pd.isna(value) else value


def _day(value: Any) -> date | None:
    """A date from a date, a datetime or a pandas Timestamp; None for any blank."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {value!r}")


def _text(record: Mapping[str, Any] | Any, name: str) -> str:
    return str(_get(record, name) or "").strip()


def _level_name(level: Mapping[str, Any] | Any) -> str:
    return _text(level, "name") or _text(level, "id") or "this"


def _duration(level: Mapping[str, Any] | Any) -> int | None:
    """The level's months, or None for lifetime; a duration under one month is an error."""
    months = _get(level, "duration")
    if months is None or months == "":
        return None
    months = int(months)
    if months < 1:
        raise LevelError(f"The {_level_name(level)} level lasts {months} months; give it a "
                         f"duration of 1 month or more, or leave it blank for lifetime.")
    return months


# ------------------------------------------------------------------------------ dates


def _on(year: int, month: int, day: int) -> date:
    """The date, with a day past the month's end moved back to its last day."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _shift(year: int, month: int, day: int, months: int) -> date:
    zero_based = month - 1 + months
    return _on(year + zero_based // 12, zero_based % 12 + 1, day)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's end; months may be negative.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 2, 29), 12)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 28))
    """
    return _shift(day.year, day.month, day.day, months)


def new_until(join_date: date) -> date:
    """The last day a member who joined on `join_date` is New (join + 3 months, inclusive)."""
    return add_months(join_date, NEW_MONTHS)


def _rolling_end(start: date, months: int) -> date:
    """The day before the same day `months` later, or that month's last day if it has no
    such day. (Plain "(start - 1 day) + months" would end a term begun 2024-05-01 on
    2024-05-30, and one begun 2023-03-01 on 2024-02-28, skipping the leap day.)"""
    later = add_months(start, months)
    return later if later.day != start.day else later - _DAY


def _month_day(level: Mapping[str, Any] | Any, name: str) -> tuple[int, int] | None:
    """A level's MM-DD column as (month, day); None when blank."""
    text = _text(level, name)
    if not text:
        return None
    try:
        month, day = (int(part) for part in text.split("-"))
        date(2024, month, day)  # a leap year, so 02-29 is allowed
    except ValueError:
        raise LevelError(f"The {_level_name(level)} level's {name} is {text!r}; type a month "
                         f"and day as MM-DD, like 01-01 or 07-01.") from None
    return month, day


def fixed_term(level: Mapping[str, Any] | Any, day: date) -> tuple[date, date | None]:
    """The (start, end) of the fixed-period term that covers `day`, a join or renewal day.

    Periods begin on `fixed_start` (blank: 01-01) and every `duration` months after it when
    that divides a year (quarters, halves, years); a longer or odd duration runs from each
    yearly `fixed_start`. Beginning on or after the `rollover` day falling in the period
    (blank: never) also covers the next period. A day 29-31 missing from a month means that
    month's last day. Calendar year, rollover 10-01:

    >>> level = {"duration": 12, "fixed_start": "01-01", "rollover": "10-01"}
    >>> fixed_term(level, date(2024, 4, 15)), fixed_term(level, date(2024, 10, 15))[1]
    ((datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)), datetime.date(2025, 12, 31))
    """
    months = _duration(level)
    start_month, start_day = _month_day(level, "fixed_start") or (1, 1)
    step = months if months is not None and 12 % months == 0 else 12
    year = day.year if _on(day.year, start_month, start_day) <= day else day.year - 1
    steps = 0
    while _shift(year, start_month, start_day, (steps + 1) * step) <= day:
        steps += 1
    start = _shift(year, start_month, start_day, steps * step)
    if months is None:
        return start, None
    covered = months
    rollover = _month_day(level, "rollover")
    if rollover is not None:
        next_start = _shift(year, start_month, start_day, (steps + 1) * step)
        on = _on(start.year, *rollover)
        if on < start:
            on = _on(start.year + 1, *rollover)
        if on < next_start and day >= on:
            covered += step
    return start, _shift(year, start_month, start_day, steps * step + covered) - _DAY


def term_dates(level: Mapping[str, Any] | Any, start: date) -> tuple[date, date | None]:
    """The (start_date, end_date) of a term of `level` beginning on `start`: rolling and
    lifetime terms start that day, fixed terms on their period's first day; lifetime terms
    have no end."""
    months = _duration(level)
    if months is None:
        return start, None
    if _text(level, "period_type").casefold() == "fixed":
        return fixed_term(level, start)
    return start, _rolling_end(start, months)


def term_end(level: Mapping[str, Any] | Any, start: date) -> date | None:
    """The last day of a term of `level` beginning on `start` (None for lifetime).

    >>> term_end({"duration": 12, "period_type": "rolling"}, date(2024, 3, 15))
    datetime.date(2025, 3, 14)
    """
    return term_dates(level, start)[1]


# ------------------------------------------------------------------------------ status


def _begins(term: Mapping[str, Any] | Any) -> date | None:
    """The first day a term can decide a status: its start, but never before the join
    (a fixed term's period may start before the member joined); a blank start reads as
    the join date."""
    start, joined = _day(_get(term, "start_date")), _day(_get(term, "join_date"))
    if start is None or joined is None:
        return start or joined
    return max(start, joined)


def _order(term: Mapping[str, Any] | Any) -> tuple[date, date]:
    """Latest by start date (a blank one reads as the join date), ties by end date, with no
    end (lifetime) latest."""
    start = _day(_get(term, "start_date")) or _day(_get(term, "join_date")) or date.min
    return start, _day(_get(term, "end_date")) or date.max


def membership_status(
    term: Mapping[str, Any] | Any,
    deceased: bool,
    as_of: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> Status:
    """The status one term gives on `as_of`, first match wins.

    Deceased (the person's flag) and the term's `status_override` come first. A term that
    has not begun on `as_of` is Pending: paid for, not yet a membership. Then New from the
    join date to join + 3 months inclusive, Current to the end date (always, for lifetime),
    Grace to end + `grace_days`, then Expired.
    """
    if deceased:
        return Status.DECEASED
    override = _text(term, "status_override")
    if override:
        return Status(override.capitalize())
    begins = _begins(term)
    if begins is None:
        raise MembershipError("This term has neither a start date nor a join date; fill in "
                              "its start_date in the memberships tab.")
    if as_of < begins:
        return Status.PENDING
    joined, end = _day(_get(term, "join_date")), _day(_get(term, "end_date"))
    if joined is not None and as_of <= new_until(joined):
        return Status.NEW
    if end is None or as_of <= end:
        return Status.CURRENT
    if as_of <= end + timedelta(days=grace_days):
        return Status.GRACE
    return Status.EXPIRED


def is_member(status: Status | str) -> bool:
    """Whether a status counts as a member: only New, Current and Grace do."""
    return status in MEMBER_STATUSES


def _usable(terms: Iterable[Any]) -> list[Any]:
    return [term for term in terms if _begins(term) is not None]


def latest_term(terms: Iterable[Mapping[str, Any] | Any]) -> Any | None:
    """A person's newest term, or None when they have none: the latest start, ties by end
    (lifetime last), then the one further down the list (rows are appended, so a lower row
    of the sheet is the newer one)."""
    usable = list(enumerate(_usable(terms)))
    if not usable:
        return None
    return max(usable, key=lambda pair: (*_order(pair[1]), pair[0]))[1]


def governing_term(terms: Iterable[Mapping[str, Any] | Any], as_of: date) -> Any | None:
    """The term that decides a person's status on `as_of`: the newest that has begun.

    A term paid in advance (beginning after `as_of`) does not decide today's status: the
    member stays Current on the term they are in; None when no term has begun yet.
    """
    return latest_term(term for term in _usable(terms) if (_begins(term) or date.max) <= as_of)


def person_status(
    terms: Iterable[Mapping[str, Any] | Any],
    deceased: bool,
    as_of: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> Status:
    """A person's membership status on `as_of`, from all their terms.

    Deceased first; then a Cancelled or Deceased override on the newest term (even one paid
    ahead: cancelling ends the membership now); then the governing term's status (see
    `governing_term`). Someone whose every term begins after `as_of` is Pending: signed up,
    not a member yet. Raises MembershipError when no term has a start or join date.
    """
    every = list(terms)
    newest = latest_term(every)
    if newest is None:
        raise MembershipError("This person has no membership term with a start date.")
    if deceased:
        return Status.DECEASED
    if _text(newest, "status_override").capitalize() in _FINAL_OVERRIDES:
        return Status(_text(newest, "status_override").capitalize())
    current = governing_term(every, as_of)
    if current is None:
        return Status.PENDING
    return membership_status(current, False, as_of, grace_days)


# ------------------------------------------------------------------------------ renewals


def renewal_start(
    last_term: Mapping[str, Any] | Any | None, status: Status | str, renewal_date: date
) -> date:
    """The day a renewal paid on `renewal_date` begins.

    No earlier term, or one that is Expired or Cancelled: the renewal date. New, Current or
    Grace (and a term paid ahead, not begun yet): the day after the last term's end, so a
    renewal in grace is backdated and one paid early waits its turn. Raises MembershipError
    for a lifetime term, a Pending payment, or a deceased member.
    """
    if last_term is None or status in {Status.EXPIRED, Status.CANCELLED}:
        return renewal_date
    if status == Status.DECEASED:
        raise MembershipError(_DECEASED)
    if _text(last_term, "status_override").capitalize() == Status.PENDING:
        raise MembershipError("The latest term's payment is still Pending; confirm or cancel "
                              "it before taking a renewal.")
    end = _day(_get(last_term, "end_date"))
    if end is None:
        raise MembershipError("This is a lifetime membership, which never needs renewing.")
    return end + _DAY


_DECEASED = ("This person is recorded as deceased, so no membership can be taken for them; "
             "correct the person's record if that is wrong.")


def next_term(
    level: Mapping[str, Any] | Any,
    last_term: Mapping[str, Any] | Any | None,
    paid_on: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> tuple[date, date, date | None]:
    """The (join_date, start_date, end_date) of the term of `level` that a payment on
    `paid_on` buys, after `last_term` (None for a first term).

    The term begins as `renewal_start` says and runs as `term_dates` says, except that it
    never starts before the last term ended (unless that one was Cancelled): a fixed
    period taken after a rolling term starts the day after it, not on the period's first
    day, so terms never overlap. The join date is the last term's, kept across renewals
    and lapses; a first term's is the day paid.

    >>> calendar_year = {"duration": 12, "period_type": "fixed", "fixed_start": "01-01"}
    >>> rolling = {"start_date": date(2024, 3, 15), "end_date": date(2025, 3, 14),
    ...            "join_date": date(2024, 3, 15)}
    >>> next_term(calendar_year, rolling, date(2025, 3, 1))[1:]
    (datetime.date(2025, 3, 15), datetime.date(2025, 12, 31))
    """
    status = (Status.NEW if last_term is None
              else membership_status(last_term, False, paid_on, grace_days))
    begins = renewal_start(last_term, status, paid_on)
    start, end = term_dates(level, begins)
    if last_term is None:
        return begins, start, end
    last_end = _day(_get(last_term, "end_date"))
    if last_end is not None and status != Status.CANCELLED:
        start = max(start, last_end + _DAY)
    return _day(_get(last_term, "join_date")) or begins, start, end


def _amount(level: Mapping[str, Any] | Any, amount: Decimal | None) -> Decimal:
    if amount is None:
        fee = _get(level, "fee")
        if fee is None or fee == "":
            raise MembershipError(f"The {_level_name(level)} level has no set fee; type the "
                                  f"amount paid.")
        return Decimal(fee)
    if amount < 0:
        raise MembershipError(f"An amount paid of {amount} is below zero; type what was paid.")
    return amount


def _offered(level: Mapping[str, Any] | Any) -> None:
    active = _get(level, "active")
    if isinstance(active, str):
        active = parse_bool(active) if active.strip() else True
    if active is not None and not active:
        raise MembershipError(f"The {_level_name(level)} level is no longer offered; choose "
                              f"an active level, or mark it active in membership_levels.")


def renewal_records(
    person_id: str,
    level: Mapping[str, Any] | Any,
    last_term: Mapping[str, Any] | Any | None,
    renewal_date: date,
    amount: Decimal | None,
    method: str,
    now: datetime,
    *,
    grace_days: int = DEFAULT_GRACE_DAYS,
    deceased: bool = False,
    auto_renew: bool = False,
    currency: str = "",
    fund: str = "Membership",
) -> NewTerm:
    """The `memberships` and `donations` rows for a payment of `amount` (blank: the level's
    fee) on `renewal_date` that joins (`last_term` None) or renews `level`.

    The dates follow `next_term`: the start as `renewal_start` says, the join date the
    last term's (kept across renewals, even after a lapse), or the day paid for a first
    term. Both rows are validated by their models; raises MembershipError when the level
    is inactive, has no fee and no amount was given, or the membership cannot be renewed.
    """
    _offered(level)
    paid = _amount(level, amount)
    if deceased:
        raise MembershipError(_DECEASED)
    joined, start, end = next_term(level, last_term, renewal_date, grace_days)
    donation = record_cells("donations", {
        "id": new_id("D"), "person_id": person_id, "date": renewal_date, "amount": paid,
        "currency": currency, "fund": fund, "method": method, "kind": "membership",
        "status": "completed", "note": _note(level, start, end), "created_at": now,
    })
    membership = record_cells("memberships", {
        "id": new_id("M"), "person_id": person_id, "level_id": _text(level, "id"),
        "join_date": joined, "start_date": start, "end_date": end, "amount": paid,
        "donation_id": donation["id"], "status_override": "", "auto_renew": auto_renew,
        "created_at": now,
    })
    return NewTerm(membership, donation)


def join_records(
    person_id: str,
    level: Mapping[str, Any] | Any,
    join_date: date,
    amount: Decimal | None,
    method: str,
    now: datetime,
    *,
    deceased: bool = False,
    auto_renew: bool = False,
    currency: str = "",
    fund: str = "Membership",
) -> NewTerm:
    """The rows for a new member joining `level` on `join_date`: a rolling term starts that
    day; a fixed one covers its period (join 2024-04-15 on a calendar year: 2024-01-01 to
    2024-12-31) while the join date stays the day they joined."""
    return renewal_records(person_id, level, None, join_date, amount, method, now,
                           deceased=deceased, auto_renew=auto_renew, currency=currency,
                           fund=fund)


def cancel_changes(term: Mapping[str, Any]) -> ChangeSet:
    """The edit that cancels a membership: a Cancelled `status_override` on its newest
    term, `term` as the user saw it (so a row changed meanwhile is a conflict, not
    overwritten). Nothing is deleted: the term and its payment stay in the ledgers.
    Raises MembershipError for a term already Cancelled or Deceased."""
    override = _text(term, "status_override").capitalize()
    if override in _FINAL_OVERRIDES:
        raise MembershipError(f"This membership is already {override}; there is nothing to "
                              f"cancel.")
    return ChangeSet().edit("memberships", _text(term, "id"),
                            {"status_override": Status.CANCELLED.value}, term)


def _note(level: Mapping[str, Any] | Any, start: date, end: date | None) -> str:
    until = f"to {end.isoformat()}" if end is not None else "for life"
    return f"{_level_name(level)} membership, {start.isoformat()} {until}"

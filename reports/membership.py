"""Membership reports: each person's standing, who is due or lapsed, health over time,
and who gets a renewal reminder today.

Frames in, frames out (their figures are in `reports.membership_charts`, one person's
terms in `reports.member_summary`); `as_of` is always an argument. The rules are
those of `rules.membership_terms`, applied to whole columns at once (20,000 terms
take well under a tenth of a second); the tests check both give every person the same status.

`latest_terms` is the frame the rest start from: one row per person with a term, with their
contact details, so the lists below need nothing else. Soft-deleted people are left out of
it, as they are out of every list in the app.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from rules.membership_terms import (
    DEFAULT_GRACE_DAYS,
    MEMBER_STATUSES,
    NEW_MONTHS,
    Status,
    add_months,
    new_until,
)
from sheets_schema.frames import record_cells
from sheets_schema.workbook import Workbook, new_id

__all__ = [
    "DUE_WINDOWS",
    "LATEST_COLUMNS",
    "LIST_COLUMNS",
    "MEMBERSHIP_TABS",
    "REMINDER_COLUMNS",
    "REMINDER_OFFSETS",
    "MembershipHealth",
    "contact_names",
    "due_window",
    "filtered",
    "in_grace",
    "lapsed_within",
    "latest_terms",
    "latest_terms_of",
    "membership_health",
    "membership_health_of",
    "reminder_records",
    "reminders_due",
    "reminders_of",
    "renewal_outcomes",
    "renewal_rate",
    "renewals_due",
    "sent_reminders",
]

#: Days before a term's end date that a reminder goes out: 30 and 7 days before, and a
#: negative number for days after it, so -7 is a week into grace.
REMINDER_OFFSETS: tuple[int, ...] = (30, 7, -7)

LATEST_COLUMNS = [
    "person_id", "name", "email", "phone", "do_not_email", "term_id", "level_id",
    "level_name", "join_date", "start_date", "end_date", "status", "is_member", "paid_ahead",
    "next_renewal", "grace_ends", "last_payment_amount", "last_payment_date", "auto_renew",
]
LIST_COLUMNS = [
    "person_id", "name", "email", "phone", "level_name", "end_date", "grace_ends",
    "next_renewal", "status", "last_payment_amount", "last_payment_date",
]
REMINDER_COLUMNS = [
    "person_id", "name", "email", "phone", "do_not_email", "term_id", "level_name", "end_date",
    "offset", "due_date", "status",
]
STATUS_ORDER = [status.value for status in Status]
_TERM_COLUMNS = ["id", "person_id", "level_id", "join_date", "start_date", "end_date", "amount",
                 "donation_id", "status_override", "auto_renew", "created_at"]
_MEMBERS = [status.value for status in MEMBER_STATUSES]
_FINAL = [Status.CANCELLED.value, Status.DECEASED.value]
_LAST = pd.Timestamp.max.floor("D")
#: Hangul syllables and jamo (the ranges `unicodedata` names HANGUL), as `display_name` tests.
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\u3200-\u321e\u3260-\u327e"
                     "\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")


# ------------------------------------------------------------------------------ terms


def _ordered(memberships: pd.DataFrame) -> pd.DataFrame:
    """Usable terms grouped person by person, each person's oldest first: by start, then
    end (no end, lifetime, is latest), then sheet row (rows are appended, so a lower row is
    newer). `begins` is the first day a term decides a status: its start, never before the
    join; a blank start reads as the join date. `_person` numbers the people."""
    joined = memberships["join_date"].to_numpy()
    start = memberships["start_date"].to_numpy().copy()
    blank = np.isnat(start)
    start[blank] = joined[blank]
    end = memberships["end_date"].to_numpy().copy()
    end[np.isnat(end)] = _LAST.to_datetime64()
    person = pd.factorize(memberships["person_id"])[0]
    usable = np.flatnonzero(~np.isnat(start))
    order = usable[np.lexsort((usable, end[usable], start[usable], person[usable]))]
    terms = memberships[_TERM_COLUMNS].iloc[order]
    later_join = joined[order] > start[order]
    return terms.assign(start_date=start[order], _end=end[order], _person=person[order],
                        begins=np.where(later_join, joined[order], start[order]))


def _same_person_next(terms: pd.DataFrame) -> np.ndarray:
    """For each of `_ordered`'s rows, whether the next row is the same person's next term."""
    person = terms["_person"].to_numpy()
    same = np.zeros(len(person), dtype=bool)
    same[:-1] = person[1:] == person[:-1]
    return same


def _last_per_person(terms: pd.DataFrame) -> pd.DataFrame:
    return terms[~_same_person_next(terms)].set_index("person_id")


def _first_new_join(as_of: date) -> date:
    """The earliest join date still New on `as_of`: New lasts to `new_until(join)`, which
    never decreases as the join moves later, so this one date splits New from not."""
    earliest = add_months(as_of, -NEW_MONTHS)
    return earliest if new_until(earliest) >= as_of else earliest + timedelta(days=1)


def _statuses(latest: pd.DataFrame, governing: pd.DataFrame, deceased: pd.Series,
              as_of: date, grace_days: int) -> np.ndarray:
    """`person_status` for every person at once: the same rules, first match wins."""
    day = pd.Timestamp(as_of)
    gov = governing.reindex(latest.index)
    override = gov["status_override"].fillna("").to_numpy(dtype=object)
    newest_override = latest["status_override"].fillna("").to_numpy(dtype=object)
    joined, end = gov["join_date"], gov["end_date"]
    conditions = [
        deceased.to_numpy(dtype=bool),
        np.isin(newest_override, _FINAL),
        gov["begins"].isna().to_numpy(),
        override != "",
        ((joined >= pd.Timestamp(_first_new_join(as_of))) & (joined <= day)).to_numpy(),
        (end.isna() | (end >= day)).to_numpy(),
        (end >= day - pd.Timedelta(days=grace_days)).to_numpy(),
    ]
    choices: list[Any] = [Status.DECEASED.value, newest_override, Status.PENDING.value,
                          override, Status.NEW.value, Status.CURRENT.value, Status.GRACE.value]
    return np.asarray(np.select(conditions, choices, default=Status.EXPIRED.value), dtype=object)


def contact_names(people: pd.DataFrame) -> pd.Series:
    """`rules.people.display_name` for a whole frame: "Ann Lee", "김민준" (family name
    first, no space), else the organization, else the id in brackets."""
    first, last = _texts(people["first_name"]), _texts(people["last_name"])
    name = np.where(first == "", last, np.where(last == "", first, first + " " + last))
    both = np.flatnonzero((first != "") & (last != ""))
    hangul = both[[not text.isascii() and _HANGUL.search(text) is not None
                   for text in (first + last)[both]]]
    name[hangul] = last[hangul] + first[hangul]
    name = np.where(name == "", _texts(people["organization"]), name)
    name = np.where(name == "", "(" + _texts(people["id"]) + ")", name)
    return pd.Series(name, index=people.index, name="name", dtype=object)


def _texts(column: pd.Series) -> np.ndarray:
    """A text column as an object array of str, blanks as "" (frames hold text as objects)."""
    return column.fillna("").to_numpy(dtype=object)


def _rows_of(ids: pd.Series, wanted: pd.Index) -> np.ndarray:
    """The row position of each wanted id in `ids` (its first row if repeated), -1 if absent."""
    first_rows = np.flatnonzero(~ids.duplicated().to_numpy())
    known = pd.Index(ids.to_numpy()[first_rows], dtype=object)
    at = known.get_indexer(pd.Index(wanted, dtype=object))
    return np.where(at >= 0, first_rows[at.clip(0)], -1) if len(first_rows) else at


def _pick(column: pd.Series, rows: np.ndarray, blank: Any) -> np.ndarray:
    """The column's value at each of `rows` (from `_rows_of`), `blank` where it is -1."""
    values = column.to_numpy()
    if not len(values):
        return np.full(len(rows), blank, dtype=object)
    return np.where(rows >= 0, values[rows.clip(0)], blank)


def _contacts(people: pd.DataFrame, person_ids: pd.Index) -> pd.DataFrame:
    """The people columns the lists need, one row per id in `person_ids`; an id missing
    from `people` gets blanks (and a name showing the id)."""
    rows = _rows_of(people["id"], person_ids)

    def text(column: str) -> pd.Series:
        return pd.Series(_pick(people[column], rows, ""), index=person_ids, dtype=object)

    named = pd.DataFrame({"id": pd.Series(person_ids, index=person_ids, dtype=object),
                          "first_name": text("first_name"), "last_name": text("last_name"),
                          "organization": text("organization")})
    return pd.DataFrame({
        "name": contact_names(named),
        "email": text("email"),
        "phone": text("phone"),
        "do_not_email": _pick(people["do_not_email"], rows, False).astype(bool),
        "deceased": _pick(people["deceased"], rows, False).astype(bool),
        "deleted": _pick(people["deleted_at"].notna(), rows, False).astype(bool),
    }, index=person_ids)


def _paid_on(newest: pd.DataFrame, donations: pd.DataFrame | None) -> np.ndarray:
    """The date each term's donation was made, else the day the term was entered."""
    entered = newest["created_at"].dt.normalize().to_numpy()
    if donations is None:
        return entered
    rows = _rows_of(donations["id"], pd.Index(newest["donation_id"]))
    paid = _pick(donations["date"], rows, np.datetime64("NaT", "ns")).astype("datetime64[ns]")
    return np.where(np.isnat(paid), entered, paid)


def latest_terms(
    memberships: pd.DataFrame,
    people: pd.DataFrame,
    levels: pd.DataFrame,
    as_of: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
    donations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person with a term (soft-deleted people left out), on `as_of`.

    The dates, level and amount are those of the person's newest term; `status` follows
    `membership_terms.person_status`, so someone who renewed early stays Current on the
    term they are in while their row shows the new term (`paid_ahead` is True), and someone
    whose only term starts later is Pending. `next_renewal` is the day after the end (NaT
    for lifetime); `grace_ends` the last day of grace. The last payment's date is its
    donation's date when `donations` is given, else the day the term was entered.
    """
    day = pd.Timestamp(as_of)
    terms = _ordered(memberships)
    newest = _last_per_person(terms)
    contacts = _contacts(people, newest.index)
    keep = ~contacts["deleted"].to_numpy()
    newest, contacts = newest[keep], contacts[keep]
    governing = _last_per_person(terms[terms["begins"] <= day])
    status = _statuses(newest, governing, contacts["deceased"], as_of, grace_days)
    level_rows = _rows_of(levels["id"], pd.Index(newest["level_id"]))
    end = newest["end_date"]
    columns = {
        **{column: contacts[column].to_numpy() for column in contacts},
        "person_id": newest.index.to_numpy(dtype=object),
        "term_id": newest["id"].to_numpy(),
        "level_id": newest["level_id"].to_numpy(),
        "level_name": _pick(levels["name"], level_rows, "").astype(object),
        "join_date": newest["join_date"].to_numpy(),
        "start_date": newest["start_date"].to_numpy(),
        "end_date": end.to_numpy(),
        "status": status,
        "is_member": np.isin(status, _MEMBERS),
        "paid_ahead": (newest["begins"] > day).to_numpy(),
        "next_renewal": (end + pd.Timedelta(days=1)).to_numpy(),
        "grace_ends": (end + pd.Timedelta(days=grace_days)).to_numpy(),
        "last_payment_amount": newest["amount"].to_numpy(),
        "last_payment_date": _paid_on(newest, donations),
        "auto_renew": newest["auto_renew"].to_numpy(),
    }
    return pd.DataFrame({name: _column(columns[name]) for name in LATEST_COLUMNS})


def _column(values: np.ndarray) -> pd.Series:
    """Keep text as Python objects, as every typed frame holds it (pandas would infer str)."""
    if values.dtype == object:
        return pd.Series(values, dtype=object)
    return pd.Series(values)


# ------------------------------------------------------------------------------ lists


def _listed(rows: pd.DataFrame, by: str, ascending: bool = True) -> pd.DataFrame:
    return rows.sort_values([by, "name"], ascending=[ascending, True])[LIST_COLUMNS].reset_index(
        drop=True)


def renewals_due(latest: pd.DataFrame, as_of: date, within_days: int = 30) -> pd.DataFrame:
    """Members whose term ends between `as_of` and `within_days` later, soonest first;
    someone who already renewed is not listed (their newest term ends later)."""
    first, last = pd.Timestamp(as_of), pd.Timestamp(as_of + timedelta(days=within_days))
    due = latest["is_member"] & latest["end_date"].between(first, last)
    return _listed(latest[due], "end_date")


#: The windows the Renewals page offers for "due within" (days); 7 is the Today page's week.
DUE_WINDOWS = (7, 30, 60, 90)
DEFAULT_DUE_WINDOW = 30


def due_window(asked: str | None) -> tuple[int, str | None]:
    """The "due within" window an address asks for (`?within=7`), and a sentence when it
    asks for one the page does not offer (then the default, 30 days).

    >>> due_window("7"), due_window(None), due_window("45")[0]
    ((7, None), (30, None), 30)
    """
    if asked is None or not asked.strip():
        return DEFAULT_DUE_WINDOW, None
    text = asked.strip()
    if text.isascii() and text.isdigit() and int(text) in DUE_WINDOWS:
        return int(text), None
    offered = ", ".join(map(str, DUE_WINDOWS[:-1])) + f" or {DUE_WINDOWS[-1]}"
    return DEFAULT_DUE_WINDOW, (f"The address asks for renewals due within {asked[:40]!r} "
                                f"days, which this page does not offer ({offered} days); it "
                                f"shows {DEFAULT_DUE_WINDOW} days.")


def in_grace(latest: pd.DataFrame) -> pd.DataFrame:
    """Members in grace (their term has ended; they still count), the soonest to lapse first."""
    return _listed(latest[latest["status"] == Status.GRACE.value], "grace_ends")


def lapsed_within(latest: pd.DataFrame, as_of: date, months: int = 12) -> pd.DataFrame:
    """People Expired on `as_of` whose grace ended within the last `months`, most recent
    first: the ones still worth asking back."""
    since = pd.Timestamp(add_months(as_of, -months))
    lapsed = (latest["status"] == Status.EXPIRED.value) & (latest["grace_ends"] >= since)
    return _listed(latest[lapsed], "grace_ends", ascending=False)


# ------------------------------------------------------------------------------ health


@dataclass(frozen=True)
class MembershipHealth:
    """The director's view. `renewal_rate` covers the 12 months of terms whose grace has
    fully run by `as_of` (None when none ended then), so no term in it is still open."""

    by_status: pd.DataFrame
    by_level: pd.DataFrame
    by_month: pd.DataFrame
    renewal_rate: float | None


def renewal_outcomes(
    memberships: pd.DataFrame,
    latest: pd.DataFrame,
    as_of: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> pd.DataFrame:
    """Each term that came up for renewal, with `outcome`: renewed (the same person has a
    later term starting on or before end + `grace_days`), lapsed (not, and grace is over on
    `as_of`) or open (still in grace or not ended).

    Not up for renewal: lifetime terms, Cancelled or Deceased terms, the last term of
    someone Deceased, and the terms of people not in `latest` (soft-deleted).
    """
    terms = _ordered(memberships)
    terms = terms[terms["person_id"].isin(latest["person_id"])]
    next_start = terms["start_date"].shift(-1).where(_same_person_next(terms))
    grace_ends = terms["end_date"] + pd.Timedelta(days=grace_days)
    dead = latest.loc[latest["status"] == Status.DECEASED.value, "term_id"]
    due = (terms["end_date"].notna() & ~terms["status_override"].isin(_FINAL)
           & ~terms["id"].isin(dead))
    renewed = next_start <= grace_ends
    outcome = np.where(renewed, "renewed",
                       np.where(grace_ends < pd.Timestamp(as_of), "lapsed", "open"))
    out = pd.DataFrame({"term_id": terms["id"], "person_id": terms["person_id"],
                        "end_date": terms["end_date"], "grace_ends": grace_ends,
                        "outcome": outcome})
    return out[due.to_numpy()].reset_index(drop=True)


def renewal_rate(outcomes: pd.DataFrame, first: date, last: date) -> float | None:
    """Of the terms ending from `first` to `last`, the share renewed within grace; None
    when none ended then. Open terms count as not renewed (pick a period whose grace is
    over for a final figure)."""
    ending = outcomes["end_date"].between(pd.Timestamp(first), pd.Timestamp(last))
    if not ending.any():
        return None
    return float((outcomes.loc[ending, "outcome"] == "renewed").mean())


def _months(dates: pd.Series) -> np.ndarray:
    """The first day of each date's month, as datetime64[ns]."""
    months = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[M]")
    return months.astype("datetime64[ns]")


def _by_month(memberships: pd.DataFrame, latest: pd.DataFrame, outcomes: pd.DataFrame,
              as_of: date, months: int) -> pd.DataFrame:
    last = np.datetime64(as_of, "M")
    axis = np.arange(last - months + 1, last + 1).astype("datetime64[ns]")
    joins = memberships[memberships["person_id"].isin(latest["person_id"])]
    joins = joins.drop_duplicates(["person_id", "join_date"])
    new = pd.Series(_months(joins["join_date"])).value_counts()
    ended = pd.crosstab(_months(outcomes["end_date"]), outcomes["outcome"])
    frame = pd.DataFrame({"new": new}).join(ended, how="outer")
    frame = frame.reindex(axis, fill_value=0).fillna(0).astype(int)
    for column in ("renewed", "lapsed", "open"):
        if column not in frame:
            frame[column] = 0
    frame["ending"] = frame["renewed"] + frame["lapsed"] + frame["open"]
    frame["renewal_rate"] = frame["renewed"] / frame["ending"].where(frame["ending"] > 0)
    frame.index = pd.DatetimeIndex(axis, name="month")
    return frame.reset_index()[["month", "new", "ending", "renewed", "lapsed", "open",
                                "renewal_rate"]]


def membership_health(
    latest: pd.DataFrame,
    memberships: pd.DataFrame,
    as_of: date,
    grace_days: int = DEFAULT_GRACE_DAYS,
    months: int = 24,
) -> MembershipHealth:
    """People by status, members by level, and the `months` up to `as_of` month by month.

    `by_month` counts new members by join month, and terms by the month they ended: how
    many renewed within grace, lapsed, or are still open, and the renewal rate (renewed /
    ending; provisional while any are open).
    """
    counts = latest["status"].value_counts()
    by_status = pd.DataFrame({"status": STATUS_ORDER,
                              "people": [int(counts.get(s, 0)) for s in STATUS_ORDER]})
    members = latest[latest["is_member"]]
    by_level = (members.groupby(["level_id", "level_name"], as_index=False).size()
                .rename(columns={"size": "members"}).sort_values("members", ascending=False)
                .reset_index(drop=True))
    outcomes = renewal_outcomes(memberships, latest, as_of, grace_days)
    settled = as_of - timedelta(days=grace_days + 1)
    rate = renewal_rate(outcomes, add_months(settled, -12) + timedelta(days=1), settled)
    return MembershipHealth(by_status, by_level,
                            _by_month(memberships, latest, outcomes, as_of, months), rate)


# ------------------------------------------------------------------------------ reminders


def reminders_due(
    latest: pd.DataFrame,
    memberships: pd.DataFrame,
    as_of: date,
    offsets: Sequence[int] = REMINDER_OFFSETS,
    sent: Collection[tuple[str, int]] = (),
) -> pd.DataFrame:
    """Who gets which renewal reminder on `as_of`: at most one row per term.

    An offset is days before the term's end date (30: a month before; -7: a week into
    grace). A reminder is due on end - offset days. Only members (New, Current, Grace)
    whose newest term in `memberships` is the one in `latest` (so not renewed since) and
    has an end date are reminded; a reminder due before the term began is skipped.

    When runs were missed, only the most recent offset already due is sent, once: if it is
    in `sent` (pairs of term id and offset), nothing is sent for that term, and older
    missed offsets are never sent late. Someone who becomes Expired gets no more. People
    who cannot be emailed are listed with `do_not_email`, for the sender to skip and record.
    """
    newest = _last_per_person(_ordered(memberships))["id"]
    candidates = latest[latest["is_member"] & latest["end_date"].notna()
                        & latest["term_id"].isin(newest)]
    if candidates.empty or not offsets:
        return pd.DataFrame(columns=REMINDER_COLUMNS)
    runs = candidates.loc[candidates.index.repeat(len(offsets))].assign(
        offset=np.tile(np.asarray(offsets, dtype=int), len(candidates)))
    runs["due_date"] = runs["end_date"] - pd.to_timedelta(runs["offset"], unit="D")
    began = runs["start_date"].where(~(runs["join_date"] > runs["start_date"]), runs["join_date"])
    runs = runs[(runs["due_date"] <= pd.Timestamp(as_of)) & ~(runs["due_date"] < began)]
    latest_due = runs.sort_values("due_date").drop_duplicates("term_id", keep="last")
    done = pd.MultiIndex.from_arrays([latest_due["term_id"], latest_due["offset"]]).isin(
        list(sent))
    return latest_due[~done].sort_values(["due_date", "name"])[REMINDER_COLUMNS].reset_index(
        drop=True)


def sent_reminders(reminders: pd.DataFrame) -> set[tuple[str, int]]:
    """(term id, offset) of every reminder in the `reminders` tab, whatever its status: the
    `sent` that `reminders_due` needs so nothing is handed out twice."""
    usable = reminders[reminders["term_id"].fillna("").ne("") & reminders["offset"].notna()]
    return {(str(term), int(offset))
            for term, offset in zip(usable["term_id"], usable["offset"], strict=True)}


def reminder_records(due: pd.DataFrame, now: datetime, by: str,
                     status: str = "listed") -> list[dict[str, Any]]:
    """The `reminders` rows recording that the reminders in `due` (from `reminders_due`)
    were handed out (`listed`) or `sent` by `by` at `now`; validated by the model."""
    return [record_cells("reminders", {
        "id": new_id("RM"), "term_id": row["term_id"], "person_id": row["person_id"],
        "offset": int(row["offset"]), "due_date": pd.Timestamp(row["due_date"]).date(),
        "status": status, "created_at": now, "created_by": by,
    }) for row in due.to_dict("records")]


# ------------------------------------------------------------------------------ filters


def filtered(latest: pd.DataFrame, level_ids: Collection[str] = (),
             statuses: Collection[str] = ()) -> pd.DataFrame:
    """The rows of `latest_terms` on any of `level_ids` and in any of `statuses` (an empty
    choice keeps everyone)."""
    keep = pd.Series(True, index=latest.index)
    if level_ids:
        keep &= latest["level_id"].isin(list(level_ids))
    if statuses:
        keep &= latest["status"].isin(list(statuses))
    return latest[keep]


# ------------------------------------------------------------------------------ a workbook

#: The tabs the membership reports read (`latest_terms_of`, `reminders_of`).
MEMBERSHIP_TABS = ("people", "membership_levels", "memberships", "donations", "reminders",
                   "settings")


def latest_terms_of(book: Workbook, as_of: date) -> pd.DataFrame:
    """`latest_terms` of a workbook, with its settings' grace days (and payment dates when
    the workbook holds donations)."""
    donations = book.frame("donations") if "donations" in book.tabs else None
    return latest_terms(book.frame("memberships"), book.frame("people"),
                        book.frame("membership_levels"), as_of, book.settings.grace_days,
                        donations)


def reminders_of(book: Workbook, as_of: date,
                 latest: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reminders due on `as_of` (`reminders_due`) at the settings' offsets, leaving out
    every one the `reminders` tab already records: what a page or the cron job hands out."""
    if latest is None:
        latest = latest_terms_of(book, as_of)
    return reminders_due(latest, book.frame("memberships"), as_of,
                         book.settings.reminder_offsets, sent_reminders(book.frame("reminders")))


def membership_health_of(book: Workbook, as_of: date, months: int = 24,
                         latest: pd.DataFrame | None = None) -> MembershipHealth:
    """`membership_health` of a workbook, with its settings' grace days."""
    if latest is None:
        latest = latest_terms_of(book, as_of)
    return membership_health(latest, book.frame("memberships"), as_of,
                             book.settings.grace_days, months)

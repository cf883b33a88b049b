"""One person's story, newest first: every contact logged with them and everything Steward
already records about them, derived from those tabs at read time and never copied.

A gift typed into the sheet, a reminder handed out or an appeal sent shows on the timeline
without anyone logging it twice, and correcting the gift corrects the timeline. Each row
says when, what kind of thing happened, a line about it, who did it (when known) and the tab
and id it comes from. Pure: a workbook in (as the reader's role may see it), a frame out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from sheets_schema.cells import is_blank, to_text
from sheets_schema.models import CONTACT_KINDS
from sheets_schema.workbook import Workbook

__all__ = ["COLUMNS", "RECORDED_KINDS", "TIMELINE_KINDS", "PersonRows", "person_rows",
           "timeline"]

#: What a timeline row holds.
COLUMNS = ["when", "kind", "what", "by", "tab", "record_id"]
#: The kinds of what Steward records by itself, after the kinds of contact people log.
RECORDED_KINDS = ("gift", "refund", "membership", "mail", "consent", "volunteering", "shift",
                  "reminder", "merge", "import")
TIMELINE_KINDS = (*CONTACT_KINDS, *RECORDED_KINDS)

_MERGED = re.compile(r"merged (\S+) into (\S+?):")

#: (tab, column) of the links to a person a timeline follows, by id.
_LINKS = (("interactions", "person_id"), ("donations", "person_id"),
          ("donations", "soft_credit_person_id"), ("memberships", "person_id"),
          ("outbox", "person_id"), ("volunteer_hours", "person_id"), ("reminders", "person_id"))


@dataclass(frozen=True)
class PersonRows:
    """Where each person's rows are in one snapshot: (tab, column) -> person id -> row
    positions, and the merges that name them. Built once per snapshot (`person_rows`), it
    makes each timeline cost the person's own rows, not a scan of every tab: 200,000
    contacts are scanned once, not on every person page."""

    positions: dict[tuple[str, str], dict[str, np.ndarray]]
    merges: dict[str, list[int]]

    def of(self, book: Workbook, name: str, column: str, person_id: str) -> pd.DataFrame:
        frame = book.frame(name)
        return frame.iloc[self.positions[(name, column)].get(person_id, _NONE)]


_NONE = np.array([], dtype=np.intp)


def _positions(ids: np.ndarray) -> dict[str, np.ndarray]:
    """Person id -> the positions holding it, blanks left out."""
    codes, uniques = pd.factorize(ids)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {str(uid): order[bounds[at]:bounds[at + 1]] for at, uid in enumerate(uniques)
            if str(uid).strip()}


def person_rows(book: Workbook) -> PersonRows:
    """The index of `book` that `timeline` looks people up in."""
    positions = {(name, column): _positions(book.frame(name)[column].to_numpy())
                 for name, column in _LINKS}
    merges: dict[str, list[int]] = {}
    audit = book.frame("audit_log")
    actions = audit["action"].to_numpy()
    for at in np.flatnonzero(actions == "merge"):
        found = _MERGED.match(str(audit["after"].iat[int(at)]))
        for person_id in found.groups() if found else ():
            merges.setdefault(person_id, []).append(int(at))
    return PersonRows(positions, merges)


def _moment(value: Any) -> datetime | None:
    """A date or timestamp as a timestamp (a day starts at midnight), None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return None


def _rows(frame: pd.DataFrame, tab_name: str, kind: str | Callable[[pd.Series], str],
          when: str, what: Callable[[pd.Series], str], by: str | None = None,
          key: str = "id") -> list[dict[str, Any]]:
    out = []
    for _, row in frame.iterrows():
        moment = _moment(row.get(when))
        if moment is None:
            continue
        out.append({"when": moment, "kind": kind(row) if callable(kind) else kind,
                    "what": what(row), "by": str(row.get(by, "") or "") if by else "",
                    "tab": tab_name, "record_id": str(row[key])})
    return out


def _text(value: Any) -> str:
    return "" if is_blank(value) else to_text(value).strip()


def _amount(row: pd.Series) -> str:
    amount = row.get("amount")
    if is_blank(amount):
        return ""
    currency = _text(row.get("currency"))
    return f"{amount:,.2f}" + (f" {currency}" if currency else "")


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _contacts(book: Workbook, index: PersonRows, person_id: str) -> list[dict[str, Any]]:
    mine = index.of(book, "interactions", "person_id", person_id)

    def what(row: pd.Series) -> str:
        return _joined(_text(row["summary"]),
                       f"outcome: {_text(row['outcome'])}" if _text(row["outcome"]) else "",
                       f"next: {_text(row['next_step'])}" if _text(row["next_step"]) else "",
                       "confidential" if bool(row["confidential"]) else "")

    return _rows(mine, "interactions", lambda row: str(row["kind"]), "when", what, by="by")


def _gifts(book: Workbook, index: PersonRows, person_id: str,
           names: dict[str, str]) -> list[dict[str, Any]]:
    given = index.of(book, "donations", "person_id", person_id)
    credited = index.of(book, "donations", "soft_credit_person_id", person_id)
    mine = pd.concat([given, credited[~credited.index.isin(given.index)]])

    def what(row: pd.Series) -> str:
        credited = row["person_id"] != person_id
        return _joined(("Soft credit: " if credited else "") + (
            f"{row['kind']} of {_amount(row)}" if _amount(row) else str(row["kind"])),
            names.get(str(row["campaign_id"]), _text(row["campaign_id"])),
            _text(row["method"]), "" if row["status"] == "completed" else str(row["status"]))

    def kind(row: pd.Series) -> str:
        return "refund" if row["status"] == "refunded" else "gift"

    return _rows(mine, "donations", kind, "date", what)


def _terms(book: Workbook, index: PersonRows, person_id: str) -> list[dict[str, Any]]:
    levels = dict(zip(book.frame("membership_levels")["id"],
                      book.frame("membership_levels")["name"], strict=True))

    def what(row: pd.Series) -> str:
        end = _text(row["end_date"])
        return _joined(f"{levels.get(str(row['level_id']), row['level_id'])} membership "
                       f"from {_text(row['start_date'])}" + (f" to {end}" if end else ""),
                       _text(row["status_override"]))

    return _rows(index.of(book, "memberships", "person_id", person_id), "memberships",
                 "membership",
                 "start_date", what)


def _mail(book: Workbook, index: PersonRows, person_id: str) -> list[dict[str, Any]]:
    mailings = book.frame("mailings")
    names = dict(zip(mailings["id"], mailings["name"], strict=True))
    mine = index.of(book, "outbox", "person_id", person_id)
    mine = mine[mine["status"] == "sent"]
    return _rows(mine, "outbox", "mail", "sent_at",
                 lambda row: f"Sent “{names.get(str(row['mailing_id']), row['mailing_id'])}”")


def _consent(person: pd.Series) -> list[dict[str, Any]]:
    given = _text(person.get("email_consent"))
    moment = _moment(person.get("email_consent_date"))
    if not given or moment is None:
        return []
    source = _text(person.get("email_consent_source"))
    return [{"when": moment, "kind": "consent",
             "what": f"Email consent {given}" + (f" ({source})" if source else ""),
             "by": "", "tab": "people", "record_id": str(person["id"])}]


def _volunteering(book: Workbook, index: PersonRows, person_id: str) -> list[dict[str, Any]]:
    shifts = book.frame("volunteer_shifts")
    mine = index.of(book, "volunteer_hours", "person_id", person_id)
    signed = shifts[shifts["assigned"].map(lambda ids: person_id in ids).astype(bool)]
    return [
        *_rows(mine, "volunteer_hours", "volunteering", "date",
               lambda row: _joined(f"{_text(row['hours'])} h", _text(row["activity"]),
                                   "" if bool(row["approved"]) else "not yet approved")),
        *_rows(signed, "volunteer_shifts", "shift", "date",
               lambda row: _joined("Shift", _text(row["activity"]), _text(row["start"]))),
    ]


def _reminders(book: Workbook, index: PersonRows, person_id: str) -> list[dict[str, Any]]:
    mine = index.of(book, "reminders", "person_id", person_id)
    return _rows(mine, "reminders", "reminder", "created_at",
                 lambda row: f"Renewal reminder {row['status']} ({row['offset']} days before "
                             f"the term ends)", by="created_by")


def _merges(book: Workbook, index: PersonRows, person_id: str) -> list[dict[str, Any]]:
    audit = book.frame("audit_log")
    out = []
    for at in index.merges.get(person_id, []):
        row = audit.iloc[at]
        found = _MERGED.match(str(row["after"]))
        if found and _moment(row["at"]) is not None:
            out.append({"when": _moment(row["at"]), "kind": "merge",
                        "what": f"Merged {found[1]} into {found[2]}", "by": str(row["user"]),
                        "tab": "audit_log", "record_id": str(row["id"])})
    return out


def _imports(book: Workbook, person: pd.Series) -> list[dict[str, Any]]:
    batch_id = _text(person.get("import_id"))
    if not batch_id:
        return []
    batches = book.frame("imports")
    batch = batches[batches["id"] == batch_id]
    return _rows(batch, "imports", "import", "imported_at",
                 lambda row: f"Added by the import of {_text(row['file_name']) or row['id']}",
                 by="imported_by")


def timeline(book: Workbook, person_id: str, kinds: Iterable[str] | None = None,
             limit: int | None = None, index: PersonRows | None = None) -> pd.DataFrame:
    """Everything about `person_id` on one timeline (`COLUMNS`), newest first; of `kinds`
    only (see `TIMELINE_KINDS`) when given, and the newest `limit` rows when given.

    `book` is what the reader may see (`roles.visible_workbook`): a volunteer's timeline has
    no gifts and no confidential contacts because their workbook has none. `index` is
    `person_rows(book)`, when the caller keeps one for the snapshot.
    """
    index = index or person_rows(book)
    people = book.frame("people")
    theirs = people[people["id"] == person_id]
    campaigns = book.frame("campaigns")
    names = dict(zip(campaigns["id"], campaigns["name"], strict=True))
    rows = [*_contacts(book, index, person_id), *_gifts(book, index, person_id, names),
            *_terms(book, index, person_id), *_mail(book, index, person_id),
            *_volunteering(book, index, person_id), *_reminders(book, index, person_id),
            *_merges(book, index, person_id)]
    for _, person in theirs.iterrows():
        rows += [*_consent(person), *_imports(book, person)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if kinds is not None:
        frame = frame[frame["kind"].isin(list(kinds))]
    frame = frame.sort_values("when", ascending=False, kind="stable").reset_index(drop=True)
    return frame if limit is None else frame.head(limit)

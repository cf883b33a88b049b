"""A person's privacy rights in the workbook's terms: what is held on them, erasure, consent.

Pure functions over a `Workbook` (see ../shared/notes/mail-and-security.md, "Privacy").
`rows_about` finds every row about one person; the export (`reports.person_export`) and
the erasure both start from it, so what a person is sent is exactly what is erased.
`erasure_changes` builds one `ChangeSet` that blanks their personal cells and keeps every id,
amount, date, campaign, fund and status, so the accounts and every report total stay as they
were while nothing left names the person; a hash of their address goes to `suppressions`, so
an import can never put them back on a mailing.

Decisions, written down because staff will ask:

- Personal cells are `PERSONAL_FIELDS`: everything that names, locates or contacts the
  person, or is free text that could (notes, a gift's tribute name and bank reference), on
  every row about them; on `people` and `volunteers` (profiles: every cell is about the
  person) the columns staff added are blanked too. Kept: ids and the links between rows,
  amounts, dates, statuses, campaigns, funds, a gift's tribute type, `deceased` (membership
  status reads it), a volunteer's background-check date (safeguarding records are kept).
- A gift that soft-credits them is about them too: its free text is blanked as well.
- Shifts name people by id only, so a shift row is exported but needs no blanking.
- The audit trail keeps who did what and when, but not the erased data: `before` and
  `after` of every entry about their rows (or naming their email, phone or full name) become
  "(erased)", and so do `user` and `record_id` cells holding their address.
- A person who is still in the `users` tab is refused: an account is who may sign in, and
  taking access away is an admin's separate decision. Remove the user row, then erase.
- Cells elsewhere that still name them (another person's notes, a mailing's text) are not
  rewritten, since they are someone else's words: `remaining_mentions` lists them to review.
- Consent: withdrawing sets `do_not_email`; granting never clears it, because an objection
  to direct marketing is absolute and only an explicit edit of `do_not_email` lifts it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from sheets_schema.cells import cell_text, python_value, to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.tabs import TABS, tab
from sheets_schema.workbook import Workbook, new_id

__all__ = [
    "ABOUT_TABS",
    "ERASED",
    "PERSONAL_FIELDS",
    "PROFILE_TABS",
    "ErasureRefused",
    "consent_changes",
    "email_hash",
    "erasure_changes",
    "erasure_summary",
    "is_suppressed",
    "remaining_mentions",
    "rows_about",
]

#: What an erased audit cell says instead of the data it held.
ERASED = "(erased)"

#: Per tab, the cells of a row about a person that are personal data and are blanked.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "people": (
        "first_name", "last_name", "organization", "email", "phone", "address", "city",
        "region", "postcode", "country", "tags", "household_id", "notes", "email_consent",
        "email_consent_date", "email_consent_source",
    ),
    "donations": ("tribute_name", "in_kind_description", "reference", "note"),
    "volunteers": ("skills", "availability", "emergency_contact", "notes"),
    "volunteer_hours": ("note",),
    "outbox": ("email", "error"),
    # What was said in a conversation is theirs; that a call happened, when and by whom is
    # the organisation's record (as a gift's amount is).
    "interactions": ("summary", "outcome", "next_step"),
    "tasks": ("note",),  # a task keeps its title: it needs one (Data health shows mentions)
}

#: Tabs whose row is a profile of the person: columns staff added there are blanked too.
PROFILE_TABS = ("people", "volunteers")

#: Tabs whose rows are about the person through an id or address, in export order; the
#: audit entries and suppressions about those rows follow them in `ABOUT_TABS`.
LINKED_TABS = (
    "people", "donations", "memberships", "recurring_gifts", "volunteers", "volunteer_hours",
    "volunteer_shifts", "outbox", "reminders", "interactions", "tasks", "users",
)
ABOUT_TABS = (*LINKED_TABS, "audit_log", "suppressions")

_NO_CONTACT = ("do_not_email", "do_not_mail", "do_not_phone")
_AUDIT_TEXT = ("before", "after")
_MIN_PHONE_DIGITS = 7


class ErasureRefused(ValueError):
    """An erasure that must not go ahead, with what the admin can do about it."""


# ------------------------------------------------------------------------- addresses


def email_hash(address: str) -> str:
    """The sha256 hex of an address as the suppressions tab keeps it: trimmed and lower-cased,
    so "Ann@Example.org " and "ann@example.org" are the same address.

    >>> email_hash(" A@B.org") == email_hash("a@b.org")
    True
    """
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


def is_suppressed(suppressions: pd.DataFrame, address: str) -> bool:
    """Whether `address` must never be mailed: its hash is in the suppressions frame. A blank
    address is never suppressed (there is nothing to send to)."""
    if not address.strip():
        return False
    return bool((suppressions["email_sha256"] == email_hash(address)).any())


# ---------------------------------------------------------------------- finding rows


@dataclass(frozen=True)
class _Traces:
    """What points at the person in free text: their addresses (lower-cased) and the
    phone and full names that are specific enough to search for."""

    addresses: frozenset[str]
    texts: tuple[str, ...]

    def mentioned(self, cells: pd.Series) -> pd.Series:
        """A mask of the cells whose text holds any of the traces, ignoring case. Text
        escaped on its way in (JSON's \\uXXXX for Hangul) is not recognised."""
        if not self.texts:
            return pd.Series(False, index=cells.index)
        pattern = "|".join(re.escape(text) for text in self.texts)
        found = cells.map(to_text).str.contains(pattern, case=False, regex=True)
        return found.astype(bool)  # an empty column maps to object, not bool


def _address(value: Any) -> str:
    return str(value or "").strip().lower()


def _traces(person: pd.DataFrame, outbox: pd.DataFrame) -> _Traces:
    """Traces of the person from their `people` row and the addresses they were mailed at."""
    addresses = {_address(a) for a in [*person["email"], *outbox["email"]]} - {""}
    texts = set(addresses)
    for _, row in person.iterrows():
        phone = str(row["phone"]).strip()
        if sum(ch.isdigit() for ch in phone) >= _MIN_PHONE_DIGITS:
            texts.add(phone)
        first, last = str(row["first_name"]).strip(), str(row["last_name"]).strip()
        if first and last:  # a lone first name ("Ann") would match far too much
            texts.update({f"{first} {last}", f"{last} {first}", f"{last}{first}"})
    return _Traces(frozenset(addresses), tuple(sorted(texts)))


def _about_ids(rows: Mapping[str, pd.DataFrame]) -> tuple[set[tuple[str, str]], set[str]]:
    """(tab, key) of every row about the person, and the keys alone (for blank-tab entries)."""
    pairs = {(name, str(key)) for name, frame in rows.items() for key in frame[tab(name).key]}
    return pairs, {key for _, key in pairs}


def _audit_cells(
    audit: pd.DataFrame, rows: Mapping[str, pd.DataFrame], traces: _Traces
) -> dict[str, pd.Series]:
    """Per audit column, a mask of the cells that hold the person's data: `before`/`after` of
    entries about their rows or naming them; `record_id` and `user` equal to their address."""
    pairs, keys = _about_ids(rows)
    about = pd.Series(
        [(t, r) in pairs or (not t and r in keys)
         for t, r in zip(audit["tab"].astype(str), audit["record_id"].astype(str), strict=True)],
        index=audit.index, dtype=bool,
    )
    record_is_address = audit["record_id"].map(_address).isin(traces.addresses)
    text = about | record_is_address
    for column in _AUDIT_TEXT:
        text |= traces.mentioned(audit[column])
    return {
        "before": text,
        "after": text,
        "record_id": record_is_address,
        "user": audit["user"].map(_address).isin(traces.addresses),
    }


def rows_about(book: Workbook, person_id: str) -> dict[str, pd.DataFrame]:
    """Every row about `person_id`, per tab of `ABOUT_TABS` (empty frames where none), with
    every column, those staff added included: what an export sends and an erasure scrubs.

    The people frame is empty when there is no such person; callers decide what that means.
    """
    person = _by(book, "people", "id", person_id)
    donations = book.frame("donations")
    shifts = book.frame("volunteer_shifts")
    rows = {
        "people": person,
        "donations": donations[(donations["person_id"] == person_id)
                               | (donations["soft_credit_person_id"] == person_id)],
        "memberships": _by(book, "memberships", "person_id", person_id),
        "recurring_gifts": _by(book, "recurring_gifts", "person_id", person_id),
        "volunteers": _by(book, "volunteers", "id", person_id),
        "volunteer_hours": _by(book, "volunteer_hours", "person_id", person_id),
        "volunteer_shifts": shifts[shifts["assigned"].map(lambda ids: person_id in ids)
                                   .astype(bool)],
        "outbox": _by(book, "outbox", "person_id", person_id),
        "reminders": _by(book, "reminders", "person_id", person_id),
        "interactions": _by(book, "interactions", "person_id", person_id),
        "tasks": _by(book, "tasks", "person_id", person_id),
    }
    traces = _traces(person, rows["outbox"])
    users = book.frame("users")
    rows["users"] = users[users["email"].map(_address).isin(traces.addresses)]
    audit = book.frame("audit_log")
    selected = pd.Series(False, index=audit.index)
    for mask in _audit_cells(audit, rows, traces).values():
        selected |= mask
    rows["audit_log"] = audit[selected]
    suppressions = book.frame("suppressions")
    hashes = {email_hash(address) for address in traces.addresses}
    rows["suppressions"] = suppressions[suppressions["email_sha256"].isin(hashes)]
    return {name: rows[name] for name in ABOUT_TABS}


def _by(book: Workbook, name: str, column: str, value: str) -> pd.DataFrame:
    frame = book.frame(name)
    return frame[frame[column] == value]


# --------------------------------------------------------------------------- erasure


def _is_blank(value: Any) -> bool:
    return cell_text(value).strip() == ""


def _blank_value(name: str, column: str) -> Any:
    """What an empty cell of `column` holds in a typed row: "" for text, () for tags, None
    for dates; a column staff added is text."""
    spec = TABS[name]
    if column not in spec.column_names:
        return ""
    kind = spec.column(column).kind.name
    if kind == "tags":
        return ()
    return "" if kind in {"text", "choice"} else None


def _personal_columns(name: str, row: pd.Series) -> list[str]:
    columns = list(PERSONAL_FIELDS.get(name, ()))
    if name in PROFILE_TABS:
        columns += [c for c in row.index if c not in TABS[name].column_names]
    return columns


def _blanked(name: str, row: pd.Series) -> dict[str, Any]:
    """The changes that blank the personal cells of `row` that hold something."""
    return {column: _blank_value(name, column) for column in _personal_columns(name, row)
            if not _is_blank(row[column])}


def _person_changes(row: pd.Series, now: datetime) -> dict[str, Any]:
    changes = _blanked("people", row)
    changes.update({flag: True for flag in _NO_CONTACT if not python_value(row[flag])})
    changes.update({"erased_at": now, "updated_at": now})
    return changes


def _seen(row: pd.Series) -> dict[str, Any]:
    """The whole row as read: any cell changed since then makes the edit a conflict."""
    return {str(column): python_value(value) for column, value in row.items()}


def _audit_changes(rows: Mapping[str, pd.DataFrame], changes: ChangeSet) -> None:
    """Turn each audit cell that holds the person's data into "(erased)"."""
    audit = rows["audit_log"]
    traces = _traces(rows["people"], rows["outbox"])
    cells = _audit_cells(audit, {name: rows[name] for name in LINKED_TABS}, traces)
    for at, (_, row) in enumerate(audit.iterrows()):
        edit = {column: ERASED for column, mask in cells.items()
                if mask.iloc[at] and not _is_blank(row[column]) and row[column] != ERASED}
        changes.edit("audit_log", str(row["id"]), edit, _seen(row))


def _plan(book: Workbook, person_id: str, now: datetime) -> ChangeSet:
    """Every write of an erasure, without the checks that may refuse it."""
    rows = rows_about(book, person_id)
    changes = ChangeSet()
    for _, row in rows["people"].iterrows():
        changes.edit("people", person_id, _person_changes(row, now), _seen(row))
    for name in (n for n in PERSONAL_FIELDS if n != "people"):
        for _, row in rows[name].iterrows():
            changes.edit(name, str(row[tab(name).key]), _blanked(name, row), _seen(row))
    _audit_changes(rows, changes)
    suppressions = book.frame("suppressions")
    for address in sorted(_traces(rows["people"], rows["outbox"]).addresses):
        if not is_suppressed(suppressions, address):
            changes.append("suppressions", {"id": new_id("SUP"), "email_sha256":
                                            email_hash(address), "reason": "erased",
                                            "created_at": now})
    return changes


def _refusal(book: Workbook, person_id: str, by: str) -> str | None:
    """Why `person_id` cannot be erased now, in a sentence saying what to do; None if they can."""
    if not by.strip():
        return "An erasure must say who made it; sign in, then erase."
    people = _by(book, "people", "id", person_id)
    if people.empty:
        return (f"There is no person with id {person_id!r}; check the id, or Refresh in case "
                f"someone just changed it.")
    if len(people) > 1:
        return (f"Several rows of people have id {person_id!r}; give each its own id (see "
                f"Data health), then erase.")
    if not _is_blank(people.iloc[0]["erased_at"]):
        return f"Person {person_id} is already erased; there is nothing left to erase."
    if not rows_about(book, person_id)["users"].empty:
        return (f"Person {person_id} can still sign in: their address is in the users tab. "
                f"An admin must remove that user row first, then erase them.")
    return None


def erasure_changes(book: Workbook, person_id: str, now: datetime, by: str) -> ChangeSet:
    """The writes that erase `person_id` at their request, to land all or nothing.

    Blanks their personal cells on every row about them, stamps `erased_at` and `updated_at`
    and sets every do-not-contact flag; keeps ids, amounts, dates, campaigns, funds and
    statuses (totals do not move); turns the audit cells that held their data into
    "(erased)"; and adds a suppression row for each of their addresses not yet suppressed.
    Each edit's `seen` is the row as read, so a change made meanwhile is a conflict.
    No audit entry is added: the caller's audit layer records `erasure_summary(...)`, which
    holds no personal data. `by` is who erases; it must not be blank.

    Raises ErasureRefused (see `_refusal`) with what to do instead.
    """
    refusal = _refusal(book, person_id, by)
    if refusal:
        raise ErasureRefused(refusal)
    return _plan(book, person_id, now)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def erasure_summary(changes: ChangeSet) -> str:
    """One line for the audit entry of an erasure, with ids and counts only:
    ``"erased person P00012: 14 fields in 9 rows of 5 tabs; 1 address suppressed"``."""
    erased = [e.key for e in changes.edits.get("people", []) if "erased_at" in e.changes]
    if not erased:
        raise ValueError("This change set erases nobody: it does not stamp a person's erased_at.")
    edits = [edit for tab_edits in changes.edits.values() for edit in tab_edits]
    tabs = sum(1 for tab_edits in changes.edits.values() if tab_edits)
    fields = sum(len(edit.changes) for edit in edits)
    suppressed = len(changes.appends.get("suppressions", []))
    return (f"erased person {erased[0]}: {_count(fields, 'field')} in {_count(len(edits), 'row')}"
            f" of {_count(tabs, 'tab')}; {_count(suppressed, 'address')} suppressed")


def _touched(changes: ChangeSet) -> set[tuple[str, str, str]]:
    return {(name, edit.key, column) for name, edits in changes.edits.items()
            for edit in edits for column in edit.changes}


def remaining_mentions(book: Workbook, person_id: str) -> list[tuple[str, str, str]]:
    """(tab, key, column) of each cell that still holds the person's email, phone or full
    name once they are erased: someone else's notes, a mailing's text, a column staff added
    to a gift. They are not rewritten automatically (they are other people's words); show
    them to staff before or after erasing."""
    rows = rows_about(book, person_id)
    traces = _traces(rows["people"], rows["outbox"])
    touched = _touched(_plan(book, person_id, datetime(2000, 1, 1)))  # which cells, not when
    found = []
    for name, parsed in book.tabs.items():
        frame, key = parsed.frame, tab(name).key
        for column in (c for c in frame.columns if frame[c].dtype == object):
            for at in frame.index[traces.mentioned(frame[column])]:
                cell = (name, str(frame.at[at, key]), str(column))
                if cell not in touched:
                    found.append(cell)
    return found


# --------------------------------------------------------------------------- consent


def consent_changes(
    person_row: Mapping[str, Any] | pd.Series, granted: bool, source: str, on: date
) -> dict[str, Any]:
    """The `people` cells to change to record email consent granted or withdrawn on `on`,
    and where it came from ("web form", "phone call"); only cells that differ.

    Withdrawing also sets `do_not_email`. Granting never clears it: an objection to direct
    marketing is absolute, so mailing someone again takes an explicit edit of that flag.
    The caller adds `updated_at`, as for any edit. Raises ValueError for a blank source or
    an erased person.
    """
    if not _is_blank(person_row.get("erased_at")):
        raise ValueError("This person was erased; there is no one to record consent for.")
    if not source.strip():
        raise ValueError('Say where the consent choice came from (for example "web form" or '
                         '"phone call"); a consent record needs its source.')
    wanted: dict[str, Any] = {
        "email_consent": "granted" if granted else "withdrawn",
        "email_consent_date": on,
        "email_consent_source": source.strip(),
    }
    if not granted:
        wanted["do_not_email"] = True
    return {column: value for column, value in wanted.items()
            if to_text(value) != cell_text(person_row.get(column))}

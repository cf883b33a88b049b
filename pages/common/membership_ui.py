"""What the membership pages share: the derived frames, a list with its downloads, and the
renew, join and cancel forms. Each form lands one ChangeSet through the signed-in store
(audited; on Google Sheets one read and one write), so a renewal never leaves a term
without its payment or the other way round."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from pages.common import columns, data, people_ui, session
from pages.common import downloads as download_rules
from pages.common.safe import plain
from reports.export import to_safe_csv, to_xlsx
from reports.membership import (
    MembershipHealth,
    latest_terms_of,
    membership_health_of,
    reminder_records,
    reminders_of,
)
from rules.gifts import GIFT_METHODS
from rules.membership_terms import (
    MembershipError,
    cancel_changes,
    join_records,
    latest_term,
    next_term,
    renewal_records,
)
from rules.people import display_name, people_to_offer
from sheets_schema.cells import is_blank
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def latest(as_of: date) -> pd.DataFrame:
    """`latest_terms` on `as_of`, worked out once per snapshot and role (shared, read-only)."""
    return data.derived("latest_terms", latest_terms_of, as_of)


def reminders(as_of: date) -> pd.DataFrame:
    return data.derived("reminders_due", lambda book, day: reminders_of(book, day, latest(day)),
                        as_of)


def health(as_of: date, months: int) -> MembershipHealth:
    return data.derived("membership_health", lambda book, day, n: membership_health_of(
        book, day, n, latest(day)), as_of, months)


def downloads(frame: pd.DataFrame, name: str) -> None:
    """CSV and xlsx of `frame` for roles that may download; each file is made on click."""
    if not download_rules.allowed():
        return
    left, right = st.columns(2)
    download_rules.button("Download CSV", lambda: to_safe_csv(frame), f"{name}.csv",
                          "text/csv", where=left, key=f"{name}_csv")
    download_rules.button("Download xlsx", lambda: to_xlsx({name: frame}), f"{name}.xlsx",
                          XLSX, where=right, key=f"{name}_xlsx")


def member_list(frame: pd.DataFrame, name: str, selectable: bool = False) -> str | None:
    """`frame` (rows of `latest_terms`) as a table with its downloads. With `selectable`, a
    row can be selected, and the person id of the selected row is returned (the row is
    looked up here, in the frame the server holds), so the page can act on it."""
    st.text(f"{len(frame):,} people" + (" · select a row to renew them" if selectable else ""))
    select: dict[str, Any] = {"on_select": "rerun", "selection_mode": "single-row"}
    event = columns.table(frame, f"{name}_table", **(select if selectable else {}))
    downloads(frame, name)
    rows = event.selection.rows if selectable else []
    if not rows or not 0 <= int(rows[0]) < len(frame):
        return None
    return str(frame.iloc[int(rows[0])]["person_id"])


def _choose(label: str, rows: pd.DataFrame, people: pd.DataFrame, key: str) -> Any:
    """A member picked from `latest_terms` rows by name (type to search), or None; only
    people a picker may offer (`people_to_offer`)."""
    rows = rows[rows["person_id"].isin(people_to_offer(people)["id"])].sort_values("name")
    names = dict(zip(rows["person_id"], rows["name"] + " (" + rows["person_id"] + ") · "
                     + rows["status"], strict=True))
    return people_ui.choose_person(label, names, key)


def _payment(key: str, book: Workbook, level_id: str | None,
             as_of: date) -> tuple[dict[str, Any], date, Decimal, str] | None:
    """The level, day paid, amount (the level's fee unless changed) and method typed."""
    levels = book.frame("membership_levels")
    active = levels[levels["active"].fillna(True).astype(bool)]
    ids = list(active["id"])
    if not ids:
        st.warning("No membership level is active: add one (or mark one active) in the "
                   "membership_levels tab.")
        return None
    names = dict(zip(levels["id"], levels["name"], strict=True))
    left, middle, right, far = st.columns(4)
    chosen = left.selectbox("Level", ids, format_func=names.get, key=f"{key}_level",
                            index=ids.index(level_id) if level_id in ids else 0)
    level = active[active["id"] == chosen].iloc[0].to_dict()
    paid_on = middle.date_input("Paid on", value=as_of, key=f"{key}_paid_on")
    fee = level["fee"] if not is_blank(level["fee"]) else 0
    amount = right.number_input("Amount", min_value=0.0, value=float(fee), step=1.0,
                                format="%.2f", key=f"{key}_amount_{chosen}")
    method = far.selectbox("Method", GIFT_METHODS, index=GIFT_METHODS.index("cheque"),
                           key=f"{key}_method")
    return level, paid_on, Decimal(f"{amount:.2f}"), method


def _preview(level: dict[str, Any], last: Any, paid_on: date, grace_days: int) -> bool:
    """Show the dates the new term would get; False (with the reason) if there is none."""
    try:
        _, start, end = next_term(level, last, paid_on, grace_days)
    except MembershipError as error:
        st.warning(plain(error))
        return False
    st.caption(f"The new term runs from {start:%Y-%m-%d} "
               f"{f'to {end:%Y-%m-%d}' if end else 'for life'}.")
    return True


def _build(make: Callable[[], Any]) -> Any:
    try:
        return make()
    except MembershipError as error:
        st.error(plain(error))
        return None


def renew_form(book: Workbook, members: pd.DataFrame, as_of: date,
               person_id: str | None = None, key: str = "renew") -> None:
    """Record a renewal: the term and its payment, the member's last level by default. The
    member is picked here, or given as `person_id` (a row selected in a list), which is
    checked against the same members the picker offers."""
    offered = members[members["status"] != "Deceased"]
    if person_id is None:
        person_id = _choose("Member", offered, book.frame("people"), f"{key}_person")
        if person_id is None:
            return
    else:
        offered = offered[offered["person_id"].isin(people_to_offer(book.frame("people"))["id"])]
        if person_id not in set(offered["person_id"]):
            st.warning(plain(f"{person_id} cannot be renewed here: pick a member who is "
                             f"offered in the list."))
            return
        row = offered[offered["person_id"] == person_id].iloc[0]
        st.subheader(plain(f"Renew {row['name']} ({person_id})"))
    terms = book.frame("memberships")
    last = latest_term(terms[terms["person_id"] == person_id].to_dict("records"))
    payment = _payment(f"{key}_{person_id}", book, last["level_id"] if last else None, as_of)
    grace = book.settings.grace_days
    if payment is None or not _preview(payment[0], last, payment[1], grace):
        return
    level, paid_on, amount, method = payment
    if st.button("Record renewal", type="primary", key=f"{key}_save"):
        person = book.row("people", person_id)
        new = _build(lambda: renewal_records(
            person_id, level, last, paid_on, amount, method, datetime.now(), grace_days=grace,
            deceased=bool(person is not None and person["deceased"]),
            auto_renew=bool(last and last["auto_renew"])))
        if new is not None:
            data.commit_form(new.changes(), f"Renewal recorded: "
                             f"{new.membership['start_date']:%Y-%m-%d} to "
                             f"{new.membership['end_date'] or 'life'}.",
                             (f"{key}_person", f"{key}_table"))


def join_form(book: Workbook, members: pd.DataFrame, as_of: date) -> None:
    """Join a new member: find the person, then the level, day, amount and method."""
    person_id = people_ui.person_picker("join", book.frame("people"), pick_key="join_person")
    if person_id is None:
        return
    if person_id in set(members["person_id"]):
        st.info("This person has membership terms already: record a renewal for them "
                "instead (their join date is kept).")
        return
    payment = _payment(f"join_{person_id}", book, None, as_of)
    auto_renew = st.checkbox("Renews automatically", key=f"join_{person_id}_auto")
    if payment is None or not _preview(payment[0], None, payment[1], book.settings.grace_days):
        return
    level, paid_on, amount, method = payment
    if st.button("Join", type="primary", key="join_save"):
        person = book.row("people", person_id)
        new = _build(lambda: join_records(
            person_id, level, paid_on, amount, method, datetime.now(), auto_renew=auto_renew,
            deceased=bool(person is not None and person["deceased"])))
        if new is not None:
            name = display_name(person.to_dict()) if person is not None else person_id
            data.commit_form(new.changes(), f"{name} ({person_id}) joined.",
                             ("join_person", "join_query"))


def cancel_form(book: Workbook, members: pd.DataFrame) -> None:
    """Cancel a membership: a Cancelled override on the newest term, nothing deleted."""
    open_terms = members[members["status"].isin(["New", "Current", "Grace", "Pending"])]
    person_id = _choose("Member", open_terms, book.frame("people"), "cancel_person")
    if person_id is None:
        return
    term_id = open_terms.loc[open_terms["person_id"] == person_id, "term_id"].iloc[0]
    term = book.row("memberships", term_id)
    sure = st.checkbox("Yes, cancel this membership now (its terms and payments stay on "
                       "record)", key="cancel_sure")
    if st.button("Cancel membership", disabled=not sure, key="cancel_save") and term is not None:
        changes = _build(lambda: cancel_changes(term.to_dict()))
        if changes is not None:
            data.commit_form(changes, "Membership cancelled.", ("cancel_person", "cancel_sure"))


def hand_out(book: Workbook, due: pd.DataFrame, as_of: date) -> None:
    """Record today's reminders as handed out, in one commit, so no list repeats them."""
    on_the_day = as_of == data.today()
    if st.button("Mark as handed out", type="primary", disabled=due.empty or not on_the_day,
                 key="reminders_save",
                 help=None if on_the_day else "Reminders are handed out on their day: set "
                 "the date back to today."):
        rows = reminder_records(due, datetime.now(), session.user().email)
        data.commit_form(ChangeSet().append("reminders", *rows),
                         f"{len(rows)} reminders recorded as handed out.")

"""Renewals: who is due, in grace or lapsed, with their contact details; today's renewal
reminders. Staff record renewals, join new members and cancel; directors read and download.
The forms and lists are in pages/common/membership_ui.py, the rules in rules/ and
reports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import data, membership_ui, session
from pages.common.safe import plain
from reports.membership import (
    DUE_WINDOWS,
    LATEST_COLUMNS,
    STATUS_ORDER,
    due_window,
    filtered,
    in_grace,
    lapsed_within,
    renewals_due,
)

session.require("read_giving", "see memberships and renewals")
st.title("Renewals")
data.done()
book = data.workbook()
levels = book.frame("membership_levels")
level_names = dict(zip(levels["id"], levels["name"], strict=True))

top = st.columns([3, 4, 4, 5])  # the date needs about 150 px to show whole
as_of = top[0].date_input("As of", value=data.today(), key="renewals_as_of")
chosen_levels = top[1].multiselect("Level", list(level_names), format_func=level_names.get,
                                   key="renewals_levels", placeholder="Every level")
statuses = top[2].multiselect("Status", STATUS_ORDER, key="renewals_statuses",
                              placeholder="Every status")
asked, refused = due_window(st.query_params.get("within"))
within = top[3].radio("Due within", DUE_WINDOWS, index=DUE_WINDOWS.index(asked),
                      format_func=lambda d: f"{d} days", horizontal=True, key="renewals_within")
if refused:
    st.warning(plain(refused))

latest = membership_ui.latest(as_of)
shown = filtered(latest, chosen_levels, statuses)
due = renewals_due(shown, as_of, within)
grace = in_grace(shown)
lapsed = lapsed_within(shown, as_of, 12)
reminders = membership_ui.reminders(as_of)
can_renew = session.user().can("edit_giving")


def renew_from(frame: pd.DataFrame, name: str) -> None:
    """The list, and for staff a renewal form for the row they select in it."""
    picked = membership_ui.member_list(frame, name, selectable=can_renew)
    if picked is not None:
        membership_ui.renew_form(book, latest, as_of, person_id=picked, key=name)


lists = st.tabs([f"Due in {within} days ({len(due):,})", f"In grace ({len(grace):,})",
                 f"Lapsed in the last 12 months ({len(lapsed):,})",
                 f"Everyone ({len(shown):,})", f"Reminders today ({len(reminders):,})"])
with lists[0]:
    st.caption("Members whose term ends within the window; those who renewed are not listed.")
    renew_from(due, f"due_{within}_days")
with lists[1]:
    st.caption(f"Their term has ended; they count as members for "
               f"{book.settings.grace_days} days after it.")
    renew_from(grace, "in_grace")
with lists[2]:
    st.caption("Grace ran out within the last year: the ones still worth asking back.")
    renew_from(lapsed, "lapsed")
with lists[3]:
    membership_ui.member_list(shown[LATEST_COLUMNS], "members")
with lists[4]:
    offsets = ", ".join(map(str, book.settings.reminder_offsets))
    st.caption(f"Renewal reminders due on this day (days before the end: {offsets}; the "
               f"reminder_offsets setting), for every member whatever the filters. One "
               f"handed out or sent is never listed again.")
    membership_ui.member_list(reminders, "reminders")
    if can_renew:
        membership_ui.hand_out(book, reminders, as_of)

if not can_renew:
    st.stop()

st.header("Record")
renew, join, cancel = st.tabs(["Record a renewal", "Join a new member", "Cancel a membership"])
with renew:
    membership_ui.renew_form(book, latest, as_of)
with join:
    membership_ui.join_form(book, latest, as_of)
with cancel:
    membership_ui.cancel_form(book, latest)

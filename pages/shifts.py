"""Shifts: upcoming shifts with their open places; volunteers sign themselves up or give a
place back, staff create shifts and assign anyone; a roster per shift to print."""

from __future__ import annotations

from datetime import time

import pandas as pd
import streamlit as st

from pages.common import columns, data, downloads, session, volunteer_ui
from reports.export import to_safe_csv
from reports.volunteering import roster, roster_html
from rules.volunteering import (
    assign_changes,
    places_left,
    shift_changes,
    sign_up_changes,
    withdraw_changes,
)

session.require("read_volunteering", "see volunteer shifts")
st.title("Shifts")
data.done()
book = data.workbook()
user = session.user()
staff = user.can("edit_volunteering")
people = volunteer_ui.names(book)
shifts = book.frame("volunteer_shifts")
today = data.today()
past = st.checkbox("Show past shifts", key="shifts_past")
listed = shifts if past else shifts[shifts["date"] >= pd.Timestamp(today)]
listed = listed.sort_values(["date", "start"], kind="stable")
table = listed[["id", "date", "start", "end", "activity", "places"]].assign(
    taken=[len(a or ()) for a in listed["assigned"]])
columns.table(table, "shifts_table")
if listed.empty:
    st.info("No shifts to show.")
    st.stop()

label = {r["id"]: f"{r['date']:%Y-%m-%d} {r['activity']} ({r['id']})"
         for r in listed.to_dict("records")}
chosen = st.selectbox("Shift", list(label), format_func=label.get, key="shift_chosen")
shift = listed[listed["id"] == chosen].iloc[0].to_dict()
left = places_left(shift)
st.text(f"{len(shift['assigned'] or ()):,} signed up; "
        + ("no limit on places" if left is None else f"{left:,} places left"))
on_it = roster(shift, book.frame("people"))
columns.table(on_it, "roster_table")
a, b = st.columns(2)
downloads.button("Roster CSV", lambda: to_safe_csv(on_it), f"roster-{chosen}.csv", "text/csv",
                 where=a, key="roster_csv")
downloads.button("Printable roster", lambda: roster_html(shift, on_it, book.settings.org_name),
                 f"roster-{chosen}.html", "text/html", where=b, key="roster_html")
if user.can("send_mail") and shift["assigned"]:
    if st.button("Email this shift's details to its volunteers", key="roster_mail"):
        mailing_id = volunteer_ui.email_roster(book, shift)
        if mailing_id:
            st.switch_page("pages/mailing.py", query_params={"id": mailing_id})

if user.can("log_hours") and not staff:
    mine = volunteer_ui.me(book)
    if mine and mine in (shift["assigned"] or ()):
        if st.button("Give up my place", key="withdraw"):
            volunteer_ui.save(lambda: withdraw_changes(shift, mine), "You are off the shift.")
    elif mine and st.button("Sign me up", type="primary", disabled=left == 0, key="sign_up"):
        volunteer_ui.save(lambda: sign_up_changes(shift, mine), "You are signed up.")

if not staff:
    st.stop()

st.subheader("Assign people")
picked = st.multiselect("Working this shift", list(people), format_func=people.get,
                        default=[p for p in shift["assigned"] or () if p in people],
                        key=f"assign_{chosen}")
if st.button("Save assignment", key="assign"):
    volunteer_ui.save(lambda: assign_changes(shift, picked), "Assignment saved.")

st.header("New shift")
campaigns = volunteer_ui.campaigns(book)
with st.form("new_shift"):
    day = st.date_input("Date", value=today, key="new_shift_date")
    start = st.time_input("Start", value=time(9), key="new_shift_start")
    end = st.time_input("End", value=time(12), key="new_shift_end")
    activity = st.text_input("Activity", key="new_shift_activity")
    campaign = st.selectbox("Campaign", list(campaigns), format_func=campaigns.get,
                            key="new_shift_campaign")
    places = st.number_input("Places", min_value=1, value=3, step=1, key="new_shift_places")
    if st.form_submit_button("Create shift", type="primary"):
        volunteer_ui.save(lambda: shift_changes(day, start, end, activity, campaign,
                                                int(places)), "Shift created.")

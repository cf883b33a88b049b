"""Log hours: a one-column form a volunteer fills in on a phone, their own hours (never
anyone else's), and for staff logging for others and approving many rows in one commit."""

from __future__ import annotations

import streamlit as st

from pages.common import columns, data, people_ui, session, volunteer_ui
from rules.volunteering import approval_changes, hours_changes

session.require("log_hours", "log volunteer hours")
st.title("Log hours")
data.done()
book = data.workbook()
staff = session.user().can("edit_volunteering")
people = volunteer_ui.names(book)
campaigns = volunteer_ui.campaigns(book)
hours = book.frame("volunteer_hours")
mine = volunteer_ui.me(book) if not staff else None

if staff or mine:
    # A save pops these keys to empty the form, but the browser keeps showing (and would
    # submit again) what was typed unless the values are set anew through session state.
    for key, empty in {"hours_amount": 2.0, "hours_activity": "", "hours_note": ""}.items():
        st.session_state.setdefault(key, empty)
    with st.form("log_hours_form", clear_on_submit=False):
        who = (people_ui.choose_person("Volunteer", people, "hours_person") if staff
               else mine)
        day = st.date_input("Date", value=data.today(), key="hours_date")
        amount = st.number_input("Hours", min_value=0.25, max_value=24.0, step=0.25,
                                 key="hours_amount")
        activity = st.text_input("Activity", key="hours_activity",
                                 placeholder="e.g. food pantry")
        campaign = st.selectbox("Campaign", list(campaigns), format_func=campaigns.get,
                                key="hours_campaign")
        note = st.text_input("Note", key="hours_note")
        approve = st.checkbox("Approved", value=True, key="hours_approve") if staff else False
        if st.form_submit_button("Log hours", type="primary", width="stretch"):
            volunteer_ui.save(lambda: hours_changes(str(who or ""), day, amount, activity,
                                                    campaign, note, approved=approve),
                              f"{amount:g} hours logged.",
                              ("hours_amount", "hours_activity", "hours_note"))

if not staff:
    if mine:
        own = hours[hours["person_id"] == mine].sort_values("date", ascending=False)
        st.subheader(f"Your hours ({sum(own['hours'], 0):g} logged)")
        columns.table(own[["date", "hours", "activity", "approved", "note"]], "my_hours")
    st.stop()

st.header("Approve hours")
waiting = hours[~hours["approved"].astype(bool)].sort_values("date")
version = st.session_state.setdefault("approvals_version", 0)
shown = waiting[["id", "person_id", "date", "hours", "activity", "note", "approved"]].assign(
    name=[people.get(p, p) for p in waiting["person_id"]])
grid = st.data_editor(shown, key=f"approvals_{version}", hide_index=True, width="stretch",
                      disabled=[c for c in shown.columns if c != "approved"],
                      column_config=columns.editor_config(shown))
ticked = dict(zip(grid["id"], grid["approved"], strict=True))
count = sum(bool(v) for v in ticked.values())
if st.button(f"Approve {count:,}", type="primary", disabled=not count, key="approve"):
    st.session_state["approvals_version"] = version + 1
    volunteer_ui.save(lambda: approval_changes(waiting.to_dict("records"), ticked),
                      f"{count:,} rows of hours approved.")

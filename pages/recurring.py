"""Recurring gifts: each donor's standing gift (amount, frequency, next date), which are
past due, and recording the gift a schedule made, which moves its next date on."""

from __future__ import annotations

import streamlit as st

from pages.common import data, gift_ui, people_ui, session
from pages.common.safe import plain
from reports.gift_lists import standing_gifts
from rules.gifts import (
    FREQUENCIES,
    SCHEDULE_STATUSES,
    FieldErrors,
    apply_status_changes,
    new_schedule,
    record_recurring,
    status_changes,
)
from rules.people import people_to_offer

session.require("read_giving", "see standing gifts")
st.title("Recurring gifts")
book = data.workbook()
settings, today = book.settings, data.today()
schedules, people = book.frame("recurring_gifts"), book.frame("people")
can_edit = session.user().can("edit_giving")
gift_ui.conflict_notice("recurring_gifts")
saved = st.session_state.pop("recurring_saved", None)
if saved:
    st.success(plain(saved))

shown = st.multiselect("Status", SCHEDULE_STATUSES,
                       default=["active", "lapsed"], key="recurring_status")
listing = standing_gifts(schedules, people, today, settings.recurring_lapse_days,
                         settings.recurring_close_days)
listing = listing[listing["status"].isin(shown)]
st.text(f"{len(listing):,} of {len(schedules):,} standing gifts. Past due by more than "
        f"{settings.recurring_lapse_days} days: lapsed; by more than "
        f"{settings.recurring_close_days} days: closed.")
gift_ui.table(listing, "recurring_table")
gift_ui.downloads(listing, "recurring-gifts", "recurring")

due = status_changes(schedules, today, settings.recurring_lapse_days,
                     settings.recurring_close_days)
if due:
    st.subheader("Status changes due")
    gift_ui.table(gift_ui.status_change_table(due, people), "recurring_due")
    if can_edit and st.button(f"Write {len(due)} status changes", key="recurring_write"):
        saved = data.save(lambda: data.store().commit(apply_status_changes(due)),
                          f"{len(due)} standing gifts updated.")
        if saved.ok or saved.conflict is not None:
            data.rerun_after(saved)

if not can_edit:
    st.stop()

st.subheader("Record a gift")
open_ = schedules[schedules["status"].isin(["active", "lapsed"])].sort_values("next_date")
options = gift_ui.schedule_options(open_, people)
chosen = st.selectbox("Standing gift", list(options), format_func=options.get, index=None,
                      key="recurring_pick", placeholder="Pick a standing gift")
if chosen:
    schedule = open_[open_["id"] == chosen].iloc[0].to_dict()
    left, middle, right = st.columns(3)
    values = {
        "date": left.date_input("Date", value=today, max_value=today, key="recurring_date"),
        "amount": middle.text_input("Amount", value=f"{schedule['amount']}",
                                    key=f"recurring_amount_{chosen}"),
        "method": right.selectbox("Method", ["card", "bank transfer", "online", "cheque",
                                             "cash"], key="recurring_method"),
        "reference": left.text_input("Reference", key="recurring_reference"),
    }
    if st.button("Record gift", type="primary", key="recurring_record"):
        try:
            changes = record_recurring(schedule, values, today=today, now=gift_ui.now(),
                                       people_ids=set(people["id"]), currency=settings.currency)
        except (FieldErrors, ValueError) as error:
            st.error(plain(error))
        else:
            due_next = changes.edits["recurring_gifts"][0].changes["next_date"]
            saved = data.save(lambda: data.store().commit(changes), "Gift recorded.")
            if saved.ok:
                st.session_state["recurring_saved"] = (
                    f"Recorded {gift_ui.money(changes.appends['donations'][0]['amount'])}; "
                    f"the next gift is due {due_next:%Y-%m-%d}.")
                st.rerun()
            elif saved.conflict is not None:
                data.rerun_after(saved)

with st.expander("Add a standing gift"):
    errors = st.session_state.get("schedule_errors", {})
    round_ = st.session_state.setdefault("schedule_round", 0)
    new = {"person_id": people_ui.person_picker(f"schedule_{round_}", people, "Donor")}
    gift_ui.field_error(errors, "person_id")
    left, middle, right = st.columns(3)
    new["amount"] = left.text_input("Amount", key=f"schedule_{round_}_amount")
    gift_ui.field_error(errors, "amount", left)
    new["frequency"] = middle.selectbox("Frequency", FREQUENCIES,
                                        key=f"schedule_{round_}_frequency")
    new["start_date"] = right.date_input("First gift", value=today,
                                         key=f"schedule_{round_}_start")
    new["fund"] = left.selectbox("Fund", gift_ui.fund_options(book), accept_new_options=True,
                                 key=f"schedule_{round_}_fund")
    if st.button("Add standing gift", key="schedule_add"):
        try:
            row = new_schedule(new, set(people_to_offer(people)["id"]),
                               settings.currency)
        except FieldErrors as error:
            st.session_state["schedule_errors"] = error.errors
            st.rerun()
        st.session_state.pop("schedule_errors", None)
        if data.save(lambda: data.store().append("recurring_gifts", [row]),
                     "Standing gift added.").ok:
            st.session_state["schedule_round"] = round_ + 1
            st.rerun()

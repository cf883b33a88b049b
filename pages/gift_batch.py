"""Batch entry: a deposit of cash and cheques, one row per gift. Type the deposit slip's
total first; the batch is saved, in one append with one batch id, only when the rows add up
to it exactly. Nobody's giving history is shown here: the person finder gives names, emails
and ids only."""

from __future__ import annotations

import streamlit as st

from pages.common import data, gift_ui, people_ui, session
from pages.common.safe import plain
from rules.gifts import BATCH_METHODS, check_batch
from rules.people import people_to_offer
from sheets_schema.workbook import new_id

session.require("enter_gifts", "enter gifts")
st.title("Batch entry")
book = data.workbook()
people = people_to_offer(book.frame("people"))
saved = st.session_state.pop("batch_saved", None)
if saved:
    st.success(plain(saved))

round_ = st.session_state.setdefault("batch_round", 0)
grid_key = f"batch_grid_{st.session_state.setdefault('batch_grid_version', 0)}"
left, middle, right = st.columns(3)
control = left.text_input("Control total", key=f"batch_control_{round_}",
                          placeholder="1234.50", help="The deposit slip's total, typed first")
deposit_date = middle.date_input("Deposit date", value=data.today(),
                                 max_value=data.today(), key=f"batch_date_{round_}")
campaigns = gift_ui.campaign_options(book.frame("campaigns"))
campaign = right.selectbox("Campaign", list(campaigns), format_func=campaigns.get,
                           key=f"batch_campaign_{round_}")
finder = st.container()

base = st.session_state.get(f"{grid_key}_base", gift_ui.empty_batch())
grid = st.data_editor(
    base, key=grid_key, num_rows="dynamic", hide_index=True, width="stretch",
    column_config={
        "person_id": st.column_config.TextColumn("Person id", required=True,
                                                 help="Find an id with the finder above"),
        "amount": st.column_config.TextColumn("Amount", required=True),
        "method": st.column_config.SelectboxColumn("Method", options=BATCH_METHODS,
                                                   default="cheque", required=True),
        "reference": st.column_config.TextColumn("Cheque number"),
        "date": st.column_config.DateColumn("Date", help="Blank: the deposit date"),
    })

with finder, st.expander("Find a person's id"):
    found = people_ui.person_picker("batch_find", people, "Person")
    if st.button("Add a row for this person", disabled=not found, key="batch_add_row"):
        version = st.session_state["batch_grid_version"] + 1
        st.session_state[f"batch_grid_{version}_base"] = gift_ui.with_row(grid, str(found))
        st.session_state["batch_grid_version"] = version
        st.rerun()

check = check_batch(
    grid.to_dict("records"), control, deposit_date=deposit_date, today=data.today(),
    now=gift_ui.now(), people_ids=set(people["id"]), batch_id=new_id("B"),
    campaign_id=campaign or "", currency=book.settings.currency)
rows = gift_ui.batch_review(grid, check, people)
if not rows.empty:
    st.dataframe(rows, hide_index=True, width="stretch", key="batch_review")
totals = st.columns(3)
totals[0].metric("Gifts", f"{len(check.gifts)} of {len(check.rows)} rows")
totals[1].metric("Grid total", gift_ui.money(check.total))
totals[2].metric("Control total", gift_ui.money(check.control),
                 delta=None if not check.difference else f"{gift_ui.money(-check.difference)} off",
                 delta_color="inverse")

if st.button("Save batch", type="primary", key="batch_save"):
    if not check.ready:
        st.error(plain(check.refusal()))
    elif data.save(lambda: data.store().commit(check.changes()),
                   f"Saved {len(check.gifts)} gifts.").ok:
        st.session_state["batch_saved"] = (
            f"Saved batch {check.batch_id}: {len(check.gifts)} gifts, "
            f"{gift_ui.money(check.total)} in all.")
        st.session_state["batch_round"] = round_ + 1
        st.session_state["batch_grid_version"] += 1
        st.rerun()
st.caption("Rows without a date take the deposit date. Each gift is marked for a thank-you.")

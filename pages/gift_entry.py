"""Enter one gift: who gave, how much, when and for what; each field says beside it what to
fix. Staff also refund a gift here: its status becomes refunded, nothing is deleted."""

from __future__ import annotations

import streamlit as st

from pages.common import columns, data, gift_ui, people_ui, session
from pages.common.safe import plain
from rules.gifts import FieldErrors, new_gift, refund
from rules.people import display_name, people_to_offer

session.require("enter_gifts", "enter gifts")
st.title("Enter a gift")
book = data.workbook()
people = book.frame("people")
me = session.user()
names = ["New gift", *(["Refund a gift"] if me.can("edit_giving") else [])]
tabs = dict(zip(names, st.tabs(names), strict=True))

with tabs["New gift"]:
    saved = st.session_state.pop("gift_saved", None)
    if saved:
        st.success(plain(saved))
    round_ = st.session_state.setdefault("gift_round", 0)
    errors = st.session_state.get("gift_errors", {})
    values = gift_ui.gift_fields(f"gift_{round_}", book, errors)
    if st.button("Save gift", type="primary", key="gift_save"):
        try:
            record = new_gift(
                values, today=data.today(), now=gift_ui.now(),
                people_ids=set(people_to_offer(people)["id"]),
                campaign_ids=set(book.frame("campaigns")["id"]),
                currency=book.settings.currency)
        except FieldErrors as error:
            st.session_state["gift_errors"] = error.errors
            st.rerun()
        st.session_state.pop("gift_errors", None)
        if data.save(lambda: data.store().append("donations", [record]), "Gift saved.").ok:
            donor = book.row("people", record["person_id"])
            who = display_name(donor.to_dict()) if donor is not None else record["person_id"]
            st.session_state["gift_saved"] = (
                f"Saved gift {record['id']}: {gift_ui.money(record['amount'])} from {who} "
                f"on {record['date']:%Y-%m-%d}.")
            st.session_state["gift_round"] = round_ + 1
            st.rerun()

if "Refund a gift" not in tabs:
    st.stop()

with tabs["Refund a gift"]:
    st.caption("A refunded gift stays in the ledger with status refunded, and stops counting "
               "in every total and report.")
    gift_ui.conflict_notice("donations")
    donor_id = people_ui.person_picker("refund_person", people, "Donor")
    gifts = book.frame("donations")
    theirs = gifts[(gifts["person_id"] == donor_id) & (gifts["status"] == "completed")]
    theirs = theirs.sort_values("date", ascending=False)
    if donor_id and theirs.empty:
        st.info("This person has no completed gifts to refund.")
    if not theirs.empty:
        code = columns.currency()
        options = {
            str(g["id"]): (f"{g['date']:%Y-%m-%d} · {gift_ui.money(g['amount'], code)} · "
                           f"{g['fund'] or 'no fund'} · {g['method'] or 'no method'} · {g['id']}")
            for g in theirs.to_dict("records")}
        chosen = st.selectbox("Gift", list(options), format_func=options.get,
                              key="refund_gift")
        reason = st.text_input("Why is it refunded?", key="refund_reason",
                               placeholder="Cheque bounced, donor asked…")
        sure = st.checkbox("Yes, mark this gift refunded", key="refund_sure")
        if st.button("Refund gift", disabled=not (chosen and sure), key="refund_save"):
            seen = theirs[theirs["id"] == chosen].iloc[0].to_dict()
            try:
                changes = refund(seen, reason, data.today())
            except ValueError as error:
                st.error(plain(error))
            else:
                saved = data.save(lambda: data.store().update("donations", str(chosen), changes,
                                                              seen), "Gift refunded.")
                if saved.ok or saved.conflict is not None:
                    data.rerun_after(saved)

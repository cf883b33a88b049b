"""One campaign (`?id=`): its goal and dates, what it raised with a thermometer, and who gave
what to it. Staff edit the campaign here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import columns, data, downloads, gift_ui, session
from pages.common.safe import plain
from reports import charts
from rules.gifts import FieldErrors, campaign_changes

session.require("read_giving", "see campaigns")
book = data.workbook()
campaigns = book.frame("campaigns")
campaign_id = st.query_params.get("id", "")
campaign = book.row("campaigns", campaign_id) if campaign_id else None

if campaign is None:
    st.title("Campaign")
    if campaign_id:
        st.warning(f"There is no campaign with id {plain(campaign_id)}.")
    options = gift_ui.campaign_options(campaigns)
    options.pop("")
    chosen = st.selectbox("Campaign", list(options), format_func=options.get, index=None,
                          key="campaign_pick")
    if chosen:
        st.query_params["id"] = chosen
        st.rerun()
    st.stop()

seen = campaign.to_dict()
st.title(plain(seen["name"]))
dates = " to ".join(f"{d:%Y-%m-%d}" for d in (seen["start_date"], seen["end_date"])
                    if pd.notna(d)) or "no dates"
st.caption(plain(f"{seen['kind']} · {seen['status']} · {dates} · {campaign_id}"))
if seen["description"]:
    st.text(seen["description"])

progress, donors, gifts = gift_ui.campaign_tables(data.today(),
                                                  book.settings.fiscal_year_start, campaign_id)
row = progress.iloc[0]
metrics = st.columns(4)
metrics[0].metric("Raised", gift_ui.money(row["raised"]))
metrics[1].metric("Goal", gift_ui.money(row["goal"]))
metrics[2].metric("Of the goal", gift_ui.rate(row["share"]))
metrics[3].metric("Donors", f"{row['donors']:,}", help=f"{row['gifts']:,} gifts")
figure = charts.campaign_figure(progress, columns.currency())
figure.update_layout(height=220, showlegend=False)
downloads.chart(figure, key="campaign_chart")

names = ["Donors", "Gifts", *(["Edit"] if session.user().can("edit_giving") else [])]
tabs = dict(zip(names, st.tabs(names), strict=True))
with tabs["Donors"]:
    gift_ui.table(donors, "campaign_donors")
    gift_ui.downloads(donors, f"{campaign_id}-donors", "campaign_donors")
with tabs["Gifts"]:
    gift_ui.table(gifts, "campaign_gifts")
    gift_ui.downloads(gifts, f"{campaign_id}-gifts", "campaign_gifts")

if "Edit" not in tabs:
    st.stop()

with tabs["Edit"]:
    gift_ui.conflict_notice("campaigns")
    errors = st.session_state.get("campaign_edit_errors", {})
    values = gift_ui.campaign_fields(f"campaign_edit_{campaign_id}", seen, errors)
    if st.button("Save campaign", type="primary", key="campaign_save"):
        try:
            changes = campaign_changes(seen, values, book.settings.currency)
        except FieldErrors as error:
            st.session_state["campaign_edit_errors"] = error.errors
            st.rerun()
        st.session_state.pop("campaign_edit_errors", None)
        if not changes:
            st.info("Nothing changed.")
        else:
            saved = data.save(lambda: data.store().update("campaigns", campaign_id, changes,
                                                          seen), "Campaign saved.")
            if saved.ok or saved.conflict is not None:
                data.rerun_after(saved)

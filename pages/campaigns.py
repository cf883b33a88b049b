"""Campaigns: every appeal, event and drive with what it raised against its goal; open one
for its donors and gifts. Staff add campaigns here."""

from __future__ import annotations

import streamlit as st

from pages.common import columns, data, downloads, gift_ui, session
from pages.common.safe import plain
from reports import charts
from reports.campaigns import campaign_progress
from rules.gifts import CAMPAIGN_STATUSES, FieldErrors, new_campaign

session.require("read_giving", "see campaigns")
st.title("Campaigns")
book = data.workbook()
campaigns = book.frame("campaigns")
today = data.today()
g = gift_ui.giving(today, book.settings.fiscal_year_start)
progress = campaign_progress(g, campaigns)

statuses = st.multiselect("Status", list(CAMPAIGN_STATUSES),
                          default=["active", "planned", "completed"], key="campaigns_status")
shown = progress[progress["status"].isin(statuses)].reset_index(drop=True)
st.text(f"{len(shown):,} of {len(progress):,} campaigns. Raised counts completed gifts "
        f"carrying the campaign, up to today.")
if shown.empty:
    st.info("No campaign has these statuses.")
else:
    figure = charts.campaign_figure(shown, columns.currency())
    figure.update_layout(height=max(300, 60 + 28 * len(shown)))
    downloads.chart(figure, key="campaigns_chart")
    listing = shown[["campaign_id", "name", "kind", "status", "start_date", "end_date", "goal",
                     "raised", "share", "donors", "gifts"]]
    screen, config = gift_ui.screen(listing)
    event = st.dataframe(screen, hide_index=True, width="stretch", column_config=config,
                         key="campaigns_table", on_select="rerun",
                         selection_mode="single-row")
    st.caption("Select a row to open the campaign.")
    gift_ui.downloads(listing, "campaigns", "campaigns")
    if event.selection.rows:
        chosen = listing.iloc[event.selection.rows[0]]["campaign_id"]
        st.switch_page("pages/campaign.py", query_params={"id": chosen})

if not session.user().can("edit_giving"):
    st.stop()

errors = st.session_state.get("campaign_new_errors", {})
with st.expander("Add a campaign", expanded=bool(errors)):
    round_ = st.session_state.setdefault("campaign_new_round", 0)
    values = gift_ui.campaign_fields(f"campaign_new_{round_}", {}, errors)
    if st.button("Add campaign", type="primary", key="campaign_add"):
        try:
            record = new_campaign(values, book.settings.currency)
        except FieldErrors as error:
            st.session_state["campaign_new_errors"] = error.errors
            st.rerun()
        st.session_state.pop("campaign_new_errors", None)
        if data.save(lambda: data.store().append("campaigns", [record]), "Campaign added.").ok:
            st.session_state["campaign_new_round"] = round_ + 1
            st.switch_page("pages/campaign.py", query_params={"id": record["id"]})
    if "" in errors:
        st.error(plain(errors[""]))

"""The fundraising dashboard: this year to date against last year to the same day, month by
month, by campaign, fund and method, the giving pyramid, top donors, gains and losses, and
who lapsed. Read-only; every chart has its numbers as a table and a download."""

from __future__ import annotations

import streamlit as st

from pages.common import data, gift_ui, session

session.require("read_reports", "open the dashboards")
st.title("Fundraising")
settings = data.workbook().settings
left, right = st.columns([1, 2])
as_of = left.date_input("As of", value=data.today(), key="fundraising_as_of")
years = gift_ui.year_options(settings.fiscal_year_start)
kind = right.radio("Years", list(years), horizontal=True, key="fundraising_years")
if settings.fiscal_year_start == 1:
    right.caption("The settings use calendar years (fiscal_year_start is 1); July to June is "
                  "offered as the usual US nonprofit year.")
view = gift_ui.dashboard(as_of, years[kind])
board, figures = view.board, view.figures
g, ytd = board.giving, board.year_to_date
this, last = ytd.this_year, ytd.last_year
st.caption(f"{this.label} from {this.period.start:%Y-%m-%d} to {this.period.end:%Y-%m-%d}, "
           f"against {last.label} from {last.period.start:%Y-%m-%d} to "
           f"{last.period.end:%Y-%m-%d}. Completed gifts only.")

metrics = st.columns(4)
metrics[0].metric("Given", gift_ui.money(this.total),
                  delta=gift_ui.change(this.total, last.total))
metrics[1].metric("Donors", f"{this.donors:,}", delta=f"{this.donors - last.donors:+,}")
metrics[2].metric("Average gift", gift_ui.money(this.average_gift),
                  delta=gift_ui.change(this.average_gift, last.average_gift))
metrics[3].metric("Donor retention", gift_ui.rate(this.retention),
                  delta=gift_ui.points(this.retention, last.retention),
                  help="Of last year's donors, the share who gave again this year so far")
with st.expander("The numbers"):
    gift_ui.table(ytd.table(), "ytd_table")
    gift_ui.downloads(ytd.table(), "year-to-date", "ytd")
    gift_ui.table(board.retention, "retention_table")
    gift_ui.downloads(board.retention, "retention", "retention")

st.header("Through the year")
running = st.toggle("Running totals", key="fundraising_running")
gift_ui.chart(figures["running" if running else "monthly"], board.monthly, "monthly-totals",
              "monthly")

st.header("Where it comes from")
gift_ui.chart(figures["campaigns"], board.campaigns, "campaigns", "campaigns")
funds, methods = st.columns(2)
with funds:
    gift_ui.chart(figures["funds"], board.by_fund, "giving-by-fund", "funds")
with methods:
    gift_ui.chart(figures["methods"], board.by_method, "giving-by-method", "methods")

st.header("Who gives")
gift_ui.chart(figures["levels"], board.levels, "giving-levels", "levels")
st.subheader(f"Top donors, {this.label} to date")
gift_ui.table(board.top_donors, "top_donors")
gift_ui.downloads(board.top_donors, "top-donors", "top")

st.header("Gains and losses")
gift_ui.chart(figures["gains"], board.gains_losses, "gains-and-losses", "gains")
lybunt, sybunt = st.tabs([f"LYBUNT ({len(board.lybunt):,})", f"SYBUNT ({len(board.sybunt):,})"])
with lybunt:
    st.caption(f"Gave in {last.label}, not yet in {this.label}: the first to ask again.")
    gift_ui.table(board.lybunt, "lybunt", height=300)
    gift_ui.downloads(board.lybunt, "lybunt", "lybunt")
with sybunt:
    st.caption(f"Gave some year before {last.label}, but neither in {last.label} nor in "
               f"{this.label}.")
    gift_ui.table(board.sybunt, "sybunt", height=300)
    gift_ui.downloads(board.sybunt, "sybunt", "sybunt")

"""Volunteer report: approved hours by month and activity, active volunteers, year-on-year
retention and the value of volunteer time, each with its table and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import columns, data, downloads, session, volunteer_ui
from reports.volunteering import (
    active_volunteers,
    activity_figure,
    hours_by_activity,
    hours_by_month,
    hours_by_year,
    month_figure,
    retention,
    retention_by_year,
    volunteer_value,
)
from rules.money import money_text

session.require("read_reports", "open the volunteer report")
st.title("Volunteer report")
book = data.workbook()
hours = book.frame("volunteer_hours")
rate = book.settings.volunteer_hour_value
today = data.today()
years = sorted(set(hours["date"].dropna().dt.year) | {today.year}, reverse=True)
year = st.selectbox("Year", years, key="report_year")
value = volunteer_value(hours, rate, year)
kept = retention(hours, year)
by_month = hours_by_month(hours, year)
by_activity = hours_by_activity(hours, year)
active = active_volunteers(book.frame("volunteers"), hours, book.frame("people"), today)

a, b, c, d = st.columns([2, 3, 2, 2])  # room for the value's currency and cents
a.metric("Approved hours", f"{sum(by_month['hours'], 0):,}")
b.metric("Value of volunteer time", money_text(value, book.settings.currency))
c.metric("Retention from last year", "—" if kept is None else f"{float(kept):.0%}")
d.metric("Active volunteers", f"{len(active):,}")
st.caption(f"Approved hours only; one hour is valued at {rate} (the volunteer_hour_value "
           f"setting). Retention: of last year's volunteers, the share who gave time this year.")

month_tab, activity_tab, active_tab, years_tab = st.tabs(
    ["By month", "By activity", "Active volunteers", "Year on year"])
with month_tab:
    downloads.chart(month_figure(by_month, year), key="month_chart")
    columns.table(by_month, "month_table")
    volunteer_ui.downloads(by_month, f"volunteer_hours_by_month_{year}")
with activity_tab:
    downloads.chart(activity_figure(by_activity), key="activity_chart")
    columns.table(by_activity, "activity_table")
    volunteer_ui.downloads(by_activity, f"volunteer_hours_by_activity_{year}")
with active_tab:
    columns.table(active, "active_table")
    volunteer_ui.downloads(active, "active_volunteers")
with years_tab:
    table = hours_by_year(hours, rate).merge(retention_by_year(hours), on="year", how="left")
    table["retention"] = [None if pd.isna(r) else f"{float(r):.1%}" for r in table["retention"]]
    columns.table(table, "years_table", money_columns=("value",))
    volunteer_ui.downloads(table, "volunteering_by_year")

"""Membership health for directors and staff: people by status, members by level, new
members, renewals and lapses month by month and the renewal rate; each chart with its
numbers beside it, to download."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.common import columns, data, downloads, membership_ui, session
from reports.membership_charts import (
    level_figure,
    new_members_figure,
    renewals_figure,
    status_figure,
)
from rules.membership_terms import MEMBER_STATUSES

session.require("read_reports", "open the dashboards")
st.title("Membership health")
book = data.workbook()
left, right = st.columns([1, 3])
as_of = left.date_input("As of", value=data.today(), key="health_as_of")
months = right.radio("Months shown", [12, 24, 36], index=1, horizontal=True,
                     key="health_months")
health = membership_ui.health(as_of, months)

members = health.by_status[health.by_status["status"].isin(
    [status.value for status in MEMBER_STATUSES])]
last_year = health.by_month.tail(12)
numbers = st.columns(3)
numbers[0].metric("Members", f"{int(members['people'].sum()):,}",
                  help="New, Current and Grace")
numbers[1].metric("Renewal rate", "—" if health.renewal_rate is None
                  else f"{health.renewal_rate:.0%}",
                  help="Terms that ended in the 12 months whose grace has run out by this "
                  "day, renewed within grace")
numbers[2].metric("New members, last 12 months", f"{int(last_year['new'].sum()):,}")


def chart_with_numbers(figure: go.Figure, numbers: pd.DataFrame, name: str) -> None:
    chart, table = st.columns([3, 2])
    downloads.chart(figure, where=chart, key=f"{name}_chart")
    with table:
        columns.table(numbers, config={
            "month": st.column_config.DateColumn("Month", format="YYYY-MM"),
            "renewal_rate": st.column_config.NumberColumn("Renewal rate", format="percent")})
        membership_ui.downloads(numbers, name)


chart_with_numbers(status_figure(health.by_status), health.by_status, "by_status")
chart_with_numbers(level_figure(health.by_level), health.by_level, "by_level")
chart_with_numbers(new_members_figure(health.by_month), health.by_month[["month", "new"]],
                   "new_members")
chart_with_numbers(renewals_figure(health.by_month),
                   health.by_month.drop(columns="new"), "renewals")

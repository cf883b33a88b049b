"""Data problems: every cell the app could not read, by tab, with the sheet row to fix."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import data
from reports.export import to_safe_csv

st.title("Data problems")
book = data.workbook()
problems = book.problems
if not problems:
    st.success("Every row of every tab reads cleanly.")
    st.stop()

table = pd.DataFrame([vars(p) for p in problems])
store = data.store()
table["open"] = [store.row_link(p.tab, p.row) for p in problems]
counts = table.groupby("tab").size().sort_values(ascending=False)
st.text(
    f"{len(table):,} problems in {len(counts)} tabs. Rows with problems still load; the "
    f"unreadable cell is treated as blank until it is fixed."
)
st.bar_chart(counts, horizontal=True, height=60 + 25 * len(counts))

chosen = st.selectbox("Tab", ["All tabs", *counts.index], key="health_tab")
shown = table if chosen == "All tabs" else table[table["tab"] == chosen]
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        "row": st.column_config.NumberColumn("sheet row", format="%d"),
        "open": st.column_config.LinkColumn("open in sheet", display_text="open")
        if store.url
        else None,
    },
    column_order=["tab", "row", "column", "value", "message"] + (["open"] if store.url else []),
)
st.download_button(
    "Download as CSV", to_safe_csv(shown.drop(columns="open")), "data-problems.csv", "text/csv"
)

"""Data problems: every row problem in every tab by kind (unreadable cells, broken links,
missing and doubled ids, rules), each with its sheet row, ids for rows that have none, and a
form to fix a row in place."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import data, downloads, health_ui
from reports.charts import counts_figure
from reports.export import to_safe_csv
from rules.health import KINDS

st.title("Data problems")
health_ui.said()
book = data.workbook()
hidden = health_ui.unreadable()
found: pd.DataFrame = data.derived("data health", health_ui.table, hidden)
if found.empty:
    st.success("Every row of every tab reads cleanly, and every link points at a row.")
    st.stop()

store = data.store()
counts = found.groupby("kind").size().reindex([k for k in KINDS if k in set(found["kind"])])
st.text(
    f"{len(found):,} problems of {len(counts)} kinds in {found['tab'].nunique()} tabs. Rows "
    f"with problems still load; an unreadable cell is treated as blank until it is fixed."
)
downloads.chart(counts_figure(counts))

kind, where = st.columns(2)
chosen_kind = kind.selectbox("Kind", ["All kinds", *counts.index], key="health_kind")
tabs = sorted(set(found["tab"]))
chosen_tab = where.selectbox("Tab", ["All tabs", *tabs], key="health_tab")
shown = found[((found["kind"] == chosen_kind) | (chosen_kind == "All kinds"))
              & ((found["tab"] == chosen_tab) | (chosen_tab == "All tabs"))]
shown = shown.assign(open=[store.row_link(t, int(r)) for t, r in zip(shown["tab"],
                                                                      shown["row"], strict=True)])
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
    column_order=["kind", "tab", "row", "column", "value", "message"]
    + (["open"] if store.url else []),
)
downloads.button(
    "Download as CSV", lambda: to_safe_csv(shown.drop(columns="open")), "data-problems.csv",
    "text/csv", on_click="ignore"
)

health_ui.give_ids(book, found)
health_ui.fix_form(book, shown, hidden)

"""Export: the whole workbook as one Excel file, or any tab as CSV, as far as the role reads."""

from __future__ import annotations

import streamlit as st

from pages.common import data, downloads, session
from reports.workbook_export import exportable_tabs, tab_csv, workbook_xlsx

st.title("Export")
session.require("download", "download tables")
role = session.user().role
book = data.workbook()
tabs = exportable_tabs(role, book)
st.caption(f"As {role.value} you may download these tabs: {', '.join(tabs)}. Text stays "
           f"text and dates are dates; no cell runs as a formula.")

st.subheader("The whole workbook")
if st.button("Prepare the Excel file", key="export_prepare"):
    st.session_state["export_xlsx"] = data.derived("workbook xlsx", workbook_xlsx, tuple(tabs))
xlsx = st.session_state.get("export_xlsx")
if isinstance(xlsx, bytes):
    downloads.button("Download the workbook (xlsx)", xlsx, file_name="steward.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     key="export_xlsx_download")

st.subheader("One tab")
name = st.selectbox("Tab", tabs, key="export_tab")
if name:
    rows = len(book.frame(name))
    downloads.button(f"Download {name} ({rows:,} rows, CSV)", lambda: tab_csv(book, name),
                     file_name=f"{name}.csv", mime="text/csv", key="export_csv", on_click="ignore")

"""Steward: wiring only. Which store, the sidebar, and the pages; each page is in pages/."""

from __future__ import annotations

import streamlit as st

from pages.common import data

st.set_page_config(page_title="Steward", page_icon="🤝", layout="wide")

PAGES = {
    "People": [
        st.Page("pages/people.py", title="People", icon="👥", default=True),
        st.Page("pages/person.py", title="Person", icon="🪪", url_path="person"),
        st.Page("pages/add_person.py", title="Add a person", icon="➕", url_path="add-person"),
        st.Page("pages/bulk_edit.py", title="Edit many", icon="✏️", url_path="edit-people"),
    ],
    "Data": [
        st.Page("pages/data_health.py", title="Data problems", icon="🩺", url_path="data-problems"),
    ],
}

navigation = st.navigation(PAGES)

store = data.store()
with st.sidebar:
    if store.url:
        st.link_button(f"Open {store.title}", store.url)
    else:
        st.text(f"Data: {store.title}")
    snapshot = data.workbook()
    st.caption(
        f"Read at {snapshot.read_at:%H:%M:%S}; the app's own changes show at once, "
        f"changes made in the sheet within {data.SHEET_TTL_S} s."
    )
    if st.button("Refresh", help="Read the data again now"):
        data.refresh()
        st.rerun()

if data.is_demo():
    st.info(
        "This is demo data in a local SQLite file, not your organisation's records. To use "
        "your own Google Sheet, add a service account to `.streamlit/secrets.toml` as the "
        'README\'s "Connect a Google Sheet" section shows, then restart the app.',
        icon="🧪",
    )

navigation.run()

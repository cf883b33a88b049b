"""Steward: wiring only. Who is signed in, which store, the sidebar, and the pages the
user's role may open; each page is in pages/."""

from __future__ import annotations

import streamlit as st

from pages.common import data, first_start, session, unsubscribe_ui
from pages.common.navigation import PAGES
from pages.common.safe import plain

st.set_page_config(page_title="Steward", page_icon="🤝", layout="wide")

if unsubscribe_ui.is_unsubscribe_link():  # a recipient, not a user: no sign-in, no pages
    st.navigation([st.Page(unsubscribe_ui.page, title="Unsubscribe", default=True)],
                  position="hidden").run()
    st.stop()

user = session.gate(data.shared_workbook)
if data.first_start():
    first_start.choose()
sections: dict[str, list[st.Page]] = {}
for section, path, title, icon, url_path, action in PAGES:
    if user.can(action):
        sections.setdefault(section, []).append(
            st.Page(path, title=title, icon=icon, url_path=url_path or None,
                    default=not url_path))
navigation = st.navigation(sections)

store = data.backend()
with st.sidebar:
    session.sidebar(user)
    if store.url:
        st.link_button(plain(f"Open {store.title}"), store.url)  # the sheet's title is data
    else:
        st.text(f"Data: {store.title}")
    snapshot = data.shared_workbook()
    st.caption(
        f"Read at {snapshot.read_at:%H:%M:%S}; the app's own changes show at once, "
        f"changes made in the sheet within {data.SHEET_TTL_S} s."
    )
    session.capacity_notice(store)
    if st.button("Refresh", help="Read the data again now"):
        data.refresh()
        st.rerun()

notices = session.notices(user is session.LOCAL_ADMIN, data.is_demo())
if notices:
    st.caption(notices)

navigation.run()

"""The first start on this computer: the local data file does not exist yet, so ask whether
to try the demo organisation or start an empty one. Nothing is created until one is chosen."""

from __future__ import annotations

import streamlit as st

from pages.common import data
from pages.common.safe import plain


def choose() -> None:
    """Offer the two ways to start, create the file for the one chosen, and stop the run.
    The screen is the only page (hidden): the sidebar lists nothing, and the next run
    (a click) goes through app.py again."""
    st.navigation([st.Page(_screen, title="Welcome to Steward", default=True)],
                  position="hidden").run()
    st.stop()


def _screen() -> None:
    st.title("Welcome to Steward")
    st.text(f"There is no data file yet ({data.config().sqlite_path}). How do you want to "
            f"start?")
    demo, empty = st.columns(2)
    with demo:
        st.subheader("Try the demo organisation")
        st.caption("A made-up community association built for today: 1,500 people, six "
                   "years of gifts up to yesterday, members due to renew, volunteers and "
                   "appeals. Building it takes about 15 seconds.")
        if st.button("Try the demo organisation", type="primary"):
            with st.spinner("Building the demo organisation…"):
                data.start(with_demo=True)
            st.rerun()
    with empty:
        st.subheader("Start empty")
        st.caption("Your own organisation, from nothing: set its name, address and "
                   "currency on the Settings page, then add people or import a spreadsheet.")
        if st.button("Start empty"):
            data.start(with_demo=False)
            st.rerun()
    st.caption(plain("To keep the data in a Google Sheet or a database instead, follow the "
                     "README (Connect a Google Sheet) and restart the app."))

"""Today: what needs doing, for the signed-in role, each line opening the page where it is
done; for roles that read the dashboards, this year against last at a glance. The counts
are in reports/today.py."""

from __future__ import annotations

import streamlit as st

from pages.common import appeal_ui, data, gift_ui, health_ui, session
from reports import today

#: What an empty organisation does first: (page, label, the action it needs).
FIRST_STEPS = [("pages/settings.py", "Settings: name, address, currency", "manage_settings"),
               ("pages/add_person.py", "Add a person", "edit_people"),
               ("pages/import_data.py", "Import people or gifts from a file", "import_data")]

session.require("read_contacts", "see what needs doing today")
st.title("Today")
user = session.user()
as_of = data.today()
book = data.workbook()
lines = [*data.derived("today tasks", today.task_lines, as_of, user.email),
         *data.derived("today", today.work_lines, as_of, user.role, health_ui.unreadable())]
if user.can("read_mail"):
    log = appeal_ui.journal()
    mailings = book.frame("mailings")
    lines = lines + today.mail_lines(mailings, {m: log.counts(m) for m in mailings["id"]},
                                     user.role)

st.caption(f"{as_of:%A %d %B %Y}, where the organisation is.")
if book.frame("people").empty:
    st.info("Nobody is here yet. To start: give the organisation its name, address and "
            "currency in Settings, then add people one by one or import a spreadsheet.")
    for page, label, action in FIRST_STEPS:
        if user.can(action):
            st.page_link(page, label=label, icon="👉")
if not lines:
    st.success("Nothing is waiting: no tasks, thank-yous, renewals, lapsed gifts, data "
               "problems or appeals need you today.")
for line in lines:
    st.page_link(line.page, label=line.text, icon="👉",
                 query_params=dict(line.query) or None)

year = data.derived("today glance", today.glance, as_of, user.role)
if year is not None:
    this, last = year.this_year, year.last_year
    st.subheader(f"{this.label} so far against {last.label} to the same day")
    left, middle, right = st.columns(3)
    left.metric("Given", gift_ui.money(this.total), delta=gift_ui.change(this.total, last.total))
    middle.metric("Donors", f"{this.donors:,}", delta=f"{this.donors - last.donors:+,}")
    right.metric("Gifts", f"{this.gifts:,}", delta=f"{this.gifts - last.gifts:+,}")
    st.page_link("pages/fundraising.py", label="Open the Fundraising dashboard", icon="📊")

"""My tasks: what I must do, overdue first, then today, this week and later; each done in
one tap (a call or a meeting logs its contact in the same commit). Staff and admins give
tasks here too; directors see everyone's."""

from __future__ import annotations

import streamlit as st

from pages.common import contacts_ui, data, session
from rules.contacts import due_tasks, open_tasks

session.require("read_contacts", "see tasks")
st.title("My tasks")
me = session.user()
book = data.workbook()
people = book.frame("people")
tasks = book.frame("tasks")
data.done()

contacts_ui.task_form("new_task")
mine = open_tasks(tasks, assignee=me.email)
due = due_tasks(mine, data.today())
if mine.empty:
    st.success("Nothing to do: no open task is yours.")
for title, frame in (("Overdue", due.overdue), ("Today", due.today),
                     ("This week", due.this_week), ("Later", due.later)):
    if frame.empty:
        continue
    st.subheader(f"{title} ({len(frame)})")
    for _, task in frame.iterrows():
        contacts_ui.task_card(task, people, "task")

if me.can("read_all_tasks"):
    others = open_tasks(tasks)
    others = others[others["assignee"].astype(str).str.casefold() != me.email.casefold()]
    if not others.empty:
        st.subheader(f"Everyone's open tasks ({len(others):,})")
        st.dataframe(others[["title", "assignee", "due_date", "priority", "person_id"]],
                     hide_index=True, width="stretch", column_config={
                         "title": "Task", "assignee": "For",
                         "due_date": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
                         "priority": "Priority", "person_id": "Person"})

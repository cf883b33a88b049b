"""Logging a contact, a person's timeline and the tasks that follow them up: the widgets the
person page, My tasks and a phone bank's list share. What is written is decided in
`rules/contacts.py` and checked by the store against the role."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pandas as pd
import streamlit as st

from pages.common import data, gift_ui, session
from pages.common.safe import plain
from reports import fundraising as fr
from reports.fiscal import fiscal_year
from reports.member_summary import member_summary
from reports.person_glance import person_glance
from reports.timeline import TIMELINE_KINDS, person_rows, timeline
from rules.contacts import CONTACT_KINDS, ContactRefused, close_task, log_contact, new_task
from rules.people import display_name
from sheets_schema.workbook import Workbook

#: How many timeline rows a page shows before "Show all".
TIMELINE_ROWS = 50


def log_contact_form(person_id: str, key: str) -> None:
    """A contact with `person_id` in three taps: its kind (a call unless changed), a line
    of what was said, Save. Direction, outcome, next step and the confidential flag wait
    under "More"."""
    me = session.user()
    if not me.can("log_contacts"):
        return
    if st.session_state.pop(f"{key}_saved", False):
        # Emptied before the widgets exist: a key popped after a save would leave the
        # browser showing what was typed (it keeps a form's values across the rerun).
        st.session_state.update({f"{key}_summary": "", f"{key}_outcome": "",
                                 f"{key}_next": "", f"{key}_confidential": False,
                                 f"{key}_direction": ""})
    with st.form(key, clear_on_submit=False, border=True):
        kind = st.segmented_control("Kind of contact", CONTACT_KINDS, default="call",
                                    key=f"{key}_kind")
        summary = st.text_area("What was said", key=f"{key}_summary", height=80,
                               placeholder="Thanked her for the gift; she asked about the tour")
        with st.expander("More: direction, outcome, next step"):
            direction = st.radio("Who reached out", ["", "outbound", "inbound"],
                                 format_func=lambda d: {"": "not said", "outbound": "we did",
                                                        "inbound": "they did"}[d],
                                 horizontal=True, key=f"{key}_direction")
            outcome = st.text_input("Outcome", key=f"{key}_outcome")
            next_step = st.text_input("Next step", key=f"{key}_next")
            confidential = (st.checkbox("Confidential (staff and admins only)",
                                        key=f"{key}_confidential")
                            if me.can("read_confidential") else False)
        if not st.form_submit_button("Save contact", type="primary"):
            return
    try:
        changes = log_contact(person_id, str(kind or ""), summary, by=me.email,
                              now=datetime.now(), direction=direction or "", outcome=outcome,
                              next_step=next_step, confidential=bool(confidential))
    except ContactRefused as refused:
        st.error(plain(refused))
        return
    st.session_state[f"{key}_saved"] = True
    data.commit_form(changes, "Contact logged.")  # reruns once it has landed
    st.session_state.pop(f"{key}_saved", None)


def timeline_section(person_id: str, key: str) -> None:
    """The person's timeline, newest first, filtered by kind."""
    story = data.derived("timeline", _timeline, person_id)
    if story.empty:
        st.info("Nothing is recorded about this person yet: log a contact above.")
        return
    present = [kind for kind in TIMELINE_KINDS if kind in set(story["kind"])]
    chosen = st.pills("Show", present, selection_mode="multi", key=f"{key}_kinds")
    if chosen:
        story = story[story["kind"].isin(chosen)]
    everything = st.toggle(f"Show all {len(story):,}", key=f"{key}_all") if len(
        story) > TIMELINE_ROWS else True
    shown = story if everything else story.head(TIMELINE_ROWS)
    st.dataframe(shown[["when", "kind", "what", "by"]], hide_index=True, width="stretch",
                 column_config={
                     "when": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
                     "kind": st.column_config.TextColumn("Kind"),
                     "what": st.column_config.TextColumn("What", width="large"),
                     "by": st.column_config.TextColumn("By"),
                 })


def _timeline(book: Workbook, person_id: str) -> pd.DataFrame:
    """The timeline, looked up in the snapshot's index of people's rows (built once for
    every person page of the snapshot)."""
    return timeline(book, person_id, index=data.derived("timeline index", person_rows))


def task_card(task: pd.Series, people: pd.DataFrame, key: str) -> None:
    """One open task: what, about whom, when due, and Done (with what was said, for a call
    or a meeting, which is logged as the contact in the same commit)."""
    me = session.user()
    who = people[people["id"] == task["person_id"]]
    name = display_name(who.iloc[0].to_dict()) if not who.empty else ""
    due = f"due {task['due_date']:%a %d %b}" if pd.notna(task["due_date"]) else "no due day"
    flag = " · high priority" if task["priority"] == "high" else ""
    with st.container(border=True):
        st.markdown(f"**{plain(task['title'])}** · {plain(due)}{flag}")
        if name:
            st.page_link("pages/person.py", label=plain(name), icon="🪪",
                         query_params={"id": str(task["person_id"])})
        if not me.can("close_tasks"):
            return
        with st.form(f"{key}_{task['id']}", border=False):
            summary = (st.text_input("What was said", key=f"{key}_{task['id']}_summary")
                       if task["kind"] in CONTACT_KINDS and name else "")
            if not st.form_submit_button("Done"):
                return
    changes = close_task(task, by=me.email, now=datetime.now(), summary=summary)
    data.commit_form(changes, f"Done: {task['title']}.", clear=(f"{key}_{task['id']}_summary",))


def task_form(key: str, person_id: str = "") -> None:
    """Give a task to someone (yourself unless changed), about `person_id` when given."""
    me = session.user()
    if not me.can("manage_tasks"):
        return
    with st.form(key, border=True):
        title = st.text_input("Task", key=f"{key}_title", placeholder="Call to thank")
        left, middle, right = st.columns(3)
        kind = left.selectbox("Kind", ["to do", *CONTACT_KINDS], index=1, key=f"{key}_kind")
        due = middle.date_input("Due", value=data.today(), key=f"{key}_due")
        priority = right.selectbox("Priority", ["normal", "high", "low"], key=f"{key}_priority")
        colleagues = data.colleagues()
        assignee = st.selectbox("For", list(colleagues), format_func=colleagues.get,
                                index=list(colleagues).index(me.email)
                                if me.email in colleagues else 0, key=f"{key}_assignee")
        if not st.form_submit_button("Add task"):
            return
    try:
        changes = new_task(title, assignee=str(assignee or ""), due=due, by=me.email,
                           now=datetime.now(), person_id=person_id, kind=str(kind),
                           priority=str(priority))
    except ContactRefused as refused:
        st.error(plain(refused))
        return
    data.commit_form(changes, "Task added.", clear=(f"{key}_title",))


def glance(book: Workbook, person_id: str) -> None:
    """One line above a person's tabs: membership, giving (for roles that read it), hours
    this year, the last contact and its next step, open tasks."""
    me = session.user()
    as_of = data.today()
    start = book.settings.fiscal_year_start
    person = book.row("people", person_id)
    member = member_summary(book.frame("memberships"), book.frame("membership_levels"),
                            person_id, bool(person is not None and person["deceased"]), as_of,
                            book.settings.grace_days)
    seen = person_glance(book, person_id, as_of, start,
                         index=data.derived("timeline index", person_rows))
    parts = []
    if member.status is not None:
        renewal = (f", renews {member.next_renewal:%Y-%m-%d}" if member.next_renewal
                   and member.next_renewal >= as_of else "")
        parts.append(f"**{member.status.value}**{renewal}")
    if me.can("read_giving"):
        given = fr.donor_summary(gift_ui.giving_of(book, as_of, start), person_id)
        if given.gifts:
            this_year = given.by_year[given.by_year["year"] == fiscal_year(as_of, start)]
            parts.append(f"**Given** {gift_ui.money(given.total)} "
                         f"({gift_ui.money(sum(this_year['total'], start=Decimal(0)))} this "
                         f"year)")
            parts.append(f"**Last gift** {gift_ui.money(given.last_gift_amount)} on "
                         f"{given.last_gift_date:%Y-%m-%d}")
    if seen.hours_this_year:
        parts.append(f"**Hours** {seen.hours_this_year:,.1f} this year")
    if seen.last_contact is not None:
        ago = ("today" if seen.days_since_contact == 0 else
               f"{seen.days_since_contact:,} days ago")
        parts.append(f"**Last contact** {seen.last_contact_kind} {ago}" +
                     (f" · next: {plain(seen.next_step)}" if seen.next_step else ""))
    else:
        parts.append("**No contact logged**")
    if seen.open_tasks:
        parts.append(f"**Open tasks** {seen.open_tasks}")
    st.markdown(" · ".join(parts))

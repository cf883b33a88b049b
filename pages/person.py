"""One person: contact details, their giving, memberships and volunteering; edit or delete."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from pages.common import columns, contacts_ui, data, privacy_ui, session
from pages.common.donor_view import donor_view
from pages.common.member_view import member_view
from pages.common.people_ui import person_form, person_picker, show_conflict
from pages.common.safe import plain
from reports.audit import person_log
from reports.person_history import mail_history, person_history
from rules.contacts import open_tasks
from rules.people import (
    FieldErrors,
    changed_fields,
    contact_card,
    display_name,
    soft_delete_changes,
)
from storage import Conflict

#: A conflict a save on this person met: the Edit tab shows both values until the user
#: chooses, and a save that lands forgets it.
CONFLICT = "person_conflict"


def remember(saved: data.Saved | None) -> None:
    if saved is not None and saved.conflict is not None:
        st.session_state[CONFLICT] = saved.conflict
    elif saved is not None and saved.ok:
        st.session_state.pop(CONFLICT, None)


book = data.workbook()
people = book.frame("people")
person_id = st.query_params.get("id", "")
person = book.row("people", person_id) if person_id else None

if person is None:
    st.title("Person")
    if person_id:
        st.warning(f"There is no person with id {plain(person_id)}; they may have been removed.")
    chosen = person_picker("person_find", people)
    if chosen:
        st.query_params["id"] = chosen
        st.rerun()
    st.stop()

seen = person.to_dict()
deleted = pd.notna(seen["deleted_at"])
st.title(plain(display_name(seen)))
contacts_ui.glance(book, person_id)
data.done()
if deleted:
    st.warning(f"This person was deleted on {seen['deleted_at']:%Y-%m-%d}. Their history is kept.")

me = session.user()
names = ["Details", "Timeline", *(["Giving"] if me.can("read_giving") else []), "Memberships",
         "Volunteering", *(["Mail"] if me.can("read_mail") else []),
         *(["History"] if me.can("read_audit") else []),
         *(["Edit"] if me.can("edit_people") else []), "Privacy"]
tabs = dict(zip(names, st.tabs(names), strict=True))

with tabs["Details"]:
    # A line above each tab's first table keeps the table's toolbar off the tabs.
    st.caption("Contact details and how they may be contacted.")
    card = contact_card(seen)
    st.dataframe({"": list(card), "value": list(card.values())}, hide_index=True, width="stretch")
    columns.contact_links(seen["email"], seen["phone"])

with tabs["Timeline"]:
    contacts_ui.log_contact_form(person_id, "log_contact")
    for _, task in open_tasks(book.frame("tasks"), person_id=person_id).iterrows():
        contacts_ui.task_card(task, people, "person_task")
    if me.can("manage_tasks"):
        with st.expander("Add a task about them"):
            contacts_ui.task_form("person_new_task", person_id)
    contacts_ui.timeline_section(person_id, "timeline")

history = person_history(
    book.frame("donations"), book.frame("memberships"), book.frame("volunteer_hours"), person_id
)
if "Giving" in tabs:
    with tabs["Giving"]:
        donor_view(book, person_id, data.today(), book.settings.fiscal_year_start)
        columns.table(history.gifts)

with tabs["Memberships"]:
    member_view(book, person_id, data.today())

with tabs["Volunteering"]:
    st.text(f"Hours given: {history.hours_given:,.1f}")
    columns.table(history.hours)

if "Mail" in tabs:
    with tabs["Mail"]:
        st.caption("Every message the app sent or queued for them.")
        columns.table(mail_history(book.frame("outbox"), book.frame("mailings"), person_id))

if "History" in tabs:
    with tabs["History"]:
        st.caption("Changes made through the app. Edits made directly in the Google Sheet "
                   "are not recorded here.")
        their_rows = [*history.gift_ids, *history.term_ids, *history.hour_ids]
        columns.table(person_log(book.frame("audit_log"), person_id, their_rows))

with tabs["Privacy"]:
    remember(privacy_ui.consent(seen))
    privacy_ui.export(book, person_id)
    remember(privacy_ui.erase(person_id))

if "Edit" not in tabs:
    st.stop()

with tabs["Edit"]:
    conflict = st.session_state.get(CONFLICT)
    if isinstance(conflict, Conflict) and conflict.key == person_id:
        choices = show_conflict(conflict)
        if choices is not None:
            fresh = data.store().load(["people"]).row("people", person_id)
            if fresh is not None:
                saved = data.save(
                    lambda: data.store().update("people", person_id, choices, fresh.to_dict()),
                    "Saved your choices.",
                ) if choices else data.Saved()
                remember(saved)
                if saved.ok:
                    st.rerun()
    values = person_form("edit_person", seen, "Save changes")
    if values is not None:
        try:
            changes = changed_fields(seen, values, datetime.now(),
                                     book.settings.phone_region_or_default())
        except FieldErrors as error:
            st.session_state["edit_person_errors"] = error.errors
            st.rerun()
        st.session_state.pop("edit_person_errors", None)
        if not changes:
            st.info("Nothing changed.")
        else:
            remember(data.save(lambda: data.store().update("people", person_id, changes, seen),
                               "Saved."))
            st.rerun()

    st.divider()
    if not me.can("delete_people"):
        st.stop()
    if not deleted:
        sure = st.checkbox("Yes, delete this person (their gifts and history are kept)",
                           key="delete_sure")
        if st.button("Delete person", disabled=not sure):
            saved = data.save(
                lambda: data.store().update(
                    "people", person_id, soft_delete_changes(datetime.now()), seen
                ),
                "Person deleted.",
            )
            remember(saved)
            if saved.ok:
                st.switch_page("pages/people.py")
    elif st.button("Restore person"):
        saved = data.save(
            lambda: data.store().update(
                "people", person_id, {"deleted_at": None, "updated_at": datetime.now()}, seen
            ),
            "Person restored.",
        )
        remember(saved)
        if saved.ok:
            st.rerun()

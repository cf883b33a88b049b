"""One person: contact details, their giving, memberships and volunteering; edit or delete."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from pages.common import data
from pages.common.people_ui import person_form, show_conflict
from pages.common.safe import plain
from reports.person_history import person_history
from sheets_schema.people import (
    FieldErrors,
    changed_fields,
    contact_card,
    display_name,
    search_people,
    soft_delete_changes,
)
from storage import Conflict

book = data.workbook()
people = book.frame("people")
person_id = st.query_params.get("id", "")
person = book.row("people", person_id) if person_id else None

if person is None:
    st.title("Person")
    if person_id:
        st.warning(f"There is no person with id {plain(person_id)}; they may have been removed.")
    query = st.text_input("Find a person", placeholder="Name, email or phone")
    found = search_people(people, query).head(50)
    options = {row["id"]: f"{display_name(row)} ({row['id']})" for row in found.to_dict("records")}
    chosen = st.selectbox("Person", list(options), format_func=options.get, index=None)
    if chosen:
        st.query_params["id"] = chosen
        st.rerun()
    st.stop()

seen = person.to_dict()
deleted = pd.notna(seen["deleted_at"])
st.title(plain(display_name(seen)))
if deleted:
    st.warning(f"This person was deleted on {seen['deleted_at']:%Y-%m-%d}. Their history is kept.")

details, giving, memberships, volunteering, edit = st.tabs(
    ["Details", "Giving", "Memberships", "Volunteering", "Edit"]
)

with details:
    card = contact_card(seen)
    st.dataframe({"": list(card), "value": list(card.values())}, hide_index=True, width="stretch")

history = person_history(
    book.frame("donations"), book.frame("memberships"), book.frame("volunteer_hours"), person_id
)
with giving:
    st.metric(
        "Completed gifts",
        f"{history.completed_gifts:,}",
        help="Pending and refunded gifts are not counted",
    )
    st.text(f"Total given: {history.given:,.2f}")
    st.dataframe(history.gifts, hide_index=True, width="stretch")

with memberships:
    st.dataframe(history.terms, hide_index=True, width="stretch")

with volunteering:
    st.text(f"Hours given: {history.hours_given:,.1f}")
    st.dataframe(history.hours, hide_index=True, width="stretch")

with edit:
    conflict = st.session_state.get("conflict")
    if isinstance(conflict, Conflict) and conflict.key == person_id:
        choices = show_conflict(conflict)
        if choices is not None:
            fresh = data.store().load(["people"]).row("people", person_id)
            if fresh is not None and (
                not choices
                or data.save(
                    lambda: data.store().update("people", person_id, choices, fresh.to_dict()),
                    "Saved your choices.",
                )
            ):
                st.session_state.pop("conflict", None)
                st.rerun()
    values = person_form("edit_person", seen, "Save changes")
    if values is not None:
        try:
            changes = changed_fields(seen, values, datetime.now())
        except FieldErrors as error:
            st.session_state["edit_person_errors"] = error.errors
            st.rerun()
        st.session_state.pop("edit_person_errors", None)
        if not changes:
            st.info("Nothing changed.")
        elif data.save(lambda: data.store().update("people", person_id, changes, seen), "Saved."):
            st.rerun()
        else:
            st.rerun()

    st.divider()
    if not deleted:
        sure = st.checkbox("Yes, delete this person (their gifts and history are kept)")
        if st.button("Delete person", disabled=not sure):
            if data.save(
                lambda: data.store().update(
                    "people", person_id, soft_delete_changes(datetime.now()), seen
                ),
                "Person deleted.",
            ):
                st.switch_page("pages/people.py")
    elif st.button("Restore person"):
        if data.save(
            lambda: data.store().update(
                "people", person_id, {"deleted_at": None, "updated_at": datetime.now()}, seen
            ),
            "Person restored.",
        ):
            st.rerun()

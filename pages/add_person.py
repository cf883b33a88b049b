"""Add a person: a form that checks each field and says what to fix beside it."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from pages.common import data, session
from pages.common.people_ui import person_form
from rules.people import FieldErrors, new_person

session.require("edit_people", "add people")
st.title("Add a person")
values = person_form("add_person", {}, "Add person")
if values is not None:
    try:
        record = new_person(values, datetime.now(),
                            data.workbook().settings.phone_region_or_default())
    except FieldErrors as error:
        st.session_state["add_person_errors"] = error.errors
        st.rerun()
    st.session_state.pop("add_person_errors", None)
    if data.save(lambda: data.store().append("people", [record]), "Person added.").ok:
        st.switch_page("pages/person.py", query_params={"id": record["id"]})

"""Widgets the people pages share: the person pickers (every page picks people with one of
these two), the person form and the conflict chooser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from pages.common.safe import plain
from rules.people import display_name, people_to_offer, search_people
from sheets_schema.cells import cell_text
from storage import Conflict

TEXT_FIELDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "organization": "Organization",
    "email": "Email",
    "phone": "Phone",
    "address": "Street address",
    "city": "City",
    "region": "State / region",
    "postcode": "Postcode",
    "country": "Country",
    "household_id": "Household id",
}
FLAGS = {
    "do_not_email": "Do not email",
    "do_not_mail": "Do not mail",
    "do_not_phone": "Do not phone",
    "deceased": "Deceased",
}


def person_label(person: Mapping[str, Any]) -> str:
    """``"Ann Lee · ann@example.org · P00042"``: how a person is picked, and nothing else."""
    return " · ".join(part for part in (display_name(person), str(person.get("email") or ""),
                                        str(person.get("id") or "")) if part)


def person_picker(key: str, people: pd.DataFrame, label: str = "Person",
                  help: str | None = None, *, pick_key: str | None = None) -> str | None:
    """Search the people a picker may offer (`people_to_offer`) by name, email, phone or id
    and pick one; returns their id or None. The search box is `{key}_query`, the choice
    `pick_key` (`{key}_id` unless given); a search with one match picks it."""
    pick_key = pick_key or f"{key}_id"
    query = st.text_input(f"Find the {label.lower()}", key=f"{key}_query", help=help,
                          placeholder="Name, email, phone or id")
    found = (search_people(people_to_offer(people), query).head(50) if query.strip()
             else people.iloc[:0])
    options = {str(p["id"]): person_label(p) for p in found.to_dict("records")}
    if query.strip() and not options:
        st.caption(plain(f"Nobody matches {query}."))
    if len(options) == 1 and st.session_state.get(pick_key) not in options:
        st.session_state[pick_key] = next(iter(options))  # the only match: picked
    return st.selectbox(label, list(options), format_func=options.get, key=pick_key,
                        index=None,
                        placeholder="Search above, then pick" if not options else "Pick one")


def choose_person(label: str, options: Mapping[str, str], key: str) -> Any:
    """Pick one of `options` (id to how they are shown, already only people a picker may
    offer), typing in the box to search; None until someone is picked. A save that pops
    `key` leaves the box empty, not showing the old choice."""
    st.session_state.setdefault(key, None)
    return st.selectbox(label, list(options), format_func=options.get, index=None, key=key,
                        placeholder="Type a name")


def person_form(key: str, person: Mapping[str, Any], submit_label: str) -> dict[str, Any] | None:
    """A form for one person's details; returns what was typed on submit, else None.

    Errors from the last submit (in session_state[f"{key}_errors"]) show under their field.
    """
    errors: dict[str, str] = st.session_state.get(f"{key}_errors", {})
    values: dict[str, Any] = {}
    with st.form(key):
        left, right = st.columns(2)
        for index, (field, label) in enumerate(TEXT_FIELDS.items()):
            column = left if index % 2 == 0 else right
            values[field] = column.text_input(
                label, value=cell_text(person.get(field)), key=f"{key}_{field}"
            )
            if field in errors:
                column.error(plain(errors[field]))
        values["tags"] = st.text_input(
            "Tags (comma-separated)", value=cell_text(person.get("tags")), key=f"{key}_tags"
        )
        flag_columns = st.columns(len(FLAGS))
        for column, (field, label) in zip(flag_columns, FLAGS.items(), strict=True):
            values[field] = column.checkbox(
                label, value=bool(person.get(field, False)), key=f"{key}_{field}"
            )
        values["notes"] = st.text_area(
            "Notes", value=cell_text(person.get("notes")), key=f"{key}_notes"
        )
        if "" in errors:
            st.error(plain(errors[""]))
        submitted = st.form_submit_button(submit_label, type="primary")
    return values if submitted else None


def show_conflict(conflict: Conflict) -> dict[str, str] | None:
    """Show both values of every cell someone else changed and let the user choose.

    Returns {column: chosen text} when the user confirms, else None.
    """
    st.warning(plain(conflict))
    if not conflict.cells:
        return None
    table = pd.DataFrame(
        [
            {
                "field": c.column,
                "what you saw": c.seen,
                "in the sheet now": c.current,
                "what you typed": c.wanted if c.wanted is not None else "(unchanged)",
            }
            for c in conflict.cells
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    choices = {}
    for cell in conflict.cells:
        options = ["Keep the value in the sheet now"]
        if cell.wanted is not None:
            options.insert(0, "Use what I typed")
        choice = st.radio(
            plain(cell.column), options, key=f"conflict_{conflict.key}_{cell.column}",
            horizontal=True)
        if choice == "Use what I typed" and cell.wanted is not None:
            choices[cell.column] = cell.wanted
    if st.button("Apply my choices", type="primary", key=f"conflict_apply_{conflict.key}"):
        return choices
    return None

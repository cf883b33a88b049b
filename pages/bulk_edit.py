"""Edit many people in a grid. Only the cells you changed are written, each row found by its
id at the moment of saving; rows someone else changed meanwhile are shown, not overwritten."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from pages.common import columns, data, downloads, session
from pages.common.people_ui import show_conflict
from pages.common.safe import plain
from rules.people import FieldErrors, changed_fields, people_to_offer, search_people
from storage import Conflict, RowEdit

COLUMNS = [
    "id",
    "first_name",
    "last_name",
    "organization",
    "email",
    "phone",
    "city",
    "postcode",
    "tags",
    "do_not_email",
    "do_not_mail",
    "do_not_phone",
]

session.require("edit_people", "edit people")
st.title("Edit many people")
people = data.workbook().frame("people")
query = st.text_input(
    "Narrow the list", placeholder="Name, email, phone, city or tag", key="bulk_query"
)
found = search_people(people_to_offer(people), query)
shown = downloads.editable_rows(found)
grid = shown[COLUMNS].assign(tags=shown["tags"].map(", ".join)).reset_index(drop=True)

generation = st.session_state.setdefault("bulk_generation", 0)
key = f"people_editor_{generation}"
st.data_editor(
    grid,
    key=key,
    hide_index=True,
    num_rows="fixed",
    width="stretch",
    disabled=["id"],
    column_config=columns.editor_config(grid, {"id": st.column_config.TextColumn("Id",
                                                                            width="small")}),
)
edited_rows: dict[int, dict] = st.session_state.get(key, {}).get("edited_rows", {})
st.text(f"{len(shown):,} people shown; {len(edited_rows)} changed")
if len(shown) < len(found):
    st.caption(f"The first {len(shown):,} of {len(found):,} people: narrow the list to reach "
               f"the others (a role that may not download edits at most "
               f"{downloads.EDITABLE_ROWS_WITHOUT_DOWNLOAD} people at a time here).")


def resolve(conflict: Conflict, choices: dict[str, str]) -> None:
    """Write the values the user chose over a conflict, checked against the row as it is now."""
    fresh = data.store().load(["people"]).row("people", conflict.key)
    if fresh is not None and choices:
        seen = fresh.to_dict()
        data.save(
            lambda: data.store().update("people", conflict.key, choices, seen),
            "Saved your choices.",
        )


for conflict in list(st.session_state.get("bulk_conflicts", [])):
    choices = show_conflict(conflict)
    if choices is not None:
        resolve(conflict, choices)
        st.session_state["bulk_conflicts"].remove(conflict)
        st.rerun()

if st.button("Save changes", type="primary", disabled=not edited_rows):
    now = datetime.now()
    edits, errors = [], []
    for position, cells in edited_rows.items():
        person_id = grid.iloc[int(position)]["id"]
        seen = people[people["id"] == person_id].iloc[0].to_dict()
        try:
            changes = changed_fields(seen, cells, now,
                                     data.workbook().settings.phone_region_or_default())
        except FieldErrors as error:
            errors.append(plain(f"{person_id}: {error}"))
            continue
        if changes:
            edits.append(RowEdit(person_id, changes, seen))
    if errors:
        st.error("Nothing was saved. Fix these first:\n\n" + "\n\n".join(errors))
    else:
        conflicts: list[Conflict] = []
        saved = data.save(
            lambda: conflicts.extend(data.store().update_many("people", edits)),
            f"Saved {len(edits)} people.",
        )
        if saved.ok:
            st.session_state["bulk_conflicts"] = conflicts
            st.session_state["bulk_generation"] = generation + 1
            st.rerun()

"""People: find someone fast, by any part of their name, email, phone, city or postcode."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import data, session
from sheets_schema.people import display_name, search_people

st.title("People")
people = data.workbook().frame("people")

query = st.text_input(
    "Search", placeholder="Name, email, phone, city, postcode or id", key="people_query"
)
left, middle, right = st.columns([2, 2, 1])
all_tags = sorted({tag for tags in people["tags"] for tag in tags}, key=str.casefold)
tags = left.multiselect("With all of these tags", all_tags, key="people_tags")
cities = sorted({c for c in people["city"] if c}, key=str.casefold)
city = middle.selectbox("City", ["Any city", *cities], key="people_city")
include_deleted = right.toggle("Show deleted", key="people_deleted")

found = search_people(
    people,
    query,
    tags=tags,
    include_deleted=include_deleted,
    city="" if city == "Any city" else city,
)
st.text(f"{len(found):,} of {len(people):,} people")

table = pd.DataFrame(
    {
        "id": found["id"],
        "name": [display_name(p) for p in found.to_dict("records")],
        "email": found["email"],
        "phone": found["phone"],
        "city": found["city"],
        "tags": found["tags"].map(", ".join),
        "deleted": found["deleted_at"].notna(),
    }
)
event = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="people_table",
    column_config={"deleted": st.column_config.CheckboxColumn("deleted", width="small")},
)
st.caption("Select a row to open the person.")
if event.selection.rows:
    chosen = table.iloc[event.selection.rows[0]]["id"]
    st.switch_page("pages/person.py", query_params={"id": chosen})

if session.user().can("edit_people"):
    st.page_link("pages/add_person.py", label="Add a person", icon="➕")

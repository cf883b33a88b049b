"""People: find someone fast, by any part of their name, email, phone, city or postcode."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.common import columns, data, downloads, session
from rules.people import display_name, search_people
from sheets_schema.workbook import Workbook


def _directory(book: Workbook) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Everyone as the list shows them, and the tags and cities to filter by: worked out
    once per snapshot (a name's Hangul check for 20,000 people is most of a second)."""
    people = book.frame("people")
    table = pd.DataFrame(
        {
            "id": people["id"],
            "name": [display_name(p) for p in people.to_dict("records")],
            "email": people["email"],
            "phone": people["phone"],
            "city": people["city"],
            "tags": people["tags"].map(", ".join),
            "deleted": people["deleted_at"].notna(),
        },
        index=people.index,
    )
    tags = sorted({tag for tags in people["tags"] for tag in tags}, key=str.casefold)
    cities = sorted({c for c in people["city"] if c}, key=str.casefold)
    return table, tags, cities


st.title("People")
people = data.workbook().frame("people")
directory, all_tags, cities = data.derived("people directory", _directory)

query = st.text_input(
    "Search", placeholder="Name, email, phone, city, postcode or id", key="people_query"
)
left, middle, right = st.columns([2, 2, 1])
tags = left.multiselect("With all of these tags", all_tags, key="people_tags")
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
table = directory.loc[found.index]
event = columns.table(
    table,
    "people_table",
    person="id",
    on_select="rerun",
    selection_mode="single-row",
    config={"deleted": st.column_config.CheckboxColumn("Deleted", width="small")},
)
st.caption("Select a row, or click a name, to open the person.")
downloads.table_csv(table, "people", label=f"Download these {len(table):,} people (CSV)")
if event.selection.rows:
    chosen = table.iloc[event.selection.rows[0]]["id"]
    st.switch_page("pages/person.py", query_params={"id": chosen})

if session.user().can("edit_people"):
    st.page_link("pages/add_person.py", label="Add a person", icon="➕")

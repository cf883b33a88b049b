"""Duplicates: likely pairs of people, and merging one pair field by field in one commit."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from pages.common import data, duplicates_ui, session
from pages.common.safe import plain
from sheets_schema.merge import MergeRefused, merge_changes
from sheets_schema.people import display_name

st.title("Duplicates")
session.require("edit_giving", "merge people")
st.caption("People who look like the same person, scored by the rules below. Deleted and "
           "erased people are left out.")

weights = duplicates_ui.weight_sliders()
found = data.derived("duplicate pairs", duplicates_ui.pairs, weights.first_name,
                     weights.last_name, weights.email, weights.phone, weights.postcode,
                     weights.threshold)
st.text(f"{len(found):,} likely pairs at threshold {weights.threshold}")
if found.empty:
    st.stop()
event = st.dataframe(found, hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="single-row", key="dup_table")
chosen = event.selection.rows[0] if event.selection.rows else 0
pair = found.iloc[chosen]

book = data.workbook()
swap = st.toggle("Keep the second person instead", key="dup_swap")
keep_id, drop_id = (pair["b"], pair["a"]) if swap else (pair["a"], pair["b"])
keep_row, drop_row = book.row("people", keep_id), book.row("people", drop_id)
if keep_row is None or drop_row is None:
    st.warning("One of these people is no longer in the sheet. Refresh and try again.")
    st.stop()
keep, drop = keep_row.to_dict(), drop_row.to_dict()

st.subheader(f"Keep {plain(display_name(keep))} ({keep_id}), merge in "
             f"{plain(display_name(drop))} ({drop_id})")
st.caption(f"Why: {plain(pair['reasons'])}")
choices = duplicates_ui.field_choices(keep, drop)
st.caption(f"Every gift, membership, hour and message of {drop_id} moves to {keep_id}; "
           f"{drop_id} is deleted (kept in the sheet with the note \"merged into {keep_id}\").")

if st.button("Merge", type="primary", key="merge"):
    try:
        changes = merge_changes(book, keep_id, drop_id, choices, datetime.now())
    except MergeRefused as refused:
        st.error(plain(refused))
    else:
        if data.save(lambda: data.store().commit(changes), plain(changes.audit_summary)):
            st.success(plain(changes.audit_summary))

conflict = st.session_state.get("conflict")
if conflict is not None:
    st.warning(f"{plain(conflict)} Nothing was merged; refresh and try again.")

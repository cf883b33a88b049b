"""Duplicates: likely pairs of people, merging one pair field by field in one commit, marking a
pair "not a duplicate", and undoing a merge."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from pages.common import data, duplicates_ui, session
from pages.common.safe import plain
from rules.dismissals import DismissalRefused, dismiss_changes
from rules.merge import MergeRefused, merge_changes
from rules.people import display_name

st.title("Duplicates")
session.require("edit_giving", "merge people")
st.caption("People who look like the same person, scored by the rules below. Deleted and "
           "erased people, and pairs marked as not duplicates, are left out.")
data.done()

weights = duplicates_ui.weight_sliders()
found = data.derived("duplicate pairs", duplicates_ui.pairs, weights.first_name,
                     weights.last_name, weights.email, weights.phone, weights.postcode,
                     weights.threshold)
book = data.workbook()
st.text(f"{len(found):,} likely pairs at threshold {weights.threshold}")
if not found.empty:
    event = st.dataframe(found, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="dup_table")
    pair = found.iloc[event.selection.rows[0] if event.selection.rows else 0]
    swap = st.toggle("Keep the second person instead", key="dup_swap")
    keep_id, drop_id = (pair["b"], pair["a"]) if swap else (pair["a"], pair["b"])
    keep_row, drop_row = book.row("people", keep_id), book.row("people", drop_id)
    if keep_row is None or drop_row is None:
        st.warning("One of these people is no longer in the sheet. Refresh and try again.")
        st.stop()
    keep, drop = keep_row.to_dict(), drop_row.to_dict()

    st.subheader(plain(f"Keep {display_name(keep)} ({keep_id}), merge in "
                       f"{display_name(drop)} ({drop_id})"))
    st.caption(f"Why: {plain(pair['reasons'])}")
    choices = duplicates_ui.field_choices(keep, drop)
    st.caption(plain(f"Every gift, membership, hour and message of {drop_id} moves to "
                     f"{keep_id}; {drop_id} is deleted (kept in the sheet with the note "
                     f"\"merged into {keep_id}\"). A merge can be undone below while nothing "
                     f"it moved has changed."))

    merge, dismiss = st.columns(2)
    if merge.button("Merge", type="primary", key="merge"):
        try:
            changes = merge_changes(book, keep_id, drop_id, choices, datetime.now())
        except MergeRefused as refused:
            st.error(plain(refused))
        else:
            data.commit_form(changes, changes.audit_summary, ("dup_table", "dup_swap"))
    if dismiss.button("Not a duplicate", key="dup_dismiss"):
        by, now = duplicates_ui.who_and_when()
        try:
            changes = dismiss_changes(book, keep_id, drop_id, by, now)
        except DismissalRefused as refused:
            st.error(plain(refused))
        else:
            data.commit_form(changes, f"{keep_id} and {drop_id} are no longer listed as a "
                             f"likely pair.", ("dup_table", "dup_swap"))

duplicates_ui.dismissed(book)
duplicates_ui.recent_merges(book)

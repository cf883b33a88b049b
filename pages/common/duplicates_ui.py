"""The parts of the duplicates page: weight sliders, the pair list, the field-by-field choice,
the pairs marked "not a duplicate", and the merges that can be undone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from pages.common import data, session
from pages.common.safe import plain
from rules.dismissals import DismissalRefused, restore_changes, without_dismissed
from rules.duplicates import Weights, find_duplicates
from rules.merge import MergeRefused, Side, differing_fields, merges, unmerge_changes
from rules.people import display_name
from sheets_schema.cells import to_text
from sheets_schema.workbook import Workbook

_RULES = (("first_name", "First name"), ("last_name", "Last name"), ("email", "Email"),
          ("phone", "Phone (digits)"), ("postcode", "Postcode"))


def weight_sliders() -> Weights:
    """The rules' weights and the threshold as staff set them (CiviCRM's defaults)."""
    default = Weights()
    with st.expander("Rules and weights"):
        columns = st.columns(len(_RULES) + 1)
        values = {name: column.slider(label, 0, 30, getattr(default, name), key=f"dup_{name}")
                  for column, (name, label) in zip(columns, _RULES, strict=False)}
        values["threshold"] = columns[-1].slider("Threshold", 1, 60, default.threshold,
                                                 key="dup_threshold")
    return Weights(**values)


def pairs(book: Workbook, *weights: int) -> pd.DataFrame:
    """The likely pairs with both names, less the pairs marked "not a duplicate", for
    `data.derived` (weights as plain numbers)."""
    people = book.frame("people")
    found = without_dismissed(find_duplicates(people, Weights(*weights)),
                              book.frame("duplicate_dismissals"))
    names = {row["id"]: display_name(row) for row in people.to_dict("records")}
    return found.assign(a_name=found["a"].map(names), b_name=found["b"].map(names))[
        ["score", "a", "a_name", "b", "b_name", "reasons"]]


def field_choices(keep: dict[str, Any], drop: dict[str, Any]) -> dict[str, Side]:
    """A radio per differing field: whose value the kept person ends with."""
    choices: dict[str, Side] = {}
    fields = differing_fields(keep, drop)
    if not fields:
        st.text("The two records hold the same values.")
    for field in fields:
        labels = {side: plain(f"{side}: {to_text(person.get(field)) or '(blank)'}")
                  for side, person in (("keep", keep), ("drop", drop))}
        picked = st.radio(field.replace("_", " "), ["keep", "drop"], horizontal=True,
                          format_func=labels.__getitem__, key=f"merge_{field}")
        choices[field] = "drop" if picked == "drop" else "keep"
    return choices


def _names(book: Workbook) -> dict[str, str]:
    return {row["id"]: display_name(row) for row in book.frame("people").to_dict("records")}


def dismissed(book: Workbook) -> None:
    """The pairs marked "not a duplicate", and listing chosen ones again (one delete each,
    in one commit)."""
    rows = book.frame("duplicate_dismissals")
    with st.expander(f"Marked as not duplicates ({len(rows):,})"):
        if rows.empty:
            st.text("No pair has been marked as not a duplicate.")
            return
        names = _names(book)
        shown = rows.assign(name=rows["person_id"].map(names),
                            other_name=rows["other_person_id"].map(names))
        st.dataframe(shown[["id", "person_id", "name", "other_person_id", "other_name",
                            "dismissed_by", "dismissed_at"]], hide_index=True, width="stretch")
        picked = st.multiselect("Pairs to list again", list(rows["id"]), key="dup_restore")
        if st.button("List again", key="dup_restore_go", disabled=not picked):
            try:
                changes = restore_changes(book, picked)
            except DismissalRefused as refused:
                st.error(plain(refused))
                return
            data.commit_form(changes, f"{len(picked)} pair(s) listed again.", ("dup_restore",))


def recent_merges(book: Workbook) -> None:
    """The merges made through the app, and undoing one while the rows it touched are as it
    left them (one commit; anything changed since refuses it)."""
    found = merges(book.frame("audit_log"))
    with st.expander(f"Merges ({len(found):,})"):
        if found.empty:
            st.text("No merge has been made through the app.")
            return
        st.dataframe(found[["at", "user", "summary", "undone"]], hide_index=True,
                     width="stretch")
        open_ = found[found["undoable"] & ~found["undone"]]
        if open_.empty:
            st.text("No merge can be undone.")
            return
        labels = {row["id"]: f"{row['at']:%Y-%m-%d %H:%M} {row['summary']}"
                  for _, row in open_.iterrows()}
        chosen = st.selectbox("Merge to undo", list(labels), format_func=labels.__getitem__,
                              key="dup_undo_pick")
        st.caption("Undoing restores the dropped person and moves their rows back, as long "
                   "as nothing the merge touched was changed since.")
        if st.button("Undo merge", key="dup_undo"):
            audit = book.frame("audit_log")
            entry = audit[audit["id"] == chosen].iloc[0].to_dict()
            try:
                changes = unmerge_changes(book, entry)
            except MergeRefused as refused:
                st.error(plain(refused))
                return
            data.commit_form(changes, changes.audit_summary)


def who_and_when() -> tuple[str, datetime]:
    """The signed-in user's email and the time, for a dismissal row."""
    return session.user().email, datetime.now()

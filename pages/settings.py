"""Settings (admins): every key of the settings tab, each checked with a sentence beside it,
saved as one audited commit of only the keys that changed."""

from __future__ import annotations

import streamlit as st

from pages.common import data, session
from pages.common.safe import plain
from rules.settings_form import FIELDS, SettingsInvalid, settings_changes, shown_values

session.require("manage_settings", "change the organisation's settings")
st.title("Settings")
if "settings_saved" in st.session_state:
    st.success(plain(st.session_state.pop("settings_saved")))
conflict = data.carried_conflict()
if conflict is not None:
    st.warning(plain(f"{conflict} Nothing was saved. " + " ".join(
        f"{conflict.key}: you saw {cell.seen!r}, the sheet now has {cell.current!r}."
        for cell in conflict.cells)))
frame = data.workbook().frame("settings")
shown = shown_values(frame)
errors = st.session_state.get("settings_errors", {})
KEYS = tuple(f"setting_{f.key}" for f in FIELDS)

with st.form("settings"):
    typed = {}
    for field, key in zip(FIELDS, KEYS, strict=True):
        box = st.text_area if field.long else st.text_input
        typed[field.key] = box(field.label, value=shown[field.key], key=key)
        st.caption(plain(field.help))
        if field.key in errors:
            st.error(plain(errors[field.key]))
    submitted = st.form_submit_button("Save settings", type="primary")

if submitted:
    try:
        changes = settings_changes(frame, shown, typed)
    except SettingsInvalid as invalid:
        st.session_state["settings_errors"] = invalid.errors
        st.rerun()
    st.session_state.pop("settings_errors", None)
    if not changes:
        st.info("Nothing changed, so nothing was saved.")
    else:
        said = f"Saved {len(list(changes.rows()))} settings."
        saved = data.save(lambda: data.store().commit(changes), said)
        if saved.ok:
            st.session_state["settings_saved"] = said
        for key in KEYS:  # show the data as it now is, saved or not
            st.session_state.pop(key, None)
        data.rerun_after(saved)

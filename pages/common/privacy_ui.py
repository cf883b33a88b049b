"""The person page's privacy section: consent to email, export everything, erase."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from pages.common import data, downloads, session
from pages.common.safe import plain
from reports.person_export import person_record, to_json, to_xlsx
from rules.privacy import (
    ErasureRefused,
    consent_changes,
    erasure_changes,
    erasure_summary,
)
from sheets_schema.workbook import Workbook


def consent(person: dict[str, Any]) -> data.Saved | None:
    """Record consent to email, with its date and where it came from; what the save came to
    (None when nothing was saved), so the page can offer both values of a conflict."""
    current = person.get("email_consent") or "never asked"
    when = person.get("email_consent_date")
    st.text(f"Consent to email: {current}" + (f" on {when:%Y-%m-%d}" if when is not None
                                               and str(when) != "NaT" else ""))
    if not session.user().can("edit_people"):
        return None
    with st.form("consent"):
        granted = st.radio("Consent to email", ["granted", "withdrawn"], horizontal=True)
        source = st.text_input("Where it came from", placeholder="web form, phone call…")
        on = st.date_input("On", value=data.today())
        if st.form_submit_button("Record consent"):
            try:
                changes = consent_changes(person, granted == "granted", source, on)
            except ValueError as error:
                st.error(plain(error))
                return None
            if not changes:
                return None
            saved = data.save(
                lambda: data.store().update("people", person["id"],
                                            {**changes, "updated_at": datetime.now()}, person),
                "Consent recorded.",
            )
            if saved.ok:
                st.rerun()
            return saved
    return None


def export(book: Workbook, person_id: str) -> None:
    """Everything held about the person, for a subject access request."""
    if not session.user().can("privacy_export"):
        return
    left, right = st.columns(2)  # each file is made when its button is clicked
    downloads.button("Export everything (xlsx)", lambda: to_xlsx(person_record(book, person_id)),
                     f"{person_id}.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     where=left, on_click="ignore")
    downloads.button("Export everything (JSON)",
                     lambda: to_json(person_record(book, person_id), datetime.now()),
                     f"{person_id}.json", "application/json", where=right, on_click="ignore")


def erase(person_id: str) -> data.Saved | None:
    """Blank the person's personal data everywhere, keeping the amounts for the accounts;
    what the save came to (None when nothing was saved)."""
    if not session.user().can("privacy_erase"):
        return None
    st.subheader("Erase this person")
    st.text("Blanks their name, contact details and notes in every tab, keeps their gifts "
            "(anonymised) so totals stay right, and remembers their address only as a hash "
            "so they are never mailed again. This cannot be undone.")
    sure = st.checkbox("Yes, erase this person at their request", key="erase_sure")
    if st.button("Erase person", disabled=not sure, type="primary"):
        data.refresh()  # erase what is there now, not what was read a minute ago
        try:
            changes = erasure_changes(data.workbook(), person_id, datetime.now(),
                                      session.user().email)
        except ErasureRefused as error:
            st.error(plain(error))
            return None
        changes.audit_summary, changes.audit_action = erasure_summary(changes), "erase"
        saved = data.save(lambda: data.store().commit(changes), "Person erased.")
        if saved.ok:
            st.rerun()
        return saved
    return None

"""The audit log (admins): who changed what through the app, filtered."""

from __future__ import annotations

import streamlit as st

from pages.common import columns, data, downloads, session
from reports.audit import filter_log
from reports.export import to_safe_csv

session.require("browse_audit", "search the audit trail")
st.title("Audit log")
st.caption("Every change made through the app is here. Edits made directly in the Google "
           "Sheet do not pass through the app and are not in this log.")
log = data.workbook().frame("audit_log")
left, middle, right = st.columns(3)
who = left.text_input("User", key="audit_user")
record_id = middle.text_input("Record id", key="audit_record")
tab = right.selectbox("Tab", ["", *sorted(set(log["tab"]))], key="audit_tab",
                      format_func=lambda t: t or "Any tab")
action = left.selectbox("Action", ["", *sorted(set(log["action"]))], key="audit_action",
                        format_func=lambda a: a or "Any action")
since = middle.date_input("From", value=None, key="audit_since")
until = right.date_input("To", value=None, key="audit_until")
shown = filter_log(log, user=who, tab=tab, action=action, record_id=record_id,
                   since=since, until=until)
st.text(f"{len(shown):,} of {len(log):,} entries")
columns.table(shown)
downloads.button("Download as CSV", lambda: to_safe_csv(shown), "audit-log.csv", "text/csv",
                 on_click="ignore")

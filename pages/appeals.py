"""Appeals: choose who (a segment), write the message, preview it, and start sending."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mailers.templates import TemplateProblem, check_template, render
from pages.common import appeal_form, appeal_ui, columns, data, session
from pages.common.safe import plain
from reports.mail_merge import FIELDS

session.require("read_mail", "see appeals")
st.title("Appeals")
book = data.workbook()
mailings = book.frame("mailings")
log = appeal_ui.journal()
if not mailings.empty:
    table = mailings[["id", "name", "status", "sent_at"]].assign(
        sent=[log.counts(m)["sent"] for m in mailings["id"]])
    picked = columns.table(table, "mailings_table", on_select="rerun",
                           selection_mode="single-row")
    if picked.selection.rows:
        st.switch_page("pages/mailing.py", query_params={
            "id": table.iloc[picked.selection.rows[0]]["id"]})
if not session.user().can("send_mail"):
    st.stop()

cannot_send = appeal_ui.sending_problem(book)
st.subheader("Who")
as_of = data.today()
definition, saved, confirmed = appeal_form.who(book, as_of)
chosen = appeal_form.reach(definition, as_of)
wrong_audience = appeal_form.audience_problem(definition, chosen, confirmed)
st.text(f"{len(chosen.included):,} people will get this appeal; "
        f"{len(chosen.excluded):,} are left out.")
if chosen.reasons:
    st.dataframe(pd.DataFrame(chosen.reasons.items(), columns=["left out because", "people"]),
                 hide_index=True)
columns.table(chosen.included[["person_id", "name", "email"]].head(200))

st.subheader("What")
name = st.text_input("Appeal name", key="appeal_name")
subject = st.text_input("Subject", key="appeal_subject", value="A note from {{ org_name }}")
body = st.text_area("Message", key="appeal_body", height=200,
                    value="Dear {{ first_name }},\n\nThank you for being part of "
                          "{{ org_name }}.\n")
st.caption("Fields you can use: " + ", ".join(f"{{{{ {f} }}}}" for f in FIELDS))
problem = None
try:
    check_template(subject, body, FIELDS)
except TemplateProblem as error:
    problem = str(error)
    st.error(plain(error))
if problem is None and not chosen.included.empty:
    who = st.selectbox("Preview for", list(chosen.included["person_id"]), key="appeal_preview",
                       format_func=dict(zip(chosen.included["person_id"],
                                            chosen.included["name"], strict=True)).get)
    try:
        shown = render(subject, body, appeal_form.recipient_fields((who,), as_of)[who])
    except TemplateProblem as error:
        problem = str(error)
        st.error(plain(error))
    else:
        st.text(f"Subject: {shown.subject}")
        st.code(shown.text, language=None)
        if definition.has_criteria or definition.everyone:  # not an empty form's everyone
            problem = appeal_form.blank_notes(subject, body, chosen, as_of) or None
        me = session.user().email
        test_to = st.text_input("Send a test of this message to", key="appeal_test_to",
                                value=me if "@" in me else "")
        if st.button("Send test", disabled="@" not in test_to or bool(cannot_send)):
            appeal_ui.send_test(shown, test_to.strip(), who, book)

ready = problem is None and bool(name.strip()) and not chosen.included.empty and \
    not cannot_send and not wrong_audience
if st.button("Start sending", type="primary", disabled=not ready):
    mailing_id = appeal_form.start_mailing(book, name, subject, body, definition, saved, chosen,
                                           confirmed)
    if mailing_id:
        st.switch_page("pages/mailing.py", query_params={"id": mailing_id})

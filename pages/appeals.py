"""Appeals: choose who (a segment), write the message, preview it, and start sending."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mailers.segments import Definition, Facts, SegmentError, audience
from mailers.templates import TemplateProblem, check_template, render
from pages.common import appeal_ui, columns, data, session
from pages.common.appeal_form import definition_form, start_mailing
from pages.common.safe import plain
from reports.mail_merge import FIELDS, merge_fields, segment_facts

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

st.subheader("Who")
segments = book.frame("segments")
names = {row["id"]: row["name"] for row in segments.to_dict("records")}
saved = st.selectbox("Start from a saved segment", ["", *names], format_func=lambda i:
                     names.get(i, "A new segment"), key="appeal_segment")
try:
    start = Definition.from_json(segments.set_index("id").loc[saved, "definition"]) \
        if saved else Definition()
except SegmentError as error:
    st.error(plain(error))
    start = Definition()
definition = definition_form(book, start)
as_of = data.today()
chosen = data.derived("audience", lambda b, d, day: audience(
    b.frame("people"), Definition.from_json(d), Facts(**segment_facts(b, day))),
    definition.to_json(), as_of)
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
        shown = render(subject, body, merge_fields(book, [who], as_of)[who])
    except TemplateProblem as error:
        problem = str(error)
        st.error(plain(error))
    else:
        st.text(f"Subject: {shown.subject}")
        st.code(shown.text, language=None)
        me = session.user().email
        test_to = st.text_input("Send a test of this message to", key="appeal_test_to",
                                value=me if "@" in me else "")
        if st.button("Send test", disabled="@" not in test_to):
            appeal_ui.send_test(shown, test_to.strip(), who, book)

ready = problem is None and bool(name.strip()) and not chosen.included.empty
if st.button("Start sending", type="primary", disabled=not ready):
    mailing_id = start_mailing(book, name, subject, body, definition, saved, chosen)
    if mailing_id:
        st.switch_page("pages/mailing.py", query_params={"id": mailing_id})

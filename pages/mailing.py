"""One appeal: progress while it sends (resumable), then who got it, and what to do about
messages that failed or whose fate is uncertain."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from mailers.sender import Uncertain
from pages.common import appeal_ui, columns, data, downloads, session
from pages.common.safe import plain
from reports.export import to_safe_csv
from reports.mail_merge import merge_fields

session.require("read_mail", "see appeals")
book = data.workbook()
mailing_id = st.query_params.get("id", "")
mailing = book.row("mailings", mailing_id) if mailing_id else None
if mailing is None:  # opened without an id, or with one no appeal has: offer them all
    st.title("Appeal")
    if mailing_id:
        st.warning(f"There is no appeal with id {plain(mailing_id)}; pick one below.")
    mailings = book.frame("mailings").iloc[::-1]  # the newest (added last) first
    names = {str(m["id"]): f"{m['name']} · {m['status']} · {m['id']}"
             for m in mailings.to_dict("records")}
    if not names:
        st.info("There are no appeals yet: write one on the Appeals page.")
    chosen = st.selectbox("Appeal", list(names), format_func=names.get, index=None,
                          key="appeal_pick", placeholder="Pick an appeal")
    if chosen:
        st.query_params["id"] = chosen
        st.rerun()
    st.stop()
st.title(plain(mailing["name"]))
log = appeal_ui.journal()
counts = log.counts(mailing_id)
total = sum(counts.values()) - counts["skipped"]
done = counts["sent"] + counts["failed"] + counts["uncertain"]
st.progress(done / total if total else 1.0,
            text=f"{counts['sent']:,} sent · {counts['failed']:,} failed · "
                 f"{counts['uncertain']:,} uncertain · {counts['queued'] + counts['sending']:,} "
                 f"left · {counts['skipped']:,} left out")
can_send = session.user().can("send_mail")
sending = st.session_state.get("sending") == mailing_id
left = counts["queued"] + counts["sending"]

if can_send and left:
    if sending and appeal_ui.daily_limit_reached(book):
        st.info(f"Today's limit of {book.settings.send_per_day:,} messages is reached; the "
                f"rest waits. Press Resume tomorrow, or let cron run "
                f"`python -m steward send {plain(mailing_id)}`.")
        st.session_state.pop("sending", None)
        sending = False
    if sending:
        if st.button("Pause"):
            st.session_state.pop("sending", None)
            st.rerun()
        config = appeal_ui.mail_config()
        if config is not None:
            fields = data.derived("merge", lambda b, ids, day: merge_fields(
                b, list(ids), day), tuple(r.person_id for r in log.recipients(mailing_id)),
                data.today())
            try:
                appeal_ui.send_chunk(mailing.to_dict(), fields, config, book)
            except (OSError, Uncertain) as error:
                st.error(f"The mail server could not be reached ({plain(error)}); nothing "
                         f"more was sent. Check [email] in secrets.toml, then Resume.")
                st.session_state.pop("sending", None)
                st.stop()
            st.rerun()
    elif st.button("Resume sending", type="primary"):
        st.session_state["sending"] = mailing_id
        st.rerun()
elif can_send and mailing["status"] == "sending" and not left:
    data.save(lambda: data.store().update(
        "mailings", mailing_id, {"status": "sent", "sent_at": datetime.now()},
        mailing.to_dict()), "Appeal sent.")
    st.session_state.pop("sending", None)
    st.rerun()

st.subheader("Recipients")
recipients = pd.DataFrame([vars(r) for r in log.recipients(mailing_id)])
if recipients.empty:
    st.stop()
status = st.selectbox("Show", ["all", "sent", "failed", "uncertain", "skipped", "queued"],
                      key="mailing_status")
shown = recipients if status == "all" else recipients[recipients["status"] == status]
# The outbox journal keeps times as ISO text; shown as times, they read like every other.
when = pd.to_datetime(shown["sent_at"].where(shown["sent_at"] != ""), errors="coerce")
columns.table(shown[["person_id", "name", "email", "status", "attempts", "sent_at", "error"]]
              .assign(sent_at=when))
downloads.button("Download as CSV", lambda: to_safe_csv(shown), f"{mailing_id}.csv", "text/csv",
                 on_click="ignore")
if can_send:
    stuck = recipients[recipients["status"].isin(["uncertain", "failed"])]
    if not stuck.empty:
        st.text(f"{len(stuck)} messages failed or may not have arrived. Uncertain ones may "
                f"have arrived: resending could give those people a second copy.")
        pick = st.multiselect("Messages", list(stuck["person_id"]), key="mailing_stuck",
                              format_func=dict(zip(stuck["person_id"], stuck["name"],
                                                   strict=True)).get)
        resend, drop = st.columns(2)
        for label, again, column in (("Send again", True, resend), ("Drop", False, drop)):
            if column.button(label, disabled=not pick, key=f"mailing_{label}"):
                for person_id in pick:
                    log.resolve(mailing_id, person_id, resend=again)
                st.rerun()

"""The page an unsubscribe link opens: no sign-in, a verified token, one confirm button
(mail scanners open links; they do not press buttons)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from mailers import unsubscribe
from pages.common import data
from rules.privacy import email_hash
from rules.roles import Role, User
from storage import StoreError
from storage.signed_in import SignedInStore

#: Who the audit trail names for a change made by a recipient through their link.
LINK_USER = User(email="recipient (unsubscribe link)", role=Role.STAFF)


def is_unsubscribe_link() -> bool:
    return {"m", "p", "t"} <= set(st.query_params)


def page() -> None:
    st.title("Unsubscribe")
    secret = str(data.secrets().get("email", {}).get("unsubscribe_secret", ""))
    mailing_id, person_id, token = (st.query_params.get(k, "") for k in ("m", "p", "t"))
    if not secret or not unsubscribe.verify(secret, mailing_id, person_id, token):
        st.error("This unsubscribe link is not valid (it may have been changed or cut short). "
                 "Reply to the email and we will take you off the list by hand.")
        return
    if not st.button("Unsubscribe me from these emails", type="primary"):
        st.text("Press the button to stop receiving these emails.")
        return
    book = data.shared_workbook()
    person = book.row("people", person_id)
    if person is None:
        st.success("You are unsubscribed.")
        return
    suppressed = email_hash(str(person["email"])) in set(book.frame("suppressions")[
        "email_sha256"])
    changes = unsubscribe.opt_out_changes(person.to_dict(), suppressed, mailing_id,
                                          datetime.now())
    try:
        SignedInStore(data.backend(), LINK_USER).commit(changes)
    except StoreError:
        st.error("We could not record that just now. Please try the link again in a "
                 "minute, or reply to the email.")
        return
    finally:
        data.refresh()
    st.success("You are unsubscribed. We are sorry to see you go.")

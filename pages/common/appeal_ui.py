"""What the appeal pages share: the mail settings, the journal, and sending a mailing a
chunk per page run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import streamlit as st

from mailers.config import MailConfig, MailConfigError
from mailers.journal import Journal
from mailers.messages import Footer, build_message
from mailers.outbox import Limits, send_mailing
from mailers.sender import Refused, SmtpSender, Uncertain
from mailers.starting import mail_problem
from mailers.templates import Rendered
from pages.common import data
from pages.common.safe import plain
from sheets_schema.workbook import Workbook

#: A page run sends for at most this long, then reruns, so the page stays responsive and a
#: closed tab just stops the sending (Resume picks it up).
CHUNK_S = 10.0


def mail_config() -> MailConfig | None:
    """The [email] settings, or None after saying what is missing."""
    try:
        return MailConfig.from_sources(data.secrets())
    except MailConfigError as error:
        st.warning(plain(error))
        return None


def sending_problem(book: Workbook) -> str:
    """Why appeals cannot be sent yet (said at the top of the page, before anyone writes
    one), or "" when the mail settings are complete."""
    problem = mail_problem(data.secrets(), book.settings.org_address)
    if problem:
        st.warning(plain(f"Appeals cannot be sent yet: {problem} Until then you can write "
                         f"and preview one, but not start it."))
    return problem


@st.cache_resource
def _journal(path: str) -> Journal:
    return Journal(path)


def journal_path(secrets: Mapping[str, Any], sqlite_path: str) -> str:
    """Where the per-message journal lives: beside the SQLite file unless [email] journal
    says otherwise (writes there are cheap; the sheet gets them in batches)."""
    return str(secrets.get("email", {}).get("journal") or
               Path(sqlite_path).with_name("outbox-journal.sqlite3"))


def journal() -> Journal:
    return _journal(journal_path(data.secrets(), data.config().sqlite_path))


def send_chunk(mailing: Mapping[str, Any], fields: Mapping[str, Mapping[str, str]],
               config: MailConfig, book: Workbook) -> dict[str, int]:
    """Send for up to CHUNK_S seconds, then bring the sheet's outbox up to date."""
    settings = book.settings
    return send_mailing(journal(), mailing, fields, config,
                        Footer(settings.org_name, settings.org_address), data.store(),
                        limits=Limits(settings.send_per_minute, settings.send_per_day),
                        seconds=CHUNK_S)


def daily_limit_reached(book: Workbook) -> bool:
    """True when the last 24 hours used up the provider's daily allowance."""
    return journal().sent_since(datetime.now() - timedelta(days=1)) >= \
        book.settings.send_per_day


def send_test(rendered: Rendered, to: str, person_id: str, book: Workbook) -> None:
    """Send one message exactly as a recipient would get it, marked as a test, to `to`."""
    config = mail_config()
    if config is None:
        return
    settings = book.settings
    test = Rendered(f"[Test] {rendered.subject}", rendered.text, rendered.html)
    try:
        message = build_message(test, to_name="", to_email=to, mailing_id="TEST",
                                person_id=person_id, config=config,
                                footer=Footer(settings.org_name, settings.org_address),
                                now=datetime.now())
        with SmtpSender(config) as sender:
            sender.send(message)
    except (ValueError, Refused, Uncertain, OSError) as error:
        st.error(f"The test was not sent: {plain(error)}")
        return
    st.success(f"Test sent to {plain(to)}.")

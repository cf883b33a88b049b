"""Sending through a real SMTP server on 127.0.0.1: each recipient once, one connection,
the outbox synced to the sheet in batches."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from mailers.config import MailConfig
from mailers.journal import Journal, Recipient
from mailers.messages import Footer, build_message
from mailers.outbox import Limits, outbox_id, send_queued, sync_outbox
from mailers.sender import SmtpSender
from mailers.templates import render
from storage import Store
from tests.smtp_server import Inbox

FOOTER = Footer("Riverside Community Association", "12 River Street, Cambridge, MA 02139")
FAST = Limits(per_minute=1_000_000, per_day=1_000_000)


def builder(config: MailConfig):  # type: ignore[no-untyped-def]
    def build(r: Recipient):  # type: ignore[no-untyped-def]
        return build_message(render("Our winter appeal", "Dear {{ name }},\n\nThank you.",
                                    {"name": r.name}), to_name=r.name, to_email=r.email,
                             mailing_id=r.mailing_id, person_id=r.person_id, config=config,
                             footer=FOOTER, now=datetime(2026, 12, 1, 9))
    return build


def queue(journal: Journal, n: int, mailing: str = "ML-1") -> None:
    journal.enqueue(mailing, [(f"P{i:04d}", f"p{i:04d}@example.org", f"Person {i}")
                              for i in range(n)])


def test_a_thousand_recipients_get_one_message_each_over_one_connection(
    inbox: Inbox, mail_config: MailConfig, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    queue(journal, 1000)
    with SmtpSender(mail_config) as sender:
        counts = send_queued(journal, "ML-1", sender, builder(mail_config), limits=FAST,
                             sleep=lambda s: None)
    assert counts["sent"] == 1000 and counts["queued"] == counts["uncertain"] == 0
    assert sender.connections == 1
    ids = [m["Message-ID"] for m in inbox.messages]
    assert len(ids) == len(set(ids)) == 1000
    first = inbox.to("p0007@example.org")
    assert len(first) == 1 and first[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Dear Person 7" in first[0].get_body(("plain",)).get_content()


def test_queueing_twice_queues_nobody_twice(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    queue(journal, 10)
    queue(journal, 12)
    assert journal.counts("ML-1")["queued"] == 12


def test_a_refused_address_is_failed_with_the_servers_words_and_the_rest_go(
    inbox: Inbox, mail_config: MailConfig, tmp_path: Path
) -> None:
    inbox.refuse["p0003@example.org"] = (550, "No such mailbox")
    journal = Journal(tmp_path / "journal.sqlite3")
    queue(journal, 5)
    with SmtpSender(mail_config) as sender:
        counts = send_queued(journal, "ML-1", sender, builder(mail_config), limits=FAST)
    assert counts["sent"] == 4 and counts["failed"] == 1
    assert "550 No such mailbox" in journal.get("ML-1", "P0003").error


def test_the_daily_limit_stops_the_run_and_the_rest_waits_queued(
    inbox: Inbox, mail_config: MailConfig, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    queue(journal, 10)
    with SmtpSender(mail_config) as sender:
        counts = send_queued(journal, "ML-1", sender, builder(mail_config),
                             limits=Limits(per_minute=1_000_000, per_day=7), sent_today=3)
    assert counts["sent"] == 4 and counts["queued"] == 6 and len(inbox.messages) == 4


def test_a_message_left_sending_by_a_crash_becomes_uncertain_and_is_not_resent(
    inbox: Inbox, mail_config: MailConfig, tmp_path: Path
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    queue(journal, 3)
    journal.claim("ML-1", 1)  # a run claimed P0000, then died before the server answered
    with SmtpSender(mail_config) as sender:
        counts = send_queued(journal, "ML-1", sender, builder(mail_config), limits=FAST)
    assert counts == {**counts, "sent": 2, "uncertain": 1}
    assert not inbox.to("p0000@example.org")
    journal.resolve("ML-1", "P0000", resend=True)
    with SmtpSender(mail_config) as sender:
        send_queued(journal, "ML-1", sender, builder(mail_config), limits=FAST)
    assert len(inbox.to("p0000@example.org")) == 1


@pytest.mark.parametrize("backend", ["sheets"])
def test_the_outbox_of_a_thousand_messages_reaches_the_sheet_in_under_25_requests(
    inbox: Inbox, mail_config: MailConfig, tmp_path: Path, store: Store, emulator: object
) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    queue(journal, 1000)
    emulator.reset_counts()  # type: ignore[attr-defined]
    sync_outbox(journal, "ML-1", store)  # everyone queued: the rows are added
    sent = 0

    def every_hundred(j: Journal) -> None:
        nonlocal sent
        sent += 1
        if sent % 100 == 0:
            sync_outbox(j, "ML-1", store)

    with SmtpSender(mail_config) as sender:
        send_queued(journal, "ML-1", sender, builder(mail_config), limits=FAST,
                    after_each=every_hundred)
    sync_outbox(journal, "ML-1", store)
    requests = emulator.counts["read"] + emulator.counts["write"]  # type: ignore[attr-defined]
    assert requests <= 25, requests
    outbox = store.load(["outbox"]).frame("outbox")
    assert len(outbox) == 1000 and set(outbox["status"]) == {"sent"}
    assert outbox_id("ML-1", "P0042") in set(outbox["id"])

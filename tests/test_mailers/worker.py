"""A sending process for the crash test: `python -m tests.test_mailers.worker JOURNAL PORT`
sends what is queued in JOURNAL to the SMTP server on 127.0.0.1:PORT, as the app would."""

from __future__ import annotations

import sys

from mailers.config import MailConfig
from mailers.journal import Journal
from mailers.outbox import Limits, send_queued
from mailers.sender import SmtpSender
from tests.test_mailers.test_sending import builder


def main(journal_path: str, port: int) -> None:
    config = MailConfig(host="127.0.0.1", port=port, security="none",
                        sender="appeals@riverside.example.org",
                        unsubscribe_url="http://localhost:8501/unsubscribe",
                        unsubscribe_secret="a-test-secret-of-some-length")
    journal = Journal(journal_path)
    with SmtpSender(config) as sender:
        send_queued(journal, "ML-1", sender, builder(config),
                    limits=Limits(per_minute=3000, per_day=1_000_000))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

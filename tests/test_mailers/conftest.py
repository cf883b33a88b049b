"""Mail settings pointing at the test SMTP server (`inbox`, from tests/conftest.py)."""

from __future__ import annotations

import pytest

from mailers.config import MailConfig
from tests.smtp_server import Inbox


@pytest.fixture
def mail_config(inbox: Inbox) -> MailConfig:
    return MailConfig(host="127.0.0.1", port=inbox.port, security="none",  # type: ignore[attr-defined]
                      sender="appeals@riverside.example.org",
                      sender_name="Riverside Community Association",
                      unsubscribe_url="http://localhost:8501/unsubscribe",
                      unsubscribe_secret="a-test-secret-of-some-length")

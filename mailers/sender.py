"""The SMTP connection: yagmail logs in once and carries every message of a run.

yagmail's own `send()` reconnects and logs in for every message and builds messages we do
not want (see the mail notes), so we use only its connection: `login()` once, then
`smtp.send_message` for each message we built. TLS always verifies the server's
certificate. What SMTP answers decides what the outbox records:
- 250: sent;
- a 4xx "try later" (421, 450, 451, 452, 454): wait and try the same message again, since
  the server said it did not take it;
- a 5xx refusal: failed, with the server's words;
- the connection dropping while a message is in flight: nobody knows whether it arrived,
  so it is `Uncertain` (never resent by itself); the next message reconnects.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import yagmail

from .config import MailConfig

__all__ = ["Refused", "SmtpSender", "Uncertain"]

TRY_LATER = {421, 450, 451, 452, 454}


class Refused(Exception):
    """The server refused this message for good (5xx); the reason is its own words."""


class Uncertain(Exception):
    """The connection broke while the message was in flight: it may have arrived."""


class SmtpSender:
    """Use as a context manager: one connection and one login for the whole run."""

    def __init__(self, config: MailConfig, *, retries: int = 4,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.config, self.retries, self.sleep = config, retries, sleep
        self._client: Any = None
        self.connections = 0

    def _connect(self) -> None:
        config = self.config
        context = ssl.create_default_context()
        options: dict[str, Any] = {
            "user": config.user or config.sender,
            "password": config.password or None,
            "host": config.host,
            "port": config.port,
            "smtp_ssl": config.security == "ssl",
            "smtp_starttls": {"context": context} if config.security == "starttls" else False,
            "smtp_skip_login": not config.user,
            "soft_email_validation": False,
        }
        if config.security == "ssl":
            options["context"] = context
        if config.oauth2_file:
            options.update(oauth2_file=config.oauth2_file, password=None,
                           smtp_skip_login=False)
        client = yagmail.SMTP(**options)
        client.login()
        self._client = client
        self.connections += 1

    def __enter__(self) -> SmtpSender:
        self._connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            except (smtplib.SMTPException, OSError):
                pass
            self._client = None

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; raises Refused or Uncertain (see the module)."""
        for attempt in range(self.retries + 1):
            if self._client is None:
                self._connect()
            try:
                self._client.smtp.send_message(message)
                return
            except smtplib.SMTPRecipientsRefused as error:
                code, reply = next(iter(error.recipients.values()))
                if code in TRY_LATER and attempt < self.retries:
                    self.sleep(min(60.0, 2.0 ** attempt))
                    continue
                raise Refused(f"{code} {_text(reply)}") from error
            except smtplib.SMTPResponseException as error:
                if error.smtp_code in TRY_LATER and attempt < self.retries:
                    if error.smtp_code == 421:
                        self.close()  # 421 closes the connection
                    self.sleep(min(60.0, 2.0 ** attempt))
                    continue
                raise Refused(f"{error.smtp_code} {_text(error.smtp_error)}") from error
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                self.close()
                raise Uncertain(str(error)) from error


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)

"""One appeal message, built with the standard library (yagmail only carries it).

Every message has its own Message-ID derived from the outbox row (the same recipient of the
same mailing always gets the same id, so a resend is recognisable), From/To/Subject/Date once
each, distinct plain-text and HTML parts, the organisation's postal address and a visible
unsubscribe link in the footer, and RFC 8058 one-click unsubscribe headers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from . import unsubscribe
from .config import MailConfig
from .templates import Rendered

__all__ = ["Footer", "build_message", "message_id"]


@dataclass(frozen=True)
class Footer:
    org_name: str
    org_address: str


def _header(value: str) -> str:
    """A merged value made safe for a header: no CR or LF can start another header."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def message_id(mailing_id: str, person_id: str, domain: str) -> str:
    return f"<{_header(mailing_id)}.{_header(person_id)}@{domain}>"


def build_message(
    rendered: Rendered,
    *,
    to_name: str,
    to_email: str,
    mailing_id: str,
    person_id: str,
    config: MailConfig,
    footer: Footer,
    now: datetime,
) -> EmailMessage:
    """The message to one recipient; refuses a footer without a postal address (CAN-SPAM)."""
    if not footer.org_address.strip():
        raise ValueError("The organisation's postal address is not set (settings: "
                         "org_address); every appeal must carry it, so nothing was sent.")
    stop = unsubscribe.link(config.unsubscribe_url, config.unsubscribe_secret, mailing_id,
                            person_id)
    message = EmailMessage()
    message["From"] = formataddr((_header(config.sender_name or footer.org_name),
                                  config.sender))
    message["To"] = formataddr((_header(to_name), _header(to_email)))
    message["Subject"] = _header(rendered.subject)
    message["Date"] = format_datetime(now.astimezone())
    message["Message-ID"] = message_id(mailing_id, person_id, config.domain)
    message["List-Unsubscribe"] = f"<{stop}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text_footer = (f"\n\n--\n{footer.org_name}\n{footer.org_address}\n"
                   f"To stop receiving these emails: {stop}\n")
    message.set_content(rendered.text.rstrip() + text_footer)
    html_footer = (
        f'<hr><p style="font-size:small">{html.escape(footer.org_name)}<br>'
        f'{html.escape(footer.org_address)}<br>'
        f'<a href="{html.escape(stop, quote=True)}">Unsubscribe</a></p>'
    )
    message.add_alternative(f"<!doctype html><html><body>{rendered.html}{html_footer}"
                            f"</body></html>", subtype="html")
    return message

"""Sending a mailing from its journal, and keeping the sheet's `outbox` tab up to date.

`send_queued` is resumable by design: it can be stopped at any point (a closed browser tab,
a killed process, a redeploy) and run again; it claims one message at a time, so a crash
leaves at most the one message in flight `uncertain`. `sync_outbox` writes the journal's
changes to the store's `outbox` tab as one commit, so a 1,000-recipient appeal costs the
Google Sheet about two requests per hundred messages, not one per message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from sheets_schema.changes import ChangeSet

from .config import MailConfig
from .journal import Journal, Recipient
from .messages import Footer, build_message
from .sender import Refused, SmtpSender, Uncertain
from .templates import render

__all__ = ["Limits", "message_builder", "outbox_id", "send_mailing", "send_queued",
           "sync_outbox"]


class Sender(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class OutboxStore(Protocol):
    def commit(self, changes: ChangeSet, *, skip_conflicts: bool = ..., audit: Any = ...
               ) -> Any: ...


@dataclass(frozen=True)
class Limits:
    """The provider's sending limits (settings send_per_minute, send_per_day)."""

    per_minute: int = 60
    per_day: int = 500


def outbox_id(mailing_id: str, person_id: str) -> str:
    """The `outbox` tab's id of one recipient of one mailing (stable, so syncs find it)."""
    return f"OB-{mailing_id}-{person_id}"


def send_queued(
    journal: Journal,
    mailing_id: str,
    sender: Sender,
    build: Callable[[Recipient], EmailMessage],
    *,
    limits: Limits = Limits(),
    sent_today: int = 0,
    clock: Callable[[], datetime] = datetime.now,
    sleep: Callable[[float], None] = time.sleep,
    after_each: Callable[[Journal], None] = lambda journal: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, int]:
    """Send every queued message of `mailing_id` once, within the limits; returns the
    journal's counts. A message that cannot be built (a template error) or that the server
    refuses is `failed` with the reason; the run goes on."""
    journal.recover(mailing_id)
    gap = 60.0 / max(1, limits.per_minute)
    budget = max(0, limits.per_day - sent_today)
    while budget > 0 and not should_stop():
        claimed = journal.claim(mailing_id, 1)
        if not claimed:
            break
        recipient = claimed[0]
        try:
            message = build(recipient)
        except ValueError as error:
            journal.mark(mailing_id, recipient.person_id, "failed", error=str(error))
            continue
        started = time.monotonic()
        try:
            sender.send(message)
        except Refused as error:
            journal.mark(mailing_id, recipient.person_id, "failed", error=str(error))
        except Uncertain as error:
            journal.mark(mailing_id, recipient.person_id, "uncertain",
                         error=f"the connection broke while sending ({error})")
        else:
            journal.mark(mailing_id, recipient.person_id, "sent",
                         message_id=str(message["Message-ID"]), at=clock())
            budget -= 1
        after_each(journal)
        wait = gap - (time.monotonic() - started)
        if wait > 0:
            sleep(wait)
    return journal.counts(mailing_id)


def _row(recipient: Recipient) -> dict[str, Any]:
    return {
        "id": outbox_id(recipient.mailing_id, recipient.person_id),
        "mailing_id": recipient.mailing_id,
        "person_id": recipient.person_id,
        "email": recipient.email,
        "status": recipient.status,
        "attempts": recipient.attempts,
        "sent_at": datetime.fromisoformat(recipient.sent_at) if recipient.sent_at else None,
        "message_id": recipient.message_id,
        "error": recipient.error,
    }


def sync_outbox(journal: Journal, mailing_id: str, store: OutboxStore) -> int:
    """Bring the store's `outbox` tab up to date with the journal: new recipients appended,
    changed ones edited by id, in one commit (one read and one write on Google Sheets).
    The journal is the record of what was sent, so its state replaces the row's status
    cells without a conflict check. Returns the rows written."""
    changed = journal.changed_since_sync(mailing_id)
    if not changed:
        return 0
    changes = ChangeSet(audit_summary=f"outbox of {mailing_id}: {len(changed)} messages "
                        f"updated", audit_action="mail")
    fields = ("status", "attempts", "sent_at", "message_id", "error")
    for recipient, in_store in changed:
        row = _row(recipient)
        if in_store:
            changes.edit("outbox", row["id"], {f: row[f] for f in fields}, {})
        else:
            changes.append("outbox", row)
    store.commit(changes)
    journal.mark_synced(mailing_id, [recipient for recipient, _ in changed])
    return len(changed)


def message_builder(mailing: Mapping[str, Any], fields: Mapping[str, Mapping[str, str]],
                    config: MailConfig, footer: Footer,
                    clock: Callable[[], datetime] = datetime.now
                    ) -> Callable[[Recipient], EmailMessage]:
    """Builds each recipient's message from the mailing's templates and their fields."""

    def build(recipient: Recipient) -> EmailMessage:
        values = fields.get(recipient.person_id) or {"name": recipient.name,
                                                     "email": recipient.email}
        rendered = render(str(mailing["subject"]), str(mailing["body_template"]), values)
        return build_message(rendered, to_name=recipient.name, to_email=recipient.email,
                             mailing_id=str(mailing["id"]), person_id=recipient.person_id,
                             config=config, footer=footer, now=clock())

    return build


def send_mailing(
    journal: Journal,
    mailing: Mapping[str, Any],
    fields: Mapping[str, Mapping[str, str]],
    config: MailConfig,
    footer: Footer,
    store: OutboxStore,
    *,
    limits: Limits = Limits(),
    seconds: float | None = None,
    sync_every: int = 100,
) -> dict[str, int]:
    """Send what is queued (for at most `seconds`, when given) over one SMTP connection,
    bringing the store's outbox up to date every `sync_every` messages and at the end."""
    mailing_id = str(mailing["id"])
    deadline = None if seconds is None else time.monotonic() + seconds
    handled = [0]

    def after_each(j: Journal) -> None:
        handled[0] += 1
        if handled[0] % sync_every == 0:
            sync_outbox(j, mailing_id, store)

    day_ago = datetime.now() - timedelta(days=1)
    with SmtpSender(config) as sender:
        counts = send_queued(
            journal, mailing_id, sender, message_builder(mailing, fields, config, footer),
            limits=limits, sent_today=journal.sent_since(day_ago), after_each=after_each,
            should_stop=lambda: deadline is not None and time.monotonic() > deadline)
    sync_outbox(journal, mailing_id, store)
    return counts

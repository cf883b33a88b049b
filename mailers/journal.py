"""The outbox journal: one row per (mailing, recipient), in a SQLite file beside the app.

Sending exactly once is as much as SMTP allows (RFC 1047): a message is claimed
(`queued -> sending`) durably before it is handed to the server and marked `sent` after the
server's 250. A crash between the two leaves it `sending`; the next run turns every such row
into `uncertain`, for a person to resend or drop, and never sends it by itself. Writes here
are cheap (Google Sheets allows 60 a minute), so the sheet's `outbox` tab is brought up to
date from this journal in batches (`changed_since` / `mark_synced`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["Journal", "Recipient", "STATUSES"]

STATUSES = ("queued", "sending", "sent", "failed", "skipped", "uncertain")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    mailing_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    message_id TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    sent_at TEXT NOT NULL DEFAULT '',
    changed INTEGER NOT NULL DEFAULT 1,
    in_store INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailing_id, person_id)
);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (mailing_id, status);
"""


@dataclass(frozen=True)
class Recipient:
    mailing_id: str
    person_id: str
    email: str
    name: str = ""
    status: str = "queued"
    attempts: int = 0
    message_id: str = ""
    error: str = ""
    sent_at: str = ""


class Journal:
    """The journal in `path` (several processes may share it: each change is one short
    `BEGIN IMMEDIATE` transaction)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a claim must survive a power cut
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def enqueue(self, mailing_id: str, recipients: Iterable[tuple[str, str, str]],
                skipped: Iterable[tuple[str, str, str, str]] = ()) -> int:
        """Queue (person_id, email, name) for `mailing_id`; a person already queued for it
        is not queued again, so starting twice sends nobody two copies. `skipped` records
        (person_id, email, name, why) of people left out. Returns how many were new."""
        with self._write() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO outbox (mailing_id, person_id, email, name, status) "
                "VALUES (?, ?, ?, ?, 'queued')",
                [(mailing_id, p, e, n) for p, e, n in recipients])
            added = db.total_changes - before
            db.executemany(
                "INSERT OR IGNORE INTO outbox (mailing_id, person_id, email, name, status, "
                "error) VALUES (?, ?, ?, ?, 'skipped', ?)",
                [(mailing_id, p, e, n, why) for p, e, n, why in skipped])
        return added

    def recover(self, mailing_id: str) -> int:
        """Rows a dead run left `sending` become `uncertain` (call before a new run)."""
        with self._write() as db:
            return db.execute(
                "UPDATE outbox SET status = 'uncertain', changed = 1, error = 'the app "
                "stopped while this message was being sent; it may or may not have arrived' "
                "WHERE mailing_id = ? AND status = 'sending'", (mailing_id,)).rowcount

    def claim(self, mailing_id: str, limit: int) -> list[Recipient]:
        """Up to `limit` queued rows, marked `sending` before they are sent."""
        with self._write() as db:
            rows = db.execute(
                "SELECT person_id FROM outbox WHERE mailing_id = ? AND status = 'queued' "
                "ORDER BY rowid LIMIT ?", (mailing_id, limit)).fetchall()
            db.executemany(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, changed = 1 "
                "WHERE mailing_id = ? AND person_id = ?", [(mailing_id, r[0]) for r in rows])
        return [self.get(mailing_id, r[0]) for r in rows]

    def mark(self, mailing_id: str, person_id: str, status: str, *, message_id: str = "",
             error: str = "", at: datetime | None = None) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown outbox status {status!r}")
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET status = ?, message_id = ?, error = ?, sent_at = ?, "
                "changed = 1 WHERE mailing_id = ? AND person_id = ?",
                (status, message_id, error[:500], at.isoformat(timespec="seconds") if at else "",
                 mailing_id, person_id))

    def resolve(self, mailing_id: str, person_id: str, resend: bool) -> None:
        """A person's decision on an uncertain or failed message: send again, or drop."""
        with self._write() as db:
            db.execute(
                "UPDATE outbox SET status = ?, changed = 1, error = ? WHERE mailing_id = ? "
                "AND person_id = ? AND status IN ('uncertain', 'failed')",
                ("queued" if resend else "skipped", "" if resend else "dropped by staff",
                 mailing_id, person_id))

    def get(self, mailing_id: str, person_id: str) -> Recipient:
        row = self._db().execute(
            "SELECT mailing_id, person_id, email, name, status, attempts, message_id, error, "
            "sent_at FROM outbox WHERE mailing_id = ? AND person_id = ?",
            (mailing_id, person_id)).fetchone()
        if row is None:
            raise KeyError(f"{person_id} is not in the outbox of {mailing_id}")
        return Recipient(*row)

    def recipients(self, mailing_id: str, status: str | None = None) -> list[Recipient]:
        sql = ("SELECT mailing_id, person_id, email, name, status, attempts, message_id, "
               "error, sent_at FROM outbox WHERE mailing_id = ?")
        args: tuple[str, ...] = (mailing_id,)
        if status:
            sql, args = sql + " AND status = ?", (mailing_id, status)
        return [Recipient(*row) for row in self._db().execute(sql + " ORDER BY rowid", args)]

    def counts(self, mailing_id: str) -> dict[str, int]:
        rows = self._db().execute(
            "SELECT status, COUNT(*) FROM outbox WHERE mailing_id = ? GROUP BY status",
            (mailing_id,)).fetchall()
        return {status: 0 for status in STATUSES} | dict(rows)

    def sent_since(self, since: datetime) -> int:
        """Messages any mailing sent since `since` (the provider's limit is per day)."""
        (count,) = self._db().execute(
            "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at >= ?",
            (since.isoformat(timespec="seconds"),)).fetchone()
        return int(count)

    def changed_since_sync(self, mailing_id: str) -> list[tuple[Recipient, bool]]:
        """Rows whose state the store has not seen yet, each with whether the store has the
        row at all (else it is to be added)."""
        rows = self._db().execute(
            "SELECT mailing_id, person_id, email, name, status, attempts, message_id, error, "
            "sent_at, in_store FROM outbox WHERE mailing_id = ? AND changed = 1 ORDER BY rowid",
            (mailing_id,)).fetchall()
        return [(Recipient(*row[:-1]), bool(row[-1])) for row in rows]

    def mark_synced(self, mailing_id: str, synced: Iterable[Recipient]) -> None:
        """The store now holds these rows as they were; a row changed since stays marked."""
        with self._write() as db:
            db.executemany(
                "UPDATE outbox SET in_store = 1, changed = CASE WHEN status = ? AND "
                "attempts = ? THEN 0 ELSE 1 END WHERE mailing_id = ? AND person_id = ?",
                [(r.status, r.attempts, mailing_id, r.person_id) for r in synced])

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

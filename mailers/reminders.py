"""Renewal reminders by email, through the same outbox as appeals.

The `reminders` tab is the record that a reminder (a term at an offset) was given, so no
run gives it twice; email follows from that record. Each day's reminders form one mailing
(`RM-YYYYMMDD`), and queueing a recorded reminder is idempotent, so a run that stopped
after recording but before sending is completed by the next run, never doubled.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from .segments import Definition, Facts, audience

__all__ = ["mailing_id", "missing_mailings", "queue_of", "reminder_mailing"]

#: Reminders recorded this many days ago or less are still queued for email on a run.
CATCH_UP_DAYS = 7


def mailing_id(day: date) -> str:
    """``mailing_id(date(2026, 12, 1)) == "RM-20261201"``."""
    return f"RM-{day:%Y%m%d}"


def reminder_mailing(day: date, subject: str, body: str, by: str) -> dict[str, Any]:
    """The `mailings` row of one day's renewal reminders."""
    return {"id": mailing_id(day), "name": f"Renewal reminders {day:%Y-%m-%d}",
            "subject": subject, "body_template": body, "status": "sending", "created_by": by}


def queue_of(reminders: pd.DataFrame, people: pd.DataFrame, suppressed: frozenset[str],
             today: date) -> dict[str, tuple[list[tuple[str, str, str]],
                                              list[tuple[str, str, str, str]]]]:
    """For each day's reminder mailing of the last CATCH_UP_DAYS: who to queue (person id,
    address, name) and who is left out with the reason (no address, opted out...)."""
    since = pd.Timestamp(today - timedelta(days=CATCH_UP_DAYS))
    # "sent" rows were given to email; "listed" ones were handed out some other way.
    recent = reminders[(reminders["created_at"] >= since) & (reminders["status"] == "sent")]
    out: dict[str, tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]] = {}
    facts = Facts(as_of=today, suppressed=suppressed)
    for day, rows in recent.groupby(recent["created_at"].dt.date):
        wanted = people[people["id"].isin(set(rows["person_id"]))]
        chosen = audience(wanted, Definition(), facts)
        out[mailing_id(day)] = (
            [(r["person_id"], r["email"], r["name"])
             for r in chosen.included.to_dict("records")],
            [(r["person_id"], str(r["email"]), r["name"], r["reason"])
             for r in chosen.excluded.to_dict("records")],
        )
    return out


def missing_mailings(existing: pd.DataFrame, queues: Mapping[str, Any], subject: str,
                     body: str, by: str) -> list[dict[str, Any]]:
    """The reminder mailing rows that `queues` needs and the `mailings` tab lacks."""
    have = set(existing["id"])
    return [reminder_mailing(datetime.strptime(mid[3:], "%Y%m%d").date(), subject, body, by)
            for mid in queues if mid not in have]

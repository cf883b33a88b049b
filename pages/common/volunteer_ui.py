"""What the volunteer pages share: who the signed-in volunteer is in the people tab, names
to pick people by, saving a ChangeSet, and the last save's message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from mailers.segments import Definition, Facts, audience
from mailers.templates import literal
from pages.common import data, session
from pages.common.appeal_form import start_mailing
from pages.common.membership_ui import downloads
from pages.common.safe import plain
from rules.people import display_name, people_to_offer
from rules.volunteering import VolunteeringError, person_for_email
from sheets_schema.cells import is_blank
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import Workbook

__all__ = ["downloads", "me", "names", "save"]


def names(book: Workbook) -> dict[str, str]:
    """Name (and id) of every person a picker may offer (`people_to_offer`), by id,
    sorted by name."""
    live = people_to_offer(book.frame("people"))
    pairs = [(str(p["id"]), f"{display_name(p)} ({p['id']})") for p in live.to_dict("records")]
    return dict(sorted(pairs, key=lambda pair: pair[1].casefold()))


def me(book: Workbook) -> str | None:
    """The signed-in user's person id, or None after saying why there is none."""
    email = session.user().email
    found = person_for_email(book.frame("people"), email)
    if found is None:
        st.warning(plain(f"The address you signed in with ({email}) has no person record, so "
                         f"there is nothing of yours to show. Ask staff to add a person with "
                         f"that email."))
    return found


def save(make: Any, said: str, clear: tuple[str, ...] = ()) -> None:
    """Build the ChangeSet with `make()` and land it; a refused rule, a conflict or a store
    error is shown as a sentence and nothing is written."""
    try:
        changes: ChangeSet = make()
    except VolunteeringError as error:
        st.error(plain(error))
        return
    if not changes:
        st.info("Nothing changed.")
        return
    data.commit_form(changes, said, clear)


def campaigns(book: Workbook) -> dict[str, str]:
    """Campaign names by id, with "" for none."""
    frame = book.frame("campaigns")
    return {"": "(none)", **dict(zip(frame["id"].astype(str), frame["name"].astype(str),
                                     strict=True))}


def day(value: Any) -> Any:
    return None if is_blank(value) else pd.Timestamp(value).date()


def email_roster(book: Workbook, shift: Mapping[str, Any]) -> str | None:
    """Start a mailing of the shift's details to everyone on it, through the appeals
    outbox (so nobody gets it twice, and opted-out people are left out)."""
    people = book.frame("people")
    on_it = people[people["id"].isin(set(shift["assigned"] or ()))]
    chosen = audience(on_it, Definition(), Facts(
        as_of=shift["date"].date() if hasattr(shift["date"], "date") else shift["date"],
        suppressed=frozenset(book.frame("suppressions")["email_sha256"])))
    when = f"{shift['date']:%A %-d %B %Y}"
    hours = " ".join(f"{t:%H:%M}" for t in (shift.get("start"), shift.get("end"))
                     if not is_blank(t))
    details = f"{shift['activity'] or 'your shift'} on {when} {hours}".strip()
    body = ("Dear {{ first_name }},\n\nThank you for volunteering. You are on the roster "
            "for " + literal(details) + ".\n\nSee you there.\n")
    return start_mailing(book, f"Shift {shift['id']}: {details}",
                         "Your shift: " + literal(details), body, None, "", chosen)

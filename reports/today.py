"""What needs doing today, for the home page: one line per kind of work, each with how many
there are and the page where it is done, and the year so far against last year.

Every count comes from the rule its own page uses (`awaiting_thanks`, `renewals_due`,
`in_grace`, the standing-gift lapse rule, the data-health findings, the outbox journal's
statuses), so the home page can never disagree with the page a line opens. A line appears
only for a role that may open its page and read what it counts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from rules.contacts import due_tasks, open_tasks
from rules.gifts import awaiting_thanks
from rules.health import findings
from rules.roles import Role, can
from sheets_schema.workbook import Workbook

from .fundraising import YearToDate, year_to_date
from .gift_lists import standing_gifts
from .ledger import giving
from .membership import in_grace, latest_terms_of, renewals_due

__all__ = ["Line", "glance", "mail_lines", "task_lines", "work_lines"]

#: Renewals "due this week": terms ending within this many days.
WEEK_DAYS = 7


@dataclass(frozen=True)
class Line:
    """One thing to do: `count` of them, said in `text`, done on `page` (its file)."""

    text: str
    count: int
    page: str
    #: The query string the page needs (an appeal's id, the renewals' window), if any.
    query: tuple[tuple[str, str], ...] = ()


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def work_lines(book: Workbook, as_of: date, role: Role,
               unreadable: Collection[str] = ()) -> list[Line]:
    """The lines of `book` (as `role` may read it) on `as_of` with something to do, most
    urgent first: gifts to thank, renewals due this week, members in grace, standing gifts
    lapsed by the rule, and data problems."""
    lines: list[Line] = []
    if can(role, "read_giving"):
        thanks = len(awaiting_thanks(book.frame("donations")))
        lines.append(Line(f"{_plural(thanks, 'gift awaits', 'gifts await')} a thank-you",
                          thanks, "pages/acknowledgments.py"))
        latest = latest_terms_of(book, as_of)
        due = len(renewals_due(latest, as_of, WEEK_DAYS))
        lines.append(Line(f"{_plural(due, 'membership ends', 'memberships end')} within "
                          f"{WEEK_DAYS} days", due, "pages/renewals.py",
                          (("within", str(WEEK_DAYS)),)))
        grace = len(in_grace(latest))
        lines.append(Line(f"{_plural(grace, 'member is', 'members are')} in grace: their "
                          f"term has ended", grace, "pages/renewals.py"))
        settings = book.settings
        standing = standing_gifts(book.frame("recurring_gifts"), book.frame("people"), as_of,
                                  settings.recurring_lapse_days, settings.recurring_close_days)
        lapsed = int((standing["should_be"] == "lapsed").sum())
        lines.append(Line(f"{_plural(lapsed, 'standing gift has', 'standing gifts have')} "
                          f"lapsed", lapsed, "pages/recurring.py"))
    if can(role, "read_contacts"):
        problems = len(findings(book, unreadable))
        lines.append(Line(f"{_plural(problems, 'data problem', 'data problems')} to fix",
                          problems, "pages/data_health.py"))
    return [line for line in lines if line.count]


def task_lines(book: Workbook, as_of: date, email: str) -> list[Line]:
    """The tasks given to `email` that are overdue or due on `as_of`, each line opening My
    tasks (`contacts.due_tasks`, the rule My tasks lists them by)."""
    due = due_tasks(open_tasks(book.frame("tasks"), assignee=email), as_of)
    lines = [Line(f"{_plural(len(due.overdue), 'task of yours is', 'tasks of yours are')} "
                  f"overdue", len(due.overdue), "pages/my_tasks.py"),
             Line(f"{_plural(len(due.today), 'task of yours is', 'tasks of yours are')} due "
                  f"today", len(due.today), "pages/my_tasks.py")]
    return [line for line in lines if line.count]


def mail_lines(mailings: pd.DataFrame, counts: Mapping[str, Mapping[str, int]],
               role: Role) -> list[Line]:
    """Appeals still sending or paused (status `sending`, messages left in the journal's
    `counts` by mailing id), and messages whose fate is uncertain, each line opening its
    appeal."""
    if not can(role, "read_mail"):
        return []
    lines = []
    for mailing in mailings.to_dict("records"):
        of = counts.get(str(mailing["id"]), {})
        query = (("id", str(mailing["id"])),)
        left = of.get("queued", 0) + of.get("sending", 0)
        if mailing["status"] == "sending" and left:
            lines.append(Line(f"Appeal {mailing['name']}: {_plural(left, 'message', 'messages')}"
                              f" still to send (sending or paused)", left, "pages/mailing.py",
                              query))
        uncertain = of.get("uncertain", 0)
        if uncertain:
            lines.append(Line(f"Appeal {mailing['name']}: "
                              f"{_plural(uncertain, 'message', 'messages')} may or may not have "
                              f"been sent; resend or drop", uncertain, "pages/mailing.py", query))
    return lines


def glance(book: Workbook, as_of: date, role: Role) -> YearToDate | None:
    """This year to `as_of` against last year to the same day (the Fundraising page's
    figures), for a role that may open the dashboards; None for any other."""
    if not can(role, "read_reports"):
        return None
    return year_to_date(giving(book.frame("donations"), as_of,
                               book.settings.fiscal_year_start))

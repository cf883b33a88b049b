"""Who may see and change what: the role matrix, in one table.

Volunteers, staff, directors and admins share one app. The matrix below is the only place
that says what each role may do; the store refuses writes a role may not make
(`storage.signed_in`), the pages see only the tabs and columns a role may read
(`visible_workbook`), and the README shows the same table (`python -m steward roles`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from sheets_schema.cells import CellError, is_blank, parse_bool
from sheets_schema.workbook import Workbook

__all__ = [
    "ACTIONS",
    "Role",
    "User",
    "allowed",
    "can",
    "column_write_action",
    "matrix_markdown",
    "readable_columns",
    "rows_kept",
    "user_for",
    "visible_workbook",
    "write_action",
]


class Role(StrEnum):
    VOLUNTEER = "volunteer"
    STAFF = "staff"
    DIRECTOR = "director"
    ADMIN = "admin"


V, S, D, A = Role.VOLUNTEER, Role.STAFF, Role.DIRECTOR, Role.ADMIN

#: What each action means and which roles may do it. Reading the people tab's contact
#: details is open to every role; everything about money is not.
ACTIONS: dict[str, tuple[str, frozenset[Role]]] = {
    "read_contacts": ("see people and their contact details", frozenset({V, S, D, A})),
    "edit_people": ("add people and correct their details", frozenset({V, S, A})),
    "delete_people": ("delete and restore people", frozenset({S, A})),
    "read_giving": ("see gifts, amounts, memberships' fees, standing gifts",
                    frozenset({S, D, A})),
    "enter_gifts": ("enter new gifts (a batch), without seeing anyone's history",
                    frozenset({V, S, A})),
    "edit_giving": ("change gifts, memberships, standing gifts and campaigns",
                    frozenset({S, A})),
    "read_volunteering": ("see shifts, and their own volunteer profile and hours",
                          frozenset({V, S, D, A})),
    "read_all_volunteering": ("see every volunteer's profile and hours",
                              frozenset({S, D, A})),
    "log_hours": ("log volunteer hours and sign up for shifts", frozenset({V, S, A})),
    "edit_volunteering": ("change volunteer profiles and shifts, approve hours",
                          frozenset({S, A})),
    "log_contacts": ("log contacts with people, and see those not confidential",
                     frozenset({V, S, A})),
    "read_confidential": ("see and log confidential contacts", frozenset({S, A})),
    "edit_contacts": ("correct or delete a logged contact", frozenset({S, A})),
    "close_tasks": ("close the tasks given to them", frozenset({V, S, A})),
    "read_all_tasks": ("see everyone's tasks", frozenset({S, D, A})),
    "manage_tasks": ("give, change and delete anyone's tasks", frozenset({S, A})),
    "import_data": ("import people, gifts, terms and hours from a file, and undo an import",
                    frozenset({S, A})),
    "read_mail": ("see appeals, segments and who was sent what", frozenset({S, D, A})),
    "send_mail": ("write and send appeals", frozenset({S, A})),
    "read_reports": ("open the dashboards", frozenset({S, D, A})),
    "download": ("download tables and charts", frozenset({S, D, A})),
    "read_audit": ("see who changed a person's record", frozenset({S, D, A})),
    "browse_audit": ("search the whole audit trail", frozenset({A})),
    "privacy_export": ("export everything held about a person", frozenset({S, A})),
    "privacy_erase": ("erase a person at their request", frozenset({A})),
    "manage_users": ("add users and set their roles", frozenset({A})),
    "manage_settings": ("change the organisation's settings", frozenset({A})),
}

#: Who may read each tab; a tab not listed is readable by every role.
_TAB_READ = {
    "donations": "read_giving",
    "recurring_gifts": "read_giving",
    "mailings": "read_mail",
    "segments": "read_mail",
    "outbox": "read_mail",
    "suppressions": "read_mail",
    "audit_log": "read_audit",
    "users": "manage_users",
}
#: Columns hidden from roles that may read the tab but not these columns.
_COLUMN_READ = {
    ("memberships", "amount"): "read_giving",
    ("memberships", "donation_id"): "read_giving",
    ("campaigns", "goal"): "read_giving",
    # A level's fee is what its members paid (most pay the fee), so it is giving too.
    ("membership_levels", "fee"): "read_giving",
}
#: Columns that are a permission of their own: a role that may add or change rows of the
#: tab writes these cells (a new row's value other than blank or the default, or any change)
#: only with this action too (`write_rules`).
_COLUMN_WRITE = {
    ("volunteer_hours", "approved"): "edit_volunteering",
    ("people", "deleted_at"): "delete_people",
    ("people", "erased_at"): "privacy_erase",
    ("interactions", "confidential"): "read_confidential",
    **{(name, column): "import_data"
       for name in ("people", "donations", "memberships", "volunteer_hours")
       for column in ("import_id", "import_check")},
}
#: Tabs whose rows a role without `read_all_volunteering` sees only when they are its own
#: (the column holding the person id).
_OWN_ROWS = {"volunteer_hours": "person_id", "volunteers": "id"}
#: Tabs whose rows a role without the action sees only when the column holds its email.
_OWN_BY_EMAIL = {"tasks": ("assignee", "read_all_tasks")}
#: Tabs whose rows flagged in the column only a role with the action sees.
_FLAGGED_ROWS = {"interactions": ("confidential", "read_confidential")}

#: The action that adds, changes or deletes rows of each tab; None: nobody, directly.
_TAB_WRITE: dict[str, tuple[str | None, str | None, str | None]] = {
    # tab: (add, change, delete)
    "people": ("edit_people", "edit_people", "delete_people"),
    "donations": ("enter_gifts", "edit_giving", "edit_giving"),
    "memberships": ("edit_giving", "edit_giving", "edit_giving"),
    "reminders": ("edit_giving", "edit_giving", "edit_giving"),
    "membership_levels": ("edit_giving", "edit_giving", "edit_giving"),
    "recurring_gifts": ("edit_giving", "edit_giving", "edit_giving"),
    "campaigns": ("edit_giving", "edit_giving", "edit_giving"),
    "volunteers": ("edit_volunteering", "edit_volunteering", "edit_volunteering"),
    "volunteer_hours": ("log_hours", "edit_volunteering", "edit_volunteering"),
    "volunteer_shifts": ("edit_volunteering", "log_hours", "edit_volunteering"),
    "interactions": ("log_contacts", "edit_contacts", "edit_contacts"),
    # A volunteer changes only the tasks given to them, and only to close them
    # (`storage.signed_in`).
    "tasks": ("manage_tasks", "close_tasks", "manage_tasks"),
    "segments": ("send_mail", "send_mail", "send_mail"),
    "mailings": ("send_mail", "send_mail", "send_mail"),
    "outbox": ("send_mail", "send_mail", "send_mail"),
    "suppressions": ("send_mail", "manage_settings", "manage_settings"),
    # Whoever may merge people (the Duplicates page) may say two are not the same person.
    "duplicate_dismissals": ("edit_giving", "edit_giving", "edit_giving"),
    "users": ("manage_users", "manage_users", "manage_users"),
    "imports": ("import_data", "import_data", "import_data"),
    "settings": ("manage_settings", "manage_settings", "manage_settings"),
    # The log is added to only beside the write it records; an erasure scrubs its values.
    "audit_log": (None, "privacy_erase", None),
}


@dataclass(frozen=True)
class User:
    """Who is using the app: a signed-in email and the role the `users` tab gives it."""

    email: str
    role: Role
    name: str = ""
    #: Their own row in `people` (matched by email), for what a volunteer may see of
    #: themselves only; blank when they have none.
    person_id: str = ""

    def can(self, action: str) -> bool:
        return can(self.role, action)


def can(role: Role, action: str) -> bool:
    """``can(Role.VOLUNTEER, "read_giving") is False``; an unknown action is a bug."""
    return role in ACTIONS[action][1]


def allowed(role: Role) -> list[str]:
    """The actions `role` may take, in the matrix's order."""
    return [action for action in ACTIONS if can(role, action)]


def write_action(tab_name: str, kind: str) -> str | None:
    """The action needed to `kind` ("add", "change" or "delete") rows of `tab_name`; None
    means nobody does that directly."""
    actions = _TAB_WRITE.get(tab_name)
    if actions is None:
        return None
    return actions[("add", "change", "delete").index(kind)]


def column_write_action(tab_name: str, column: str) -> str | None:
    """The action writing `column` of `tab_name` needs beyond the tab's own add or change
    action, or None: ``column_write_action("volunteer_hours", "approved")`` is
    ``"edit_volunteering"``."""
    return _COLUMN_WRITE.get((tab_name, column))


def readable_columns(role: Role, tab_name: str, columns: list[str]) -> list[str] | None:
    """The columns of `tab_name` that `role` may see, or None when it may not read the tab."""
    action = _TAB_READ.get(tab_name)
    if action is not None and not can(role, action):
        return None
    return [c for c in columns if (tab_name, c) not in _COLUMN_READ
            or can(role, _COLUMN_READ[(tab_name, c)])]


def visible_workbook(book: Workbook, role: Role, person_id: str = "",
                     email: str = "") -> Workbook:
    """The part of `book` that `role` may read. A tab it may not read comes with its
    columns and no rows; a column it may not see is blank in every row; of the volunteer
    tabs, a volunteer gets only the rows about `person_id`, of the tasks only those given
    to `email`, and of the contacts none marked confidential. Pages keep working on the
    same shapes, and a volunteer's session never holds a donation amount, another's hours
    or a confidential conversation."""
    tabs = {}
    for name, parsed in book.tabs.items():
        frame = parsed.frame
        columns = readable_columns(role, name, list(frame.columns))
        if columns is None:
            tabs[name] = type(parsed)(frame.iloc[0:0], [])
            continue
        unreadable = {p.row for p in parsed.problems
                      if name in _FLAGGED_ROWS and p.column == _FLAGGED_ROWS[name][0]}
        keep = rows_kept(name, frame, role, person_id, email, unreadable)
        if keep is not None:
            rows = set(frame.index[keep])
            parsed = type(parsed)(frame[keep], [p for p in parsed.problems if p.row in rows])
            frame = parsed.frame
        if len(columns) == len(frame.columns):
            tabs[name] = parsed
        else:
            hidden = [c for c in frame.columns if c not in columns]
            tabs[name] = type(parsed)(frame.assign(**{c: None for c in hidden}),
                                      [p for p in parsed.problems if p.column not in hidden])
    return Workbook(tabs, read_at=book.read_at)


def rows_kept(name: str, frame: pd.DataFrame, role: Role, person_id: str,
              email: str, unreadable: Collection[int] = ()) -> pd.Series | None:
    """A mask of the rows of tab `name` that `role` may see, or None for all of them.
    `unreadable`: rows (index labels) whose flag cell could not be read, which count as
    flagged."""
    if name in _OWN_ROWS and not can(role, "read_all_volunteering"):
        if not person_id:
            return pd.Series(False, index=frame.index)
        return frame[_OWN_ROWS[name]] == person_id
    if name in _OWN_BY_EMAIL and not can(role, _OWN_BY_EMAIL[name][1]):
        wanted = email.strip().casefold()
        column = frame[_OWN_BY_EMAIL[name][0]].astype(str).str.strip().str.casefold()
        return (column == wanted) & bool(wanted)
    if name in _FLAGGED_ROWS and not can(role, _FLAGGED_ROWS[name][1]):
        flagged = frame[_FLAGGED_ROWS[name][0]].map(_flag_set).astype(bool)
        return ~(flagged | frame.index.isin(list(unreadable)))
    return None


def _flag_set(value: object) -> bool:
    """A flag cell, typed or as typed in a sheet; one that cannot be read counts as set, so
    a confidential contact mistyped as "yes!" is still kept from those it is kept from."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if is_blank(value):
        return False
    try:
        return parse_bool(str(value))
    except CellError:
        return True


def user_for(users: pd.DataFrame, email: str) -> User | None:
    """The active user with this email (matched case-insensitively), or None: an unknown
    or inactive address gets no role at all."""
    wanted = email.strip().casefold()
    if not wanted or users.empty:
        return None
    match = users[users["email"].astype(str).str.strip().str.casefold() == wanted]
    if match.empty:
        return None
    row = match.iloc[0]
    if not bool(row["active"]):
        return None
    try:
        role = Role(str(row["role"]).strip().lower())
    except ValueError:
        return None
    return User(email=str(row["email"]).strip(), role=role, name=str(row.get("name", "")))


def matrix_markdown(actions: Mapping[str, tuple[str, frozenset[Role]]] = ACTIONS) -> str:
    """The role matrix as a Markdown table, for the README and `python -m steward roles`."""
    roles = list(Role)
    lines = ["| may | " + " | ".join(r.value for r in roles) + " |",
             "|---|" + "---|" * len(roles)]
    for label, who in actions.values():
        marks = " | ".join("yes" if r in who else "" for r in roles)
        lines.append(f"| {label} | {marks} |")
    return "\n".join(lines)

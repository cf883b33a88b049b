"""Managing who may sign in: new users and role changes, checked before they are saved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from email_validator import EmailNotValidError, validate_email

from sheets_schema.changes import RowEdit

from .roles import Role

__all__ = ["UserError", "new_user", "user_changes"]


class UserError(ValueError):
    """A user change that cannot be saved, with what to do instead."""


def new_user(users: pd.DataFrame, email: str, name: str, role: str) -> dict[str, Any]:
    """A `users` row for a new address; refuses a bad or already listed address."""
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise UserError(f"{error} Type an address like name@example.org.") from None
    if address.casefold() in set(users["email"].astype(str).str.casefold()):
        raise UserError(f"{address} is already a user; change their role in the table.")
    return {"email": address, "name": name.strip(), "role": Role(role).value, "active": True}


def user_changes(users: pd.DataFrame, shown: pd.DataFrame, edited: Mapping[int, Mapping[str, Any]],
                 me: str) -> list[RowEdit]:
    """The row edits for a users grid (positions of `shown` mapped back to addresses);
    an admin may not take away their own admin role or deactivate themselves, so the
    organisation is never locked out."""
    edits = []
    for position, cells in edited.items():
        email = str(shown.iloc[int(position)]["email"])
        seen = {str(k): v for k, v in users[users["email"] == email].iloc[0].items()}
        changes = {str(k): v for k, v in cells.items() if k in {"name", "role", "active"}}
        if email.casefold() == me.casefold() and (
                changes.get("role", Role.ADMIN.value) != Role.ADMIN.value
                or changes.get("active", True) is False):
            raise UserError("You cannot remove your own admin role or deactivate yourself; "
                            "ask another admin to do it.")
        if changes:
            edits.append(RowEdit(email, changes, seen))
    return edits

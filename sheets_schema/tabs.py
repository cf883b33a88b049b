"""The workbook: which tabs exist, their columns, and which column finds a row.

Everything here is derived from `models`; tab titles appear nowhere else in the code base
but here and in `models`' docstrings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from . import models
from .fields import ColumnKind, kind_of

__all__ = ["Column", "SchemaError", "TABS", "TabSpec", "tab"]


class SchemaError(ValueError):
    """The workbook's shape is wrong in a way a person must fix (a tab or column is missing)."""


@dataclass(frozen=True)
class Column:
    """One column of a tab: its header, how its cells read, and whether it must be there."""

    name: str
    kind: ColumnKind
    required: bool
    default: object

    @property
    def choices(self) -> tuple[str, ...]:
        return self.kind.choices


@dataclass(frozen=True)
class TabSpec:
    """A tab of the workbook and the model of one of its rows.

    `key` is the column that identifies a row at write time (staff sort and insert rows, so
    a row is never found by position). `ledger` tabs are append-mostly: history is added,
    not rewritten, and a status change is preferred to a delete.
    """

    name: str
    model: type[BaseModel]
    key: str = "id"
    ledger: bool = False
    description: str = ""

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        out = []
        for name, field in self.model.model_fields.items():
            default = field.default if field.default is not PydanticUndefined else None
            out.append(Column(name, kind_of(field.metadata), field.is_required(), default))
        return tuple(out)

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @cached_property
    def required_columns(self) -> tuple[str, ...]:
        """Columns a tab cannot be read without: the key and fields with no default."""
        return tuple(c.name for c in self.columns if c.required or c.name == self.key)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise SchemaError(f"The {self.name} tab has no column {name!r}.")


TABS: dict[str, TabSpec] = {
    spec.name: spec
    for spec in (
        TabSpec("people", models.Person, description="a person or organisation"),
        TabSpec("membership_levels", models.MembershipLevel, description="a kind of membership"),
        TabSpec(
            "memberships",
            models.Membership,
            ledger=True,
            description="one paid term of one person's membership",
        ),
        TabSpec(
            "reminders",
            models.Reminder,
            ledger=True,
            description="one renewal reminder handed out or sent for one term",
        ),
        TabSpec("donations", models.Donation, ledger=True, description="one gift or payment"),
        TabSpec("recurring_gifts", models.RecurringGift, description="a donor's standing gift"),
        TabSpec("campaigns", models.Campaign, description="an appeal, event or drive"),
        TabSpec("volunteers", models.Volunteer, description="a person's volunteer profile"),
        TabSpec(
            "volunteer_hours",
            models.VolunteerHours,
            ledger=True,
            description="hours given on one day",
        ),
        TabSpec("volunteer_shifts", models.VolunteerShift, description="a shift to staff"),
        TabSpec("segments", models.Segment, description="a saved filter of people"),
        TabSpec("mailings", models.Mailing, description="one email appeal or reminder run"),
        TabSpec(
            "outbox", models.OutboxMessage, ledger=True, description="one message to one recipient"
        ),
        TabSpec(
            "interactions",
            models.Interaction,
            ledger=True,
            description="one contact with a person",
        ),
        TabSpec("tasks", models.Task, description="a follow-up someone must do"),
        TabSpec("users", models.User, key="email", description="who may sign in, and as what"),
        TabSpec(
            "audit_log",
            models.AuditEntry,
            ledger=True,
            description="one change made through the app",
        ),
        TabSpec(
            "suppressions",
            models.Suppression,
            ledger=True,
            description="an address never to mail again (a hash of it)",
        ),
        TabSpec(
            "duplicate_dismissals",
            models.DuplicateDismissal,
            description="two people judged not to be the same person",
        ),
        TabSpec("imports", models.ImportBatch, description="one file imported through the app"),
        TabSpec("settings", models.Setting, key="key", description="one key and its value"),
    )
}


def tab(name: str) -> TabSpec:
    """The spec of tab `name`, or a SchemaError that lists the tabs there are."""
    try:
        return TABS[name]
    except KeyError:
        raise SchemaError(f"There is no tab {name!r}; the tabs are {', '.join(TABS)}.") from None

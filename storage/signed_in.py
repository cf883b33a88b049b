"""A store as one signed-in user may use it: writes their role allows, each with its audit
rows, and nothing else.

The pages write only through this, so a volunteer cannot change a gift by crafting a
request the page would not make, and no write can land without its audit entry (they
travel in the same transaction or request).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import pandas as pd

from rules.audit import audit_rows
from rules.roles import ACTIONS, User, can, readable_columns, rows_kept, write_action
from rules.write_rules import write_refusal
from sheets_schema import TABS
from sheets_schema.changes import ChangeSet, KeyFill
from sheets_schema.workbook import Workbook

from .base import AuditHook, SchemaReport, Store
from .errors import Conflict, NotAllowed

__all__ = ["SignedInStore"]


class SignedInStore(Store):
    """`inner` as `user` may use it; every write carries its audit rows."""

    def __init__(self, inner: Store, user: User,
                 clock: Callable[[], datetime] = datetime.now) -> None:
        self.inner, self.user, self.clock = inner, user, clock
        self.title, self.url, self.locale = inner.title, inner.url, inner.locale

    def _refuse(self, action: str | None, what: str) -> NotAllowed:
        doing = ACTIONS[action][0] if action else what
        return NotAllowed(f"As {self.user.role.value} you may not {doing}, so nothing was "
                          f"saved. Ask an admin if you need to.")

    def check(self, changes: ChangeSet) -> None:
        """Raise NotAllowed, before anything is written, for any row the role may not add,
        change or delete, and for any cell it may not write (`write_rules`): the page that
        built `changes` may have been sent more than it offered."""
        for kind, rows in (("add", changes.appends), ("change", changes.edits),
                           ("delete", changes.deletes)):
            for tab_name, items in rows.items():
                if not items:
                    continue
                action = write_action(tab_name, kind)
                if action is None or not can(self.user.role, action):
                    raise self._refuse(action, f"write to {tab_name}")
        if changes.as_given:
            raise NotAllowed("Rows written exactly as given (a copy, the demo) are written "
                             "without signing in, so nothing was saved.")
        refusal = write_refusal(self.user.role, changes)
        if refusal:
            raise NotAllowed(refusal)
        self._check_own(changes)

    def _check_own(self, changes: ChangeSet) -> None:
        """A volunteer logs only their own hours and contacts, on a shift adds or removes
        only themselves (never someone else, never the other cells), and of a task given
        to them changes only whether it is done."""
        self._check_own_contacts(changes)
        if can(self.user.role, "edit_volunteering"):
            return
        me = self.user.person_id
        for record in changes.appends.get("volunteer_hours", []):
            if not me or str(record.get("person_id", "")) != me:
                raise NotAllowed("As volunteer you may log only your own hours, so nothing "
                                 "was saved.")
        for edit in changes.edits.get("volunteer_shifts", []):
            before = set(_ids(edit.seen.get("assigned")))
            after = set(_ids(edit.changes.get("assigned", edit.seen.get("assigned"))))
            if set(edit.changes) - {"assigned"} or not me or (before ^ after) - {me}:
                raise NotAllowed("As volunteer you may only sign yourself up for a shift or "
                                 "give up your own place, so nothing was saved.")

    def _check_own_contacts(self, changes: ChangeSet) -> None:
        me = self.user.email.strip().casefold()
        if not can(self.user.role, "edit_contacts"):
            for record in changes.appends.get("interactions", []):
                if str(record.get("by", "")).strip().casefold() != me:
                    raise NotAllowed(f"As {self.user.role.value} you may log only contacts "
                                     f"you made yourself, so nothing was saved.")
        if not can(self.user.role, "manage_tasks"):
            for edit in changes.edits.get("tasks", []):
                mine = str(edit.seen.get("assignee", "")).strip().casefold() == me
                done_by = str(edit.changes.get("done_by", me)).strip().casefold()
                if (not mine or set(edit.changes) - _CLOSING or done_by != me
                        or edit.changes.get("status", "done") not in ("done", "open")):
                    raise NotAllowed(f"As {self.user.role.value} you may only mark a task "
                                     f"given to you as done (or not done), so nothing was "
                                     f"saved.")

    def read(self, tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        for name in tabs:
            if readable_columns(self.user.role, name, []) is None:
                raise self._refuse(None, f"read the {name} tab")
        frames = self.inner.read(tabs)
        return {name: self._visible(name, frame) for name, frame in frames.items()}

    def _visible(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows and columns of tab `name` the user may read (`roles`): the same as
        `visible_workbook` gives a page, for what is read around the cache."""
        keep = rows_kept(name, frame, self.user.role, self.user.person_id, self.user.email)
        if keep is not None:
            frame = frame[keep]
        return frame[[c for c in frame.columns if c in (readable_columns(
            self.user.role, name, list(frame.columns)) or [])]]

    def load(self, tabs: Sequence[str] = tuple(TABS)) -> Workbook:
        readable = [name for name in tabs
                    if readable_columns(self.user.role, name, []) is not None]
        return super().load(readable)

    def commit(self, changes: ChangeSet, *, skip_conflicts: bool = False,
               audit: AuditHook | None = None) -> list[Conflict]:
        self.check(changes)
        now = self.clock()

        def audit_of(landing: ChangeSet) -> list[dict[str, Any]]:
            # A backend rebuilds `landing` from what lands; a summary's `before` (a merge's
            # undo record) belongs to the change set as built, so it is carried over here.
            if landing.audit_summary and changes.audit_before and not landing.audit_before:
                landing = replace(landing, audit_before=changes.audit_before)
            return audit_rows(landing, self.user.email, now)

        return self.inner.commit(changes, skip_conflicts=skip_conflicts, audit=audit_of)

    def assign_keys_by_row(self, tab_name: str, fills: Sequence[KeyFill], *,
                           audit: AuditHook | None = None) -> None:
        """As the inner store's, if the role may change rows of `tab_name`; audited."""
        action = write_action(tab_name, "change")
        if action is None or not can(self.user.role, action):
            raise self._refuse(action, f"write to {tab_name}")
        now = self.clock()
        self.inner.assign_keys_by_row(
            tab_name, fills, audit=lambda landing: audit_rows(landing, self.user.email, now))

    def ensure_schema(self) -> SchemaReport:
        if not can(self.user.role, "manage_settings"):
            raise self._refuse("manage_settings", "")
        return self.inner.ensure_schema()

    def row_link(self, tab_name: str, row: int) -> str | None:
        return self.inner.row_link(tab_name, row)

    @property
    def name(self) -> str:
        return self.inner.name

    def tabs(self) -> list[str]:
        return self.inner.tabs()


#: What closing (or reopening) a task changes.
_CLOSING = {"status", "done_by", "done_at"}


def _ids(value: object) -> tuple[str, ...]:
    """Person ids of a shift's `assigned` cell, typed (a tuple) or as text."""
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value)
    return tuple(p.strip() for p in str(value or "").split(",") if p.strip())

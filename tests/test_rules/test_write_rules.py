"""The cell rules of a write: keys never change, new rows bring their own key, and approving,
deleting, erasing and marking as imported are permissions of their own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pytest

from rules.roles import Role, column_write_action
from rules.write_rules import new_key_clash, write_refusal
from sheets_schema.changes import ChangeSet

V, S, D, A = Role.VOLUNTEER, Role.STAFF, Role.DIRECTOR, Role.ADMIN
NOW = datetime(2026, 11, 2, 10, 0)
ANN = {"id": "P1", "first_name": "Ann", "deleted_at": None, "erased_at": None}
HOURS = {"id": "H1", "person_id": "P1", "date": date(2026, 11, 2), "hours": "2"}


def edit(tab_name: str, key: str, changes: dict[str, Any], seen: dict[str, Any]) -> ChangeSet:
    return ChangeSet().edit(tab_name, key, changes, seen)


@pytest.mark.parametrize(("role", "changes", "says"), [
    (V, edit("people", "P1", {"id": "P9"}, ANN), "P1 would become P9"),
    (A, edit("people", "P1", {"id": "P9"}, ANN), "P1 would become P9"),
    (A, edit("people", "P1", {"id": ""}, ANN), "P1 would become blank"),
    (A, edit("users", "a@x.org", {"email": "b@x.org"}, {"email": "a@x.org"}),
     "users a@x.org would become b@x.org"),
    (V, edit("people", "P1", {"deleted_at": NOW}, ANN), "delete or restore a person"),
    (V, edit("people", "P1", {"deleted_at": None}, {**ANN, "deleted_at": NOW}),
     "delete or restore a person"),
    (S, edit("people", "P1", {"erased_at": NOW}, ANN), "mark a person as erased"),
    (V, edit("people", "P1", {"import_check": "x"}, ANN), "coming from an import"),
    (V, ChangeSet().append("volunteer_hours", {**HOURS, "approved": True}), "approve hours"),
    (V, ChangeSet().append("volunteer_hours", {**HOURS, "approved": "TRUE"}), "approve hours"),
    (V, ChangeSet().append("volunteer_hours", {**HOURS, "approved": np.True_}), "approve"),
    (V, ChangeSet().append("people", {**ANN, "deleted_at": NOW}), "delete or restore"),
    (V, ChangeSet().append("people", {**ANN, "erased_at": NOW}), "mark a person as erased"),
    (V, ChangeSet().append("donations", {"id": "D1", "import_id": "IMP-1"}), "from an import"),
    (V, ChangeSet().append("people", {**ANN, "id": ""}), "needs its id"),
    (S, ChangeSet().append("people", ANN, {**ANN, "first_name": "Bo"}),
     "Two new rows of people have the id P1"),
])
def test_a_write_that_does_more_than_the_role_may_is_refused_in_a_sentence(
    role: Role, changes: ChangeSet, says: str
) -> None:
    refusal = write_refusal(role, changes)
    assert refusal is not None and says in refusal and "nothing was saved" in refusal


@pytest.mark.parametrize(("role", "changes"), [
    (V, ChangeSet().append("volunteer_hours", {**HOURS, "approved": False})),
    (V, ChangeSet().append("volunteer_hours", {**HOURS, "approved": np.False_})),
    (V, ChangeSet().append("volunteer_hours", HOURS)),
    (V, ChangeSet().append("people", ANN)),
    (V, edit("people", "P1", {"first_name": "Anne", "id": "P1"}, ANN)),
    (V, edit("people", "P1", {"deleted_at": None}, ANN)),  # blank stays blank
    (S, edit("people", "P1", {"deleted_at": NOW}, ANN)),
    (S, ChangeSet().append("volunteer_hours", {**HOURS, "approved": True, "import_id": "I1"})),
    (S, edit("volunteer_hours", "H1", {"approved": True}, HOURS)),
    (A, edit("people", "P1", {"erased_at": NOW, "first_name": ""}, ANN)),
])
def test_what_the_role_may_write_passes(role: Role, changes: ChangeSet) -> None:
    assert write_refusal(role, changes) is None


def test_approval_deletion_erasure_and_import_marks_are_permissions_of_their_own() -> None:
    assert column_write_action("volunteer_hours", "approved") == "edit_volunteering"
    assert column_write_action("people", "deleted_at") == "delete_people"
    assert column_write_action("people", "erased_at") == "privacy_erase"
    assert column_write_action("donations", "import_check") == "import_data"
    assert column_write_action("people", "first_name") is None


def test_a_new_key_clashes_with_the_tab_or_with_another_new_row() -> None:
    assert new_key_clash("people", [{"id": "P2"}], {"P1"}) is None
    assert new_key_clash("people", [{"id": " P1 "}], {"P1"}) == "P1"
    assert new_key_clash("people", [{"id": "P2"}, {"id": "P2"}], set()) == "P2"
    assert new_key_clash("people", [{"id": ""}, {"id": ""}], {""}) is None

"""Contacts and tasks on every store, as each role may use them: a volunteer logs their own
contacts and closes their own tasks and nothing more, never receives a confidential contact
or another's task, and a call closed from a task lands with its contact in one commit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from rules.contacts import close_task, log_contact, new_task
from rules.roles import Role, User
from storage import NotAllowed, Store
from storage.signed_in import SignedInStore
from tests.emulator import SheetsEmulator

NOW = datetime(2026, 11, 2, 10, 0)
VOLUNTEER, STAFF = "vi@example.org", "sam@example.org"


def prepared(store: Store) -> tuple[SignedInStore, SignedInStore]:
    store.append("people", [{"id": "P1", "first_name": "Ann"}])
    staff = SignedInStore(store, User(STAFF, Role.STAFF))
    volunteer = SignedInStore(store, User(VOLUNTEER, Role.VOLUNTEER))
    staff.commit(log_contact("P1", "meeting", "Bequest talk", by=STAFF, now=NOW,
                             confidential=True))
    staff.commit(log_contact("P1", "call", "Thanked", by=STAFF, now=NOW))
    for title, assignee in (("Call Ann", VOLUNTEER), ("Visit Ann", STAFF)):
        staff.commit(new_task(title, assignee=assignee, due=date(2026, 11, 3), by=STAFF,
                              now=NOW, person_id="P1", kind="call"))
    return staff, volunteer


def task(store: Store, title: str) -> dict[str, Any]:
    tasks = store.load(["tasks"]).frame("tasks")
    return tasks[tasks["title"] == title].iloc[0].to_dict()


def test_a_volunteer_reads_no_confidential_contact_and_only_their_own_tasks(
        store: Store) -> None:
    _, volunteer = prepared(store)
    frames = volunteer.read(["interactions", "tasks"])
    assert list(frames["interactions"]["summary"]) == ["Thanked"]
    assert list(frames["tasks"]["title"]) == ["Call Ann"]
    assert len(store.read(["interactions"])["interactions"]) == 2


def test_a_volunteer_closes_their_call_task_and_the_call_lands_with_it(store: Store) -> None:
    _, volunteer = prepared(store)
    volunteer.commit(close_task(task(store, "Call Ann"), by=VOLUNTEER, now=NOW,
                                summary="Left a message"))
    done = task(store, "Call Ann")
    assert (done["status"], done["done_by"]) == ("done", VOLUNTEER)
    contacts = store.load(["interactions"]).frame("interactions")
    logged = contacts[contacts["task_id"] == done["id"]]
    assert list(logged["summary"]) == ["Left a message"] and list(logged["by"]) == [VOLUNTEER]


def test_a_volunteer_may_not_write_what_is_not_theirs(store: Store) -> None:
    staff, volunteer = prepared(store)
    other = task(store, "Visit Ann")
    mine = task(store, "Call Ann")
    refusals = {
        "only contacts you made yourself": log_contact("P1", "call", "x", by=STAFF, now=NOW),
        "confidential contacts": log_contact("P1", "call", "x", by=VOLUNTEER, now=NOW,
                                             confidential=True),
        "only mark a task given to you": close_task(other, by=VOLUNTEER, now=NOW),
        "may not give, change and delete": new_task("Mine", assignee=VOLUNTEER, due=None,
                                                    by=VOLUNTEER, now=NOW),
    }
    for says, changes in refusals.items():
        with pytest.raises(NotAllowed, match=says):
            volunteer.commit(changes)
    with pytest.raises(NotAllowed, match="only mark a task given to you"):
        volunteer.update("tasks", mine["id"], {"assignee": STAFF}, mine)
    with pytest.raises(NotAllowed, match="only mark a task given to you"):
        volunteer.update("tasks", mine["id"], {"status": "done", "done_by": STAFF}, mine)
    assert len(store.read(["interactions"])["interactions"]) == 2
    assert set(store.read(["tasks"])["tasks"]["status"]) == {"open"}
    staff.commit(close_task(other, by=STAFF, now=NOW))
    assert task(store, "Visit Ann")["status"] == "done"


@pytest.mark.parametrize("backend", ["sheets"])
def test_logging_a_contact_and_closing_a_task_are_each_one_read_and_one_write(
        store: Store, emulator: SheetsEmulator) -> None:
    staff, _ = prepared(store)
    call = task(store, "Visit Ann")
    emulator.reset_counts()
    staff.commit(log_contact("P1", "visit", "Brought flowers", by=STAFF, now=NOW))
    assert [endpoint for _, endpoint, _ in emulator.requests] == [
        "values.batchGet", "spreadsheets.batchUpdate"]
    emulator.reset_counts()
    staff.commit(close_task(call, by=STAFF, now=NOW, summary="Visited"))
    assert [endpoint for _, endpoint, _ in emulator.requests] == [
        "values.batchGet", "spreadsheets.batchUpdate"]

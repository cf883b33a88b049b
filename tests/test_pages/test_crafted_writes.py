"""Requests a modified browser can send: widget state the page never offered, replayed as
AppTest sets it (`session_state[key] = {"edited_rows": ...}` for a grid). The store under
the pages refuses what the role may not write, says so, and writes nothing; on SQLite and
on Google Sheets (the emulator).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from demo import DemoSize, demo_workbook
from rules.people import search_people
from sheets_schema import TABS
from storage import ChangeSet, Store
from storage.sheets_store import GoogleSheetsStore
from tests.emulator import SheetsEmulator
from tests.test_pages.conftest import OpenPage, button, texts

VOLUNTEER = "volunteer@example.org"
STAFF = "staff@example.org"
ADMIN = "admin@example.org"
SMALL = DemoSize(people=80, donations=300, memberships=30, campaigns=3, volunteers=12,
                 years=2)  # with the demo's planted problems, the nameless P00029 among them


@pytest.fixture(params=["sqlite", "sheets"])
def any_store(request: pytest.FixtureRequest, demo_store: Store) -> Iterator[Store]:
    """The demo on SQLite, or a smaller demo in a Google Sheet (the emulator)."""
    if request.param == "sqlite":
        yield demo_store
        return
    emulator: SheetsEmulator = request.getfixturevalue("emulator")
    sid = emulator.create_spreadsheet("Steward", tabs={
        name: [list(spec.column_names)] for name, spec in TABS.items()})
    store = GoogleSheetsStore(emulator.client(), sid)
    changes = ChangeSet(as_given=True)
    for name, rows in demo_workbook(seed=7, size=SMALL).items():
        if rows:
            changes.append(name, *rows)
    store.commit(changes)
    yield store


def grid_person(store: Store, position: int) -> dict[str, Any]:
    """The person the Edit many grid shows at `position` (nothing typed in the search)."""
    people = store.load(["people"]).frame("people")
    return search_people(people, "").reset_index(drop=True).iloc[position].to_dict()


def replay_grid(app: AppTest, key: str, edited: dict[int, dict[str, Any]], save: str,
                added: list[dict[str, Any]] | None = None) -> AppTest:
    """Send the grid's edit state as a browser would, then press the save button."""
    app.session_state[key] = {"edited_rows": edited, "added_rows": added or [],
                              "deleted_rows": []}
    app.run()
    button(app, save).click().run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def people_text(store: Store) -> pd.DataFrame:
    return store.read(["people"])["people"]


def test_a_volunteer_replaying_the_grid_with_another_id_re_keys_nobody(
    open_page: OpenPage, any_store: Store
) -> None:
    person = grid_person(any_store, 0)
    before = people_text(any_store)
    app = open_page(any_store, "pages/bulk_edit.py", user=VOLUNTEER)
    replay_grid(app, "people_editor_0", {0: {"id": "P-REKEYED", "city": "Elsewhere"}},
                "Save changes")
    assert f"people {person['id']} would become P-REKEYED" in texts(app, "error")
    assert people_text(any_store).equals(before)


def fix_nameless_person(open_page: OpenPage, store: Store, user: str,
                        cells: dict[str, str]) -> AppTest:
    """On Data problems, fix the planted person with no name (P00029, sheet row 30) by
    filling `cells`: the whole-row fix offers every cell of the row but its id."""
    app = open_page(store, "pages/data_health.py", user=user)
    app.selectbox(key="health_kind").set_value("row rule").run()
    app.multiselect(key="fix_cols_people_30").set_value(list(cells)).run()
    for cell, value in cells.items():
        app.text_input(key=f"fix_people_30_{cell}").set_value(value)
    button(app, "Save the fix").click().run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


@pytest.mark.parametrize(("user", "cell", "says"), [
    (VOLUNTEER, "deleted_at", "As volunteer you may not delete or restore a person"),
    (VOLUNTEER, "erased_at", "As volunteer you may not mark a person as erased"),
    (STAFF, "erased_at", "As staff you may not mark a person as erased"),
    (VOLUNTEER, "import_id", "As volunteer you may not mark rows as coming from an import"),
])
def test_a_fix_cannot_write_a_cell_that_is_a_permission_of_its_own(
    open_page: OpenPage, any_store: Store, user: str, cell: str, says: str
) -> None:
    before = people_text(any_store)
    value = "IMP-1" if cell == "import_id" else "2026-11-02 10:00:00"
    app = fix_nameless_person(open_page, any_store, user, {cell: value} if cell == "erased_at"
                              else {"first_name": "Wendy", cell: value})
    assert says in texts(app, "error")
    assert people_text(any_store).equals(before)


def test_staff_may_fix_a_nameless_row_by_deleting_it(open_page: OpenPage,
                                                     demo_store: Store) -> None:
    fix_nameless_person(open_page, demo_store, STAFF,
                        {"first_name": "Wendy", "deleted_at": "2026-11-02 10:00:00"})
    person = demo_store.load(["people"]).row("people", "P00029")
    assert person is not None and person["deleted_at"] is not None


# Pages that build their rows on the server from a form's fields held already: these guard
# that they keep doing so.

def test_a_volunteer_replaying_an_approved_tick_still_logs_hours_unapproved(
    open_page: OpenPage, demo_store: Store
) -> None:
    demo_store.append("people", [{"id": "P-ME", "first_name": "Val", "email": VOLUNTEER}])
    before = set(demo_store.read(["volunteer_hours"])["volunteer_hours"]["id"])
    app = open_page(demo_store, "pages/log_hours.py", user=VOLUNTEER,
                    state={"hours_approve": True})
    button(app, "Log hours").click().run()
    hours = demo_store.load(["volunteer_hours"]).frame("volunteer_hours")
    new = hours[~hours["id"].isin(before)]
    assert list(new["person_id"]) == ["P-ME"] and not new["approved"].iloc[0]


def test_an_admin_replaying_the_users_grid_with_another_email_renames_nobody(
    open_page: OpenPage, demo_store: Store
) -> None:
    before = list(demo_store.read(["users"])["users"]["email"])
    app = open_page(demo_store, "pages/users.py", user=ADMIN)
    replay_grid(app, "users_editor_0", {1: {"email": "someone@else.example", "name": "X"}},
                "Save changes")
    assert list(demo_store.read(["users"])["users"]["email"]) == before

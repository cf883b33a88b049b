"""The people pages in AppTest on demo data: what a volunteer sees and what a save writes."""

from __future__ import annotations

from typing import Any

import pytest

from storage import Store
from tests.test_pages.conftest import OpenPage, button, texts

PAGES = ["pages/people.py", "pages/person.py", "pages/add_person.py", "pages/bulk_edit.py",
         "pages/data_health.py"]


def person(store: Store, person_id: str) -> dict[str, Any]:
    return store.load(["people"]).row("people", person_id).to_dict()  # type: ignore[union-attr]


def some_person(store: Store, offset: int = 20) -> dict[str, Any]:
    people = store.load(["people"]).frame("people")
    alive = people[people["deleted_at"].isna() & (people["first_name"] != "")]
    return alive.iloc[offset].to_dict()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_on_demo_data(open_page: OpenPage, demo_store: Store,
                                         path: str) -> None:
    app = open_page(demo_store, path)
    assert app.title, "every page has a title"


def test_the_people_list_narrows_as_you_search(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/people.py")
    everyone = app.dataframe[0].value
    target = some_person(demo_store)
    app.text_input(key="people_query").set_value(target["email"]).run()
    found = app.dataframe[0].value
    assert len(found) < len(everyone)
    assert target["id"] in set(found["id"])
    assert f"{len(found):,} of" in texts(app)


def test_a_persons_page_shows_their_contact_details(open_page: OpenPage,
                                                    demo_store: Store) -> None:
    target = some_person(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    card = app.dataframe[0].value
    assert target["email"] in set(card["value"])
    assert target["first_name"] in app.title[0].value


def test_an_unknown_person_id_is_explained(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/person.py", query={"id": "P-NOPE"})
    assert "There is no person with id P-NOPE" in texts(app, "warning")


def test_adding_a_person_with_a_bad_email_says_so_beside_the_field_and_saves_nothing(
    open_page: OpenPage, demo_store: Store
) -> None:
    before = len(demo_store.read(["people"])["people"])
    app = open_page(demo_store, "pages/add_person.py")
    app.text_input(key="add_person_first_name").set_value("Mina")
    app.text_input(key="add_person_email").set_value("mina at example")
    button(app, "Add person").click().run()
    assert "Type an address like name@example.org" in texts(app, "error")
    assert len(demo_store.read(["people"])["people"]) == before


def test_adding_a_person_saves_them_and_opens_their_page(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    app = open_page(demo_store, "pages/add_person.py")
    app.text_input(key="add_person_first_name").set_value("Mina")
    app.text_input(key="add_person_last_name").set_value("Cho")
    app.text_input(key="add_person_email").set_value("Mina.Cho@Example.ORG")
    button(app, "Add person").click().run()
    people = demo_store.load(["people"]).frame("people")
    added = people[people["last_name"] == "Cho"]
    added = added[added["first_name"] == "Mina"]
    assert len(added) == 1 and added.iloc[0]["email"] == "Mina.Cho@example.org"
    assert added.iloc[0]["first_name"] in app.title[0].value  # their page opened


def test_editing_a_person_writes_only_the_changed_field(open_page: OpenPage,
                                                        demo_store: Store) -> None:
    target = some_person(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    app.text_input(key="edit_person_city").set_value("Somerville")
    button(app, "Save changes").click().run()
    after = person(demo_store, target["id"])
    assert after["city"] == "Somerville"
    changed = {k for k in after if str(after[k]) != str(target[k])}
    assert changed == {"city", "updated_at"}


def test_a_change_made_in_the_sheet_meanwhile_is_shown_with_both_values(
    open_page: OpenPage, demo_store: Store
) -> None:
    target = some_person(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    demo_store.update("people", target["id"], {"city": "Medford"}, target)  # staff, meanwhile
    app.text_input(key="edit_person_city").set_value("Somerville")
    button(app, "Save changes").click().run()
    assert person(demo_store, target["id"])["city"] == "Medford"
    assert "Someone changed city" in texts(app, "warning")
    table = app.dataframe[-1].value
    row = table[table["field"] == "city"].iloc[0]
    assert (row["in the sheet now"], row["what you typed"]) == ("Medford", "Somerville")


def test_deleting_a_person_is_soft_and_can_be_undone(open_page: OpenPage,
                                                     demo_store: Store) -> None:
    target = some_person(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    app.checkbox(key="delete_sure").check().run()
    button(app, "Delete person").click().run()
    assert person(demo_store, target["id"])["deleted_at"] is not None
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    assert "was deleted" in texts(app, "warning")
    button(app, "Restore person").click().run()
    assert str(person(demo_store, target["id"])["deleted_at"]) == "NaT"


def test_the_bulk_grid_writes_only_the_cells_that_were_edited(open_page: OpenPage,
                                                              demo_store: Store) -> None:
    people = demo_store.load(["people"]).frame("people")
    shown = people[people["deleted_at"].isna()].reset_index(drop=True)
    first, third = shown.iloc[0].to_dict(), shown.iloc[2].to_dict()
    app = open_page(demo_store, "pages/bulk_edit.py", state={"people_editor_0": {
        "edited_rows": {0: {"city": "Arlington"}, 2: {"do_not_mail": True}},
        "added_rows": [], "deleted_rows": []}})
    assert "2 changed" in texts(app)
    button(app, "Save changes").click().run()
    assert person(demo_store, first["id"])["city"] == "Arlington"
    assert person(demo_store, third["id"])["do_not_mail"]
    untouched = person(demo_store, shown.iloc[1]["id"])
    assert str(untouched["updated_at"]) == str(shown.iloc[1]["updated_at"])


def test_data_problems_lists_the_planted_bad_rows_with_their_sheet_rows(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, "pages/data_health.py")
    table = app.dataframe[0].value
    assert {"donations", "people", "memberships", "volunteer_hours"} <= set(table["tab"])
    assert (table["row"] >= 2).all()


def test_the_first_run_with_no_configuration_fills_a_demo_file_and_says_so(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, open_page: OpenPage
) -> None:
    """The first start asks first (tests/test_pages/test_first_start.py); trying the demo
    fills the file."""
    from streamlit.testing.v1 import AppTest

    from storage.sqlite_store import SQLiteStore
    from tests.test_pages.conftest import APP

    path = tmp_path / "fresh.sqlite3"
    monkeypatch.setenv("STEWARD_SQLITE_PATH", str(path))
    monkeypatch.delenv("STEWARD_SPREADSHEET", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    button(app, "Try the demo organisation").click().run()
    assert not app.exception
    assert "This is demo data" in texts(app, "info")
    assert len(SQLiteStore(path).read(["people"])["people"]) > 1000

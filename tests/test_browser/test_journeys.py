"""The main journeys in a real browser: find a person, correct their details, see it saved."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.test_browser.conftest import wait_idle

pytestmark = pytest.mark.browser


def test_the_app_opens_on_today_and_a_line_opens_the_page_where_it_is_done(
        page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(app_url)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\d[\d,]* gifts? awaits? a thank-you$")).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Thank-yous and statements")).to_be_visible()


def test_a_bad_setting_is_explained_beside_its_field(page, app_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/settings")
    wait_idle(page)
    box = page.get_by_role("textbox", name="Grace days")
    box.fill("soon")
    box.press("Enter")
    page.get_by_role("button", name="Save settings").click()
    wait_idle(page)
    expect(page.get_by_text("'soon' is not a whole number from 0 to 3650.")).to_be_visible()


def test_people_page_opens_on_demo_data_and_search_narrows(page, app_url: str) -> None:
    page.goto(f"{app_url}/people")
    wait_idle(page)
    assert page.get_by_role("heading", name="People").is_visible()
    assert page.get_by_text("This is demo data").is_visible()
    counter = page.get_by_text(re.compile(r"^[\d,]+ of [\d,]+ people$"))
    before = counter.inner_text()
    search = page.get_by_role("textbox", name="Search")
    search.fill("김")
    search.press("Enter")
    wait_idle(page)
    after = counter.inner_text()
    assert after != before and after.split(" of ")[0] != "0"


def test_correcting_a_phone_number_saves_it(page, app_url: str, app_db: Path) -> None:
    with sqlite3.connect(app_db) as db:
        person_id, first_name = db.execute(
            "SELECT id, first_name FROM people WHERE first_name != '' ORDER BY _row LIMIT 1 "
            "OFFSET 20").fetchone()
    page.goto(f"{app_url}/person?id={person_id}")
    wait_idle(page)
    page.get_by_role("tab", name="Edit").click()
    phone = page.get_by_role("textbox", name="Phone")
    phone.fill("617-555-0199")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    with sqlite3.connect(app_db) as db:
        saved = db.execute("SELECT phone, first_name FROM people WHERE id = ?",
                           (person_id,)).fetchone()
    assert saved == ("+1 617-555-0199", first_name)


def test_a_bad_email_is_explained_beside_the_field(page, app_url: str, app_db: Path) -> None:
    with sqlite3.connect(app_db) as db:
        person_id, email = db.execute(
            "SELECT id, email FROM people ORDER BY _row LIMIT 1 OFFSET 30").fetchone()
    page.goto(f"{app_url}/person?id={person_id}")
    wait_idle(page)
    page.get_by_role("tab", name="Edit").click()
    page.get_by_role("textbox", name="Email").fill("not an address")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    page.get_by_role("tab", name="Edit").click()
    assert page.get_by_text("Type an address like name@example.org").is_visible()
    with sqlite3.connect(app_db) as db:
        assert db.execute("SELECT email FROM people WHERE id = ?", (person_id,)).fetchone() == (
            email,)


def test_a_bookmarked_page_on_a_fresh_server_opens_through_the_app(
    browser, app_db: Path, tmp_path: Path
) -> None:
    """The first visit after a restart is to /renewals: it must pass through app.py (the
    navigation and the local-admin notice), not run the page file alone."""
    import shutil

    from playwright.sync_api import expect

    from tests.test_browser.conftest import serve

    db = tmp_path / "steward.sqlite3"
    shutil.copy(app_db, db)
    with serve(db, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/renewals")
        wait_idle(page)
        expect(page.get_by_role("heading", name="Renewals")).to_be_visible()
        expect(page.get_by_text("Sign-in is not configured: whoever uses")).to_be_visible()
        assert page.get_by_text("RuntimeError").count() == 0
        context.close()


def _people(db: Path) -> dict[str, dict[str, str]]:
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        return {row["id"]: dict(row) for row in con.execute("SELECT * FROM people")}


def test_editing_one_cell_in_the_grid_saves_only_that_cell(page, app_url: str, app_db: Path,
                                                           shots) -> None:
    """Edit many people: narrow the grid to one person, retype their city, save; the store
    has the new city and nothing else in the people tab changed but that row's updated_at
    (as the local admin: the role does not matter here, volunteers and staff may too)."""
    from playwright.sync_api import expect

    from tests.test_browser.conftest import cell, edit_cell, grid_cells, open_from_sidebar

    with sqlite3.connect(app_db) as db:
        person_id, city = db.execute(
            "SELECT id, city FROM people WHERE deleted_at = '' AND city NOT IN ('', 'Salem') "
            "AND first_name GLOB '[A-Z]*' ORDER BY _row LIMIT 1 OFFSET 50").fetchone()
    before = _people(app_db)
    page.goto(app_url)
    wait_idle(page)
    open_from_sidebar(page, "Edit many")
    expect(page.get_by_role("heading", name="Edit many people")).to_be_visible()
    narrow = page.get_by_role("textbox", name="Narrow the list")
    narrow.fill(person_id)
    narrow.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("1 people shown; 0 changed")).to_be_visible()
    grid = page.get_by_test_id("stDataFrame")
    expect(cell(grid, city)).to_have_count(1)
    shots(page, "edit-many")

    edit_cell(grid, 0, 6, "Salem", row_markers=False)  # id, first, last, org, email, phone, city
    expect(page.get_by_text("1 people shown; 1 changed")).to_be_visible()
    assert grid_cells(grid)[0][6] == "Salem"
    shots(page, "cell-edited")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    expect(page.get_by_test_id("stToast").filter(has_text="Saved 1 people.")).to_be_visible()
    expect(page.get_by_text("1 people shown; 0 changed")).to_be_visible()
    expect(cell(grid, "Salem")).to_have_count(1)
    shots(page, "saved")

    after = _people(app_db)
    changed = {(key, column) for key, row in after.items() for column in row
               if before.get(key, {}).get(column) != row[column]}
    assert changed == {(person_id, "city"), (person_id, "updated_at")}
    assert after[person_id]["city"] == "Salem"
    with sqlite3.connect(app_db) as db:
        logged = db.execute("SELECT before, after FROM audit_log WHERE record_id = ? "
                            "ORDER BY _row DESC LIMIT 1", (person_id,)).fetchone()
    assert '"city"' in logged[0] and '"Salem"' in logged[1] and '"email"' not in logged[1]

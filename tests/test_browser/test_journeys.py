"""The main journeys in a real browser: find a person, correct their details, see it saved."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.test_browser.conftest import wait_idle

pytestmark = pytest.mark.browser


def test_people_page_opens_on_demo_data_and_search_narrows(page, app_url: str) -> None:
    page.goto(app_url)
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

    from tests.test_browser.conftest import serve

    db = tmp_path / "steward.sqlite3"
    shutil.copy(app_db, db)
    with serve(db, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/renewals")
        wait_idle(page)
        assert page.get_by_role("heading", name="Renewals").is_visible()
        assert page.get_by_text("Sign-in is not configured: whoever uses").is_visible()
        assert page.get_by_text("RuntimeError").count() == 0
        context.close()

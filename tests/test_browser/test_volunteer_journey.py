"""A volunteer's evening on a phone: find someone, correct their address, log the hours."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.test_browser.conftest import (
    ROW_MARKER_PX,
    ROW_PX,
    cell,
    open_from_sidebar,
    wait_idle,
)

pytestmark = pytest.mark.browser


def _someone_with_a_unique_name(db: Path) -> tuple[str, str, str]:
    """Id, name and street address of a person no other record shares a name with."""
    with sqlite3.connect(db) as con:
        found = con.execute(
            "SELECT id, first_name || ' ' || last_name, address FROM people "
            "WHERE address != '' AND deleted_at = '' AND first_name GLOB '[A-Z]*' "
            "GROUP BY first_name, last_name HAVING count(*) = 1 ORDER BY min(_row) "
            "LIMIT 1 OFFSET 40").fetchone()
    return found[0], found[1], found[2]


def _person_row(db: Path, person_id: str) -> dict[str, str]:
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        return dict(con.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone())


def test_a_volunteer_on_a_phone_finds_a_person_corrects_the_address_and_logs_hours(
    signed_in, signed_db: Path, shots
) -> None:
    """Signed in through the OpenID mock as the demo volunteer (volunteer@example.org, Grace
    Lee: the demo has no person record for her, so `signed_db` adds one, or she would have
    no hours of her own), in a 390x844 phone window."""
    from playwright.sync_api import expect

    person_id, name, old_address = _someone_with_a_unique_name(signed_db)
    before = _person_row(signed_db, person_id)
    page = signed_in("volunteer@example.org", phone=True)
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    open_from_sidebar(page, "People")
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    shots(page, "people")

    search = page.get_by_role("textbox", name="Search")
    search.fill(name)
    search.press("Enter")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^1 of [\d,]+ people$"))).to_be_visible()
    table = page.get_by_test_id("stDataFrame")
    # The name cell links to the person's page (the grid's accessible text is the address).
    expect(cell(table, re.compile(f"^person\\?id={re.escape(person_id)}&name="))).to_have_count(1)
    shots(page, "people-found")

    table.click(position={"x": ROW_MARKER_PX // 2, "y": ROW_PX + ROW_PX // 2})  # the row's box
    page.wait_for_url(f"**/person?id={person_id}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    card = page.get_by_test_id("stDataFrame")
    expect(cell(card, re.compile(f"^{re.escape(old_address)}, "))).to_have_count(1)
    shots(page, "person")

    # The finger leaves the grid; its toolbar (shown while hovered) covers the tabs.
    page.mouse.move(200, 5)
    page.get_by_role("tab", name="Edit").click()
    page.get_by_role("textbox", name="Street address").fill("12 Orchard Lane, Apt 3")
    page.get_by_role("button", name="Save changes").click()
    wait_idle(page)
    # What lasts is checked below (the Details card and the row); the "Saved." toast is
    # gone from a phone's page before a busy machine's rerun has finished.
    shots(page, "person-saved")
    page.get_by_role("tab", name="Details").click()
    expect(cell(card, re.compile(r"^12 Orchard Lane, Apt 3, "))).to_have_count(1)
    shots(page, "person-details")
    after = _person_row(signed_db, person_id)
    assert after["address"] == "12 Orchard Lane, Apt 3"
    assert {k for k in after if after[k] != before[k]} == {"address", "updated_at"}

    open_from_sidebar(page, "Log hours")
    expect(page.get_by_role("heading", name="Log hours")).to_be_visible()
    expect(page.get_by_text("Your hours (0 logged)")).to_be_visible()
    shots(page, "log-hours")
    page.get_by_role("spinbutton", name="Hours").fill("3.5")
    page.get_by_role("textbox", name="Activity").fill("Food pantry")
    page.get_by_role("button", name="Log hours").click()
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("3.5 hours logged.")
    expect(page.get_by_text("Your hours (3.5 logged)")).to_be_visible()
    expect(cell(page.get_by_test_id("stDataFrame"), "Food pantry")).to_have_count(1)
    # The form is empty again, so pressing the button twice does not log the hours twice.
    expect(page.get_by_role("textbox", name="Activity")).to_have_value("")
    expect(page.get_by_role("spinbutton", name="Hours")).to_have_value("2.00")
    shots(page, "hours-logged")
    with sqlite3.connect(signed_db) as con:
        rows = con.execute("SELECT person_id, hours, activity, approved FROM volunteer_hours "
                           "WHERE activity = 'Food pantry'").fetchall()
    assert rows == [("P-GRACE", "3.5", "Food pantry", "FALSE")]

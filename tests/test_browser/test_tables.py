"""Tables read like a CRM in a real browser: dollars with separators, days without a time,
and a person's name that opens their page."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.test_browser.conftest import (
    ROW_MARKER_PX,
    ROW_PX,
    grid_cells,
    open_from_sidebar,
    wait_idle,
)

pytestmark = pytest.mark.browser


def test_the_dashboard_shows_dollars_and_days_and_a_name_opens_the_person(
        page, app_url: str, app_db: Path, shots) -> None:
    from playwright.sync_api import expect

    page.goto(app_url)
    wait_idle(page)
    open_from_sidebar(page, "Fundraising")
    expect(page.get_by_role("heading", name=re.compile("^Top donors"))).to_be_visible()
    shots(page, "fundraising")
    grids = page.get_by_test_id("stDataFrame")
    tables = [grid_cells(grids.nth(i)) for i in range(grids.count())]
    dated = [rows for rows in tables
             if rows and any(re.fullmatch(r"\d{4}-\d\d-\d\d", t) for t in rows[0])]
    assert dated, "the top donors are listed with their last gift's day"
    first = dated[0][0]
    # The grid draws on a canvas; its accessible text holds what a copy gives: days as
    # drawn, amounts as plain numbers and links as addresses (the screenshot shows
    # "$22,205.57" and the names; test_pages/test_tables checks the formats sent).
    assert not any("00:00:00" in text for rows in tables for row in rows for text in row)
    assert first[0].startswith("person?id=") and first[4].startswith("mailto:"), first

    with sqlite3.connect(app_db) as db:
        person_id, first_name, last_name = db.execute(
            "SELECT id, first_name, last_name FROM people WHERE deleted_at = '' AND "
            "first_name GLOB '[A-Z]*' AND last_name != '' AND email != '' ORDER BY _row LIMIT 1"
        ).fetchone()
    page.goto(f"{app_url}/people")
    wait_idle(page)
    search = page.get_by_role("textbox", name="Search")
    search.fill(person_id)
    search.press("Enter")
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame")
    expect(grid.locator("td").filter(has_text=re.compile(
        f"^person\\?id={re.escape(person_id)}&name="))).to_have_count(1)
    shots(page, "people")
    name = {"x": ROW_MARKER_PX + 20, "y": ROW_PX + ROW_PX // 2}
    grid.hover(position=name)  # the link is underlined under the pointer, then clicked
    page.wait_for_timeout(300)
    with page.context.expect_page() as opened:  # a link opens in a new tab
        grid.click(position=name)
    person = opened.value
    person.wait_for_load_state()
    assert re.search(rf"/person\?id={re.escape(person_id)}&", person.url), person.url
    wait_idle(person)
    expect(person.get_by_role("heading", name=re.compile(re.escape(first_name)))).to_be_visible()
    expect(person.locator("a[href^='mailto:']").first).to_be_visible()
    shots(person, "person")

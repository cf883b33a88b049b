"""A phone bank's evening: a volunteer on a phone opens a person, logs the call in three
taps, and it heads the person's timeline."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.test_browser.conftest import cell, wait_idle

pytestmark = pytest.mark.browser


def _someone(db: Path) -> str:
    with sqlite3.connect(db) as con:
        return str(con.execute(
            "SELECT id FROM people WHERE deleted_at = '' AND erased_at = '' "
            "AND first_name GLOB '[A-Z]*' ORDER BY _row LIMIT 1 OFFSET 77").fetchone()[0])


def _contacts(db: Path, person_id: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as con:
        return [tuple(row) for row in con.execute(
            "SELECT kind, summary, by FROM interactions WHERE person_id = ?", (person_id,))]


def test_a_volunteer_on_a_phone_logs_a_call_in_three_taps(signed_in, signed_app: str,
                                                          signed_db: Path, shots) -> None:
    from playwright.sync_api import expect

    person_id = _someone(signed_db)
    page = signed_in("volunteer@example.org", phone=True)
    page.goto(f"{signed_app}/person?id={person_id}")
    wait_idle(page)
    page.mouse.move(200, 5)
    page.get_by_role("tab", name="Timeline").click()
    shots(page, "timeline")
    page.get_by_role("textbox", name="What was said").fill("Will come to the gala")  # 1
    page.get_by_role("button", name="Save contact").click()  # 2 (the kind is a call already)
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("Contact logged.")
    assert _contacts(signed_db, person_id) == [("call", "Will come to the gala",
                                                "volunteer@example.org")]
    page.get_by_role("tab", name="Timeline").click()
    expect(page.get_by_role("textbox", name="What was said")).to_have_value("")
    story = page.locator("[data-testid=stDataFrame]:visible")
    expect(cell(story, "Will come to the gala")).to_have_count(1)
    shots(page, "logged")

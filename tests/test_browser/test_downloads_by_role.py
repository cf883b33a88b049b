"""Downloads by role in a real browser: the People grid's toolbar has no "Download as CSV"
and copying the whole grid copies nothing, for every role (Streamlit switches this only for
the whole server); staff get the app's own download under the table, a volunteer none."""

from __future__ import annotations

import re

import pytest

from tests.test_browser.conftest import open_from_sidebar, wait_idle

pytestmark = pytest.mark.browser
STAFF_PEOPLE = re.compile(r"^Download these [\d,]+ people \(CSV\)$")


def copied_from_the_grid(page: object) -> str:
    """What Ctrl+A, Ctrl+C in the People grid put on the clipboard."""
    grid = page.get_by_test_id("stDataFrame").first  # type: ignore[attr-defined]
    box = grid.bounding_box()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page.evaluate("navigator.clipboard.writeText('')")  # type: ignore[attr-defined]
    # A cell towards the right of the first row: the first columns are links now (a name
    # opens the person, an email mails them), and a click there leaves the grid.
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + 52)  # type: ignore[attr-defined]
    page.keyboard.press("Control+a")  # type: ignore[attr-defined]
    page.keyboard.press("Control+c")  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    return str(page.evaluate("navigator.clipboard.readText()"))  # type: ignore[attr-defined]


def toolbar(page: object) -> object:
    """The People grid's toolbar, shown as a mouse over the grid shows it."""
    from playwright.sync_api import expect

    page.get_by_test_id("stDataFrame").first.hover()  # type: ignore[attr-defined]
    bar = page.get_by_test_id("stElementToolbar").first  # type: ignore[attr-defined]
    expect(bar.get_by_role("button", name="Search")).to_be_visible()
    return bar


@pytest.mark.parametrize("email, own_download", [
    ("volunteer@example.org", False), ("staff@example.org", True)])
def test_the_people_grid_offers_only_the_downloads_of_the_role(
    signed_in, email: str, own_download: bool, shots
) -> None:
    from playwright.sync_api import expect

    page = signed_in(email)
    open_from_sidebar(page, "People")
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    wait_idle(page)
    bar = toolbar(page)
    shots(page, "people-toolbar")
    assert bar.get_by_role("button", name="Download as CSV").count() == 0  # type: ignore[attr-defined]
    assert copied_from_the_grid(page) == ""
    own = page.get_by_role("button", name=STAFF_PEOPLE)
    if own_download:
        expect(own).to_be_visible()
    else:
        assert own.count() == 0 and page.get_by_test_id("stDownloadButton").count() == 0

"""Layout in a real browser, measured with bounding boxes: on a 390 px phone the notices are
one short line before the title and no table's toolbar covers the person's tabs; at 1280 px
the Renewals date and the volunteer-value metric show whole; before sign-in the sidebar
lists no page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.test_browser.conftest import PHONE, wait_idle

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1280, "height": 900}}
#: Cut text: the element's content is wider than the element shows.
CUT = "el => el.scrollWidth > el.clientWidth + 1"


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    context = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


@pytest.fixture
def laptop(browser: object) -> Iterator[object]:
    context = browser.new_context(**LAPTOP)  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_on_a_phone_the_notices_are_one_line_before_the_title(phone, app_url: str,
                                                              shots) -> None:
    phone.goto(f"{app_url}/people")
    wait_idle(phone)
    title = phone.get_by_role("heading", name="People").bounding_box()
    notice = phone.get_by_text("Demo data · ").bounding_box()
    shots(phone, "phone-people")
    assert notice["height"] < 30, "one line"
    assert title["y"] - notice["y"] < 90, "about 330 px were taken before"


def test_on_a_phone_no_table_toolbar_covers_the_person_s_tabs(phone, app_url: str,
                                                              shots) -> None:
    phone.goto(f"{app_url}/person?id=P00005")
    wait_idle(phone)
    tabs = phone.get_by_role("tablist").first.bounding_box()
    grid = phone.locator("[data-testid='stDataFrame']").first
    grid.hover()
    toolbar = phone.locator("[data-testid='stElementToolbar']").first
    toolbar.wait_for()
    shots(phone, "phone-person-toolbar")
    assert not _overlap(toolbar.bounding_box(), tabs)


def test_at_1280_px_the_renewals_date_and_the_volunteer_value_show_whole(
    laptop, app_url: str, shots
) -> None:
    laptop.goto(f"{app_url}/renewals")
    wait_idle(laptop)
    date = laptop.locator("[data-testid='stDateInput']").filter(has_text="As of").locator(
        "[data-testid='stDateInputFieldsScroller']")
    shots(laptop, "renewals")
    assert not date.evaluate(CUT), date.inner_text()
    laptop.goto(f"{app_url}/volunteer-report")
    wait_idle(laptop)
    value = laptop.locator("[data-testid='stMetric']").filter(
        has_text="Value of volunteer time").locator("[data-testid='stMetricValue'] div").first
    shots(laptop, "volunteer-report")
    assert not value.evaluate(CUT), value.inner_text()


def test_before_sign_in_the_sidebar_lists_no_page(page, signed_app: str, shots) -> None:
    from playwright.sync_api import expect

    page.goto(f"{signed_app}/fundraising")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    wait_idle(page)
    shots(page, "before-sign-in")
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.get_by_role("link", name="fundraising").count() == 0

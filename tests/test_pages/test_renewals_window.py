"""The Renewals page opened from the Today page's line (`?within=7`) lists those due within
7 days; an address asking for a window the page does not offer gets a sentence and 30 days."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from storage import Store
from tests.test_pages.conftest import OpenPage, texts

PAGE = "pages/renewals.py"


def _tabs(app: AppTest) -> list[str]:
    return [tab.label for tab in app.tabs]


def test_the_today_link_opens_the_week(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, PAGE, query={"within": "7"})
    assert app.radio(key="renewals_within").value == 7
    assert _tabs(app)[0].startswith("Due in 7 days")
    assert not app.warning or "does not offer" not in texts(app, "warning")


def test_a_window_not_offered_is_said_and_the_default_shown(open_page: OpenPage,
                                                            demo_store: Store) -> None:
    app = open_page(demo_store, PAGE, query={"within": "<b>45</b>"})
    assert app.radio(key="renewals_within").value == 30
    assert _tabs(app)[0].startswith("Due in 30 days")
    assert "does not offer (7, 30, 60 or 90 days); it shows 30 days" in texts(app, "warning")


def test_without_a_window_the_page_shows_30_days(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, PAGE)
    assert app.radio(key="renewals_within").value == 30

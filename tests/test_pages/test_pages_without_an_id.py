"""Person, Campaign and Appeal opened without an id (from the sidebar, or a link cut short)
offer a picker instead of an error; an unknown id says so and offers the picker too, and
picking opens the record (issue 18)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from storage import Store
from tests.test_pages.conftest import OpenPage, shown, texts
from tests.test_pages.test_roles import STAFF


def _picked(app: AppTest, key: str, value: str) -> AppTest:
    app.selectbox(key=key).set_value(value).run()
    assert not app.exception
    return app


@pytest.mark.parametrize("query", [{}, {"id": "P-NOPE"}])
def test_the_person_page_without_a_known_id_finds_and_opens_a_person(
        open_page: OpenPage, demo_store: Store, query: dict[str, str]) -> None:
    person = demo_store.load(["people"]).frame("people").iloc[0]
    app = open_page(demo_store, "pages/person.py", query=query)
    assert bool(query) == ("There is no person with id P-NOPE" in texts(app, "warning"))
    app.text_input(key="person_find_query").set_value(person["email"]).run()
    assert app.title[0].value != "Person" and person["first_name"] in app.title[0].value
    assert app.query_params["id"] == person["id"]


@pytest.mark.parametrize("query", [{}, {"id": "C-NOPE"}])
def test_the_campaign_page_without_a_known_id_offers_every_campaign(
        open_page: OpenPage, demo_store: Store, query: dict[str, str]) -> None:
    campaign = demo_store.load(["campaigns"]).frame("campaigns").iloc[0]
    app = open_page(demo_store, "pages/campaign.py", query=query, user=STAFF)
    assert bool(query) == ("There is no campaign with id C-NOPE" in texts(app, "warning"))
    assert campaign["name"] in app.selectbox(key="campaign_pick").options
    _picked(app, "campaign_pick", campaign["id"])
    assert shown(app.title[0].value) == campaign["name"]


@pytest.mark.parametrize("query", [{}, {"id": "M-NOPE"}])
def test_the_appeal_page_without_a_known_id_offers_every_appeal(
        open_page: OpenPage, demo_store: Store, query: dict[str, str]) -> None:
    demo_store.append("mailings", [
        {"id": "M-1", "name": "Spring appeal", "status": "sent"},
        {"id": "M-2", "name": "Winter appeal", "status": "draft"}])
    app = open_page(demo_store, "pages/mailing.py", query=query, user=STAFF)
    assert not app.exception
    assert bool(query) == ("There is no appeal with id M-NOPE" in texts(app, "warning"))
    assert app.selectbox(key="appeal_pick").options == [
        "Winter appeal · draft · M-2", "Spring appeal · sent · M-1"]  # the newest first
    _picked(app, "appeal_pick", "M-1")
    assert shown(app.title[0].value) == "Spring appeal"


def test_the_appeal_page_with_no_appeals_says_where_to_write_one(
        open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/mailing.py", user=STAFF)
    assert not app.exception and "There are no appeals yet" in texts(app, "info")

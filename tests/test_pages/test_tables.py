"""Tables read like a CRM: amounts in the organisation's currency, dates without a time,
headers in words, names (that open the person's page) instead of ids, emails and phones as
links. Checked on the column settings each table sends to the browser."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
from streamlit.testing.v1 import AppTest

from storage import Store
from tests.test_pages.conftest import OpenPage
from tests.test_pages.test_roles import STAFF


def column_config(app: AppTest, index: int) -> dict[str, Any]:
    """What the browser is told about each column of the index-th table."""
    table = app.dataframe[index]
    return {name: settings for name, settings in json.loads(table.proto.columns).items()
            if name != "_index"}


def table_with(app: AppTest, column: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    for index, table in enumerate(app.dataframe):
        if column in table.value.columns:
            return table.value, column_config(app, index)
    raise AssertionError(f"no table has a column {column!r}")


def kind(settings: dict[str, Any]) -> tuple[str | None, str | None]:
    config = settings.get("type_config", {})
    return config.get("type"), config.get("format") or config.get("display_text")


def set_currency(store: Store, code: str) -> None:
    frame = store.load(["settings"]).frame("settings")
    [seen] = frame[frame["key"] == "currency"].to_dict("records")
    store.update("settings", "currency", {"value": code}, seen)


def test_the_people_list_shows_names_that_open_their_page_and_contact_links(
        open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/people.py")
    rows, config = app.dataframe[0].value, column_config(app, 0)
    assert config["id"] == {"hidden": True}
    assert kind(config["name"]) == ("link", "&name=(.*)$") and config["name"]["label"] == "Name"
    assert kind(config["email"]) == ("link", "mailto:(.*)")
    assert kind(config["phone"]) == ("link", "tel:(.*)")
    first = rows.iloc[0]
    address = urlsplit(first["name"])
    assert address.path == "person" and parse_qs(address.query)["id"] == [first["id"]]
    assert first["email"].startswith("mailto:") and "@" in first["email"]
    phones = rows["phone"][rows["phone"] != ""]
    assert len(phones) and all(p.startswith("tel:") for p in phones)


def test_the_dashboard_draws_dollars_with_separators_days_and_donors_by_name(
        open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/fundraising.py", user=STAFF)
    donors, config = table_with(app, "last_gift_date")
    assert kind(config["total"]) == ("number", "$%,.2f")
    assert kind(config["last_gift_date"]) == ("date", "YYYY-MM-DD")
    assert config["total"]["label"] == "Total" and config["last_gift_date"]["label"] == (
        "Last gift date")
    assert config["person_id"] == {"hidden": True} and kind(config["name"])[0] == "link"
    assert donors["total"].dtype == float
    campaigns, config = table_with(app, "campaign_id")
    assert config["campaign_id"] == {"hidden": True}
    assert campaigns["name"].str.startswith("campaign?id=").all()
    assert {m.label: m.value for m in app.metric}["Given"].startswith("$")


def test_a_korean_organisation_sees_won_without_decimals_in_tables_metrics_and_charts(
        open_page: OpenPage, demo_store: Store) -> None:
    set_currency(demo_store, "KRW")
    app = open_page(demo_store, "pages/fundraising.py", user=STAFF)
    given = {m.label: m.value for m in app.metric}["Given"]
    assert given.startswith("₩") and "." not in given and "," in given
    _, config = table_with(app, "last_gift_date")
    assert kind(config["total"]) == ("number", "₩%,.0f")
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["tickprefix"] == "₩"
    assert spec["layout"]["yaxis"]["hoverformat"] == ",.0f"


def test_a_persons_gifts_name_their_campaign_and_their_page_links_email_and_phone(
        open_page: OpenPage, demo_store: Store) -> None:
    gifts = demo_store.load(["donations"]).frame("donations")
    given = gifts[gifts["campaign_id"] != ""].iloc[0]
    person = demo_store.load(["people"]).frame("people").set_index("id").loc[given["person_id"]]
    app = open_page(demo_store, "pages/person.py", query={"id": given["person_id"]}, user=STAFF)
    rows, config = table_with(app, "campaign_id")
    assert config["campaign_id"] == {"hidden": True}
    assert kind(config["campaign_id_link"]) == ("link", "&name=(.*)$")
    assert config["campaign_id_link"]["label"] == "Campaign"
    campaigns = demo_store.load(["campaigns"]).frame("campaigns").set_index("id")["name"]
    named = rows[rows["campaign_id"] == given["campaign_id"]].iloc[0]["campaign_id_link"]
    assert parse_qs(urlsplit(named).query)["name"] == [campaigns[given["campaign_id"]]]
    assert kind(config["amount"]) == ("number", "$%,.2f")
    assert kind(config["date"]) == ("date", "YYYY-MM-DD")
    links = {b.proto.url for b in app.get("link_button")}
    if person["email"]:
        assert f"mailto:{person['email']}" in links
    if person["phone"]:
        assert any(link.startswith("tel:") for link in links)

"""A director reads the fundraising dashboard by fiscal year and takes the numbers away."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tests.test_browser.conftest import open_from_sidebar, wait_idle

pytestmark = pytest.mark.browser


def _completed(db: Path, start: str, end: str) -> tuple[Decimal, int, int]:
    """Total, donors and gifts of the completed gifts dated `start` to `end`, summed here
    from the store's typed rows (not through the reports the dashboard uses)."""
    from storage.sqlite_store import SQLiteStore

    store = SQLiteStore(db)
    gifts = store.load(["donations"]).frame("donations")
    store.close()
    chosen = gifts[(gifts["status"] == "completed") & (gifts["date"] >= pd.Timestamp(start))
                   & (gifts["date"] <= pd.Timestamp(end))]
    return sum(chosen["amount"], Decimal(0)), chosen["person_id"].nunique(), len(chosen)


def test_a_director_switches_the_dashboard_to_fiscal_years_and_downloads_the_numbers(
    signed_in, signed_db: Path, shots, tmp_path: Path
) -> None:
    """Signed in as the demo's director (director@example.org, Dana Whitfield), who may read
    the dashboards and download, and change nothing. The demo's settings use calendar
    years, so July to June is the fiscal year offered."""
    from playwright.sync_api import expect

    page = signed_in("director@example.org")
    open_from_sidebar(page, "Fundraising")
    expect(page.get_by_role("heading", name="Fundraising")).to_be_visible()
    period = page.get_by_text(re.compile(r"^\S+ from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, "))
    expect(period).to_have_text(re.compile(r"^(\d{4}) from \1-01-01 to "))
    shots(page, "fundraising-calendar")

    page.get_by_text("Fiscal years (July to June)").click()
    wait_idle(page)
    expect(period).to_have_text(re.compile(r"^FY\d{4} from \d{4}-07-01 to "))
    label, start, end, _, last_start, last_end = re.findall(
        r"(FY\d{4}|\d{4}-\d\d-\d\d)", period.inner_text())
    total, donors, gifts = _completed(signed_db, start, end)
    last_total, last_donors, last_gifts = _completed(signed_db, last_start, last_end)
    given = page.get_by_test_id("stMetric").filter(has_text="Given")
    expect(given.get_by_test_id("stMetricValue")).to_have_text(f"${total:,.2f}")
    shots(page, "fundraising-fiscal")

    numbers = page.get_by_test_id("stExpander").filter(has_text="The numbers").first
    numbers.click()
    with page.expect_download() as download:
        numbers.get_by_role("button", name="Download CSV").first.click()
    assert download.value.suggested_filename == "year-to-date.csv"
    saved = tmp_path / "year-to-date.csv"
    download.value.save_as(saved)
    shots(page, "fundraising-numbers")
    rows = {r["metric"]: r for r in csv.DictReader(io.StringIO(saved.read_text("utf-8")))}
    assert list(rows) == ["Total given", "Donors", "Gifts", "Average gift", "Donor retention"]
    assert (Decimal(rows["Total given"]["this_year"]), int(rows["Donors"]["this_year"]),
            int(rows["Gifts"]["this_year"])) == (total, donors, gifts)
    assert (Decimal(rows["Total given"]["last_year"]), int(rows["Donors"]["last_year"]),
            int(rows["Gifts"]["last_year"])) == (last_total, last_donors, last_gifts)
    assert label.startswith("FY") and int(label[2:]) == int(end[:4]) + (end[5:7] >= "07")

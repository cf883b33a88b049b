"""The giving pages in AppTest on demo data: entering one gift and a deposit batch, refunds,
standing gifts, campaigns, thank-yous and statements, the dashboard and the donor view; who
may open each, and what each writes (a batch: one commit, one request on Google Sheets)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages.common.data import STORE_OVERRIDE
from rules.gifts import next_charge
from rules.roles import Role, User
from sheets_schema.changes import ChangeSet
from storage import Store
from storage.base import AuditHook, SchemaReport
from storage.errors import Conflict
from storage.sheets_store import GoogleSheetsStore
from tests.emulator import SheetsEmulator
from tests.test_pages.conftest import APP, OpenPage, button, texts
from tests.test_pages.test_roles import DIRECTOR, STAFF, VOLUNTEER, first_run, pages_listed

PAGES = ["pages/gift_entry.py", "pages/gift_batch.py", "pages/recurring.py",
         "pages/campaigns.py", "pages/campaign.py", "pages/acknowledgments.py",
         "pages/fundraising.py"]
WRITE_BUTTONS = {"Save gift", "Refund gift", "Save batch", "Record gift", "Add campaign",
                 "Save campaign", "Add standing gift", "Add a row for this person"}
GIVING_ONLY = {"pages/recurring.py": "As volunteer you may not see standing gifts",
               "pages/campaigns.py": "As volunteer you may not see campaigns",
               "pages/campaign.py": "As volunteer you may not see campaigns",
               "pages/acknowledgments.py": "As volunteer you may not see thank-yous",
               "pages/fundraising.py": "As volunteer you may not open the dashboards"}


class CountingStore(Store):
    """A store that counts its commits: what "one commit" means, checked."""

    def __init__(self, inner: Store) -> None:
        self.inner, self.commits = inner, []
        self.title, self.url, self.locale = inner.title, inner.url, inner.locale

    def read(self, tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        return self.inner.read(tabs)

    def commit(self, changes: ChangeSet, *, skip_conflicts: bool = False,
               audit: AuditHook | None = None) -> list[Conflict]:
        self.commits.append(changes)
        return self.inner.commit(changes, skip_conflicts=skip_conflicts, audit=audit)

    def ensure_schema(self) -> SchemaReport:
        return self.inner.ensure_schema()


def donations(store: Store) -> pd.DataFrame:
    return store.load(["donations"]).frame("donations")


def people_ids(store: Store, n: int, offset: int = 30) -> list[str]:
    people = store.load(["people"]).frame("people")
    alive = people[people["deleted_at"].isna() & people["erased_at"].isna()]
    return list(alive["id"].iloc[offset:offset + n])


def batch_state(rows: list[dict[str, Any]], control: str) -> dict[str, Any]:
    return {"batch_grid_0": {"edited_rows": {}, "added_rows": rows, "deleted_rows": []},
            "batch_control_0": control}


def run_directly(store: Store, page: str, user: User) -> AppTest:
    """A page file run on its own, as a crafted request would reach it (no navigation)."""
    app = AppTest.from_file(str(APP.parent / page), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = store
    app.session_state["steward_user"] = user
    app.query_params["id"] = "C01"
    app.run()
    assert not app.exception
    return app


def donors(store: Store, n: int) -> list[str]:
    """`n` people with several completed gifts each."""
    gifts = donations(store)
    counts = gifts[gifts["status"] == "completed"]["person_id"].value_counts()
    return list(counts.index[5:5 + n])


def shown_everywhere(app: AppTest) -> str:
    tables = "\n".join(frame.value.to_csv() for frame in app.dataframe)
    metrics = "\n".join(f"{m.label} {m.value}" for m in app.metric)
    return "\n".join([texts(app), tables, metrics])


# ------------------------------------------------------------------------ who opens what


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("email", [STAFF, DIRECTOR])
def test_every_page_renders_for_staff_and_director(open_page: OpenPage, demo_store: Store,
                                                   path: str, email: str) -> None:
    if email == DIRECTOR and path in {"pages/gift_entry.py", "pages/gift_batch.py"}:
        app = run_directly(demo_store, path, User(DIRECTOR, Role.DIRECTOR))
        assert "As director you may not enter gifts" in texts(app, "error")
        return
    app = open_page(demo_store, path, query={"id": "C01"}, user=email)
    assert app.title, "every page has a title"
    if email == DIRECTOR:
        assert not WRITE_BUTTONS & {b.label for b in app.button}, "a director writes nothing"
        assert not [b for b in app.button if b.label.startswith(("Write", "Mark"))]


def test_the_navigation_offers_the_giving_pages_by_role(demo_store: Store,
                                                        open_page: OpenPage) -> None:
    giving = {"Fundraising", "Campaigns", "Campaign", "Recurring gifts", "Thank-yous"}
    entry = {"Enter a gift", "Batch entry"}
    volunteer = pages_listed(first_run(demo_store, VOLUNTEER))
    assert entry <= volunteer and not giving & volunteer
    director = pages_listed(first_run(demo_store, DIRECTOR))
    assert giving <= director and not entry & director
    assert giving | entry <= pages_listed(first_run(demo_store, STAFF))


@pytest.mark.parametrize(("page", "refusal"), GIVING_ONLY.items())
def test_a_volunteer_running_a_giving_page_directly_is_refused(
    demo_store: Store, page: str, refusal: str
) -> None:
    app = run_directly(demo_store, page, User(VOLUNTEER, Role.VOLUNTEER))
    assert refusal in texts(app, "error")
    assert not app.dataframe and not app.metric


# ----------------------------------------------------------------------------- one gift


def test_a_gift_is_entered_with_messages_beside_its_fields(open_page: OpenPage,
                                                          demo_store: Store) -> None:
    [donor] = people_ids(demo_store, 1)
    before = len(donations(demo_store))
    app = open_page(demo_store, "pages/gift_entry.py", user=VOLUNTEER)
    app.text_input(key="gift_0_person_query").set_value(donor).run()
    app.text_input(key="gift_0_amount").set_value("12.345").run()
    button(app, "Save gift").click().run()
    assert "at most two decimals" in texts(app, "error")
    assert len(donations(demo_store)) == before
    app.text_input(key="gift_0_amount").set_value("1,234.50").run()
    button(app, "Save gift").click().run()
    assert "Saved gift D-" in texts(app, "success")
    gift = donations(demo_store).iloc[-1]
    assert (gift["person_id"], gift["amount"], gift["status"], gift["receipt_status"]) == (
        donor, Decimal("1234.50"), "completed", "to send")
    assert not app.tabs or "Refund a gift" not in [t.label for t in app.tabs]


def test_a_refund_changes_the_status_and_deletes_nothing(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    gifts = donations(demo_store)
    target = gifts[gifts["status"] == "completed"].iloc[-1]
    app = open_page(demo_store, "pages/gift_entry.py", user=STAFF)
    app.text_input(key="refund_person_query").set_value(target["person_id"]).run()
    app.selectbox(key="refund_gift").set_value(target["id"]).run()
    app.text_input(key="refund_reason").set_value("Cheque bounced").run()
    app.checkbox(key="refund_sure").check().run()
    button(app, "Refund gift").click().run()
    after = donations(demo_store)
    assert len(after) == len(gifts)
    row = after[after["id"] == target["id"]].iloc[0]
    assert row["status"] == "refunded" and "Cheque bounced" in row["note"]


# ------------------------------------------------------------------------------- a batch


def test_a_volunteers_batch_page_shows_no_amount_but_those_typed(
    open_page: OpenPage, demo_store: Store
) -> None:
    ids = donors(demo_store, 2)
    rows = [{"person_id": ids[0], "amount": "987.65", "method": "cash"},
            {"person_id": ids[1], "amount": "123.40", "method": "cheque", "reference": "2001"}]
    app = open_page(demo_store, "pages/gift_batch.py", user=VOLUNTEER,
                    state=batch_state(rows, "1111.05"))
    shown = shown_everywhere(app)
    assert "987.65" in shown and "1,111.05" in shown
    gifts = donations(demo_store)
    theirs = gifts[gifts["person_id"].isin(ids)]["amount"]
    history = {f"{a:,.2f}" for a in theirs} | {f"{a:.2f}" for a in theirs}
    assert len(history) > 2
    leaked = {amount for amount in history if amount in shown} - {"987.65", "123.40", "1,111.05"}
    assert not leaked, leaked


def test_a_batch_that_does_not_match_its_control_total_writes_nothing(
    open_page: OpenPage, demo_store: Store
) -> None:
    ids = people_ids(demo_store, 3)
    rows = [{"person_id": pid, "amount": "10.10", "method": "cash"} for pid in ids]
    counting = CountingStore(demo_store)
    before = len(donations(demo_store))
    app = open_page(counting, "pages/gift_batch.py", user=VOLUNTEER,
                    state=batch_state(rows, "30.31"))
    button(app, "Save batch").click().run()
    assert "add up to 30.30 but the deposit slip says 30.31" in texts(app, "error")
    assert counting.commits == [] and len(donations(demo_store)) == before


def test_a_matching_batch_lands_in_one_commit_with_one_batch_id(
    open_page: OpenPage, demo_store: Store
) -> None:
    ids = people_ids(demo_store, 3)
    rows = [{"person_id": ids[0], "amount": "10.10", "method": "cash"},
            {"person_id": ids[1], "amount": "0.10", "method": "cheque", "reference": "301"},
            {"person_id": ids[2], "amount": "0.10", "method": "cheque", "reference": "302",
             "date": (date.today() - timedelta(days=2)).isoformat()}]
    counting = CountingStore(demo_store)
    app = open_page(counting, "pages/gift_batch.py", user=VOLUNTEER,
                    state=batch_state(rows, "10.30"))
    button(app, "Save batch").click().run()
    assert "Saved batch B-" in texts(app, "success")
    [commit] = counting.commits
    assert list(commit.appends) == ["donations"] and not commit.edits
    gifts = donations(demo_store).tail(3)
    assert gifts["person_id"].tolist() == ids and gifts["batch_id"].nunique() == 1
    assert gifts["batch_id"].iloc[0].startswith("B-")
    assert sum(gifts["amount"]) == Decimal("10.30")
    assert gifts["reference"].tolist() == ["", "301", "302"]
    log = demo_store.load(["audit_log"]).frame("audit_log")
    assert set(log["user"]) == {VOLUNTEER} and len(log) == 3


def test_a_person_found_by_search_becomes_a_row_of_the_batch(open_page: OpenPage,
                                                             demo_store: Store) -> None:
    [pid] = people_ids(demo_store, 1)
    app = open_page(demo_store, "pages/gift_batch.py", user=VOLUNTEER)
    app.text_input(key="batch_find_query").set_value(pid).run()
    button(app, "Add a row for this person").click().run()
    review = app.dataframe[-1].value
    assert review["person"].iloc[0].endswith(pid) and "number" in review["problem"].iloc[0]


@pytest.fixture
def sheets_org(sheets_with_tabs: GoogleSheetsStore) -> GoogleSheetsStore:
    """A Google Sheet (the emulator) with every tab, the demo's users and 200 people."""
    store = sheets_with_tabs
    store.commit(ChangeSet()
                 .append("users", {"email": VOLUNTEER, "role": "volunteer", "active": True})
                 .append("people", *({"id": f"P{n:03d}", "first_name": f"Donor {n}"}
                                     for n in range(200))))
    return store


def test_a_batch_of_200_gifts_is_one_write_request_on_google_sheets(
    open_page: OpenPage, sheets_org: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    rows = [{"person_id": f"P{n:03d}", "amount": f"{n + 1}.25", "method": "cheque",
             "reference": f"{5000 + n}"} for n in range(200)]
    control = f"{sum(Decimal(r['amount']) for r in rows)}"
    app = open_page(sheets_org, "pages/gift_batch.py", user=VOLUNTEER,
                    state=batch_state(rows, control))
    emulator.reset_counts()
    button(app, "Save batch").click().run()
    assert "Saved batch B-" in texts(app, "success")
    endpoints = [endpoint for _, endpoint, _ in emulator.requests]
    # the commit reads the headers and writes once; then the page reads the new snapshot
    assert endpoints == ["values.batchGet", "spreadsheets.batchUpdate", "values.batchGet"]
    assert emulator.counts["write"] == 1
    book = sheets_org.load(["donations", "audit_log"])
    gifts = book.frame("donations")
    assert len(gifts) == 200 and gifts["batch_id"].nunique() == 1
    assert sum(gifts["amount"]) == Decimal(control)
    [entry] = book.frame("audit_log").to_dict("records")  # over 50 rows: one summary entry
    assert entry["user"] == VOLUNTEER and "200 rows added" in entry["after"]


# ------------------------------------------------------------------------ standing gifts


def test_recording_a_standing_gift_advances_its_next_date(open_page: OpenPage,
                                                          demo_store: Store) -> None:
    schedules = demo_store.load(["recurring_gifts"]).frame("recurring_gifts")
    schedule = schedules[(schedules["status"] == "active")
                         & (schedules["frequency"] == "monthly")].iloc[0]
    counting = CountingStore(demo_store)
    app = open_page(counting, "pages/recurring.py", user=STAFF)
    app.selectbox(key="recurring_pick").set_value(schedule["id"]).run()
    button(app, "Record gift").click().run()
    assert "the next gift is due" in texts(app, "success")
    [commit] = counting.commits
    assert set(commit.appends) == {"donations"} and set(commit.edits) == {"recurring_gifts"}
    after = demo_store.load(["recurring_gifts"]).row("recurring_gifts", schedule["id"])
    assert after is not None and after["next_date"] > schedule["next_date"]
    assert after["next_date"].date() == next_charge(schedule.to_dict())
    gift = donations(demo_store).iloc[-1]
    assert (gift["recurring_gift_id"], gift["amount"]) == (schedule["id"], schedule["amount"])


def test_overdue_schedules_are_offered_a_status_change(open_page: OpenPage,
                                                       demo_store: Store) -> None:
    app = open_page(demo_store, "pages/recurring.py", user=STAFF)
    [write] = [b for b in app.button if b.label.startswith("Write ")]
    count = int(write.label.split()[1])
    write.click().run()
    log = demo_store.load(["audit_log"]).frame("audit_log")
    assert len(log) == count and set(log["tab"]) == {"recurring_gifts"}
    assert not [b for b in app.button if b.label.startswith("Write ")]


# ----------------------------------------------------------------------------- campaigns


def test_staff_add_a_campaign_and_land_on_its_page(open_page: OpenPage,
                                                   demo_store: Store) -> None:
    app = open_page(demo_store, "pages/campaigns.py", user=STAFF)
    app.text_input(key="campaign_new_0_name").set_value("Winter Coats").run()
    app.text_input(key="campaign_new_0_goal").set_value("-1").run()
    button(app, "Add campaign").click().run()
    assert "cannot be below zero" in texts(app, "error")
    app.text_input(key="campaign_new_0_goal").set_value("5,000").run()
    button(app, "Add campaign").click().run()
    campaigns = demo_store.load(["campaigns"]).frame("campaigns")
    added = campaigns[campaigns["name"] == "Winter Coats"].iloc[0]
    assert added["goal"] == Decimal(5000)
    assert app.title[0].value == "Winter Coats"


def test_a_campaign_page_shows_progress_donors_and_gifts(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    app = open_page(demo_store, "pages/campaign.py", query={"id": "C01"}, user=DIRECTOR)
    labels = {m.label: m.value for m in app.metric}
    assert labels["Raised"].startswith("$") and labels["Of the goal"].endswith("%")
    donors, gifts = app.dataframe[0].value, app.dataframe[1].value
    assert int(labels["Donors"].replace(",", "")) == len(donors)
    assert round(donors["total"].sum(), 2) == round(gifts["amount"].sum(), 2)
    assert [t.label for t in app.tabs] == ["Donors", "Gifts"]


# --------------------------------------------------------------------- thank-yous, statements


def test_staff_mark_thank_yous_sent_in_one_commit(open_page: OpenPage,
                                                  demo_store: Store) -> None:
    counting = CountingStore(demo_store)
    app = open_page(counting, "pages/acknowledgments.py", user=STAFF)
    waiting = app.dataframe[0].value
    assert len(waiting) >= 2
    state = {"thanks_editor_0": {"edited_rows": {0: {"sent": True}, 1: {"sent": True}},
                                 "added_rows": [], "deleted_rows": []}}
    app = open_page(counting, "pages/acknowledgments.py", user=STAFF, state=state)
    button(app, "Mark 2 as sent").click().run()
    [commit] = counting.commits
    assert [e.key for e in commit.edits["donations"]] == list(waiting["id"][:2])
    gifts = donations(demo_store).set_index("id")
    assert set(gifts.loc[list(waiting["id"][:2]), "receipt_status"]) == {"sent"}


def test_a_year_end_statement_downloads_as_escaped_html(open_page: OpenPage,
                                                        demo_store: Store) -> None:
    gifts = donations(demo_store)
    done = gifts[(gifts["status"] == "completed") & (gifts["date"].dt.year == 2025)]
    donor = done["person_id"].iloc[0]
    people = demo_store.load(["people"]).frame("people")
    seen = people[people["id"] == donor].iloc[0].to_dict()
    demo_store.update("people", donor, {"first_name": "<script>alert(1)</script>"}, seen)
    app = open_page(demo_store, "pages/acknowledgments.py", user=DIRECTOR)
    app.selectbox(key="statement_year").set_value(2025).run()
    app.text_input(key="statement_person_query").set_value(donor).run()
    assert "<script>alert(1)</script>" in texts(app, "subheader")  # shown as text
    [download] = [b for b in app.get("download_button") if b.proto.label.startswith(
        "Download statement")]
    assert download.proto.label == "Download statement (HTML)"
    from reports.statements import statement_html, year_end_statement

    book = demo_store.load()
    html = statement_html(year_end_statement(book.frame("donations"), book.frame("people"),
                                             book.frame("campaigns"), donor, 2025,
                                             book.settings, date.today()))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ----------------------------------------------------------------------------- dashboard


def org_today(store: Store) -> date:
    """Today where the demo organisation is: what the pages take as today."""
    zone = ZoneInfo(store.load(["settings"]).settings.time_zone)
    return datetime.now(zone).date()


def test_the_dashboard_for_a_director_with_the_fiscal_switch(open_page: OpenPage,
                                                             demo_store: Store) -> None:
    app = open_page(demo_store, "pages/fundraising.py", user=DIRECTOR)
    calendar = {m.label: m.value for m in app.metric}
    assert set(calendar) == {"Given", "Donors", "Average gift", "Donor retention"}
    year = str(org_today(demo_store).year)
    assert f"{year} from {year}-01-01" in texts(app, "caption")
    assert len(app.get("plotly_chart")) == 6 and len(app.dataframe) >= 10
    assert not {b.label for b in app.button} & WRITE_BUTTONS
    assert any(b.proto.label == "Download xlsx" for b in app.get("download_button"))
    switch = app.radio(key="fundraising_years")
    assert switch.options == ["Calendar years", "Fiscal years (July to June)"]
    switch.set_value("Fiscal years (July to June)").run()
    assert not app.exception
    fiscal = {m.label: m.value for m in app.metric}
    assert fiscal["Given"] != calendar["Given"]
    assert "FY" in texts(app, "caption")
    app.date_input(key="fundraising_as_of").set_value(date(2025, 6, 30)).run()
    assert "FY2025 from 2024-07-01 to 2025-06-30" in texts(app, "caption")


def test_the_dashboard_totals_match_the_ledger(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/fundraising.py", user=STAFF)
    gifts = donations(demo_store)
    today = pd.Timestamp(org_today(demo_store))
    this_year = gifts[(gifts["status"] == "completed") & gifts["amount"].notna()
                      & (gifts["date"] >= pd.Timestamp(today.year, 1, 1))
                      & (gifts["date"] <= today) & (gifts["person_id"] != "")]
    total = sum(this_year["amount"], Decimal(0))
    assert {m.label: m.value for m in app.metric}["Given"] == f"${total:,.2f}"


# ----------------------------------------------------------------------------- donor view


def _donor_view_script(person_id: str, as_of: str) -> None:
    from datetime import date

    from pages.common import data
    from pages.common.donor_view import donor_view

    book = data.workbook()
    donor_view(book, person_id, date.fromisoformat(as_of), book.settings.fiscal_year_start)


def test_the_donor_view_shows_years_first_last_and_largest_gift(demo_store: Store) -> None:
    gifts = donations(demo_store)
    done = gifts[gifts["status"] == "completed"]
    donor = done["person_id"].value_counts().index[0]
    app = AppTest.from_function(_donor_view_script, args=(donor, "2026-11-01"),
                                default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.session_state["steward_user"] = User(STAFF, Role.STAFF)
    app.run()
    assert not app.exception
    mine = done[(done["person_id"] == donor) & (done["date"] <= "2026-11-01")]
    assert {m.label: m.value for m in app.metric}["Given in all"] == (
        f"${sum(mine['amount'], Decimal(0)):,.2f}")
    assert "First gift" in texts(app, "caption") and "Largest gift" in texts(app, "caption")
    years = app.dataframe[0].value
    assert years["gifts"].sum() == len(mine)

    app.session_state["steward_user"] = User(VOLUNTEER, Role.VOLUNTEER)
    app.run()
    assert "does not show giving" in texts(app, "info") and not app.metric

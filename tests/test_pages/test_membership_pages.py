"""The membership pages in AppTest on demo data: renewals, membership health and the member
view, for each role; what a renewal, a join, a cancel and handing out reminders write."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from demo import DEFAULT_AS_OF
from pages.common.data import STORE_OVERRIDE
from reports.membership import latest_terms_of
from rules.roles import Role, User
from storage import Store
from tests.test_pages.conftest import APP, OpenPage, button, texts
from tests.test_pages.test_roles import DIRECTOR, STAFF, VOLUNTEER, first_run, pages_listed

PAGES = ["pages/renewals.py", "pages/membership_health.py"]
CHANGES = ["Record renewal", "Join", "Cancel membership", "Mark as handed out"]


def latest(store: Store, as_of: date = DEFAULT_AS_OF) -> pd.DataFrame:
    return latest_terms_of(store.load(), as_of)


def one_with(store: Store, status: str) -> dict[str, Any]:
    found = latest(store)
    return found[found["status"] == status].iloc[0].to_dict()


def renewals(open_page: OpenPage, store: Store, user: str = STAFF,
             as_of: date | None = DEFAULT_AS_OF) -> AppTest:
    app = open_page(store, "pages/renewals.py", user=user)
    if as_of is not None:
        app.date_input(key="renewals_as_of").set_value(as_of).run()
    return app


def counts(store: Store) -> dict[str, int]:
    book = store.load(["memberships", "donations", "audit_log", "reminders"])
    return {name: len(book.frame(name)) for name in book.tabs}


def tab_labels(app: AppTest) -> list[str]:
    return [tab.label for tab in app.tabs]


@pytest.mark.parametrize("user", [STAFF, DIRECTOR])
@pytest.mark.parametrize("path", PAGES)
def test_the_pages_render_for_staff_and_directors(open_page: OpenPage, demo_store: Store,
                                                  path: str, user: str) -> None:
    app = open_page(demo_store, path, user=user)
    assert app.title and app.dataframe
    assert {"Download CSV", "Download xlsx"} <= {b.label for b in app.get("download_button")}


def test_the_renewals_lists_show_who_is_due_in_grace_and_lapsed(open_page: OpenPage,
                                                               demo_store: Store) -> None:
    app = renewals(open_page, demo_store, DIRECTOR)
    labels = tab_labels(app)
    assert labels[0].startswith("Due in 30 days") and labels[1].startswith("In grace")
    due = app.dataframe[0].value
    assert {"name", "email", "phone", "level_name", "end_date", "last_payment_amount",
            "last_payment_date"} <= set(due.columns)
    assert due["end_date"].between(pd.Timestamp(DEFAULT_AS_OF),
                                   pd.Timestamp(DEFAULT_AS_OF + timedelta(days=30))).all()
    assert set(app.dataframe[1].value["status"]) == {"Grace"}
    app.radio(key="renewals_within").set_value(90).run()
    assert len(app.dataframe[0].value) > len(due)
    app.multiselect(key="renewals_levels").set_value(["L2"]).run()
    assert set(app.dataframe[3].value["level_id"]) == {"L2"}


def test_a_director_reads_and_downloads_but_changes_nothing(open_page: OpenPage,
                                                            demo_store: Store) -> None:
    app = renewals(open_page, demo_store, DIRECTOR)
    assert not {b.label for b in app.button} & set(CHANGES)
    assert "Record a renewal" not in tab_labels(app)


def test_volunteers_are_not_offered_the_pages(demo_store: Store) -> None:
    listed = pages_listed(first_run(demo_store, VOLUNTEER))
    assert not {"Renewals", "Membership health"} & listed
    assert {"Renewals", "Membership health"} <= pages_listed(first_run(demo_store, DIRECTOR))


@pytest.mark.parametrize(("page", "refusal"), [
    ("pages/renewals.py", "As volunteer you may not see memberships and renewals"),
    ("pages/membership_health.py", "As volunteer you may not open the dashboards"),
])
def test_a_volunteer_reaching_a_page_directly_is_refused(demo_store: Store, page: str,
                                                          refusal: str) -> None:
    app = AppTest.from_file(str(APP.parent / page), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.session_state["steward_user"] = User(VOLUNTEER, Role.VOLUNTEER)
    app.run()
    assert refusal in texts(app, "error")
    assert not app.dataframe


def test_recording_a_renewal_adds_one_term_and_its_payment_with_audit_rows(
    open_page: OpenPage, demo_store: Store
) -> None:
    member = one_with(demo_store, "Grace")
    before = counts(demo_store)
    app = renewals(open_page, demo_store)
    app.selectbox(key="renew_person").set_value(member["person_id"]).run()
    assert "The new term runs from" in texts(app, "caption")
    button(app, "Record renewal").click().run()
    assert not app.exception and "Renewal recorded" in texts(app, "success")
    assert app.selectbox(key="renew_person").value is None  # a second click records nothing

    after = counts(demo_store)
    assert after == {**before, "memberships": before["memberships"] + 1,
                     "donations": before["donations"] + 1,
                     "audit_log": before["audit_log"] + 2}
    book = demo_store.load()
    terms = book.frame("memberships")
    term = terms.iloc[-1]
    gift = book.row("donations", term["donation_id"])
    assert gift is not None and term["person_id"] == gift["person_id"] == member["person_id"]
    assert (gift["kind"], gift["status"], gift["amount"]) == ("membership", "completed",
                                                              term["amount"])
    assert term["start_date"] == member["end_date"] + pd.Timedelta(days=1)  # no gap
    assert term["join_date"] == member["join_date"]
    log = book.frame("audit_log")
    assert set(zip(log["tab"], log["record_id"], log["user"], strict=True)) == {
        ("memberships", term["id"], STAFF), ("donations", gift["id"], STAFF)}
    renewed = latest(demo_store).set_index("person_id").loc[member["person_id"]]
    assert (renewed["status"], renewed["term_id"]) == ("Current", term["id"])


def test_joining_a_new_member(open_page: OpenPage, demo_store: Store) -> None:
    book = demo_store.load(["people", "memberships"])
    people = book.frame("people")
    newcomer = people[~people["id"].isin(book.frame("memberships")["person_id"])
                      & people["deleted_at"].isna() & ~people["deceased"]
                      & (people["first_name"] != "")].iloc[3]
    app = renewals(open_page, demo_store)
    app.text_input(key="join_query").set_value(newcomer["id"]).run()
    app.selectbox(key="join_person").set_value(newcomer["id"]).run()
    button(app, "Join").click().run()
    assert "joined" in texts(app, "success")
    term = demo_store.load(["memberships"]).frame("memberships").iloc[-1]
    assert term["person_id"] == newcomer["id"]
    assert term["join_date"] == term["start_date"] == pd.Timestamp(DEFAULT_AS_OF)
    assert latest(demo_store).set_index("person_id").loc[newcomer["id"], "status"] == "New"


def test_someone_with_terms_is_renewed_not_joined(open_page: OpenPage,
                                                  demo_store: Store) -> None:
    member = one_with(demo_store, "Expired")
    app = renewals(open_page, demo_store)
    app.text_input(key="join_query").set_value(member["person_id"]).run()
    app.selectbox(key="join_person").set_value(member["person_id"]).run()
    assert "record a renewal for them instead" in texts(app, "info")
    assert "Join" not in {b.label for b in app.button}


def test_cancelling_sets_the_override_and_deletes_nothing(open_page: OpenPage,
                                                          demo_store: Store) -> None:
    member = one_with(demo_store, "Current")
    before = counts(demo_store)
    app = renewals(open_page, demo_store)
    app.selectbox(key="cancel_person").set_value(member["person_id"]).run()
    assert button(app, "Cancel membership").disabled
    app.checkbox(key="cancel_sure").check().run()
    button(app, "Cancel membership").click().run()
    assert "Membership cancelled" in texts(app, "success")
    assert app.selectbox(key="cancel_person").value is None
    assert counts(demo_store) == {**before, "audit_log": before["audit_log"] + 1}
    term = demo_store.load(["memberships"]).row("memberships", member["term_id"])
    assert term is not None and term["status_override"] == "Cancelled"
    assert latest(demo_store).set_index("person_id").loc[member["person_id"],
                                                         "status"] == "Cancelled"


def test_reminders_handed_out_are_not_listed_again(open_page: OpenPage,
                                                   demo_store: Store) -> None:
    app = renewals(open_page, demo_store, as_of=None)  # reminders go out on their day: today
    listed = next(label for label in tab_labels(app) if label.startswith("Reminders today"))
    due = int(listed.split("(")[1].rstrip(")"))
    assert due > 0
    button(app, "Mark as handed out").click().run()
    assert f"{due} reminders recorded" in texts(app, "success")
    reminders = demo_store.load(["reminders"]).frame("reminders")
    recorded = reminders[reminders["status"] != "sent"]  # the demo's own history was sent
    assert len(recorded) == due and set(recorded["status"]) == {"listed"}
    assert set(recorded["created_by"]) == {STAFF}
    assert "Reminders today (0)" in tab_labels(app)
    again = renewals(open_page, demo_store, as_of=None)
    assert "Reminders today (0)" in tab_labels(again)
    assert button(again, "Mark as handed out").disabled


def test_reminders_are_handed_out_only_on_their_day(open_page: OpenPage,
                                                    demo_store: Store) -> None:
    app = renewals(open_page, demo_store)  # DEFAULT_AS_OF, a month before today
    assert button(app, "Mark as handed out").disabled


def test_membership_health_shows_each_chart_with_its_numbers(open_page: OpenPage,
                                                             demo_store: Store) -> None:
    app = open_page(demo_store, "pages/membership_health.py", user=DIRECTOR)
    assert len(app.get("plotly_chart")) == 4 and len(app.dataframe) == 4
    assert list(app.dataframe[0].value["status"])[:4] == ["New", "Current", "Grace", "Expired"]
    assert {m.label for m in app.metric} == {"Members", "Renewal rate",
                                            "New members, last 12 months"}
    app.radio(key="health_months").set_value(12).run()
    assert len(app.dataframe[2].value) == 12


def _member_view(person_id: str, day: str) -> None:
    from datetime import date

    from pages.common import data
    from pages.common.member_view import member_view

    member_view(data.workbook(), person_id, date.fromisoformat(day))


def view(store: Store, person_id: str, role: Role) -> AppTest:
    app = AppTest.from_function(_member_view, args=(person_id, DEFAULT_AS_OF.isoformat()),
                                default_timeout=60)
    app.session_state[STORE_OVERRIDE] = store
    app.session_state["steward_user"] = User(f"{role.value}@example.org", role)
    app.run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def test_the_member_view_shows_every_term_on_a_timeline(demo_store: Store) -> None:
    terms = demo_store.load(["memberships"]).frame("memberships").sort_values("start_date")
    gaps = terms.groupby("person_id").filter(
        lambda t: ((t["start_date"] - t["end_date"].shift()) > pd.Timedelta(days=1)).any())
    person_id = gaps["person_id"].iloc[0]
    app = view(demo_store, person_id, Role.STAFF)
    table = app.dataframe[0].value
    assert len(table) == (terms["person_id"] == person_id).sum()
    assert table["amount"].notna().all()
    [chart] = app.get("plotly_chart")
    assert "Membership terms" in chart.proto.spec
    assert {m.label for m in app.metric} >= {"Status", "Member since"}


def test_the_member_view_has_no_amounts_for_volunteers(demo_store: Store) -> None:
    person_id = demo_store.load(["memberships"]).frame("memberships")["person_id"].iloc[0]
    app = view(demo_store, person_id, Role.VOLUNTEER)
    assert "amount" not in app.dataframe[0].value.columns


def test_the_member_view_of_someone_without_terms(demo_store: Store) -> None:
    book = demo_store.load(["people", "memberships"])
    people = book.frame("people")
    nobody = people[~people["id"].isin(book.frame("memberships")["person_id"])]["id"].iloc[0]
    assert "No membership terms" in texts(view(demo_store, nobody, Role.STAFF), "info")

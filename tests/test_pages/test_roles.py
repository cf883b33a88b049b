"""Roles in the app: what each role sees and may change, enforced below the pages too.

The demo's users tab has admin@, director@, staff@ and volunteer@example.org.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

from rules.roles import Role, User, visible_workbook
from storage import NotAllowed, Store
from storage.signed_in import SignedInStore
from tests.test_pages.conftest import APP, OpenPage, button, signed_in, texts

VOLUNTEER = "volunteer@example.org"
STAFF = "staff@example.org"
DIRECTOR = "director@example.org"
ADMIN = "admin@example.org"


def donor(store: Store) -> dict[str, Any]:
    """A living person with completed gifts."""
    book = store.load(["people", "donations"])
    gifts = book.frame("donations")
    people = book.frame("people")
    given = set(gifts[gifts["status"] == "completed"]["person_id"])
    alive = people[people["deleted_at"].isna() & people["id"].isin(given)]
    return alive.iloc[5].to_dict()


def pages_listed(app: AppTest) -> set[str]:
    """The titles of the pages the navigation offered on the last run (AppTest keeps them
    only in a private attribute)."""
    return {page["page_name"] for page in app._registered_pages.values()}


def first_run(store: Store, email: str) -> AppTest:
    """The app's first run for `email` (on its default page)."""
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = store
    signed_in(app, email).run()
    assert not app.exception
    return app


def all_tables(app: AppTest) -> str:
    return "\n".join(frame.value.to_csv() for frame in app.dataframe)


def test_a_volunteers_session_never_holds_a_donation_amount(demo_store: Store) -> None:
    book = visible_workbook(demo_store.load(), Role.VOLUNTEER)
    assert book.frame("donations").empty and book.frame("recurring_gifts").empty
    assert book.frame("memberships")["amount"].isna().all()
    assert book.frame("users").empty and book.frame("audit_log").empty
    assert not any(p.tab == "donations" for p in book.problems)
    assert len(book.frame("people")) == len(demo_store.load(["people"]).frame("people"))


def test_a_volunteer_never_holds_what_a_membership_level_costs(demo_store: Store) -> None:
    """Most members pay their level's fee, so the fee is what they paid: giving, which the
    matrix keeps from volunteers (they still see the levels' names)."""
    levels = visible_workbook(demo_store.load(), Role.VOLUNTEER).frame("membership_levels")
    assert levels["fee"].isna().all() and levels["name"].astype(bool).all()
    staff = visible_workbook(demo_store.load(), Role.STAFF).frame("membership_levels")
    assert staff["fee"].notna().any()
    volunteer = SignedInStore(demo_store, User(VOLUNTEER, Role.VOLUNTEER))
    assert "fee" not in volunteer.read(["membership_levels"])["membership_levels"].columns


def test_a_volunteer_sees_contact_details_but_no_giving(open_page: OpenPage,
                                                       demo_store: Store) -> None:
    person = donor(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": person["id"]}, user=VOLUNTEER)
    labels = [tab.label for tab in app.tabs]
    assert "Giving" not in labels and "Edit" in labels and "History" not in labels
    assert person["email"] in all_tables(app)
    gifts = demo_store.load(["donations"]).frame("donations")
    amounts = {f"{a:.2f}" for a in gifts[gifts["person_id"] == person["id"]]["amount"]}
    shown = all_tables(app) + texts(app)
    assert not any(amount in shown for amount in amounts)


def test_a_volunteer_may_add_people_and_enter_gifts_but_not_change_them(
    demo_store: Store,
) -> None:
    volunteer = SignedInStore(demo_store, User(VOLUNTEER, Role.VOLUNTEER))
    gift = demo_store.load(["donations"]).frame("donations").iloc[0].to_dict()
    with pytest.raises(NotAllowed, match="As volunteer you may not change gifts"):
        volunteer.update("donations", gift["id"], {"amount": Decimal("1")}, gift)
    with pytest.raises(NotAllowed):
        volunteer.read(["donations"])
    volunteer.append("donations", [{"id": "D-NEW", "person_id": gift["person_id"],
                                    "date": datetime(2026, 11, 2).date(),
                                    "amount": Decimal("20.00"), "method": "cash"}])
    volunteer.append("people", [{"id": "P-NEW", "first_name": "Mina"}])
    log = demo_store.load(["audit_log"]).frame("audit_log")
    assert set(log["user"]) == {VOLUNTEER} and set(log["record_id"]) == {"D-NEW", "P-NEW"}


def test_a_director_reads_everything_and_changes_nothing(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    person = donor(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": person["id"]}, user=DIRECTOR)
    labels = [tab.label for tab in app.tabs]
    assert "Giving" in labels and "History" in labels and "Edit" not in labels
    director = SignedInStore(demo_store, User(DIRECTOR, Role.DIRECTOR))
    with pytest.raises(NotAllowed):
        director.update("people", person["id"], {"city": "Boston"}, person)


@pytest.mark.parametrize(("email", "offered", "withheld"), [
    (VOLUNTEER, {"Today", "People", "Add a person", "Edit many"},
     {"Audit log", "Users", "Settings"}),
    (STAFF, {"Today", "People", "Add a person", "Data problems"},
     {"Audit log", "Users", "Settings"}),
    (DIRECTOR, {"Today", "People", "Data problems"},
     {"Add a person", "Edit many", "Users", "Settings"}),
    ("ADMIN@Example.org", {"Today", "People", "Audit log", "Users", "Settings"}, set()),
])
def test_the_navigation_offers_each_role_its_pages(demo_store: Store, open_page: OpenPage,
                                                   email: str, offered: set[str],
                                                   withheld: set[str]) -> None:
    listed = pages_listed(first_run(demo_store, email))
    assert offered <= listed and not withheld & listed


@pytest.mark.parametrize("email", ["stranger@example.org", ""])
def test_an_unknown_address_or_nobody_signed_in_sees_only_how_to_get_in(
    demo_store: Store, email: str
) -> None:
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    signed_in(app, email).run()
    assert not app.exception
    assert not app.dataframe, "no data is shown"
    if email:
        assert "has no active role in Steward. Ask an admin" in texts(app, "warning")
        assert button(app, "Sign out")
    else:
        assert button(app, "Sign in")


def test_an_inactive_user_is_turned_away(open_page: OpenPage, demo_store: Store) -> None:
    users = demo_store.load(["users"]).frame("users")
    staff = users[users["email"] == STAFF].iloc[0].to_dict()
    demo_store.update("users", STAFF, {"active": False}, staff)
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    signed_in(app, STAFF).run()
    assert "has no active role" in texts(app, "warning") and not app.dataframe


def test_without_sign_in_the_local_admin_is_told_and_exposure_is_refused(
    open_page: OpenPage, demo_store: Store
) -> None:
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.run()
    assert "Sign-in is not configured: whoever uses this computer is the admin" in texts(
        app, "warning")

    before = streamlit.config.get_option("server.address")
    streamlit.config.set_option("server.address", "0.0.0.0")
    try:
        exposed = AppTest.from_file(str(APP), default_timeout=60)
        exposed.session_state[STORE_OVERRIDE] = demo_store
        exposed.run()
    finally:
        streamlit.config.set_option("server.address", before)
    assert "Steward refuses to run on 0.0.0.0" in texts(exposed, "error")
    assert not exposed.dataframe


def test_every_save_through_the_app_is_in_the_audit_log_with_who_and_what(
    open_page: OpenPage, demo_store: Store
) -> None:
    person = donor(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": person["id"]}, user=STAFF)
    app.text_input(key="edit_person_city").set_value("Somerville")
    button(app, "Save changes").click().run()
    [entry] = demo_store.load(["audit_log"]).frame("audit_log").to_dict("records")
    assert (entry["user"], entry["action"], entry["tab"], entry["record_id"]) == (
        STAFF, "change", "people", person["id"])
    assert json.loads(entry["before"])["city"] == person["city"]
    assert json.loads(entry["after"])["city"] == "Somerville"
    app = open_page(demo_store, "pages/person.py", query={"id": person["id"]}, user=STAFF)
    assert "Somerville" in all_tables(app)  # the History tab shows it


def test_an_admin_filters_the_audit_log(open_page: OpenPage, demo_store: Store) -> None:
    admin = SignedInStore(demo_store, User(ADMIN, Role.ADMIN))
    admin.append("people", [{"id": "P-A", "first_name": "Ann"}])
    SignedInStore(demo_store, User(STAFF, Role.STAFF)).append(
        "people", [{"id": "P-B", "first_name": "Bo"}])
    app = open_page(demo_store, "pages/audit_log.py", user=ADMIN)
    app.text_input(key="audit_user").set_value("staff@").run()
    assert list(app.dataframe[0].value["record_id"]) == ["P-B"]
    assert "not in this log" in texts(app)


def test_an_admin_adds_a_user_who_can_then_sign_in(open_page: OpenPage,
                                                   demo_store: Store) -> None:
    app = open_page(demo_store, "pages/users.py", user=ADMIN)
    form = [t for t in app.text_input if t.label == "Email"][0]
    form.set_value("New.Helper@Example.org")
    button(app, "Add user").click().run()
    listed = pages_listed(first_run(demo_store, "new.helper@example.org"))
    assert "People" in listed and "Users" not in listed


@pytest.mark.parametrize(("email", "role", "page", "refusal"), [
    (STAFF, Role.STAFF, "pages/users.py", "As staff you may not manage users"),
    (DIRECTOR, Role.DIRECTOR, "pages/add_person.py", "As director you may not add people"),
    (VOLUNTEER, Role.VOLUNTEER, "pages/audit_log.py", "As volunteer you may not search"),
])
def test_a_page_refuses_a_role_even_when_reached_without_the_navigation(
    demo_store: Store, email: str, role: Role, page: str, refusal: str
) -> None:
    from pages.common.data import STORE_OVERRIDE

    root = APP.parent
    app = AppTest.from_file(str(root / page), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.session_state["steward_user"] = User(email, role)
    app.run()
    assert refusal in texts(app, "error")
    assert not app.dataframe and not app.text_input


def test_an_admin_erases_a_person_and_keeps_the_totals(open_page: OpenPage,
                                                       demo_store: Store) -> None:
    person = donor(demo_store)
    before = demo_store.load()
    total = before.frame("donations")["amount"].dropna().sum()
    app = open_page(demo_store, "pages/person.py", query={"id": person["id"]}, user=ADMIN)
    app.checkbox(key="erase_sure").check().run()
    button(app, "Erase person").click().run()
    after = demo_store.load()
    assert after.frame("donations")["amount"].dropna().sum() == total
    for name in after.tabs:
        cells = after.frame(name).astype(str).to_numpy().ravel()
        for value in (person["email"], person["phone"]):
            assert not any(value and value in str(cell) for cell in cells), (name, value)
    [entry] = after.frame("audit_log").to_dict("records")
    assert entry["action"] == "erase" and entry["record_id"] == person["id"]
    assert person["email"] not in entry["after"] and person["last_name"] not in entry["after"]


def test_staff_may_export_but_not_erase(open_page: OpenPage, demo_store: Store) -> None:
    person = donor(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": person["id"]}, user=STAFF)
    labels = {b.label for b in app.get("download_button")}
    assert {"Export everything (xlsx)", "Export everything (JSON)"} <= labels
    assert not [b for b in app.button if b.label == "Erase person"]


@pytest.mark.parametrize("role", list(Role))
def test_every_page_opens_for_the_roles_the_matrix_allows_and_refuses_the_rest(
    demo_store: Store, open_page: OpenPage, role: Role
) -> None:
    """A role opens each page the matrix allows it without an error; any other page is
    missing from its navigation and, run on its own as a hand-typed URL would, refuses."""
    from pages.common.data import STORE_OVERRIDE
    from pages.common.navigation import PAGES
    from rules.roles import can

    email = f"{role.value}@example.org"
    for _, path, title, _, _, action in PAGES:
        if can(role, action):
            app = open_page(demo_store, path, user=email)
            assert "you may not" not in texts(app, "error"), (title, role)
            continue
        assert title not in pages_listed(first_run(demo_store, email)), (title, role)
        app = AppTest.from_file(str(APP.parent / path), default_timeout=60)
        app.session_state[STORE_OVERRIDE] = demo_store
        app.session_state["steward_user"] = User(email, role)
        app.run()
        assert "you may not" in texts(app, "error"), (title, role)


def test_a_volunteer_holds_only_their_own_hours_and_profile(demo_store: Store) -> None:
    book = demo_store.load()
    hours = book.frame("volunteer_hours")
    mine = str(hours["person_id"].iloc[0])
    seen = visible_workbook(book, Role.VOLUNTEER, mine)
    assert set(seen.frame("volunteer_hours")["person_id"]) == {mine}
    assert set(seen.frame("volunteers")["id"]) <= {mine}
    assert visible_workbook(book, Role.VOLUNTEER).frame("volunteer_hours").empty
    assert len(visible_workbook(book, Role.STAFF).frame("volunteer_hours")) == len(hours)


def test_a_volunteer_may_log_and_sign_up_only_for_themselves(demo_store: Store) -> None:
    from datetime import date

    shifts = demo_store.load(["volunteer_shifts"]).frame("volunteer_shifts")
    shift = shifts.iloc[0].to_dict()
    me = SignedInStore(demo_store, User(VOLUNTEER, Role.VOLUNTEER, person_id="P-ME"))
    me.append("volunteer_hours", [{"id": "VH-1", "person_id": "P-ME",
                                   "date": date(2026, 11, 2), "hours": "2"}])
    with pytest.raises(NotAllowed, match="only your own hours"):
        me.append("volunteer_hours", [{"id": "VH-2", "person_id": "P-OTHER",
                                       "date": date(2026, 11, 2), "hours": "2"}])
    me.update("volunteer_shifts", shift["id"],
              {"assigned": (*shift["assigned"], "P-ME")}, shift)
    shift = demo_store.load(["volunteer_shifts"]).row("volunteer_shifts", shift["id"]).to_dict()
    with pytest.raises(NotAllowed, match="only sign yourself up"):
        me.update("volunteer_shifts", shift["id"],
                  {"assigned": (*shift["assigned"], "P-OTHER")}, shift)
    with pytest.raises(NotAllowed, match="only sign yourself up"):
        me.update("volunteer_shifts", shift["id"], {"places": 99}, shift)

"""The volunteer pages in AppTest on demo data: profiles, shifts, logging and approving
hours and the report, for staff, directors and volunteers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from reports.volunteering import approved_hours
from storage import Store
from tests.smtp_server import Inbox
from tests.test_pages.conftest import OpenPage, button, texts
from tests.test_pages.test_roles import DIRECTOR, STAFF, VOLUNTEER, first_run, pages_listed

ME = "P-VOLUNTEER"


def add_me(store: Store) -> None:
    """A people row for the demo's volunteer@ user (the demo has none)."""
    store.append("people", [{"id": ME, "first_name": "Val", "last_name": "Unteer",
                             "email": "Volunteer@Example.org"}])


def frame(store: Store, tab: str) -> pd.DataFrame:
    return store.load([tab]).frame(tab)


@pytest.mark.parametrize(("path", "user"), [
    ("pages/volunteers.py", STAFF), ("pages/volunteers.py", DIRECTOR),
    ("pages/shifts.py", STAFF), ("pages/shifts.py", DIRECTOR), ("pages/shifts.py", VOLUNTEER),
    ("pages/log_hours.py", STAFF), ("pages/log_hours.py", VOLUNTEER),
    ("pages/volunteer_report.py", STAFF), ("pages/volunteer_report.py", DIRECTOR)])
def test_every_page_renders_for_its_roles(open_page: OpenPage, demo_store: Store,
                                          path: str, user: str) -> None:
    add_me(demo_store)
    app = open_page(demo_store, path, user=user)
    assert app.title and not app.error


def test_directors_read_profiles_and_shifts_but_change_nothing(open_page: OpenPage,
                                                               demo_store: Store) -> None:
    app = open_page(demo_store, "pages/volunteers.py", user=DIRECTOR)
    assert len(app.dataframe[0].value) == len(frame(demo_store, "volunteers"))
    assert "Save profile" not in {b.label for b in app.button}
    app = open_page(demo_store, "pages/shifts.py", user=DIRECTOR)
    labels = {b.label for b in app.button}
    assert not labels & {"Sign me up", "Save assignment", "Create shift"}


def test_a_volunteer_without_a_person_record_is_told_so(open_page: OpenPage,
                                                        demo_store: Store) -> None:
    app = open_page(demo_store, "pages/log_hours.py", user=VOLUNTEER)
    assert "has no person record" in texts(app, "warning")
    assert not app.dataframe


def test_a_volunteer_logs_and_sees_only_their_own_hours(open_page: OpenPage,
                                                        demo_store: Store) -> None:
    add_me(demo_store)
    app = open_page(demo_store, "pages/log_hours.py", user=VOLUNTEER)
    assert not app.dataframe[0].value.shape[0]
    app.number_input(key="hours_amount").set_value(3.5)
    app.text_input(key="hours_activity").set_value("food pantry")
    button(app, "Log hours").click().run()
    hours = frame(demo_store, "volunteer_hours")
    mine = hours[hours["person_id"] == ME]
    assert list(mine["hours"]) == [Decimal("3.5")] and not mine["approved"].any()
    shown = app.dataframe[0].value
    assert len(shown) == 1 and list(shown["activity"]) == ["food pantry"]
    assert "person_id" not in shown.columns and "Approve hours" not in texts(app, "header")


def test_staff_approve_many_rows_in_one_commit(open_page: OpenPage, demo_store: Store) -> None:
    before = frame(demo_store, "volunteer_hours")
    waiting = before[~before["approved"]].sort_values("date")
    assert len(waiting) >= 2
    state = {"approvals_0": {"edited_rows": {0: {"approved": True}, 1: {"approved": True}},
                             "added_rows": [], "deleted_rows": []}}
    app = open_page(demo_store, "pages/log_hours.py", user=STAFF, state=state)
    audit_before = len(frame(demo_store, "audit_log"))
    button(app, "Approve 2").click().run()
    after = frame(demo_store, "volunteer_hours").set_index("id")
    assert after.loc[list(waiting["id"][:2]), "approved"].all()
    assert int((~after["approved"]).sum()) == len(waiting) - 2
    assert len(frame(demo_store, "audit_log")) > audit_before


def shift_with_room(store: Store) -> dict:
    shifts = frame(store, "volunteer_shifts")
    open_ = shifts[[len(a) < p for a, p in zip(shifts["assigned"], shifts["places"],
                                                strict=True)]]
    return open_.sort_values("date").iloc[-1].to_dict()


def test_a_volunteer_signing_up_fills_a_place_and_never_past_places(
        open_page: OpenPage, demo_store: Store) -> None:
    add_me(demo_store)
    shift = shift_with_room(demo_store)
    seen = dict(shift)
    demo_store.update("volunteer_shifts", shift["id"], {"places": len(shift["assigned"]) + 1},
                      seen)
    app = open_page(demo_store, "pages/shifts.py", user=VOLUNTEER,
                    state={"shifts_past": True})
    app.selectbox(key="shift_chosen").set_value(shift["id"]).run()
    button(app, "Sign me up").click().run()
    row = frame(demo_store, "volunteer_shifts").set_index("id").loc[shift["id"]]
    assert row["assigned"] == (*shift["assigned"], ME)
    assert "Give up my place" in {b.label for b in app.button}
    # another volunteer takes the place instead: the shift is full, so no sign-up
    other = str(frame(demo_store, "people")["id"].iloc[0])
    taken = frame(demo_store, "volunteer_shifts").set_index("id", drop=False).loc[shift["id"]]
    demo_store.update("volunteer_shifts", shift["id"],
                      {"assigned": (*shift["assigned"], other)}, taken.to_dict())
    st.cache_resource.clear()  # the store was changed behind the app's back
    app = open_page(demo_store, "pages/shifts.py", user=VOLUNTEER,
                    state={"shifts_past": True})
    app.selectbox(key="shift_chosen").set_value(shift["id"]).run()
    assert button(app, "Sign me up").disabled
    assert "0 places left" in texts(app, "text")


def test_staff_create_a_shift_and_assign_people(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/shifts.py", user=STAFF, state={"shifts_past": True})
    app.text_input(key="new_shift_activity").set_value("bake sale")
    app.number_input(key="new_shift_places").set_value(1)
    button(app, "Create shift").click().run()
    shifts = frame(demo_store, "volunteer_shifts")
    made = shifts[shifts["activity"] == "bake sale"]
    assert len(made) == 1 and made["places"].item() == 1
    assert [b.label for b in app.get("download_button")][:2] == ["Roster CSV",
                                                                  "Printable roster"]


def test_report_totals_equal_the_approved_sums(open_page: OpenPage, demo_store: Store) -> None:
    hours = frame(demo_store, "volunteer_hours")
    year = int(approved_hours(hours)["date"].dt.year.max())
    app = open_page(demo_store, "pages/volunteer_report.py", user=DIRECTOR)
    app.selectbox(key="report_year").set_value(year).run()
    total = sum(approved_hours(hours, year)["hours"], Decimal(0))
    by_month = app.dataframe[0].value
    by_activity = app.dataframe[1].value
    assert sum(map(Decimal, map(str, by_month["hours"])), Decimal(0)) == total
    assert sum(map(Decimal, map(str, by_activity["hours"])), Decimal(0)) == total
    assert f"{total:,}" in [m.value for m in app.metric]
    assert app.get("plotly_chart")


def test_volunteers_are_offered_hours_and_shifts_but_not_the_report(
        open_page: OpenPage, demo_store: Store) -> None:
    listed = pages_listed(first_run(demo_store, VOLUNTEER))
    assert {"Log hours", "Shifts", "Volunteers"} <= listed
    assert "Volunteer report" not in listed
    assert "Volunteer report" in pages_listed(first_run(demo_store, DIRECTOR))


def test_staff_add_a_profile_for_a_person(open_page: OpenPage, demo_store: Store) -> None:
    people = frame(demo_store, "people")
    profiles = frame(demo_store, "volunteers")
    person = people[~people["id"].isin(profiles["id"]) & people["deleted_at"].isna()].iloc[0]
    app = open_page(demo_store, "pages/volunteers.py", user=STAFF)
    app.selectbox(key="vol_person").set_value(person["id"]).run()
    app.selectbox(key="vol_status").set_value("active")
    app.text_input(key="vol_extra").set_value("sign language")
    app.date_input(key="vol_checked").set_value(date(2015, 1, 1))
    button(app, "Save profile").click().run()
    row = frame(demo_store, "volunteers").set_index("id").loc[person["id"]]
    assert row["status"] == "active" and row["skills"] == ("sign language",)
    assert "older than" in texts(app, "warning")



def mail_to(inbox: Inbox, tmp_path: Path, store: Store) -> dict[str, dict[str, object]]:
    """The [email] secrets that send to the test SMTP server (journal in `tmp_path`), with
    the store's sending limit raised so nothing waits for the next minute."""
    store.append("settings", [{"key": "send_per_minute", "value": "100000"}])
    return {"email": {"host": "127.0.0.1", "port": inbox.port, "security": "none",
                      "sender": "volunteers@riverside.example.org",
                      "unsubscribe_url": "http://localhost:8501/unsubscribe",
                      "unsubscribe_secret": "a-test-secret-of-some-length",
                      "journal": str(tmp_path / "journal.sqlite3")}}


def test_staff_email_a_shifts_details_to_its_volunteers_through_the_outbox(
    open_page: OpenPage, demo_store: Store, inbox, tmp_path
) -> None:
    shifts = frame(demo_store, "volunteer_shifts")
    shift = shifts[shifts["assigned"].map(len) > 0].iloc[0].to_dict()
    secrets = mail_to(inbox, tmp_path, demo_store)
    app = open_page(demo_store, "pages/shifts.py", user=STAFF, secrets=secrets)
    app.checkbox(key="shifts_past").check().run()  # the shift may be in the past
    app.selectbox(key="shift_chosen").select(shift["id"]).run()
    button(app, "Email this shift's details to its volunteers").click().run()
    assert not app.exception
    people = frame(demo_store, "people").set_index("id")
    reachable = {people.loc[p, "email"].casefold() for p in shift["assigned"]
                 if p in people.index and people.loc[p, "email"]
                 and not people.loc[p, "do_not_email"]}
    received = {str(m["To"]).split("<")[-1].rstrip(">").casefold() for m in inbox.messages}
    assert received == reachable and len(inbox.messages) == len(reachable)
    assert "Your shift:" in inbox.messages[0]["Subject"]


def test_a_shifts_activity_is_mailed_as_typed_never_run_as_a_template(
    open_page: OpenPage, demo_store: Store, inbox, tmp_path
) -> None:
    shifts = frame(demo_store, "volunteer_shifts")
    shift = shifts[shifts["assigned"].map(len) > 0].iloc[0].to_dict()
    typed = "Set-up {% endraw %}{{ first_name.__class__ }} {{ 'x' * 9 }}"
    seen = demo_store.load(["volunteer_shifts"]).row("volunteer_shifts", shift["id"])
    demo_store.update("volunteer_shifts", shift["id"], {"activity": typed}, seen.to_dict())
    secrets = mail_to(inbox, tmp_path, demo_store)
    app = open_page(demo_store, "pages/shifts.py", user=STAFF, secrets=secrets)
    app.checkbox(key="shifts_past").check().run()
    app.selectbox(key="shift_chosen").select(shift["id"]).run()
    button(app, "Email this shift's details to its volunteers").click().run()
    assert not app.exception and inbox.messages
    message = inbox.messages[0]
    assert typed in message["Subject"]
    assert typed in message.get_body(("plain",)).get_content()

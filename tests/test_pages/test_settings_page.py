"""The Settings page: admins change the organisation's settings on the local file and on a
Google Sheet, each bad value explained beside its field, one audited commit of only the
keys that changed, and a change made in the sheet meanwhile shown with both values."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from rules.roles import Role, User
from sheets_schema.changes import ChangeSet
from storage import Store
from storage.sheets_store import GoogleSheetsStore
from tests.emulator import SheetsEmulator
from tests.test_pages.conftest import APP, OpenPage, button, texts
from tests.test_pages.test_fundraising_pages import CountingStore

ADMIN = "admin@example.org"
PAGE = "pages/settings.py"


def settings(store: Store) -> dict[str, str]:
    frame = store.load(["settings"]).frame("settings")
    return dict(zip(frame["key"], frame["value"], strict=True))


def audit(store: Store) -> list[dict[str, object]]:
    return store.load(["audit_log"]).frame("audit_log").to_dict("records")


def field(app: AppTest, key: str) -> object:
    return app.text_area(key=f"setting_{key}") if key in {"org_address", "reminder_body"} \
        else app.text_input(key=f"setting_{key}")


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.STAFF, Role.DIRECTOR])
def test_only_an_admin_may_open_the_settings(demo_store: Store, role: Role) -> None:
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP.parent / PAGE), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.session_state["steward_user"] = User(f"{role.value}@example.org", role)
    app.run()
    assert f"As {role.value} you may not change the organisation's settings" in texts(
        app, "error")
    assert not app.text_input


def test_an_admin_sees_every_setting_with_its_value(open_page: OpenPage,
                                                     demo_store: Store) -> None:
    app = open_page(demo_store, PAGE, user=ADMIN)
    assert field(app, "time_zone").value == "America/New_York"
    assert field(app, "reminder_offsets").value == "30, 7, -7"  # not in the tab: the default
    assert "appeals cannot be sent without it" in texts(app, "caption")


def test_bad_values_are_explained_beside_them_and_nothing_is_written(
    open_page: OpenPage, demo_store: Store
) -> None:
    before = settings(demo_store)
    app = open_page(demo_store, PAGE, user=ADMIN)
    field(app, "grace_days").set_value("a month")
    field(app, "org_address").set_value(" ")
    field(app, "currency").set_value("won")
    button(app, "Save settings").click().run()
    said = texts(app, "error")
    assert "'a month' is not a whole number from 0 to 3650." in said
    assert "every appeal must carry it" in said and "not a currency code" in said
    assert settings(demo_store) == before and audit(demo_store) == []


def test_a_saved_setting_is_one_commit_with_its_audit_rows(open_page: OpenPage,
                                                           demo_store: Store) -> None:
    counting = CountingStore(demo_store)
    app = open_page(counting, PAGE, user=ADMIN)
    field(app, "grace_days").set_value("45")
    field(app, "reminder_offsets").set_value("60, 14")
    button(app, "Save settings").click().run()
    assert "Saved 2 settings." in texts(app, "success")
    assert len(counting.commits) == 1
    stored = settings(demo_store)
    assert stored["grace_days"] == "45" and stored["reminder_offsets"] == "60, 14"
    rows = {(e["action"], e["tab"], e["record_id"], e["user"]) for e in audit(demo_store)}
    assert rows == {("change", "settings", "grace_days", ADMIN),
                    ("add", "settings", "reminder_offsets", ADMIN)}
    assert demo_store.load().settings.grace_days == 45
    assert field(app, "grace_days").value == "45"


def test_saving_unchanged_settings_writes_nothing(open_page: OpenPage,
                                                 demo_store: Store) -> None:
    app = open_page(demo_store, PAGE, user=ADMIN)
    button(app, "Save settings").click().run()
    assert "Nothing changed" in texts(app, "info") and audit(demo_store) == []


def test_a_change_made_in_the_sheet_meanwhile_is_shown_with_both_values(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, PAGE, user=ADMIN)
    row = demo_store.load(["settings"]).frame("settings")
    seen = row[row["key"] == "grace_days"].iloc[0].to_dict()
    demo_store.commit(ChangeSet().edit("settings", "grace_days", {"value": "60"}, seen))
    field(app, "grace_days").set_value("45")
    button(app, "Save settings").click().run()
    said = texts(app, "warning")
    assert "nothing was saved" in said and "'30'" in said and "'60'" in said
    assert settings(demo_store)["grace_days"] == "60" and audit(demo_store) == []


@pytest.fixture
def sheets_org(sheets_with_tabs: GoogleSheetsStore) -> GoogleSheetsStore:
    """A Google Sheet (the emulator) with every tab, an admin and two settings."""
    store = sheets_with_tabs
    store.commit(ChangeSet()
                 .append("users", {"email": ADMIN, "role": "admin", "active": True})
                 .append("settings", {"key": "org_name", "value": "Riverside"},
                         {"key": "org_address", "value": "1 Main St"}))
    return store


def test_a_setting_saved_on_google_sheets_is_one_write(
    open_page: OpenPage, sheets_org: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    app = open_page(sheets_org, PAGE, user=ADMIN)
    field(app, "org_name").set_value("Riverside Food Bank")
    field(app, "currency").set_value("KRW")
    emulator.reset_counts()
    button(app, "Save settings").click().run()
    assert "Saved 2 settings." in texts(app, "success")
    assert emulator.counts["write"] == 1
    book = sheets_org.load(["settings", "audit_log"])
    assert book.settings.org_name == "Riverside Food Bank" and book.settings.currency == "KRW"
    assert {e["record_id"] for e in book.frame("audit_log").to_dict("records")} == {
        "org_name", "currency"}

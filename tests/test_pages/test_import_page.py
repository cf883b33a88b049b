"""The Import page in AppTest on demo data: upload, map, preview, import, undo."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pages.common.data import STORE_OVERRIDE
from rules.roles import Role, User
from storage import Store
from tests.test_importing.test_files import _bomb, damaged
from tests.test_pages.conftest import APP, OpenPage, button, texts

GIFTS = (b"Date,Name,From Email Address,Gross,Status,Transaction ID\n"
         b"2026-11-05,Jane Importer,jane.importer@example.org,120.00,Completed,IMP-TX-1\n"
         b"2026-11-06,Jane Importer,jane.importer@example.org,80.00,Completed,IMP-TX-2\n"
         b"2026-11-07,Bad Amount,bad@example.org,12O.00,Completed,IMP-TX-3\n")


def _upload(app: object, name: str, data: bytes) -> None:
    app.file_uploader[0].set_value((name, data, "text/csv")).run()  # type: ignore[attr-defined]


def test_a_paypal_file_maps_previews_imports_and_undoes(open_page: OpenPage,
                                                        demo_store: Store) -> None:
    before = demo_store.load(["donations", "people"])
    app = open_page(demo_store, "pages/import_data.py", user="staff@example.org")
    app.selectbox(key="import_kind").set_value("donations").run()
    _upload(app, "paypal.csv", GIFTS)
    assert not app.exception
    assert [m.value for m in app.metric] == ["2", "0", "0", "1"]
    preview = app.dataframe[0].value
    assert list(preview["outcome"]) == ["will be added", "will be added", "not imported"]
    assert "amount: " in preview.iloc[2]["problems"]
    assert "also adds 1 people" in texts(app)
    assert app.get("download_button")  # the rows not imported, as CSV

    button(app, "Import 2 gifts").click().run()
    assert not app.exception and "Imported 2 gifts and 1 new people" in texts(app, "success")
    book = demo_store.load(["donations", "people", "imports", "audit_log"])
    gifts = book.frame("donations")
    added = gifts[gifts["reference"].str.startswith("IMP-TX-")]
    assert sorted(added["reference"]) == ["IMP-TX-1", "IMP-TX-2"]
    assert len(book.frame("people")) == len(before.frame("people")) + 1
    assert book.frame("audit_log").iloc[-1]["action"] == "import"
    assert not app.file_uploader[0].value  # a second click cannot import the file again

    button(app, "Undo this import").click().run()
    assert not app.exception and "was undone" in texts(app, "success")
    after = demo_store.load(["donations", "people", "imports"])
    assert len(after.frame("donations")) == len(before.frame("donations"))
    assert len(after.frame("people")) == len(before.frame("people"))
    assert list(after.frame("imports")["status"]) == ["undone"]


def test_a_mapping_without_an_amount_says_what_to_choose(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    app = open_page(demo_store, "pages/import_data.py", user="staff@example.org")
    app.selectbox(key="import_kind").set_value("donations").run()
    _upload(app, "gifts.csv", b"Email,When\nann@example.org,2026-01-01\n")
    assert "Choose the column that holds the amount." in texts(app, "warning")
    assert not app.get("metric")


def test_an_unreadable_file_is_explained(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/import_data.py", user="staff@example.org")
    _upload(app, "old.csv", b"\xd0\xcf\x11\xe0 an old xls")
    assert "old Excel .xls file" in texts(app, "error")


def test_a_damaged_workbook_is_explained(open_page: OpenPage, demo_store: Store) -> None:
    app = open_page(demo_store, "pages/import_data.py", user="staff@example.org")
    _upload(app, "gifts.xlsx", damaged("xl/worksheets/sheet1.xml", _bomb))
    assert not app.exception
    assert "is damaged" in texts(app, "error")


@pytest.mark.parametrize(("email", "role"), [("volunteer@example.org", Role.VOLUNTEER),
                                           ("director@example.org", Role.DIRECTOR)])
def test_only_staff_and_admins_import(demo_store: Store, email: str, role: Role) -> None:
    app = AppTest.from_file(str(APP.parent / "pages/import_data.py"), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.session_state["steward_user"] = User(email, role)
    app.run()
    assert f"As {role.value} you may not import data" in texts(app, "error")
    assert not app.file_uploader

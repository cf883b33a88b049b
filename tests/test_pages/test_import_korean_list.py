"""The Import page of a Korean organisation (currency KRW): a donor list with `010-` mobiles
and no Country column imports every row, and a phone that cannot be read is a warning the
preview shows, never a dropped row (issue 18)."""

from __future__ import annotations

from storage import Store
from tests.test_pages.conftest import OpenPage, button, texts
from tests.test_pages.test_import_page import _upload

PEOPLE = ("이름,이메일,휴대폰\n"
          "김민준,minjun@example.kr,010-2345-6789\n"
          "이서연,seoyeon@example.kr,01098765432\n"
          "최하은,haeun@example.kr,12\n").encode()


def _korean(store: Store) -> None:
    settings = store.load(["settings"]).frame("settings")
    rows = settings[settings["key"] == "currency"]
    if rows.empty:
        store.append("settings", [{"key": "currency", "value": "KRW"}])
    else:
        store.update("settings", "currency", {"value": "KRW"}, rows.iloc[0].to_dict())


def test_a_korean_list_imports_every_row_and_warns_of_the_unreadable_phone(
        open_page: OpenPage, demo_store: Store) -> None:
    _korean(demo_store)
    app = open_page(demo_store, "pages/import_data.py", user="staff@example.org")
    _upload(app, "후원자.csv", PEOPLE)
    assert not app.exception
    assert [m.value for m in app.metric] == ["3", "0", "0", "0"]
    preview = app.dataframe[0].value
    assert "phone: '12' could not be read" in preview.iloc[2]["problems"]
    assert "1 rows have something to check" in texts(app, "warning")
    assert "read as KR" in texts(app, "warning")
    button(app, "Import 3 people").click().run()
    people = demo_store.load(["people"]).frame("people")
    added = people[people["email"].str.endswith("@example.kr")]
    assert sorted(added["phone"]) == ["+82 10-2345-6789", "+82 10-9876-5432", "12"]

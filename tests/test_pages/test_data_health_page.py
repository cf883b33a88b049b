"""The data-problems page in AppTest on demo data: every planted problem is listed, a fix
writes exactly its cell (or shows the conflict), and rows without ids get one."""

from __future__ import annotations

import pandas as pd

from demo import PLANTED_PROBLEMS
from storage import Store
from tests.test_pages.conftest import OpenPage, button, texts

STAFF = "staff@example.org"


def ids_at(store: Store, name: str) -> dict[int, str]:
    return dict(store.read([name])[name]["id"].items())


def test_every_planted_problem_is_found_here_or_on_the_duplicates_page(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, "pages/data_health.py", user=STAFF)
    table = app.dataframe[0].value
    listed = set()
    for tab_name, group in table.groupby("tab"):
        where = ids_at(demo_store, str(tab_name))
        listed |= {(tab_name, where[int(row)], kind) for row, kind in
                   zip(group["row"], group["kind"], strict=True)}
    pairs = open_page(demo_store, "pages/duplicates.py", user=STAFF).dataframe[0].value
    paired = set(pairs["a"]) | set(pairs["b"])
    for planted in PLANTED_PROBLEMS:
        if "likely duplicate" in planted.what:
            assert planted.id in paired, planted
        else:
            assert any(t == planted.tab and key == planted.id for t, key, _ in listed), planted
    assert ("donations", "D000105", "unknown person") in listed
    assert ("donations", "D000119", "duplicate id") in listed


def pick_bad_amount(open_page: OpenPage, store: Store) -> object:
    app = open_page(store, "pages/data_health.py", user=STAFF)
    app.selectbox(key="health_kind").set_value("bad amount").run()
    return app


def test_a_fix_writes_exactly_the_cell_and_is_audited(open_page: OpenPage,
                                                      demo_store: Store) -> None:
    before = demo_store.read(["donations"])["donations"]
    app = pick_bad_amount(open_page, demo_store)
    assert "12,34O" in texts(app) or "12,34O" in app.text_input(key="fix_donations_43_amount").value
    app.text_input(key="fix_donations_43_amount").set_value("12.34")
    button(app, "Save the fix").click().run()
    assert not app.exception
    after = demo_store.read(["donations"])["donations"]
    changed = (after != before).stack()
    assert list(changed[changed].index) == [(43, "amount")]
    assert after.loc[43, "amount"] == "12.34"
    log = demo_store.load(["audit_log"]).frame("audit_log").iloc[-1]
    assert (log["user"], log["tab"], log["record_id"]) == (STAFF, "donations", "D000042")
    assert "Saved row 43 of donations." in texts(app, "success")


def test_a_row_changed_meanwhile_is_a_conflict_shown_and_nothing_is_written(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = pick_bad_amount(open_page, demo_store)
    row = demo_store.load(["donations"]).frame("donations").loc[43].to_dict()
    row["amount"] = "12,34O"  # as the sheet holds it
    demo_store.update("donations", "D000042", {"note": "checked by Ann"}, row)
    app.text_input(key="fix_donations_43_amount").set_value("12.34")
    button(app, "Save the fix").click().run()
    assert "note" in texts(app, "warning") and "Nothing was saved" in texts(app, "warning")
    assert demo_store.read(["donations"])["donations"].loc[43, "amount"] == "12,34O"


def test_a_value_the_column_cannot_take_is_refused_with_the_reason(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = pick_bad_amount(open_page, demo_store)
    app.text_input(key="fix_donations_43_amount").set_value("twelve")
    button(app, "Save the fix").click().run()
    assert "amount" in texts(app, "error")
    assert demo_store.read(["donations"])["donations"].loc[43, "amount"] == "12,34O"


def test_rows_without_an_id_and_a_doubled_id_get_new_ids(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    demo_store.append("people", [{"id": "", "first_name": "Walk-in", "last_name": "Donor"}])
    last = max(ids_at(demo_store, "people"))
    app = open_page(demo_store, "pages/data_health.py", user=STAFF)
    assert "missing id" in set(app.dataframe[0].value["kind"])
    button(app, "Give 1 row(s) of people a new id").click().run()
    given = ids_at(demo_store, "people")[last]
    assert given.startswith("P-") and "1 row(s) of people got new ids." in texts(app, "success")
    button(app, "Give 1 row(s) of donations a new id").click().run()
    donations = ids_at(demo_store, "donations")
    assert donations[120] == "D000119" and donations[121].startswith("D-")
    kinds = set(app.dataframe[0].value["kind"])
    assert not kinds & {"missing id", "duplicate id"}
    log = demo_store.load(["audit_log"]).frame("audit_log")
    assert set(log["record_id"]) == {given, donations[121]}


def test_a_director_sees_the_problems_but_no_way_to_change_them(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, "pages/data_health.py", user="director@example.org")
    assert len(app.dataframe[0].value) > 0
    assert not [b for b in app.button if b.label.startswith("Give")]
    assert "Save the fix" not in [b.label for b in app.button]


def test_a_volunteer_sees_no_problem_of_the_gifts(open_page: OpenPage,
                                                  demo_store: Store) -> None:
    app = open_page(demo_store, "pages/data_health.py", user="volunteer@example.org")
    table = app.dataframe[0].value
    assert "donations" not in set(table["tab"]) and "people" in set(table["tab"])
    assert isinstance(table, pd.DataFrame)


def test_a_rule_about_the_whole_row_is_fixed_by_choosing_the_cells_to_fill(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, "pages/data_health.py", user=STAFF)
    app.selectbox(key="health_kind").set_value("row rule").run()
    app.multiselect(key="fix_cols_people_30").set_value(["first_name"]).run()
    app.text_input(key="fix_people_30_first_name").set_value("Wendy")
    button(app, "Save the fix").click().run()
    person = demo_store.load(["people"]).row("people", "P00029")
    assert person is not None and person["first_name"] == "Wendy"
    assert "row rule" not in set(app.dataframe[0].value["kind"])

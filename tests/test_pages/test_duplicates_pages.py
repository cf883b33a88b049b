"""The duplicates and export pages in AppTest on demo data."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from storage import Store
from tests.test_pages.conftest import OpenPage, button, texts


@pytest.mark.parametrize("path", ["pages/duplicates.py", "pages/export.py"])
def test_the_pages_render_for_staff(open_page: OpenPage, demo_store: Store, path: str) -> None:
    app = open_page(demo_store, path, user="staff@example.org")
    assert app.title and not texts(app, "error")


def test_the_planted_pairs_are_listed_with_their_reasons(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    app = open_page(demo_store, "pages/duplicates.py", user="staff@example.org")
    table = app.dataframe[0].value
    assert {("P00017", "P00018"), ("P00043", "P00044")} <= set(zip(table["a"], table["b"],
                                                                   strict=True))
    assert "email +10" in " ".join(table["reasons"])


def test_merging_a_planted_pair_moves_the_gifts_and_soft_deletes_the_dropped_person(
    open_page: OpenPage, demo_store: Store
) -> None:
    gifts = demo_store.load(["donations"]).frame("donations")
    moving = int((gifts["person_id"] == "P00018").sum())
    credited = int((gifts["soft_credit_person_id"] == "P00018").sum())  # these move too
    app = open_page(demo_store, "pages/duplicates.py", user="staff@example.org")
    table = app.dataframe[0].value
    assert (table.iloc[0]["a"], table.iloc[0]["b"]) == ("P00017", "P00018")
    app.radio(key="merge_email").set_value("drop")
    button(app, "Merge").click().run()
    assert not app.exception
    book = demo_store.load(["people", "donations", "audit_log"])
    after = book.frame("donations")
    assert (after["person_id"] == "P00018").sum() == 0
    assert (after["person_id"] == "P00017").sum() == moving + 1
    dropped = book.row("people", "P00018")
    assert dropped is not None and dropped["deleted_at"] is not None
    assert "merged into P00017" in dropped["notes"]
    assert book.row("people", "P00017")["email"] == "John.Smith@example.org"  # type: ignore[index]
    audit = book.frame("audit_log")
    assert audit.iloc[-1]["after"] == (f"merged P00018 into P00017: {moving + credited} rows "
                                       f"moved")


def test_a_director_cannot_merge(open_page: OpenPage, demo_store: Store) -> None:
    from streamlit.testing.v1 import AppTest

    from rules.merge import merge_changes
    from rules.roles import Role, User
    from storage import NotAllowed
    from storage.signed_in import SignedInStore
    from tests.test_pages.conftest import APP, signed_in

    app = signed_in(AppTest.from_file(str(APP), default_timeout=60), "director@example.org")
    app.session_state["steward_store"] = demo_store
    app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/duplicates.py")  # not in a director's navigation
    director = SignedInStore(demo_store, User(email="director@example.org", role=Role.DIRECTOR))
    changes = merge_changes(demo_store.load(), "P00017", "P00018", {}, datetime.now())
    with pytest.raises(NotAllowed):
        director.commit(changes)
    assert demo_store.load(["people"]).row("people", "P00018")["deleted_at"] is pd.NaT  # type: ignore[index]


def test_the_workbook_and_a_tab_can_be_downloaded(open_page: OpenPage,
                                                  demo_store: Store) -> None:
    app = open_page(demo_store, "pages/export.py", user="director@example.org")
    button(app, "Prepare the Excel file").click().run()
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Download the workbook (xlsx)" in labels
    assert any(label.startswith("Download people (") for label in labels)


def test_a_volunteer_has_no_export_page(demo_store: Store) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.test_pages.conftest import APP, signed_in

    app = signed_in(AppTest.from_file(str(APP), default_timeout=60), "volunteer@example.org")
    app.session_state["steward_store"] = demo_store
    app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("pages/export.py")


def pairs_listed(app: object) -> set[tuple[str, str]]:
    table = app.dataframe[0].value  # type: ignore[attr-defined]
    return set(zip(table["a"], table["b"], strict=True))


def test_a_pair_marked_not_a_duplicate_is_no_longer_listed_and_can_be_listed_again(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, "pages/duplicates.py", user="staff@example.org")
    assert ("P00017", "P00018") in pairs_listed(app)
    button(app, "Not a duplicate").click().run()
    assert ("P00017", "P00018") not in pairs_listed(app)
    assert "no longer listed" in texts(app, "success")
    book = demo_store.load(["duplicate_dismissals", "audit_log"])
    (row,) = book.frame("duplicate_dismissals").to_dict("records")
    assert (row["person_id"], row["other_person_id"], row["dismissed_by"]) == (
        "P00017", "P00018", "staff@example.org")
    assert book.frame("audit_log").iloc[-1]["tab"] == "duplicate_dismissals"
    app.multiselect(key="dup_restore").set_value([row["id"]]).run()
    button(app, "List again").click().run()
    assert ("P00017", "P00018") in pairs_listed(app)
    assert demo_store.load(["duplicate_dismissals"]).frame("duplicate_dismissals").empty


def test_a_merge_made_in_the_app_is_undone_in_the_app(open_page: OpenPage,
                                                     demo_store: Store) -> None:
    before = demo_store.read(["people", "donations"])
    app = open_page(demo_store, "pages/duplicates.py", user="staff@example.org")
    button(app, "Merge").click().run()
    assert ("P00017", "P00018") not in pairs_listed(app)
    button(app, "Undo merge").click().run()
    assert not app.exception and "undid the merge of P00018 into P00017" in texts(app, "success")
    after = demo_store.read(["people", "donations"])
    for name in before:
        pd.testing.assert_frame_equal(after[name].set_index("id").sort_index(),
                                      before[name].set_index("id").sort_index())
    assert ("P00017", "P00018") in pairs_listed(app)
    assert "No merge can be undone." in texts(app, "text")


def test_an_undo_over_a_gift_changed_since_is_refused_with_what_changed(
    open_page: OpenPage, demo_store: Store
) -> None:
    app = open_page(demo_store, "pages/duplicates.py", user="staff@example.org")
    button(app, "Merge").click().run()
    gifts = demo_store.load(["donations"]).frame("donations")
    gift = gifts[gifts["person_id"] == "P00017"].iloc[0]
    demo_store.update("donations", gift["id"], {"person_id": "P00001"}, gift.to_dict())
    button(app, "Undo merge").click().run()  # the page still shows the merged gift
    assert "Nothing was saved" in texts(app, "warning")
    button(app, "Undo merge").click().run()  # read again since: the change is seen
    assert f"donations {gift['id']} (person_id)" in texts(app, "error")
    assert "cannot be undone" in texts(app, "error")
    assert demo_store.load(["people"]).row("people", "P00018")["deleted_at"] is not pd.NaT  # type: ignore[index]

"""Every page that offers people to pick (a donor, a member, a volunteer, someone to open)
offers the living record only: never the dropped side of a merge, never an erased person."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from storage import Store
from tests.test_pages.conftest import OpenPage
from tests.test_pages.test_roles import STAFF

KEPT, OTHER, MERGED, ERASED = "P-ZKEPT", "P-ZOTHER", "P-ZMERGED", "P-ZERASED"
#: Finds all four by id (two living, so no search picks one by itself): a search box is no
#: excuse for offering the merged or the erased.
QUERY = "P-Z"


def add_the_people(store: Store) -> None:
    """A person, the record merged into them (soft-deleted, "merged into"), and a person
    erased at their request (personal cells blank), each with a gift this year and a
    current membership term, so every kind of picker has reason to offer each; and one
    more living person."""
    now = datetime.now()
    store.append("people", [
        {"id": KEPT, "first_name": "Zebulon", "last_name": "Quill",
         "email": "zebulon@example.org"},
        {"id": MERGED, "first_name": "Zebulon", "last_name": "Quill",
         "notes": f"merged into {KEPT}", "deleted_at": now, "updated_at": now},
        {"id": ERASED, "erased_at": now, "updated_at": now},
        {"id": OTHER, "first_name": "Zelda", "last_name": "Quill"},
    ])
    level = store.load(["membership_levels"]).frame("membership_levels").iloc[0]["id"]
    today = date.today()
    for person in (KEPT, MERGED, ERASED):
        store.append("donations", [{"id": f"D-{person}", "person_id": person, "date": today,
                                    "amount": "50", "method": "cash"}])
        store.append("memberships", [{"id": f"M-{person}", "person_id": person,
                                      "level_id": level, "join_date": date(today.year - 2, 1, 1),
                                      "start_date": date(today.year - 2, 1, 1),
                                      "end_date": date(today.year + 1, 12, 31)}])


def offered(app: AppTest) -> list[str]:
    """Every option of every picker on the page, as shown."""
    return [str(option) for kind in ("selectbox", "multiselect") for box in getattr(app, kind)
            for option in box.options]


@pytest.mark.parametrize("path", [
    "pages/gift_entry.py", "pages/gift_batch.py", "pages/recurring.py",
    "pages/acknowledgments.py", "pages/renewals.py", "pages/volunteers.py",
    "pages/log_hours.py", "pages/shifts.py", "pages/person.py"])
def test_no_picker_offers_a_merged_or_erased_person(open_page: OpenPage, demo_store: Store,
                                                    path: str) -> None:
    add_the_people(demo_store)
    app = open_page(demo_store, path, user=STAFF)
    for box in app.text_input:
        if box.label.startswith("Find"):
            box.set_value(QUERY)
    app.run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    options = offered(app)
    assert any(KEPT in option for option in options), options  # the pickers are there
    assert not [option for option in options if MERGED in option or ERASED in option]


def test_the_grid_of_people_to_edit_holds_no_erased_person(open_page: OpenPage,
                                                           demo_store: Store) -> None:
    """Editing an erased person's row would type personal data back into it."""
    add_the_people(demo_store)
    app = open_page(demo_store, "pages/bulk_edit.py", user=STAFF)
    app.text_input(key="bulk_query").set_value(QUERY).run()
    ids = set(app.dataframe[0].value["id"])
    assert KEPT in ids and not ids & {MERGED, ERASED}

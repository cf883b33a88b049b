"""Renew from a row of the Renewals lists: staff select a member in the due list (or in
grace), and a renewal form for that member appears beside it, with their level already
chosen, without typing their name; the renewal is checked and written as from the form
(issue 18)."""

from __future__ import annotations

from demo import DEFAULT_AS_OF
from reports.membership import renewals_due
from storage import Store
from tests.test_pages.conftest import OpenPage, texts
from tests.test_pages.test_membership_pages import counts, latest, renewals
from tests.test_pages.test_roles import DIRECTOR

DUE = "due_30_days"


def test_selecting_a_due_row_offers_its_renewal_with_the_level_chosen(
        open_page: OpenPage, demo_store: Store) -> None:
    members = latest(demo_store)
    member = renewals_due(members, DEFAULT_AS_OF, 30).iloc[0]
    level_id = members.set_index("person_id").loc[member["person_id"], "level_id"]
    before = counts(demo_store)
    app = renewals(open_page, demo_store)
    assert not [b for b in app.button if b.key == f"{DUE}_save"]  # nothing selected yet
    app.session_state[f"{DUE}_table"] = {"selection": {"rows": [0], "columns": []}}
    app.run()
    assert f"Renew {member['name']} ({member['person_id']})" in texts(app, "subheader")
    level = app.selectbox(key=f"{DUE}_{member['person_id']}_level")
    assert level.value == level_id
    save = [b for b in app.button if b.key == f"{DUE}_save"]
    save[0].click().run()
    assert not app.exception and "Renewal recorded" in texts(app, "success")
    assert counts(demo_store) == {**before, "memberships": before["memberships"] + 1,
                                  "donations": before["donations"] + 1,
                                  "audit_log": before["audit_log"] + 2}
    terms = demo_store.load().frame("memberships")
    assert terms.iloc[-1]["person_id"] == member["person_id"]
    assert terms.iloc[-1]["level_id"] == level_id


def test_a_row_in_grace_is_renewed_from_its_list_too(open_page: OpenPage,
                                                     demo_store: Store) -> None:
    app = renewals(open_page, demo_store)
    app.session_state["in_grace_table"] = {"selection": {"rows": [0], "columns": []}}
    app.run()
    assert [b for b in app.button if b.key == "in_grace_save"]


def test_a_selection_outside_the_list_offers_nothing(open_page: OpenPage,
                                                     demo_store: Store) -> None:
    app = renewals(open_page, demo_store)
    app.session_state[f"{DUE}_table"] = {"selection": {"rows": [99_999], "columns": []}}
    app.run()
    assert not app.exception and not [b for b in app.button if b.key == f"{DUE}_save"]


def test_a_director_cannot_select_a_row_to_renew(open_page: OpenPage, demo_store: Store) -> None:
    app = renewals(open_page, demo_store, DIRECTOR)
    assert "select a row to renew them" not in texts(app, "text")
    assert not [b for b in app.button if b.label == "Record renewal"]

"""The home page (Today): the app opens on it, each role sees only lines about what it may
read, each line opens the page where the work is done, and the counts agree with that page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mailers.journal import Journal
from rules.roles import Role, can
from storage import Store
from tests.test_pages.conftest import OpenPage, texts
from tests.test_pages.test_roles import ADMIN, DIRECTOR, STAFF, VOLUNTEER, first_run, pages_listed

PAGE = "pages/home.py"


def links(app: AppTest) -> list[tuple[str, str]]:
    """(label, page file) of every link on the page."""
    return [(link.proto.label, link.proto.page) for link in app.get("page_link")]


def test_the_app_opens_on_today_and_people_moved_to_its_own_address(demo_store: Store) -> None:
    from pages.common.navigation import PAGES

    app = first_run(demo_store, STAFF)
    assert [t.value for t in app.title] == ["Today"]
    assert {url for _, path, _, _, url, _ in PAGES if path == "pages/people.py"} == {"people"}
    assert "People" in pages_listed(app)


@pytest.mark.parametrize("role", list(Role))
def test_each_line_opens_a_page_the_role_may_open(open_page: OpenPage, demo_store: Store,
                                                  role: Role) -> None:
    from pages.common.navigation import PAGES

    app = open_page(demo_store, PAGE, user=f"{role.value}@example.org")
    assert [t.value for t in app.title] == ["Today"]
    action = {Path(path).stem: needed for _, path, _, _, _, needed in PAGES}
    shown = links(app)
    assert shown, "the demo always has something to do"
    assert all(can(role, action[page]) for _, page in shown), shown


def test_a_volunteer_sees_no_gift_member_or_amount(open_page: OpenPage,
                                                  demo_store: Store) -> None:
    app = open_page(demo_store, PAGE, user=VOLUNTEER)
    assert [page for _, page in links(app)] == ["data_health"]
    assert not app.metric and "$" not in texts(app)


def test_a_director_sees_this_year_against_last_at_a_glance(open_page: OpenPage,
                                                           demo_store: Store) -> None:
    app = open_page(demo_store, PAGE, user=DIRECTOR)
    assert [m.label for m in app.metric] == ["Given", "Donors", "Gifts"]
    assert app.metric[0].value.startswith("$") and app.metric[0].delta
    assert ("Open the Fundraising dashboard", "fundraising") in links(app)


def test_the_thank_you_count_is_the_thank_you_pages(open_page: OpenPage,
                                                   demo_store: Store) -> None:
    home = open_page(demo_store, PAGE, user=STAFF)
    [label] = [label for label, page in links(home) if page == "acknowledgments"]
    thanks = open_page(demo_store, "pages/acknowledgments.py", user=STAFF)
    count = re.match(r"[\d,]+", label)
    assert count and f"{count.group()} completed gifts await a thank-you" in texts(thanks)


def test_uncertain_messages_open_their_appeal(open_page: OpenPage, demo_store: Store,
                                             tmp_path: Path) -> None:
    demo_store.append("mailings", [{"id": "A-TODAY", "name": "Spring", "status": "sending"}])
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.enqueue("A-TODAY", [("P00001", "a@example.org", "A"), ("P00002", "b@example.org",
                                                                    "B")])
    journal.claim("A-TODAY", 1)
    journal.recover("A-TODAY")  # the app stopped while sending the first
    app = open_page(demo_store, PAGE, user=ADMIN,
                    secrets={"email": {"journal": str(tmp_path / "journal.sqlite3")}})
    assert ("Appeal Spring: 1 message still to send (sending or paused)", "mailing") in links(app)
    assert ("Appeal Spring: 1 message may or may not have been sent; resend or drop",
            "mailing") in links(app)
    [link] = [link for link in app.get("page_link") if "may or may not" in link.proto.label]
    assert "id=A-TODAY" in link.proto.query_string

"""Appeals in AppTest, sent to a real SMTP server on 127.0.0.1: a staff member picks a
segment, writes the message, starts it and watches it finish; recipients unsubscribe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mailers import unsubscribe
from storage import Store
from tests.smtp_server import Inbox
from tests.test_pages.conftest import OpenPage, button, texts

STAFF = "staff@example.org"
SECRET = "a-test-secret-of-some-length"


@pytest.fixture
def mail_secrets(inbox: Inbox, tmp_path: Path, demo_store: Store) -> dict[str, Any]:
    settings = demo_store.load(["settings"]).frame("settings")
    row = {"key": "send_per_minute", "value": "100000"}
    if "send_per_minute" in set(settings["key"]):
        seen = settings[settings["key"] == "send_per_minute"].iloc[0].to_dict()
        demo_store.update("settings", "send_per_minute", {"value": "100000"}, seen)
    else:
        demo_store.append("settings", [row])
    return {"email": {"host": "127.0.0.1", "port": inbox.port, "security": "none",  # type: ignore[attr-defined]
                      "sender": "appeals@riverside.example.org",
                      "unsubscribe_url": "http://localhost:8501/unsubscribe",
                      "unsubscribe_secret": SECRET,
                      "journal": str(tmp_path / "journal.sqlite3")}}


def board_segment(store: Store) -> None:
    store.append("segments", [{"id": "SG-BOARD", "name": "Board",
                               "definition": '{"tags": ["board"]}'}])


def test_staff_send_an_appeal_to_a_segment_and_each_member_gets_one_copy(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any]
) -> None:
    board_segment(demo_store)
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    assert "people will get this appeal" in texts(app)
    app.text_input(key="appeal_name").set_value("Board thank-you")
    app.text_input(key="appeal_subject").set_value("Thank you, {{ first_name }}").run()
    button(app, "Start sending").click().run()
    assert not app.exception
    people = demo_store.load(["people"]).frame("people")
    board = people[people["tags"].map(lambda t: "board" in t)]
    reachable = board[board["email"].ne("") & ~board["do_not_email"] & ~board["deceased"]
                      & board["deleted_at"].isna()]
    assert len(inbox.messages) == len(reachable) > 0
    assert len({m["To"] for m in inbox.messages}) == len(inbox.messages)
    first = inbox.messages[0]
    assert first["Subject"].startswith("Thank you, ")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    book = demo_store.load(["mailings", "outbox", "audit_log"])
    assert list(book.frame("mailings")["status"]) == ["sent"]
    assert (book.frame("outbox")["status"] == "sent").sum() == len(reachable)
    progress = app.get("progress")[0].proto
    assert progress.value == 100 and "· 0 left" in progress.text


def test_a_template_with_an_unknown_field_cannot_be_started(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any]
) -> None:
    board_segment(demo_store)
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    app.text_input(key="appeal_name").set_value("Oops")
    app.text_area(key="appeal_body").set_value("Dear {{ frist_name }}").run()
    assert "'frist_name' does not exist" in texts(app, "error")
    assert button(app, "Start sending").disabled
    assert inbox.messages == []


def test_a_director_sees_appeals_but_cannot_send(open_page: OpenPage,
                                                 demo_store: Store) -> None:
    app = open_page(demo_store, "pages/appeals.py", user="director@example.org")
    assert not [b for b in app.button if b.label == "Start sending"]


def link_for(person_id: str, secret: str = SECRET) -> dict[str, str]:
    mailing, person, token = unsubscribe.parse(unsubscribe.link(
        "http://x/unsubscribe", secret, "ML-1", person_id))
    return {"m": mailing, "p": person, "t": token}


def unsubscribe_page(store: Store, query: dict[str, str], secrets: dict[str, Any]) -> Any:
    from streamlit.testing.v1 import AppTest

    from pages.common.data import STORE_OVERRIDE
    from tests.test_pages.conftest import APP

    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = store
    for key, value in {**secrets, "auth": {"client_id": "x"}}.items():
        app.secrets[key] = value
    app.user = {"is_logged_in": False}
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def test_an_unsubscribe_link_works_without_sign_in_once_confirmed(
    demo_store: Store, mail_secrets: dict[str, Any]
) -> None:
    people = demo_store.load(["people"]).frame("people")
    person = people[(people["email"] != "") & ~people["do_not_email"]].iloc[3]
    app = unsubscribe_page(demo_store, link_for(person["id"]), mail_secrets)
    assert not demo_store.load(["people"]).row("people", person["id"])["do_not_email"]
    button(app, "Unsubscribe me from these emails").click().run()
    book = demo_store.load(["people", "suppressions", "audit_log"])
    assert book.row("people", person["id"])["do_not_email"]
    assert len(book.frame("suppressions")) == 1
    assert list(book.frame("audit_log")["user"]) == ["recipient (unsubscribe link)"]
    assert "You are unsubscribed" in texts(app, "success")


def test_a_tampered_unsubscribe_link_changes_nothing(demo_store: Store,
                                                     mail_secrets: dict[str, Any]) -> None:
    people = demo_store.load(["people"]).frame("people")
    person = people[(people["email"] != "") & ~people["do_not_email"]].iloc[3]
    query = link_for(person["id"], secret="somebody-elses-secret-value")
    app = unsubscribe_page(demo_store, query, mail_secrets)
    assert "not valid" in texts(app, "error")
    assert not [b for b in app.button if b.label.startswith("Unsubscribe me")]
    assert not demo_store.load(["people"]).row("people", person["id"])["do_not_email"]


def test_an_unsubscribe_link_with_letters_outside_ascii_is_just_not_valid(
    demo_store: Store, mail_secrets: dict[str, Any]
) -> None:
    query = {**link_for("P-1"), "t": "é" * 22}
    app = unsubscribe_page(demo_store, query, mail_secrets)
    assert not app.exception
    assert "not valid" in texts(app, "error")


def test_a_test_message_goes_only_to_the_address_given(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any]
) -> None:
    board_segment(demo_store)
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    assert app.text_input(key="appeal_test_to").value == STAFF
    button(app, "Send test").click().run()
    [test] = inbox.messages
    assert test["To"] == STAFF and test["Subject"].startswith("[Test] ")
    assert "Test sent to staff@example.org" in texts(app, "success")
    assert demo_store.load(["mailings"]).frame("mailings").empty


def test_sending_stops_at_the_daily_limit_and_says_when_it_goes_on(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any]
) -> None:
    demo_store.append("settings", [{"key": "send_per_day", "value": "2"}])
    board_segment(demo_store)
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    app.text_input(key="appeal_name").set_value("Board").run()
    button(app, "Start sending").click().run()
    assert len(inbox.messages) == 2
    assert "Today's limit of 2 messages is reached" in texts(app, "info")
    assert button(app, "Resume sending")


# The templates that would exhaust memory or time are tried in tests/test_mailers, each in
# its own process; these two only crashed the page.
@pytest.mark.parametrize("body", ["Dear {{ first_name.__class__ }}",
                                  "{{ first_name|center(99) }}"])
def test_a_template_that_cannot_be_filled_in_is_a_sentence_beside_it(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any],
    body: str,
) -> None:
    board_segment(demo_store)
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    app.text_input(key="appeal_name").set_value("Oops")
    app.text_area(key="appeal_body").set_value(body).run()
    assert not app.exception
    assert "The template" in texts(app, "error")
    assert button(app, "Start sending").disabled
    assert inbox.messages == []

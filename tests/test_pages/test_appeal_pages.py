"""Appeals in AppTest, sent to a real SMTP server on 127.0.0.1: a staff member picks a
segment, writes the message, starts it and watches it finish; recipients unsubscribe."""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
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
    [recipients] = [f.value for f in app.dataframe if "sent_at" in f.value.columns]
    assert str(recipients["sent_at"].dtype).startswith("datetime64"), "times, not ISO text"


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


def force_click(app: Any, label: str) -> None:
    """Press a button the page shows disabled, as a modified browser can (Streamlit 1.67
    discards such a click on the server; mailers.starting refuses the rest)."""
    pressed = button(app, label)
    pressed.proto.disabled = False
    pressed.click().run()


def outbox_is_empty(store: Store, secrets: dict[str, Any]) -> bool:
    """No mailing saved, no outbox row, and nobody queued in the journal."""
    book = store.load(["mailings", "outbox"])
    if not book.frame("mailings").empty or not book.frame("outbox").empty:
        return False
    journal = Path(secrets["email"]["journal"])
    if not journal.exists():
        return True
    with closing(sqlite3.connect(journal)) as db:
        return db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0


def test_an_empty_segment_is_refused_and_says_it_would_reach_everyone(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any]
) -> None:
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.text_input(key="appeal_name").set_value("Oops, everyone").run()
    said = texts(app, "info")
    assert re.search(r"The segment has no criteria, so it would go to everyone who may be "
                     r"mailed \([\d,]+ people\)", said), said
    assert button(app, "Start sending").disabled
    force_click(app, "Start sending")
    assert inbox.messages == [] and outbox_is_empty(demo_store, mail_secrets)


def test_everyone_is_a_choice_with_its_count_and_starts_only_once_confirmed(
    open_page: OpenPage, demo_store: Store, inbox: Inbox, mail_secrets: dict[str, Any]
) -> None:
    demo_store.append("settings", [{"key": "send_per_day", "value": "3"}])
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.text_input(key="appeal_name").set_value("Everyone, on purpose")
    app.radio(key="appeal_who").set_value("everyone").run()
    label = app.radio(key="appeal_who").options[1]
    everyone = int(re.search(r"Everyone who may be mailed \(([\d,]+) people\)", label)[1]
                   .replace(",", ""))
    assert f"{everyone:,} people will get this appeal" in texts(app)
    assert button(app, "Start sending").disabled
    force_click(app, "Start sending")
    assert "needs confirming" in texts(app, "info") and outbox_is_empty(demo_store, mail_secrets)
    [confirm] = [c for c in app.checkbox if c.label.startswith("Yes, send this appeal")]
    assert confirm.label == f"Yes, send this appeal to all {everyone:,} people who may be mailed"
    confirm.check().run()
    assert not button(app, "Start sending").disabled
    button(app, "Start sending").click().run()
    assert not app.exception
    book = demo_store.load(["mailings", "outbox", "segments"])
    assert len(book.frame("mailings")) == 1
    assert (book.frame("outbox")["status"] != "skipped").sum() == everyone
    assert '"everyone": true' in book.frame("segments")["definition"].iloc[-1]
    assert len(inbox.messages) == 3  # the daily limit, then the rest waits


def test_the_preview_counts_recipients_with_a_blank_merge_field_and_a_fallback_covers_them(
    open_page: OpenPage, demo_store: Store, mail_secrets: dict[str, Any]
) -> None:
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=mail_secrets)
    app.radio(key="appeal_who").set_value("everyone").run()
    app.text_area(key="appeal_body").set_value(
        "Dear {{ first_name }},\n\nYour last gift was {{ last_gift_amount }}.\n").run()
    warned = texts(app, "warning")
    gap = re.search(r"([\d,]+) of ([\d,]+) recipients have no last_gift_amount: they will "
                    r"read “Your last gift was \.”\. Give a fallback", warned)
    assert gap, warned
    assert 0 < int(gap[1].replace(",", "")) < int(gap[2].replace(",", ""))
    app.text_area(key="appeal_body").set_value(
        'Dear {{ first_name }},\n\nYour last gift was {{ last_gift_amount or "a great help" '
        '}}.\n').run()
    assert "last_gift_amount" not in texts(app, "warning")
    assert f"{gap[1]} of {gap[2]} recipients have no last_gift_amount: they will read “Your " \
           f"last gift was a great help.”" in texts(app, "caption")


def test_without_mail_settings_the_page_says_so_first_and_start_stays_off(
    open_page: OpenPage, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in [k for k in os.environ if k.startswith("STEWARD_SMTP_")]:
        monkeypatch.delenv(key)
    board_segment(demo_store)
    secrets = {"email": {"journal": str(tmp_path / "journal.sqlite3")}}
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=secrets)
    assert "Appeals cannot be sent yet: No mail server is configured" in texts(app, "warning")
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    app.text_input(key="appeal_name").set_value("Board").run()
    assert button(app, "Start sending").disabled and button(app, "Send test").disabled
    force_click(app, "Start sending")
    assert outbox_is_empty(demo_store, secrets)


def test_a_mail_server_that_does_not_answer_stops_the_appeal_before_it_is_queued(
    open_page: OpenPage, demo_store: Store, mail_secrets: dict[str, Any]
) -> None:
    from tests.smtp_server import free_port

    board_segment(demo_store)
    secrets = {"email": {**mail_secrets["email"], "port": free_port()}}
    app = open_page(demo_store, "pages/appeals.py", user=STAFF, secrets=secrets)
    assert "Appeals cannot be sent yet" not in texts(app, "warning")
    app.selectbox(key="appeal_segment").select("SG-BOARD").run()
    app.text_input(key="appeal_name").set_value("Board").run()
    button(app, "Start sending").click().run()
    assert not app.exception
    assert "did not accept a connection and login" in texts(app, "error")
    assert outbox_is_empty(demo_store, secrets)

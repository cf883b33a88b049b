"""`python -m steward send`: cron resumes an appeal started in the app, once per person."""

from __future__ import annotations

from pathlib import Path

from demo import DEFAULT_AS_OF
from mailers.journal import Journal
from steward.cli import main
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore
from tests.smtp_server import Inbox


def test_send_resumes_what_is_queued_and_a_second_run_sends_nothing(
    tmp_path: Path, inbox: Inbox, capsys
) -> None:
    db = tmp_path / "steward.sqlite3"
    store = SQLiteStore(db)
    load_demo(store, as_of=DEFAULT_AS_OF)
    store.append("mailings", [{"id": "ML-1", "name": "Winter", "subject": "Hi {{ first_name }}",
                               "body_template": "Dear {{ first_name }}", "status": "sending"}])
    people = store.load(["people"]).frame("people")
    chosen = people[people["email"] != ""].head(5)
    Journal(tmp_path / "outbox-journal.sqlite3").enqueue(
        "ML-1", [(p["id"], p["email"], p["first_name"]) for p in chosen.to_dict("records")])
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[email]\nhost = "127.0.0.1"\nport = {inbox.port}\nsecurity = "none"\n'  # type: ignore[attr-defined]
        'sender = "appeals@riverside.example.org"\n'
        'unsubscribe_url = "http://localhost:8501/unsubscribe"\n'
        'unsubscribe_secret = "a-test-secret-of-some-length"\n', encoding="utf-8")
    assert main(["--sqlite", str(db), "--secrets", str(secrets), "send", "ML-1"]) == 0
    assert "5 sent" in capsys.readouterr().out
    assert main(["--sqlite", str(db), "--secrets", str(secrets), "send", "ML-1"]) == 0
    assert len(inbox.messages) == 5
    outbox = store.load(["outbox"]).frame("outbox")
    assert len(outbox) == 5 and set(outbox["status"]) == {"sent"}


def test_send_without_mail_settings_says_what_to_add(tmp_path: Path, capsys) -> None:
    db = tmp_path / "steward.sqlite3"
    SQLiteStore(db).ensure_schema()
    assert main(["--sqlite", str(db), "--secrets", str(tmp_path / "none.toml"), "send",
                 "ML-1"]) == 1
    assert "No mail server is configured" in capsys.readouterr().err

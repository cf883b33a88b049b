"""`python -m steward reminders`: today's renewal reminders as CSV, recorded with --record so
the next run (cron) does not repeat them; on a SQLite file and on a Google Sheet."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from reports.membership import REMINDER_COLUMNS
from steward.cli import main
from storage.sqlite_store import SQLiteStore
from tests.emulator import SheetsEmulator

#: The demo is built for BUILT, when its reminders so far are handed out; two weeks later
#: more are due.
BUILT = "2026-11-01"
DAY = "2026-11-15"


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "s.sqlite3")
    assert main(["--sqlite", db, "demo", "--as-of", BUILT]) == 0
    capsys.readouterr()
    return db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[pd.DataFrame, str]:
    assert main(list(argv)) == 0
    printed = capsys.readouterr()
    return pd.read_csv(io.StringIO(printed.out), dtype=str, keep_default_na=False), printed.err


def test_reminders_print_as_csv_and_record_nothing_by_default(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = SQLiteStore(Path(demo_db)).load(["reminders"]).frame("reminders")
    listed, said = run(capsys, "--sqlite", demo_db, "reminders", "--as-of", DAY)
    assert list(listed.columns) == REMINDER_COLUMNS and len(listed) > 0
    assert set(listed["status"]) <= {"New", "Current", "Grace"}
    assert (listed["due_date"] <= DAY).all()
    assert f"{len(listed)} reminders due on {DAY}." in said
    again, _ = run(capsys, "--sqlite", demo_db, "reminders", "--as-of", DAY)
    assert again.equals(listed)
    assert SQLiteStore(Path(demo_db)).load(["reminders"]).frame("reminders").equals(before)


def test_recorded_reminders_are_not_repeated(demo_db: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    listed, said = run(capsys, "--sqlite", demo_db, "reminders", "--as-of", DAY, "--record")
    assert "recorded" in said
    book = SQLiteStore(Path(demo_db)).load(["reminders", "audit_log"])
    reminders = book.frame("reminders")
    recorded = reminders[reminders["created_by"] == "cli"]
    assert sorted(recorded["term_id"]) == sorted(listed["term_id"])
    assert set(recorded["status"]) == {"listed"} and set(recorded["created_by"]) == {"cli"}
    assert set(book.frame("audit_log")["user"]) == {"cli"}
    again, said = run(capsys, "--sqlite", demo_db, "reminders", "--as-of", DAY, "--record")
    assert again.empty and f"0 reminders due on {DAY}." in said


def test_a_bad_date_is_refused(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--sqlite", demo_db, "reminders", "--as-of", "1 Nov"])
    assert "--as-of" in capsys.readouterr().err


def test_reminders_on_a_google_sheet_record_in_one_write(
    emulator: SheetsEmulator, spreadsheet_id: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    import storage.config

    real_open = storage.config.open_store
    monkeypatch.setattr("steward.cli.open_store",
                        lambda config: real_open(config, client=emulator.client()))
    monkeypatch.setenv("STEWARD_SPREADSHEET", spreadsheet_id)
    sheet = ["--secrets", "/nonexistent.toml"]
    assert main([*sheet, "init"]) == 0
    store = real_open(storage.config.StoreConfig(spreadsheet=spreadsheet_id),
                      client=emulator.client())
    store.append("people", [{"id": "P1", "first_name": "Ann", "email": "ann@example.org"}])
    store.append("membership_levels", [{"id": "L1", "name": "Individual", "duration": 12}])
    store.append("memberships", [{"id": "M1", "person_id": "P1", "level_id": "L1",
                                  "join_date": "2025-12-01", "start_date": "2025-12-01",
                                  "end_date": "2026-11-30"}])
    capsys.readouterr()
    emulator.reset_counts()
    listed, _ = run(capsys, *sheet, "reminders", "--as-of", DAY, "--record")
    assert list(zip(listed["term_id"], listed["offset"], strict=True)) == [("M1", "30")]
    assert emulator.counts["write"] == 1
    assert emulator.sheet(spreadsheet_id, "reminders").values()[1][1] == "M1"  # id, term_id, ...
    again, _ = run(capsys, *sheet, "reminders", "--as-of", DAY)
    assert again.empty


def test_reminders_sent_by_email_reach_each_member_once_across_runs(
    demo_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, inbox
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        f'[email]\nhost = "127.0.0.1"\nport = {inbox.port}\nsecurity = "none"\n'
        'sender = "members@riverside.example.org"\n'
        'unsubscribe_url = "http://localhost:8501/unsubscribe"\n'
        'unsubscribe_secret = "a-test-secret-of-some-length"\n', encoding="utf-8")
    listed, _ = run(capsys, "--sqlite", demo_db, "--secrets", str(secrets), "reminders",
                    "--as-of", DAY, "--send")
    again, _ = run(capsys, "--sqlite", demo_db, "--secrets", str(secrets), "reminders",
                   "--as-of", DAY, "--send")
    assert len(again) == 0 and len(inbox.messages) > 0
    addressed = [str(m["To"]) for m in inbox.messages]
    assert len(addressed) == len(set(addressed)) <= len(listed)
    first = inbox.messages[0]
    assert "membership ends on" in first["Subject"]
    assert "Renewing keeps your membership going" in first.get_body(("plain",)).get_content()
    book = SQLiteStore(demo_db).load(["reminders", "outbox", "mailings"])
    assert set(book.frame("reminders")["status"]) == {"sent"}
    assert (book.frame("outbox")["status"] == "sent").sum() == len(inbox.messages)

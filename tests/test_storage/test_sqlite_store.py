"""SQLite only: several app processes and threads on one file, and where the file comes from."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from storage import Conflict, StoreConfig, StoreError, open_store
from storage.config import DEFAULT_SQLITE_PATH
from storage.sqlite_store import SQLiteStore

from .test_contract import PEOPLE, seen


@pytest.fixture
def backend() -> str:
    return "sqlite"


def add_and_count(path: str, prefix: str, times: int) -> None:
    """One app process: add `times` gifts, and `times` times add one to a shared counter the
    way a page does (read, then write with what it saw; on a conflict, read again)."""
    store = SQLiteStore(path)
    for n in range(times):
        store.append("donations", [{"id": f"{prefix}{n}", "person_id": "P1",
                                    "date": "2024-01-01", "amount": "1.00"}])
        while True:
            counter = seen(store, "settings", "counter")
            try:
                store.update("settings", "counter", {"value": str(int(counter["value"]) + 1)},
                             counter)
                break
            except Conflict:
                continue
    store.close()


def test_two_processes_writing_one_file_lose_nothing(store: SQLiteStore) -> None:
    store.append("settings", [{"key": "counter", "value": "0"}])
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=add_and_count, args=(store.path, prefix, 25))
               for prefix in ("A", "B")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        if worker.is_alive():
            worker.kill()
        assert worker.exitcode == 0
    assert len(store.read(["donations"])["donations"]) == 50
    assert seen(store, "settings", "counter")["value"] == "50"


def test_two_threads_saving_the_same_row_at_once_one_is_told(
    store: SQLiteStore, second_store: SQLiteStore
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    start, outcomes = threading.Barrier(2), []

    def save(writer: SQLiteStore, phone: str) -> None:
        start.wait()
        try:
            writer.update("people", "P1", {"phone": phone}, user_saw)
            outcomes.append(phone)
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(writer, phone))
               for writer, phone in ((store, "555-0001"), (second_store, "555-0002"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "conflict" and sorted(outcomes)[0].startswith("555")
    assert seen(store, "people", "P1")["phone"] == sorted(outcomes)[0]


def test_one_store_shared_by_many_threads(store: SQLiteStore) -> None:
    def add(prefix: str) -> None:
        store.append("people", [{"id": f"{prefix}{n}", "first_name": "Ann"} for n in range(20)])
        store.read(["people"])

    threads = [threading.Thread(target=add, args=(f"T{t}-",)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.read(["people"])["people"]["id"].nunique() == 160


# ------------------------------------------------------------------------- configuration


def test_open_store_opens_the_configured_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "crm.sqlite3"
    opened = open_store(StoreConfig(sqlite_path=str(path)))
    assert isinstance(opened, SQLiteStore) and opened.path == str(path)
    opened.ensure_schema()
    assert path.exists()
    assert SQLiteStore(path).read(["people"])["people"].empty


def test_config_reads_the_sqlite_section_then_the_environment() -> None:
    assert StoreConfig.from_sources({}, environ={}).sqlite_path == DEFAULT_SQLITE_PATH
    env = {"STEWARD_SQLITE_PATH": "/srv/env.sqlite3"}
    assert StoreConfig.from_sources({}, environ=env).sqlite_path == "/srv/env.sqlite3"
    secrets = {"sqlite": {"path": "/srv/secrets.sqlite3"}}
    config = StoreConfig.from_sources(secrets, environ=env)
    assert config.sqlite_path == "/srv/secrets.sqlite3" and not config.uses_google_sheets


def test_config_reads_the_gsheets_section() -> None:
    key = {"type": "service_account", "client_email": "app@example.iam.gserviceaccount.com"}
    secrets = {"gsheets": {"spreadsheet": " https://docs.google.com/spreadsheets/d/abc/edit ",
                           "service_account": key}}
    config = StoreConfig.from_sources(secrets, environ={"STEWARD_SPREADSHEET": "other"})
    assert config.uses_google_sheets
    assert config.spreadsheet == "https://docs.google.com/spreadsheets/d/abc/edit"
    assert config.service_account == key


def test_config_reads_the_google_settings_from_the_environment(tmp_path: Path) -> None:
    key = {"type": "service_account", "client_email": "app@example.iam.gserviceaccount.com"}
    env = {"STEWARD_SPREADSHEET": "abc", "STEWARD_SERVICE_ACCOUNT_JSON": json.dumps(key)}
    assert StoreConfig.from_sources(None, environ=env).service_account == key
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(key), encoding="utf-8")
    env = {"STEWARD_SPREADSHEET": "abc", "STEWARD_SERVICE_ACCOUNT_FILE": str(key_file)}
    assert StoreConfig.from_sources(None, environ=env).service_account == key


def test_config_mistakes_are_told_in_words_a_person_can_act_on() -> None:
    env = {"STEWARD_SPREADSHEET": "abc", "STEWARD_SERVICE_ACCOUNT_JSON": "{not json"}
    with pytest.raises(StoreError, match="not valid JSON"):
        StoreConfig.from_sources(None, environ=env)
    with pytest.raises(StoreError, match="no service-account key"):
        open_store(StoreConfig(spreadsheet="abc"))

"""What only the PostgreSQL backend does: typed columns, a unique key, cells kept as written
when they do not fit their column, and reading exactly what SQLite reads."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from demo import PLANTED_PROBLEMS, DemoSize
from sheets_schema import TABS
from storage import Conflict, KeyInUse, StoreConfig, Unavailable, open_store
from storage.base import ChangeSet, KeyFill
from storage.postgres_store import PostgresStore, sql_type
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore


def column_types(url: str, table: str) -> dict[str, str]:
    with psycopg.connect(url) as connection:
        return dict(connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s", (table,)).fetchall())


def test_columns_get_their_kind_as_sql_type(postgres_store: PostgresStore,
                                            postgres_url: str) -> None:
    postgres_store.ensure_schema()
    donations = column_types(postgres_url, "donations")
    assert (donations["date"], donations["amount"], donations["note"]) == (
        "date", "numeric", "text")
    people = column_types(postgres_url, "people")
    assert (people["do_not_email"], people["created_at"], people["tags"]) == (
        "boolean", "timestamp without time zone", "text")
    assert column_types(postgres_url, "outbox")["attempts"] == "bigint"
    assert sql_type("people", "Pledge notes") == "text"


def test_a_second_row_with_a_key_is_kept_beside_the_unique_column_and_never_guessed_at(
    postgres_store: PostgresStore, postgres_url: str
) -> None:
    postgres_store.ensure_schema()
    postgres_store.append("people", [{"id": "P1", "first_name": "Ann"}])
    postgres_store.commit(ChangeSet(as_given=True).append(  # a copied sheet
        "people", {"id": "P1", "first_name": "Ann again"}))
    people = postgres_store.read(["people"])["people"]
    assert list(people["id"]) == ["P1", "P1"]
    with psycopg.connect(postgres_url) as connection:
        stored = connection.execute("SELECT id, _unparsed FROM people ORDER BY _row").fetchall()
    assert stored == [("P1", None), (None, {"id": "P1"})]
    with pytest.raises(Conflict, match=r"Rows 2, 3 of people"):
        postgres_store.update("people", "P1", {"phone": "555-0100"},
                              people.iloc[0].to_dict())
    postgres_store.assign_keys_by_row("people", [KeyFill(3, "P2", people.iloc[1].to_dict())])
    people = postgres_store.read(["people"])["people"]
    assert list(people["id"]) == ["P1", "P2"]
    with pytest.raises(Conflict, match="already has a row with id 'P1'"):
        postgres_store.update("people", "P2", {"id": "P1"}, people.iloc[1].to_dict())


def test_cells_that_do_not_fit_their_column_are_kept_as_written(
    postgres_store: PostgresStore, postgres_url: str
) -> None:
    postgres_store.ensure_schema()
    postgres_store.append("donations", [
        {"id": "D1", "person_id": "P1", "date": "31/02/2024", "amount": "4O.00"},
        {"id": "D2", "person_id": "P1", "date": date(2024, 3, 15), "amount": Decimal("25.50")},
    ])
    text = postgres_store.read(["donations"])["donations"].set_index("id")
    assert (text.loc["D1", "date"], text.loc["D1", "amount"]) == ("31/02/2024", "4O.00")
    assert (text.loc["D2", "date"], text.loc["D2", "amount"]) == ("2024-03-15", "25.5")
    problems = postgres_store.load(["donations"]).problems
    assert {(p.row, p.column) for p in problems} == {(2, "date"), (2, "amount")}
    with psycopg.connect(postgres_url) as connection:
        stored = connection.execute("SELECT date, amount, _unparsed FROM donations "
                                    "ORDER BY _row").fetchall()
    assert stored == [(None, None, {"date": "31/02/2024", "amount": "4O.00"}),
                      (date(2024, 3, 15), Decimal("25.5"), None)]

    row = postgres_store.read(["donations"])["donations"].iloc[0].to_dict()
    postgres_store.update("donations", "D1", {"amount": "40.00"}, row)  # fixed in the app
    with psycopg.connect(postgres_url) as connection:
        fixed = connection.execute("SELECT amount, _unparsed FROM donations "
                                   "WHERE id = 'D1'").fetchone()
    assert fixed == (Decimal("40"), {"date": "31/02/2024"})


def test_a_value_fixed_with_plain_sql_shows_at_once(postgres_store: PostgresStore,
                                                     postgres_url: str) -> None:
    postgres_store.ensure_schema()
    postgres_store.append("donations", [{"id": "D1", "date": "the 5th", "amount": "10"}])
    with psycopg.connect(postgres_url) as connection:
        connection.execute("UPDATE donations SET date = '2024-05-05' WHERE id = 'D1'")
    assert postgres_store.read(["donations"])["donations"].loc[2, "date"] == "2024-05-05"


def test_the_demo_reads_exactly_as_on_sqlite(postgres_store: PostgresStore,
                                             tmp_path: Path) -> None:
    sqlite = SQLiteStore(tmp_path / "demo.sqlite3")
    size = DemoSize.scaled(donations=1200)
    load_demo(sqlite, size)
    load_demo(postgres_store, size)
    expected, got = sqlite.read(list(TABS)), postgres_store.read(list(TABS))
    for name in TABS:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)
    problems = {(p.tab, p.column, p.value) for p in postgres_store.load().problems}
    assert problems == {(p.tab, p.column, p.value) for p in sqlite.load().problems}
    assert len(problems) >= len(PLANTED_PROBLEMS) // 2
    sqlite.close()


def test_ensure_schema_types_new_columns_keeps_staff_text_columns_and_adds_the_key(
    postgres_store: PostgresStore, postgres_url: str
) -> None:
    with psycopg.connect(postgres_url) as connection:
        connection.execute("CREATE TABLE donations (id text, amount text, memo text)")
        connection.execute("INSERT INTO donations VALUES ('D1', '1,234.50', 'cheque'), "
                           "('D1', '7', 'pasted twice'), ('', '8', 'no id yet')")
    report = postgres_store.ensure_schema()
    assert "donations" in report.added_columns and "donations" not in report.created_tabs
    types = column_types(postgres_url, "donations")
    assert (types["amount"], types["memo"], types["date"]) == ("text", "text", "date")
    postgres_store.append("donations", [{"id": "D2", "amount": Decimal("5.00")}])
    with pytest.raises(psycopg.errors.UniqueViolation), psycopg.connect(postgres_url) as psql:
        psql.execute("INSERT INTO donations (id) VALUES ('D1')")
    frame = postgres_store.read(["donations"])["donations"]
    assert list(frame["id"]) == ["D1", "D1", "", "D2"]
    assert list(frame["amount"]) == ["1,234.50", "7", "8", "5"]
    assert list(frame["memo"]) == ["cheque", "pasted twice", "no id yet", ""]


def test_clear_empties_tabs_and_keeps_them(postgres_store: PostgresStore) -> None:
    postgres_store.ensure_schema()
    postgres_store.append("people", [{"id": "P1"}, {"id": "P2"}])
    postgres_store.clear(["people"])
    people = postgres_store.read(["people"])["people"]
    assert people.empty and list(people.columns) == list(TABS["people"].column_names)


def test_a_server_that_does_not_answer_is_unavailable_and_says_where() -> None:
    store = PostgresStore("postgresql://steward:secret@127.0.0.1:1/steward",
                          connect_timeout_s=2, connect_attempts=1)
    with pytest.raises(Unavailable, match="steward on 127.0.0.1") as raised:
        store.read(["people"])
    assert "secret" not in str(raised.value)


def test_the_postgres_url_comes_first_then_the_sheet_then_sqlite(postgres_url: str) -> None:
    both = StoreConfig.from_sources({"postgres": {"url": postgres_url},
                                     "gsheets": {"spreadsheet": "abc"}}, {})
    assert both.uses_postgres and not both.uses_google_sheets and not both.uses_sqlite
    assert isinstance(open_store(both), PostgresStore)
    from_env = StoreConfig.from_sources({}, {"STEWARD_DATABASE_URL": postgres_url})
    assert from_env.postgres_url == postgres_url and "secret" not in repr(
        StoreConfig(postgres_url="postgresql://u:secret@h/db"))
    assert StoreConfig.from_sources({}, {}).uses_sqlite


def test_replicas_appending_the_same_new_ids_at_once_land_each_id_once(
    postgres_store: PostgresStore, postgres_url: str
) -> None:
    postgres_store.ensure_schema()
    replicas = [PostgresStore(postgres_url) for _ in range(2)]
    ids = [f"H{n}" for n in range(40)]
    refused: list[str] = []

    def add(replica: PostgresStore) -> None:
        for key in ids:
            try:
                replica.append("volunteer_hours", [{"id": key, "person_id": "P1",
                                                    "date": date(2024, 5, 1), "hours": "1"}])
            except KeyInUse as error:
                refused.append(str(error))

    threads = [threading.Thread(target=add, args=(replica,)) for replica in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(postgres_store.read(["volunteer_hours"])["volunteer_hours"]["id"]) == sorted(
        ids)
    assert len(refused) == 40 and all("nothing was saved" in r for r in refused)
    for replica in replicas:
        replica.close()


def test_false_zero_and_blank_read_as_on_sqlite(postgres_store: PostgresStore,
                                                tmp_path: Path) -> None:
    sqlite = SQLiteStore(tmp_path / "same.sqlite3")
    for store in (postgres_store, sqlite):
        store.ensure_schema()
        store.append("people", [{"id": "P1", "do_not_mail": False, "do_not_email": "",
                                 "first_name": "", "household_id": None}])
        store.append("outbox", [{"id": "M1", "attempts": 0, "error": " "}])
    for name in ("people", "outbox"):
        pd.testing.assert_frame_equal(postgres_store.read([name])[name], sqlite.read([name])[name])
    assert postgres_store.read(["people"])["people"].loc[2, "do_not_mail"] == "FALSE"
    sqlite.close()

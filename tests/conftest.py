"""Shared fixtures: a store of each backend, the Sheets emulator behind one, and fake time.

`store` runs a test once on SQLite, once on Google Sheets (the emulator) and once on a real
PostgreSQL server (a fresh database each test), with every tab created; `empty_store` is
the same before `ensure_schema`. `second_store` opens another store instance on the same
data, as a second app process or user would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from psycopg.conninfo import conninfo_to_dict

from sheets_schema import TABS
from storage import Store
from storage.postgres_store import PostgresStore
from storage.retry import RetryPolicy
from storage.sheets_store import GoogleSheetsStore
from storage.sqlite_store import SQLiteStore
from tests.emulator import SheetsEmulator
from tests.postgres_server import PostgresServer, ServerUnavailable, start_server
from tests.smtp_server import Inbox, start_inbox

BACKENDS = ["sqlite", "sheets", "postgres"]

# Property tests check what the code does, never how fast: on a shared two-core machine one
# example can take seconds, so no example has a deadline and a slow one is no failure.
settings.register_profile("steward", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("steward")


@dataclass
class FakeTime:
    """A clock that only moves when the code under test sleeps, so retries take no time."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def emulator() -> SheetsEmulator:
    """A fresh in-process Google Sheets API that real gspread talks to."""
    return SheetsEmulator()


@pytest.fixture
def spreadsheet_id(emulator: SheetsEmulator) -> str:
    """A new, empty Google spreadsheet (one blank Sheet1, as Google creates it)."""
    return emulator.create_spreadsheet("Steward", tabs={})


@pytest.fixture
def sheets_store_factory(
    emulator: SheetsEmulator, spreadsheet_id: str, fake_time: FakeTime
) -> Callable[[], GoogleSheetsStore]:
    def open_sheets() -> GoogleSheetsStore:
        retry = RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
        return GoogleSheetsStore(emulator.client(), spreadsheet_id, retry=retry)

    return open_sheets


@pytest.fixture
def sheets_store(sheets_store_factory: Callable[[], GoogleSheetsStore]) -> GoogleSheetsStore:
    """A Google Sheets store on the emulator's empty spreadsheet, no tabs created yet."""
    return sheets_store_factory()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "steward.sqlite3"


@pytest.fixture
def sqlite_store(sqlite_path: Path) -> Iterator[SQLiteStore]:
    """A SQLite store on a new file, no tabs created yet."""
    store = SQLiteStore(sqlite_path)
    yield store
    store.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole run: STEWARD_TEST_POSTGRES_URL's, or a
    throwaway local cluster (installed with apt-get as root when missing)."""
    try:
        server = start_server()
    except ServerUnavailable as reason:
        pytest.skip(f"no PostgreSQL server: {reason}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """The name of a database with every table created, cloned for tests that use `store`
    (a clone takes a tenth of the time `ensure_schema` does)."""
    url = postgres_server.create_database()
    template = PostgresStore(url)
    template.ensure_schema()
    template.close()
    return str(conninfo_to_dict(url)["dbname"])


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest
                 ) -> Iterator[str]:
    """A database of its own for one test: empty, or with every table when the test
    starts from `store` (whose `ensure_schema` then finds nothing to do)."""
    template = (request.getfixturevalue("postgres_template")
                if "store" in request.fixturenames else None)
    url = postgres_server.create_database(template)
    yield url
    postgres_server.drop_database(url)


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[PostgresStore]:
    """A PostgreSQL store on a new database, no tables created yet."""
    store = PostgresStore(postgres_url)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_store(backend: str, request: pytest.FixtureRequest) -> Store:
    """A store of each backend with nothing in it yet."""
    return request.getfixturevalue(f"{backend}_store")


@pytest.fixture
def store(empty_store: Store, backend: str, request: pytest.FixtureRequest) -> Store:
    """A store of each backend with every tab and header created.

    On Sheets the tabs and headers are written straight into the emulator: `ensure_schema`
    also formats 125 columns, and the emulator's repeatCell takes ~4 s for that, which every
    test would pay. The tests of `ensure_schema` itself start from `empty_store`.
    """
    if backend in ("sqlite", "postgres"):
        empty_store.ensure_schema()
        return empty_store
    write_every_tab(request.getfixturevalue("emulator"),
                    request.getfixturevalue("spreadsheet_id"))
    return empty_store


def write_every_tab(emulator: SheetsEmulator, spreadsheet_id: str) -> None:
    """Every tab with its header row, written straight into the emulator's spreadsheet."""
    headers = {name: [list(spec.column_names)] for name, spec in TABS.items()}
    emulator.create_spreadsheet("Steward", tabs={"Sheet1": [], **headers},
                                spreadsheet_id=spreadsheet_id)


@pytest.fixture
def sheets_with_tabs(emulator: SheetsEmulator, spreadsheet_id: str,
                     sheets_store_factory: Callable[[], GoogleSheetsStore]) -> GoogleSheetsStore:
    """A Google Sheets store on the emulator with every tab and header, and no rows."""
    write_every_tab(emulator, spreadsheet_id)
    return sheets_store_factory()


@pytest.fixture
def second_store(store: Store, backend: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """Another store instance on the same data: a second app process or a second user."""
    if backend == "sheets":
        yield request.getfixturevalue("sheets_store_factory")()
        return
    if backend == "postgres":
        replica = PostgresStore(request.getfixturevalue("postgres_url"))
        yield replica
        replica.close()
        return
    other = SQLiteStore(request.getfixturevalue("sqlite_path"))
    yield other
    other.close()


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts."""
    handler, controller = start_inbox()
    yield handler
    controller.stop()

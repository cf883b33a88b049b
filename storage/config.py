"""Which store to open: the one place that picks a backend.

Configuration comes from a mapping shaped like `.streamlit/secrets.toml` (the app passes
`st.secrets`) or from environment variables (a notebook, the CLI, cron):

    [gsheets]
    spreadsheet = "https://docs.google.com/spreadsheets/d/<id>/edit"   # or the bare id
    service_account = { type = "service_account", client_email = "...", private_key = "..." }
    # or: service_account_file = "/path/to/key.json"

    [sqlite]
    path = "data/steward.sqlite3"

    [postgres]
    url = "postgresql://steward:password@db.example.org:5432/steward"

Environment: STEWARD_DATABASE_URL (the PostgreSQL URL), STEWARD_SPREADSHEET,
STEWARD_SERVICE_ACCOUNT_JSON (the key as JSON) or STEWARD_SERVICE_ACCOUNT_FILE /
GOOGLE_APPLICATION_CREDENTIALS, STEWARD_SQLITE_PATH.

Which backend, first match wins: a PostgreSQL URL (several app replicas can share one
database), then a spreadsheet, then the embedded SQLite file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base import Store
from .errors import StoreError

DEFAULT_SQLITE_PATH = "data/steward.sqlite3"

__all__ = ["DEFAULT_SQLITE_PATH", "StoreConfig", "open_store"]


@dataclass(frozen=True)
class StoreConfig:
    """Where the workbook lives: `postgres_url` set means PostgreSQL, else `spreadsheet`
    set means Google Sheets, else SQLite."""

    spreadsheet: str = ""
    service_account: Mapping[str, Any] | None = None
    sqlite_path: str = DEFAULT_SQLITE_PATH
    postgres_url: str = field(default="", repr=False)  # it holds the password

    @property
    def uses_postgres(self) -> bool:
        return bool(self.postgres_url)

    @property
    def uses_google_sheets(self) -> bool:
        return bool(self.spreadsheet) and not self.uses_postgres

    @property
    def uses_sqlite(self) -> bool:
        """The embedded file: the only backend the app may fill with the demo by itself."""
        return not self.uses_postgres and not self.uses_google_sheets

    @classmethod
    def from_sources(
        cls, secrets: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> StoreConfig:
        """Read `secrets` (sections `postgres`, `gsheets` and `sqlite`) first, then the
        environment."""
        secrets = secrets or {}
        environ = os.environ if environ is None else environ
        sheets = dict(secrets.get("gsheets", {}) or {})
        sqlite = dict(secrets.get("sqlite", {}) or {})
        postgres = dict(secrets.get("postgres", {}) or {})
        postgres_url = str(postgres.get("url") or environ.get("STEWARD_DATABASE_URL", ""))
        spreadsheet = str(sheets.get("spreadsheet") or environ.get("STEWARD_SPREADSHEET", ""))
        account = sheets.get("service_account")
        key_file = sheets.get("service_account_file") or environ.get(
            "STEWARD_SERVICE_ACCOUNT_FILE") or environ.get("GOOGLE_APPLICATION_CREDENTIALS")
        if account is None and environ.get("STEWARD_SERVICE_ACCOUNT_JSON"):
            account = _json(environ["STEWARD_SERVICE_ACCOUNT_JSON"], "STEWARD_SERVICE_ACCOUNT_JSON")
        if account is None and key_file and spreadsheet:
            account = _json(Path(key_file).read_text(encoding="utf-8"), str(key_file))
        path = str(sqlite.get("path") or environ.get("STEWARD_SQLITE_PATH", DEFAULT_SQLITE_PATH))
        return cls(spreadsheet=spreadsheet.strip(),
                   service_account=dict(account) if account is not None else None,
                   sqlite_path=path, postgres_url=postgres_url.strip())


def _json(text: str, source: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise StoreError(f"The service-account key in {source} is not valid JSON ({error}). "
                         f"Paste the whole key file Google gave you.") from None
    if not isinstance(loaded, dict):
        raise StoreError(f"The service-account key in {source} is not a JSON object.")
    return loaded


def open_store(config: StoreConfig | None = None, *, client: Any = None) -> Store:
    """Open the configured store. A ready `gspread.Client` may be handed in (a notebook or
    a test does), in which case `config.spreadsheet` names the sheet."""
    config = config or StoreConfig.from_sources()
    if config.uses_postgres:
        from .postgres_store import PostgresStore

        return PostgresStore(config.postgres_url)
    if config.uses_google_sheets:
        from .sheets_store import GoogleSheetsStore

        if client is not None:
            return GoogleSheetsStore(client, config.spreadsheet)
        if not config.service_account:
            raise StoreError(
                "A Google Sheet is configured but no service-account key was given. Add "
                "[gsheets] service_account to .streamlit/secrets.toml (see the README), or set "
                "STEWARD_SERVICE_ACCOUNT_FILE."
            )
        return GoogleSheetsStore.from_service_account(config.service_account,
                                                      config.spreadsheet)
    from .sqlite_store import SQLiteStore

    return SQLiteStore(config.sqlite_path)

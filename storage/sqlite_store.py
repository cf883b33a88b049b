"""The embedded default: the workbook in one SQLite file, one table per tab.

Every cell is stored as its canonical text (`sheets_schema.to_text`), so the same parser
reads this store and a Google Sheet, and a table's columns are the tab's header: columns a
person added (through an import, say) are kept like columns staff add to the sheet.
Several app processes may share the file: WAL lets readers work while one writer writes,
and each write checks and changes its row inside one `BEGIN IMMEDIATE` transaction, so two
writers can never both pass the conflict check on the same row (no lost update).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from sheets_schema import TABS, tab
from sheets_schema.frames import FIRST_DATA_ROW, ROW_INDEX

from .base import (
    AuditHook,
    ChangeSet,
    KeyFill,
    RowEdit,
    SchemaReport,
    Store,
    canonical,
    duplicate_key,
)
from .commit import CommitIO, KeyFillIO, row_gone, run_commit, run_key_fills, tab_missing
from .errors import Conflict, Unavailable

__all__ = ["SQLiteStore"]

_ORDER = "_row"  # insertion order, the SQLite stand-in for a sheet's row number


def _quote(identifier: str) -> str:
    """An SQL identifier for a tab or header name, whatever characters staff used."""
    return '"' + identifier.replace('"', '""') + '"'


class SQLiteStore(Store):
    """The workbook in a SQLite file (or in memory with ``path=":memory:"``)."""

    def __init__(self, path: str | Path, *, busy_timeout_s: float = 15.0) -> None:
        self.path = str(path)
        in_memory = self.path == ":memory:"
        self.title = "In-memory workbook" if in_memory else f"{Path(self.path).name} (SQLite)"
        self.url = None
        self._busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._memory: sqlite3.Connection | None = None
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        """One connection per thread (Streamlit runs each session in its own thread)."""
        if self.path == ":memory:":
            if self._memory is None:
                self._memory = sqlite3.connect(":memory:", check_same_thread=False,
                                               isolation_level=None)
            return self._memory
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=self._busy_timeout_s,
                                         isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def _transaction(self, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        connection = self._connect()
        try:
            connection.execute(f"BEGIN {mode}")
        except sqlite3.OperationalError as error:
            raise Unavailable(
                f"The data file {self.path} is busy or locked ({error}); nothing was saved. "
                f"Try again in a moment."
            ) from error
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        else:
            connection.execute("COMMIT")

    def _header(self, connection: sqlite3.Connection, tab_name: str) -> list[str]:
        rows = connection.execute(f"PRAGMA table_info({_quote(tab_name)})").fetchall()
        if not rows:
            raise tab_missing(tab_name, self.path)
        return [row[1] for row in rows if row[1] != _ORDER]

    @property
    def name(self) -> str:
        return f"the SQLite file {self.path}"

    # ----------------------------------------------------------------------- reads

    def tabs(self) -> list[str]:
        """The tabs whose table is in the file: one look at `sqlite_master`."""
        with self._transaction("DEFERRED") as connection:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        return [name for name in TABS if name in tables]

    def read(self, tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        frames = {}
        with self._transaction("DEFERRED") as connection:
            for name in tabs:
                tab(name)
                header = self._header(connection, name)
                columns = ", ".join(_quote(c) for c in header)
                rows = connection.execute(
                    f"SELECT {columns} FROM {_quote(name)} ORDER BY {_ORDER}"  # noqa: S608
                ).fetchall()
                frame = pd.DataFrame(rows, columns=header, dtype=object)
                frame.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame),
                                            name=ROW_INDEX)
                frames[name] = frame.fillna("")
        return frames

    # ---------------------------------------------------------------------- writes

    def commit(
        self,
        changes: ChangeSet,
        *,
        skip_conflicts: bool = False,
        audit: AuditHook | None = None,
    ) -> list[Conflict]:
        """One `BEGIN IMMEDIATE` transaction: each row is checked and changed under the
        write lock, so no other process can slip a change in between."""
        if not changes:
            return []
        with self._transaction() as connection:
            return run_commit(_Locked(self, connection), changes, skip_conflicts=skip_conflicts,
                              audit=audit, locale=self.locale)

    def _keys_in_use(self, connection: sqlite3.Connection, tab_name: str,
                     records: Sequence[Mapping[str, Any]]) -> set[str]:
        """Which of the keys of `records` some row of `tab_name` holds, under the write
        lock (the key column is indexed: one lookup per key)."""
        key = tab(tab_name).key
        wanted = sorted({canonical(tab_name, key, r.get(key)) for r in records} - {""})
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found.update(row[0] for row in connection.execute(
                f"SELECT {_quote(key)} FROM {_quote(tab_name)} "  # noqa: S608
                f"WHERE {_quote(key)} IN ({', '.join('?' for _ in chunk)})", chunk))
        return found

    def _insert(
        self, connection: sqlite3.Connection, tab_name: str, records: Sequence[Mapping[str, Any]]
    ) -> None:
        if not records:
            return
        header = self._header(connection, tab_name)
        extra = sorted({c for r in records for c in r} - set(header))
        for column in extra:
            connection.execute(
                f"ALTER TABLE {_quote(tab_name)} ADD COLUMN {_quote(column)} TEXT DEFAULT ''"
            )
        header += extra
        columns = ", ".join(_quote(c) for c in header)
        marks = ", ".join("?" for _ in header)
        memo: dict[tuple[str, str], str] = {}

        def text(column: str, value: Any) -> str:
            """`canonical`, once per distinct text of a column: an import or a copy of
            100,000 rows repeats its dates, amounts and statuses."""
            if value.__class__ is not str:
                return canonical(tab_name, column, value)
            found = memo.get((column, value))
            if found is None:
                found = memo[(column, value)] = canonical(tab_name, column, value)
            return found

        connection.executemany(
            f"INSERT INTO {_quote(tab_name)} ({columns}) VALUES ({marks})",  # noqa: S608
            [[text(c, record.get(c)) for c in header] for record in records],
        )

    def _locked_row(
        self, connection: sqlite3.Connection, tab_name: str, key: str
    ) -> tuple[int, dict[str, str]]:
        spec = tab(tab_name)
        header = self._header(connection, tab_name)
        columns = ", ".join(_quote(c) for c in [_ORDER, *header])
        rows = connection.execute(
            f"SELECT {columns} FROM {_quote(tab_name)} WHERE {_quote(spec.key)} = ? "  # noqa: S608
            f"ORDER BY {_ORDER}",
            (key,),
        ).fetchall()
        if not rows:
            raise row_gone(tab_name, key)
        if len(rows) > 1:
            raise duplicate_key(tab_name, key, [self._row_number(connection, tab_name, r[0])
                                                for r in rows])
        order, *values = rows[0]
        return order, dict(zip(header, (v or "" for v in values), strict=True))

    def _row_number(self, connection: sqlite3.Connection, tab_name: str, order: int) -> int:
        """The row number `read` gives the row stored at `order`, so an error can name it."""
        (before,) = connection.execute(
            f"SELECT COUNT(*) FROM {_quote(tab_name)} WHERE {_ORDER} < ?", (order,)  # noqa: S608
        ).fetchone()
        return FIRST_DATA_ROW + int(before)

    def _update_locked(self, connection: sqlite3.Connection, tab_name: str, order: int,
                       header: set[str], changes: Mapping[str, Any]) -> None:
        for column in (c for c in changes if c not in header):
            connection.execute(
                f"ALTER TABLE {_quote(tab_name)} ADD COLUMN {_quote(column)} TEXT DEFAULT ''"
            )
        assignments = ", ".join(f"{_quote(c)} = ?" for c in changes)
        connection.execute(
            f"UPDATE {_quote(tab_name)} SET {assignments} WHERE {_ORDER} = ?",  # noqa: S608
            [*(canonical(tab_name, c, v) for c, v in changes.items()), order],
        )

    def assign_keys_by_row(
        self, tab_name: str, fills: Sequence[KeyFill], *, audit: AuditHook | None = None
    ) -> None:
        """One `BEGIN IMMEDIATE` transaction: the rows are numbered as `read` numbers them
        (by insertion order), checked and given their keys under the write lock."""
        if fills:
            with self._transaction() as connection:
                run_key_fills(_Locked(self, connection), tab_name, fills, audit=audit,
                              locale=self.locale)

    def clear(self, tabs: Sequence[str]) -> None:
        """One transaction deleting every row of `tabs`; the tables and their columns stay."""
        with self._transaction() as connection:
            for name in tabs:
                tab(name)
                self._header(connection, name)  # a missing tab is a SchemaMismatch
                connection.execute(f"DELETE FROM {_quote(name)}")  # noqa: S608

    def ensure_schema(self) -> SchemaReport:
        report = SchemaReport()
        with self._transaction() as connection:
            for spec in TABS.values():
                existing = connection.execute(
                    f"PRAGMA table_info({_quote(spec.name)})"
                ).fetchall()
                if not existing:
                    columns = ", ".join(f"{_quote(c)} TEXT DEFAULT ''" for c in spec.column_names)
                    connection.execute(
                        f"CREATE TABLE {_quote(spec.name)} "
                        f"({_ORDER} INTEGER PRIMARY KEY AUTOINCREMENT, {columns})"
                    )
                    connection.execute(
                        f"CREATE INDEX {_quote(spec.name + '_key')} "
                        f"ON {_quote(spec.name)} ({_quote(spec.key)})"
                    )
                    report.created_tabs.append(spec.name)
                    continue
                have = {row[1] for row in existing}
                missing = [c for c in spec.column_names if c not in have]
                for column in missing:
                    connection.execute(
                        f"ALTER TABLE {_quote(spec.name)} ADD COLUMN {_quote(column)} "
                        f"TEXT DEFAULT ''"
                    )
                if missing:
                    report.added_columns[spec.name] = missing
        return report

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


class _Locked(CommitIO, KeyFillIO):
    """A commit's (or a key fill's) I/O under the write lock of one `BEGIN IMMEDIATE`."""

    def __init__(self, store: SQLiteStore, connection: sqlite3.Connection) -> None:
        self.store, self.connection = store, connection
        self.orders: dict[int, int] = {}  # sheet row number -> `_row`, for a key fill

    def row(self, tab_name: str, edit: RowEdit) -> tuple[Any, Mapping[str, str]]:
        order, current = self.store._locked_row(self.connection, tab_name, edit.key)
        return (order, set(current)), current

    def edit(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        order, header = handle
        self.store._update_locked(self.connection, tab_name, order, header, edit.changes)

    def delete(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        self.connection.execute(
            f"DELETE FROM {_quote(tab_name)} WHERE {_ORDER} = ?", (handle[0],)  # noqa: S608
        )

    def keys_in_use(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> set[str]:
        return self.store._keys_in_use(self.connection, tab_name, records)

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        self.store._insert(self.connection, tab_name, records)

    def rows_by_number(self, tab_name: str) -> Mapping[int, Mapping[str, str]]:
        """Numbered as `read` numbers them (by insertion order), under the write lock."""
        header = self.store._header(self.connection, tab_name)
        columns = ", ".join(_quote(c) for c in [_ORDER, *header])
        rows = self.connection.execute(
            f"SELECT {columns} FROM {_quote(tab_name)} ORDER BY {_ORDER}"  # noqa: S608
        ).fetchall()
        now = {}
        for number, (order, *values) in enumerate(rows, start=FIRST_DATA_ROW):
            self.orders[number] = order
            now[number] = dict(zip(header, (v or "" for v in values), strict=True))
        return now

    def write_keys(self, tab_name: str, key: str, fills: Sequence[KeyFill]) -> None:
        self.connection.executemany(
            f"UPDATE {_quote(tab_name)} SET {_quote(key)} = ? WHERE {_ORDER} = ?",  # noqa: S608
            [(fill.key, self.orders[fill.row]) for fill in fills],
        )

"""The workbook in a PostgreSQL database: one table per tab, typed columns, a unique key.

Several app replicas can share one database, so PostgreSQL itself keeps the contract:
- every column gets its tab's kind as a SQL type (dates `date`, money and decimals
  `numeric`, flags `boolean`, whole numbers `bigint`, timestamps `timestamp`, times `time`,
  text, choices and tags `text`), so other programs (a BI tool, psql) see real types;
- the key column is UNIQUE, so a key finds at most one row there and a program writing
  the tables directly cannot add a second row with a key (see "Duplicated keys" below);
- `commit` is one transaction: it locks the rows it edits or deletes (`SELECT ... FOR
  UPDATE`, tab by tab in name order and rows in `_row` order, so two commits take their
  locks in the same order and do not deadlock), compares them with what the user saw
  (`base.find_conflicts`, the rule every backend shares) and only then writes, so a row
  changed since the user saw it is never overwritten; appends go in with one COPY.

`read` gives the same text frames as the other backends: the canonical text the app writes
(ISO dates, plain decimals, TRUE/FALSE), built by the database, in insertion order (`_row`),
indexed by a sheet-like row number. A workbook copied from a hand-edited Google Sheet can
hold a cell that does not fit its column (`3/15/24?` in a date column, `about 40` as an
amount); such text is kept exactly as written in the row's `_unparsed` jsonb column and read
back in its place, so the data-health page still reports it and nothing is lost.

Duplicated keys are the same kind of cell: a copied sheet (and the demo) can hold two rows
with one id, and SQLite and Sheets keep both. Here the second row's key cell does not fit
the UNIQUE column, so it is kept in that row's `_unparsed` (the key column NULL) and read
back as written; an edit or delete of that key then finds both rows and refuses to guess,
naming the rows, exactly as on the other backends. An append racing another replica's
append of the same new key is run again, and the later one lands displaced the same way.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal
from typing import Any

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb

from sheets_schema import TABS, tab
from sheets_schema import cells as cell_parsers
from sheets_schema.cells import CellError
from sheets_schema.frames import FIRST_DATA_ROW, ROW_INDEX

from .base import (
    AuditHook,
    ChangeSet,
    KeyFill,
    SchemaReport,
    Store,
    canonical,
    check_key_fills,
    duplicate_key,
    key_fill_changes,
    raise_if_conflicts,
    refuse_keys_in_use,
)
from .errors import Conflict, NotFound, SchemaMismatch, StoreError, Unavailable

__all__ = ["PostgresStore", "sql_type"]

ROW = "_row"  # insertion order: the database's stand-in for a sheet's row number
UNPARSED = "_unparsed"  # {column: text} of cells whose text does not fit the column's type
HIDDEN = frozenset({ROW, UNPARSED})

#: The SQL type of each kind of column (`sheets_schema.fields`); the rest are text.
SQL_TYPES = {
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "money": "numeric",
    "decimal": "numeric",
    "integer": "bigint",
    "flag": "boolean",
}
_INTEGER_TYPES = {"bigint": 2**63, "integer": 2**31, "smallint": 2**15}


class _KeyRace(Exception):
    """A key another transaction added after this one looked: run the commit again."""


_TRANSIENT = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure, _KeyRace)
_ATTEMPTS = 4  # a commit that lost a deadlock or serialization race is run again
#: How long a write waits for rows another replica holds (SQLite's busy timeout is 15 s).
LOCK_TIMEOUT_MS = 15_000
_SCHEMA_LOCK = 0x5745_5741_5244  # pg_advisory_xact_lock key: one ensure_schema at a time


def sql_type(tab_name: str, column: str) -> str:
    """The SQL type a column of a tab gets: ``sql_type("donations", "amount") == "numeric"``;
    a column staff added (not in the model) is text."""
    spec = tab(tab_name)
    if column not in spec.column_names:
        return "text"
    return SQL_TYPES.get(spec.column(column).kind.name, "text")


def _parse_timestamptz(text: str, locale: cell_parsers.Locale) -> Any:
    moment = cell_parsers.parse_datetime(text, locale)
    return moment.replace(tzinfo=UTC) if moment is not None else None


def _parse_float(text: str, locale: cell_parsers.Locale) -> Any:
    number = cell_parsers.parse_decimal(text, locale)
    return float(number) if number is not None else None


#: How canonical text becomes the value of a column of each SQL type (`format_type` names).
_PARSERS: dict[str, Callable[[str, cell_parsers.Locale], Any]] = {
    "date": cell_parsers.parse_date,
    "timestamp without time zone": cell_parsers.parse_datetime,
    "timestamp with time zone": _parse_timestamptz,
    "time without time zone": cell_parsers.parse_time,
    "numeric": cell_parsers.parse_decimal,
    "bigint": cell_parsers.parse_int,
    "integer": cell_parsers.parse_int,
    "smallint": cell_parsers.parse_int,
    "boolean": cell_parsers.parse_bool,
    "double precision": _parse_float,
    "real": _parse_float,
}
_TEXT_TYPES = {"text", "character varying", "character", "name", "citext"}


def _text_of(column: str, db_type: str) -> sql.Composable:
    """SQL giving the canonical text (`sheets_schema.to_text`) of a column's value."""
    name = sql.Identifier(column)
    base = db_type.split("(")[0]
    if base == "date":
        return sql.SQL("to_char({}, 'YYYY-MM-DD')").format(name)
    if base == "timestamp without time zone":
        return sql.SQL("""to_char({}, 'YYYY-MM-DD"T"HH24:MI:SS')""").format(name)
    if base == "timestamp with time zone":
        return sql.SQL("""to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')""").format(
            name)
    if base == "time without time zone":
        return sql.SQL("CASE WHEN floor(extract(second FROM {0})) = 0 THEN to_char({0}, "
                       "'HH24:MI') ELSE {0}::text END").format(name)
    if base == "numeric":
        return sql.SQL("trim_scale({})::text").format(name)
    if base == "boolean":
        return sql.SQL("CASE WHEN {0} THEN 'TRUE' WHEN NOT {0} THEN 'FALSE' END").format(name)
    return sql.SQL("{}::text").format(name)


@dataclass(frozen=True)
class _Table:
    """A tab's table as the database has it now: its columns in order and their types."""

    name: str
    types: dict[str, str]  # every column, hidden ones included, in table order

    @property
    def header(self) -> list[str]:
        return [c for c in self.types if c not in HIDDEN]

    @property
    def has_unparsed(self) -> bool:
        return UNPARSED in self.types

    def text_columns(self) -> sql.Composable:
        """The SELECT list giving every header cell as text: the typed value, else the
        text kept in `_unparsed` (so a value someone fixes with plain SQL shows at once)."""
        cells = []
        for column in self.header:
            typed = _text_of(column, self.types[column])
            if self.has_unparsed:
                cells.append(sql.SQL("coalesce({}, {} ->> {}, '')").format(
                    typed, sql.Identifier(UNPARSED), sql.Literal(column)))
            else:
                cells.append(sql.SQL("coalesce({}, '')").format(typed))
        return sql.SQL(", ").join(cells) if cells else sql.SQL("NULL")

    def order(self) -> sql.Composable:
        return sql.SQL("ORDER BY {}").format(sql.Identifier(ROW)) if ROW in self.types \
            else sql.SQL("")


class PostgresStore(Store):
    """The workbook in a PostgreSQL database (`url`: ``postgresql://user:pw@host/db``)."""

    def __init__(self, url: str, *, connect_timeout_s: int = 10, connect_attempts: int = 3
                 ) -> None:
        self.dsn = url
        try:
            parts = conninfo_to_dict(url)
        except psycopg.ProgrammingError as error:
            raise StoreError(f"The PostgreSQL URL is not valid ({error}). It looks like "
                             f"postgresql://user:password@host:5432/database.") from None
        host = str(parts.get("host") or "localhost")
        self.where = f"{parts.get('dbname') or parts.get('user') or 'postgres'} on {host}"
        self.title = f"PostgreSQL: {self.where}"
        self.url = None
        self._connect_timeout_s = connect_timeout_s
        self._connect_attempts = max(1, connect_attempts)
        self._local = threading.local()

    # ------------------------------------------------------------------ connections

    def _connection(self) -> psycopg.Connection[Any]:
        """One connection per thread (Streamlit runs each session in its own thread)."""
        connection: psycopg.Connection[Any] | None = getattr(self._local, "connection", None)
        if connection is not None and not connection.closed and not connection.broken:
            return connection
        last: psycopg.OperationalError | None = None
        for attempt in range(self._connect_attempts):  # a restart or a blip: a few tries
            try:
                connection = psycopg.connect(
                    self.dsn, autocommit=True, connect_timeout=self._connect_timeout_s,
                    application_name="steward", options=f"-c lock_timeout={LOCK_TIMEOUT_MS}")
            except psycopg.OperationalError as error:
                last = error
                if attempt < self._connect_attempts - 1:
                    time.sleep(0.5 * 2**attempt)
                continue
            self._local.connection = connection
            return connection
        raise Unavailable(f"The PostgreSQL database {self.where} did not answer ({last}); "
                          f"nothing was read or saved. Try again in a minute.") from last

    @contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """A transaction; a dropped connection or a server error becomes a StoreError."""
        connection = self._connection()
        self._local.tables = {}  # what `_table` learnt holds for this transaction only
        try:
            with connection.transaction():
                if read_only:  # every tab of one read from the same snapshot
                    connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, "
                                       "READ ONLY")
                yield connection
        except _TRANSIENT:
            raise  # `commit` runs the transaction again
        except psycopg.errors.LockNotAvailable as error:
            raise Unavailable(
                f"Another change held the same rows of {self.where} for over "
                f"{LOCK_TIMEOUT_MS // 1000} s, so nothing was saved. Try again in a moment."
            ) from error
        except psycopg.OperationalError as error:
            connection.close()
            raise Unavailable(
                f"The connection to the PostgreSQL database {self.where} failed ({error}); "
                f"nothing was saved unless the failure came as it committed. Refresh to see, "
                f"then try again.") from error
        except psycopg.errors.InsufficientPrivilege as error:
            raise Unavailable(
                f"The database user may not do this in {self.where} ({error}); nothing was "
                f"saved. Ask whoever runs the database to grant it.") from error
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn) as error:
            raise SchemaMismatch(
                f"A table or column of {self.where} went away while the app used it ({error}). "
                f"Run `python -m steward init`, then try again.") from error

    def _tables(self, connection: psycopg.Connection[Any], names: Sequence[str]
                ) -> dict[str, _Table]:
        """Each existing table of `names` with its columns now (staff may add some)."""
        rows = connection.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
            "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') "
            "AND c.relname = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attnum", (list(names),)).fetchall()
        types: dict[str, dict[str, str]] = {}
        for table, column, db_type in rows:
            types.setdefault(table, {})[column] = db_type
        return {name: _Table(name, columns) for name, columns in types.items()}

    def _table(self, connection: psycopg.Connection[Any], tab_name: str) -> _Table:
        """The table now, asked of the catalog once per transaction (columns added in the
        transaction forget it)."""
        known: dict[str, _Table] = self._local.tables
        found = known.get(tab_name) or self._tables(connection, [tab_name]).get(tab_name)
        if found is None:
            raise SchemaMismatch(f"The {tab_name} tab does not exist in the database "
                                 f"{self.where}. Run `python -m steward init` to create it.")
        known[tab_name] = found
        return found

    # ----------------------------------------------------------------------- reads

    def tabs(self) -> list[str]:
        """The tabs whose table is in the database: one look at the catalog."""
        with self._transaction(read_only=True) as connection:
            tables = self._tables(connection, list(TABS))
        return [name for name in TABS if name in tables]

    def read(self, tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        for name in tabs:
            tab(name)
        frames = {}
        with self._transaction(read_only=True) as connection:
            tables = self._tables(connection, tabs)
            for name in tabs:
                if name not in tables:
                    raise SchemaMismatch(
                        f"The {name} tab does not exist in the database {self.where}. "
                        f"Run `python -m steward init` to create it.")
                table = tables[name]
                rows = connection.execute(sql.SQL("SELECT {} FROM {} {}").format(
                    table.text_columns(), sql.Identifier(name), table.order())).fetchall()
                if not table.header:
                    rows = []
                frame = pd.DataFrame(rows, columns=table.header, dtype=object)
                frame.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame),
                                            name=ROW_INDEX)
                frames[name] = frame
        return frames

    # ---------------------------------------------------------------------- writes

    def commit(
        self,
        changes: ChangeSet,
        *,
        skip_conflicts: bool = False,
        audit: AuditHook | None = None,
    ) -> list[Conflict]:
        """One transaction: lock the rows to edit or delete, compare them with `seen`,
        write, append, add the audit rows, commit. A lost deadlock or serialization race
        (another replica in the same rows) is run again from the start."""
        if not changes:
            return []
        for attempt in range(_ATTEMPTS):
            try:
                with self._transaction() as connection:
                    return self._commit_locked(connection, changes, skip_conflicts, audit)
            except _TRANSIENT:
                if attempt == _ATTEMPTS - 1:
                    raise Unavailable(
                        f"The database {self.where} stayed busy with other changes to the "
                        f"same rows; nothing was saved. Try again.") from None
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _commit_locked(
        self,
        connection: psycopg.Connection[Any],
        changes: ChangeSet,
        skip_conflicts: bool,
        audit: AuditHook | None,
    ) -> list[Conflict]:
        conflicts: list[Conflict] = []
        landing = ChangeSet(audit_summary=changes.audit_summary,
                            audit_action=changes.audit_action)
        touched = sorted(set(changes.edits) | set(changes.deletes))
        current = {name: self._lock_rows(connection, name, changes) for name in touched}

        def check(tab_name: str, key: str, seen: Mapping[str, Any],
                  wanted: Mapping[str, Any] | None) -> tuple[int, dict[str, str]] | None:
            rows = current[tab_name].get(key)
            if not rows:
                spec = tab(tab_name)
                raise NotFound(
                    f"There is no row with {spec.key} {key!r} in {tab_name} any more; someone "
                    f"may have deleted it. Refresh to see the current data.")
            try:
                if len(rows) > 1:
                    raise duplicate_key(tab_name, key, [self._row_number(connection, tab_name,
                                                                         r[0]) for r in rows])
                raise_if_conflicts(tab_name, key, rows[0][1], seen, wanted, self.locale)
            except Conflict as conflict:
                if not skip_conflicts:
                    raise
                conflicts.append(conflict)
                return None
            return rows[0]

        for tab_name, edits in changes.edits.items():
            for edit in edits:
                found = check(tab_name, edit.key, edit.seen, edit.changes)
                if found is None:
                    continue
                order, row = found
                self._update(connection, tab_name, order, edit.changes)
                row.update({c: canonical(tab_name, c, v) for c, v in edit.changes.items()})
                landing.edit(tab_name, edit.key, edit.changes, edit.seen)
        for tab_name, gone in changes.deletes.items():
            for edit in gone:
                found = check(tab_name, edit.key, edit.seen, None)
                if found is None:
                    continue
                connection.execute(sql.SQL("DELETE FROM {} WHERE {} = %s").format(
                    sql.Identifier(tab_name), sql.Identifier(ROW)), (found[0],))
                current[tab_name].pop(edit.key, None)
                landing.delete(tab_name, edit.key, edit.seen)
        for tab_name, records in changes.appends.items():
            self._insert(connection, tab_name, records, as_given=changes.as_given)
            landing.append(tab_name, *records)
        if audit is not None and landing:
            self._insert(connection, "audit_log", audit(landing))
        return conflicts

    def _lock_rows(self, connection: psycopg.Connection[Any], tab_name: str,
                   changes: ChangeSet) -> dict[str, list[tuple[int, dict[str, str]]]]:
        """Lock (FOR UPDATE, in `_row` order) and read as text every row of `tab_name` that
        `changes` edits or deletes, by key (displaced keys too): until the commit no other
        writer can change them, and a writer waiting for them then reads what this one
        wrote (READ COMMITTED re-reads a locked row), so its comparison sees the change."""
        key = tab(tab_name).key
        keys = sorted({e.key for e in changes.edits.get(tab_name, [])}
                      | {e.key for e in changes.deletes.get(tab_name, [])})
        table = self._table(connection, tab_name)
        for needed in (key, ROW):
            if needed not in table.types:
                raise SchemaMismatch(f"The {tab_name} tab has no {needed} column, so the app "
                                     f"cannot find its rows. Run `python -m steward init`.")
        displaced = sql.SQL(" OR ({un} ? {name} AND {un} ->> {name} = ANY(%(keys)s))").format(
            un=sql.Identifier(UNPARSED), name=sql.Literal(key)) if table.has_unparsed \
            else sql.SQL("")
        rows = connection.execute(
            sql.SQL("SELECT {row}, coalesce({key}::text, {un_key}), {cells} FROM {table} "
                    "WHERE {key}::text = ANY(%(keys)s){displaced} ORDER BY {row} "
                    "FOR UPDATE").format(
                row=sql.Identifier(ROW), key=sql.Identifier(key), cells=table.text_columns(),
                table=sql.Identifier(tab_name), displaced=displaced,
                un_key=sql.SQL("{} ->> {}").format(sql.Identifier(UNPARSED), sql.Literal(key))
                if table.has_unparsed else sql.SQL("NULL")),
            {"keys": keys}).fetchall()
        found: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for number, row_key, *values in rows:
            found.setdefault(row_key, []).append(
                (number, dict(zip(table.header, values, strict=True))))
        return found

    def _row_number(self, connection: psycopg.Connection[Any], tab_name: str, order: int
                    ) -> int:
        """The row number `read` gives the row stored at `order`, so an error can name it."""
        row = connection.execute(sql.SQL("SELECT count(*) FROM {} WHERE {} < %s").format(
            sql.Identifier(tab_name), sql.Identifier(ROW)), (order,)).fetchone()
        return FIRST_DATA_ROW + int(row[0] if row else 0)

    def _ensure_columns(self, connection: psycopg.Connection[Any], tab_name: str,
                        columns: Sequence[str]) -> _Table:
        """The table, with any of `columns` it lacks added (an import's extra column, a
        model field newer than the table) and `_unparsed` too."""
        table = self._table(connection, tab_name)
        missing = [c for c in dict.fromkeys(columns) if c not in table.types]
        if not table.has_unparsed:
            missing.append(UNPARSED)
        if not missing:
            return table
        for column in missing:
            connection.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                sql.Identifier(tab_name), sql.Identifier(column),
                sql.SQL("jsonb" if column == UNPARSED else sql_type(tab_name, column))))
        self._local.tables.pop(tab_name, None)
        return self._table(connection, tab_name)

    def _cells(self, table: _Table, record: Mapping[str, Any], columns: Sequence[str]
               ) -> tuple[list[Any], dict[str, str]]:
        """`record`'s values for `columns` as the table's types, and the text of the cells
        that do not fit their column (kept in `_unparsed`)."""
        values: list[Any] = []
        unparsed: dict[str, str] = {}
        for column in columns:
            raw = record.get(column)
            if raw is None:
                values.append(None)
                continue
            db_type = table.types[column]
            if _already_canonical(table.name, column, raw, db_type):
                values.append(raw.normalize() if isinstance(raw, Decimal)
                              else None if raw == "" else raw)
                continue
            if type(raw) is str:
                text = _canonical_text(table.name, column, raw, self.locale)
            else:
                text = canonical(table.name, column, raw, self.locale)
            value, fits = _typed(text, db_type)
            if not fits:
                unparsed[column] = text
            values.append(value)
        return values, unparsed

    def _update(self, connection: psycopg.Connection[Any], tab_name: str, order: int,
                changes: Mapping[str, Any]) -> None:
        table = self._ensure_columns(connection, tab_name, list(changes))
        columns = list(changes)
        values, unparsed = self._cells(table, changes, columns)
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns)
        statement = sql.SQL("UPDATE {} SET {}, {} = nullif((coalesce({}, '{{}}') - %s::text[]) "
                            "|| %s, '{{}}') WHERE {} = %s").format(
            sql.Identifier(tab_name), assignments, sql.Identifier(UNPARSED),
            sql.Identifier(UNPARSED), sql.Identifier(ROW))
        args = [*values, columns, Jsonb(unparsed), order]
        if tab(tab_name).key not in changes:
            connection.execute(statement, args)
            return
        try:  # a new key another row has: refuse it (a savepoint keeps the commit usable)
            with connection.transaction():
                connection.execute(statement, args)
        except psycopg.errors.UniqueViolation as error:
            raise self._duplicate(tab_name, error) from error

    def _insert(self, connection: psycopg.Connection[Any], tab_name: str,
                records: Sequence[Mapping[str, Any]], *, as_given: bool = True) -> None:
        """Append `records` with one COPY. Unless `as_given`, a key some row already has
        (or an earlier record of the same batch) is refused (KeyInUse); as given (a copy,
        the demo) it is displaced into `_unparsed`, as the module says."""
        if not records:
            return
        named = [c for r in records for c in r]
        table = self._ensure_columns(connection, tab_name, named)
        columns = table.header
        key = tab(tab_name).key
        at = columns.index(key) if key in columns else None
        keys = {canonical(tab_name, key, r.get(key), self.locale) for r in records} - {""}
        taken = {row[0] for row in connection.execute(
            sql.SQL("SELECT {}::text FROM {} WHERE {}::text = ANY(%s)").format(
                sql.Identifier(key), sql.Identifier(tab_name), sql.Identifier(key)),
            (sorted(keys),))} if at is not None and keys else set()
        if not as_given:
            refuse_keys_in_use(tab_name, records, taken)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(tab_name),
            sql.SQL(", ").join(sql.Identifier(c) for c in [*columns, UNPARSED]))
        try:
            with connection.cursor() as cursor, cursor.copy(statement) as copy:
                for record in records:
                    values, unparsed = self._cells(table, record, columns)
                    if at is not None and values[at] is not None:
                        if values[at] in taken:
                            unparsed[key], values[at] = str(values[at]), None
                        else:
                            taken.add(values[at])
                    copy.write_row([*values, Jsonb(unparsed) if unparsed else None])
        except psycopg.errors.UniqueViolation as error:
            raise _KeyRace(str(error)) from error

    def _duplicate(self, tab_name: str, error: psycopg.errors.UniqueViolation) -> Conflict:
        spec = tab(tab_name)
        detail = error.diag.message_detail or ""
        key = detail.partition(")=(")[2].rpartition(") already exists")[0]
        return Conflict(tab_name, key, [], (
            f"{tab_name} already has a row with {spec.key} {key!r} (someone may have added it "
            f"meanwhile), so it was not given to another row. Choose another {spec.key}."))

    def assign_keys_by_row(
        self, tab_name: str, fills: Sequence[KeyFill], *, audit: AuditHook | None = None
    ) -> None:
        """One transaction holding off every other writer of the tab (rows are numbered by
        `_row`, so an insert or delete elsewhere would renumber them): the rows are read,
        checked against each fill's `seen` and given their keys; a key taken meanwhile is
        a Conflict from the UNIQUE key itself."""
        if not fills:
            return
        key = tab(tab_name).key
        with self._transaction() as connection:
            table = self._ensure_columns(connection, tab_name, [key])
            connection.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(
                sql.Identifier(tab_name)))
            rows = connection.execute(sql.SQL("SELECT {}, {} FROM {} {}").format(
                sql.Identifier(ROW), table.text_columns(), sql.Identifier(tab_name),
                table.order())).fetchall()
            orders, now = {}, {}
            for number, (order, *values) in enumerate(rows, start=FIRST_DATA_ROW):
                orders[number] = order
                now[number] = dict(zip(table.header, values, strict=True))
            in_use = {cells.get(key, "").strip() for cells in now.values()}
            check_key_fills(tab_name, fills, now, in_use, self.locale)
            try:
                with connection.cursor() as cursor:
                    cursor.executemany(sql.SQL(
                        "UPDATE {table} SET {key} = %s, {un} = nullif({un} - {name}, '{{}}') "
                        "WHERE {row} = %s").format(
                            table=sql.Identifier(tab_name), key=sql.Identifier(key),
                            un=sql.Identifier(UNPARSED), name=sql.Literal(key),
                            row=sql.Identifier(ROW)),
                        [(fill.key, orders[fill.row]) for fill in fills])
            except psycopg.errors.UniqueViolation as error:
                raise self._duplicate(tab_name, error) from error
            if audit is not None:
                self._insert(connection, "audit_log", audit(key_fill_changes(tab_name, fills)))

    def clear(self, tabs: Sequence[str]) -> None:
        """One transaction deleting every row of `tabs`; the tables and their columns stay."""
        with self._transaction() as connection:
            for name in tabs:
                tab(name)
                self._table(connection, name)  # a missing tab is a SchemaMismatch
                connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(name)))

    # ----------------------------------------------------------------------- schema

    def ensure_schema(self) -> SchemaReport:
        """Create missing tables and columns (typed as the models say), the UNIQUE key and
        its index of displaced keys; never drop, retype or reorder anything. In a table made
        by hand whose key is duplicated, the later rows' keys move to `_unparsed` first
        (`read` gives the same text), so the key can be UNIQUE and nothing is lost."""
        report = SchemaReport()
        with self._transaction() as connection:
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            tables = self._tables(connection, list(TABS))
            indexes = self._indexes(connection, list(tables))
            for spec in TABS.values():
                table = tables.get(spec.name)
                if table is None:
                    self._create(connection, spec.name)
                    report.created_tabs.append(spec.name)
                    continue
                missing = [c for c in spec.column_names if c not in table.types]
                for column in missing:
                    connection.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                        sql.Identifier(spec.name), sql.Identifier(column),
                        sql.SQL(sql_type(spec.name, column))))
                if missing:
                    report.added_columns[spec.name] = missing
                if ROW not in table.types:
                    connection.execute(sql.SQL(
                        "ALTER TABLE {} ADD COLUMN {} bigint GENERATED BY DEFAULT AS IDENTITY"
                    ).format(sql.Identifier(spec.name), sql.Identifier(ROW)))
                if UNPARSED not in table.types:
                    connection.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} jsonb").format(
                        sql.Identifier(spec.name), sql.Identifier(UNPARSED)))
                have = indexes.get(spec.name, set())
                if ("unique", spec.key) not in have:
                    self._make_key_unique(connection, spec.name, spec.key)
                if ("index", f"{spec.name}_displaced_{spec.key}") not in have:
                    self._index_displaced_keys(connection, spec.name, spec.key)
        return report

    def _indexes(self, connection: psycopg.Connection[Any], names: Sequence[str]
                 ) -> dict[str, set[tuple[str, str]]]:
        """Per table: ("unique", column) of each one-column unique index, ("index", name)
        of every index."""
        found: dict[str, set[tuple[str, str]]] = {}
        for table, index, unique, column in connection.execute(
            "SELECT c.relname, i.relname, x.indisunique AND x.indnkeyatts = 1, a.attname "
            "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class c ON c.oid = x.indrelid "
            "JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid "
            "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid "
            "AND a.attnum = x.indkey[0] "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)",
            (list(names),)):
            found.setdefault(table, set()).add(("index", index))
            if unique and column:
                found[table].add(("unique", column))
        return found

    def _create(self, connection: psycopg.Connection[Any], tab_name: str) -> None:
        spec = tab(tab_name)
        columns = [sql.SQL("{} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").format(
            sql.Identifier(ROW))]
        columns += [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(sql_type(tab_name, c)))
                    for c in spec.column_names]
        columns += [sql.SQL("{} jsonb").format(sql.Identifier(UNPARSED)),
                    sql.SQL("CONSTRAINT {} UNIQUE ({})").format(
                        sql.Identifier(f"{tab_name}_{spec.key}_key"), sql.Identifier(spec.key))]
        connection.execute(sql.SQL("CREATE TABLE {} ({})").format(
            sql.Identifier(tab_name), sql.SQL(", ").join(columns)))
        self._index_displaced_keys(connection, tab_name, spec.key)

    def _index_displaced_keys(self, connection: psycopg.Connection[Any], tab_name: str,
                              key: str) -> None:
        """A small index of the keys kept in `_unparsed`, so finding a row by key stays an
        index lookup however long the tab."""
        connection.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (({} ->> {})) "
                                   "WHERE {} ? {}").format(
            sql.Identifier(f"{tab_name}_displaced_{key}"), sql.Identifier(tab_name),
            sql.Identifier(UNPARSED), sql.Literal(key), sql.Identifier(UNPARSED),
            sql.Literal(key)))

    def _make_key_unique(self, connection: psycopg.Connection[Any], tab_name: str, key: str
                         ) -> None:
        """Blank keys become NULL and every later row sharing a key keeps it in
        `_unparsed` (what `read` gives does not change), then the key becomes UNIQUE."""
        names = {"table": sql.Identifier(tab_name), "key": sql.Identifier(key),
                 "un": sql.Identifier(UNPARSED), "name": sql.Literal(key),
                 "row": sql.Identifier(ROW),
                 "constraint": sql.Identifier(f"{tab_name}_{key}_key")}
        connection.execute(sql.SQL(
            "UPDATE {table} SET {key} = NULL WHERE trim({key}::text) = ''").format(**names))
        connection.execute(sql.SQL(
            "UPDATE {table} SET {un} = coalesce({un}, '{{}}') || jsonb_build_object({name}, "
            "{key}::text), {key} = NULL WHERE {row} IN (SELECT {row} FROM (SELECT {row}, "
            "row_number() OVER (PARTITION BY {key} ORDER BY {row}) AS n FROM {table} "
            "WHERE {key} IS NOT NULL) AS later WHERE n > 1)").format(**names))
        connection.execute(sql.SQL(
            "ALTER TABLE {table} ADD CONSTRAINT {constraint} UNIQUE ({key})").format(**names))

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


@functools.lru_cache(maxsize=65_536)
def _canonical_text(tab_name: str, column: str, text: str, locale: cell_parsers.Locale) -> str:
    """`canonical` of typed text, remembered: an import repeats the same few statuses,
    methods and currencies thousands of times."""
    return canonical(tab_name, column, text, locale)


@functools.cache
def _kind_name(tab_name: str, column: str) -> str:
    spec = tab(tab_name)
    return spec.column(column).kind.name if column in spec.column_names else "extra"


_SAME = {("date", "date"): date, ("flag", "boolean"): bool, ("integer", "bigint"): int,
         ("money", "numeric"): Decimal, ("decimal", "numeric"): Decimal}


def _already_canonical(tab_name: str, column: str, value: Any, db_type: str) -> bool:
    """True when `value` is what `canonical` and `_typed` would make of it anyway (a date
    for a date column, trimmed text for a text column), so an import of many typed rows
    skips a round trip through text."""
    kind = _kind_name(tab_name, column)
    if kind == "text" and db_type == "text":
        return type(value) is str and value == value.strip()
    wanted = _SAME.get((kind, db_type))
    if wanted is None or type(value) is not wanted:
        return False
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < _INTEGER_TYPES["bigint"]
    return not isinstance(value, Decimal) or value.is_finite()


def _typed(text: str, db_type: str) -> tuple[Any, bool]:
    """A cell's canonical text as a value of `db_type`, and whether it fits.

    >>> _typed("2024-03-15", "date")
    (datetime.date(2024, 3, 15), True)
    >>> _typed("about 40", "numeric")
    (None, False)
    """
    if text == "":
        return None, True
    base = db_type.split("(")[0]
    if base in _TEXT_TYPES:
        return text, True
    parse = _PARSERS.get(base)
    if parse is None:  # a type staff chose that the app does not know: the server parses
        return text, True
    try:
        value = parse(text, cell_parsers.Locale())
    except CellError:
        return None, False
    if base in _INTEGER_TYPES and value is not None and abs(value) >= _INTEGER_TYPES[base]:
        return None, False
    if base == "numeric" and isinstance(value, Decimal) and not value.is_finite():
        return None, False
    return value, True

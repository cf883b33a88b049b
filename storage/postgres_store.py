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

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb

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
from .errors import Conflict, SchemaMismatch, StoreError, Unavailable
from .postgres_types import (
    ROW,
    UNPARSED,
    Table,
    already_canonical,
    canonical_text,
    sql_type,
    typed_value,
)

__all__ = ["PostgresStore", "sql_type"]


class _KeyRace(Exception):
    """A key another transaction added after this one looked: run the commit again."""


_TRANSIENT = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure, _KeyRace)
_ATTEMPTS = 4  # a commit that lost a deadlock or serialization race is run again
#: How long a write waits for rows another replica holds (SQLite's busy timeout is 15 s).
LOCK_TIMEOUT_MS = 15_000
_SCHEMA_LOCK = 0x5745_5741_5244  # pg_advisory_xact_lock key: one ensure_schema at a time


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
                ) -> dict[str, Table]:
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
        return {name: Table(name, columns) for name, columns in types.items()}

    def _table(self, connection: psycopg.Connection[Any], tab_name: str) -> Table:
        """The table now, asked of the catalog once per transaction (columns added in the
        transaction forget it)."""
        known: dict[str, Table] = self._local.tables
        found = known.get(tab_name) or self._tables(connection, [tab_name]).get(tab_name)
        if found is None:
            raise tab_missing(tab_name, f"the database {self.where}")
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
                    raise tab_missing(name, f"the database {self.where}")
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
        touched = sorted(set(changes.edits) | set(changes.deletes))
        current = {name: self._lock_rows(connection, name, changes) for name in touched}
        return run_commit(_Locked(self, connection, current), changes,
                          skip_conflicts=skip_conflicts, audit=audit, locale=self.locale)

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
                        columns: Sequence[str]) -> Table:
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

    def _cells(self, table: Table, record: Mapping[str, Any], columns: Sequence[str]
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
            if already_canonical(table.name, column, raw, db_type):
                values.append(raw.normalize() if isinstance(raw, Decimal)
                              else None if raw == "" else raw)
                continue
            if type(raw) is str:
                text = canonical_text(table.name, column, raw, self.locale)
            else:
                text = canonical(table.name, column, raw, self.locale)
            value, fits = typed_value(text, db_type)
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

    def _taken(self, connection: psycopg.Connection[Any], tab_name: str,
               records: Sequence[Mapping[str, Any]]) -> set[str]:
        """Which keys of `records` some row of `tab_name` holds (the table gets any column
        `records` name that it lacks first)."""
        table = self._ensure_columns(connection, tab_name, [c for r in records for c in r])
        key = tab(tab_name).key
        keys = {canonical(tab_name, key, r.get(key), self.locale) for r in records} - {""}
        if key not in table.header or not keys:
            return set()
        return {row[0] for row in connection.execute(
            sql.SQL("SELECT {}::text FROM {} WHERE {}::text = ANY(%s)").format(
                sql.Identifier(key), sql.Identifier(tab_name), sql.Identifier(key)),
            (sorted(keys),))}

    def _insert(self, connection: psycopg.Connection[Any], tab_name: str,
                records: Sequence[Mapping[str, Any]], taken: set[str] | None = None) -> None:
        """Append `records` with one COPY; a key some row already has (`taken`, asked of
        the table unless given) or an earlier record of the batch has is displaced into
        `_unparsed`, as the module says (`run_commit` refused such keys before, unless the
        rows come as given: a copy, the demo)."""
        if not records:
            return
        if taken is None:
            taken = self._taken(connection, tab_name, records)
        table = self._ensure_columns(connection, tab_name, [c for r in records for c in r])
        columns = table.header
        key = tab(tab_name).key
        at = columns.index(key) if key in columns else None
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
        if fills:
            with self._transaction() as connection:
                run_key_fills(_Locked(self, connection, {}), tab_name, fills, audit=audit,
                              locale=self.locale)

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


class _Locked(CommitIO, KeyFillIO):
    """A commit's (or a key fill's) I/O in one transaction, its rows locked: `current`
    holds the rows `_lock_rows` locked, by tab and key, kept as this commit changes them."""

    def __init__(self, store: PostgresStore, connection: psycopg.Connection[Any],
                 current: dict[str, dict[str, list[tuple[int, dict[str, str]]]]]) -> None:
        self.store, self.connection, self.current = store, connection, current
        self.taken: dict[str, set[str]] = {}
        self.orders: dict[int, int] = {}  # sheet row number -> `_row`, for a key fill

    def row(self, tab_name: str, edit: RowEdit) -> tuple[Any, Mapping[str, str]]:
        rows = self.current[tab_name].get(edit.key)
        if not rows:
            raise row_gone(tab_name, edit.key)
        if len(rows) > 1:
            raise duplicate_key(tab_name, edit.key, [
                self.store._row_number(self.connection, tab_name, r[0]) for r in rows])
        return rows[0], rows[0][1]

    def edit(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        order, row = handle
        self.store._update(self.connection, tab_name, order, edit.changes)
        row.update({c: canonical(tab_name, c, v) for c, v in edit.changes.items()})

    def delete(self, tab_name: str, handle: Any, edit: RowEdit) -> None:
        self.connection.execute(sql.SQL("DELETE FROM {} WHERE {} = %s").format(
            sql.Identifier(tab_name), sql.Identifier(ROW)), (handle[0],))
        self.current[tab_name].pop(edit.key, None)

    def keys_in_use(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> set[str]:
        self.taken[tab_name] = self.store._taken(self.connection, tab_name, records)
        return set(self.taken[tab_name])

    def append(self, tab_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        self.store._insert(self.connection, tab_name, records, self.taken.pop(tab_name, None))

    def rows_by_number(self, tab_name: str) -> Mapping[int, Mapping[str, str]]:
        """Numbered by `_row`, with every other writer of the tab held off (an insert or
        delete elsewhere would renumber them); a key taken meanwhile is a Conflict from
        the UNIQUE key itself."""
        key = tab(tab_name).key
        table = self.store._ensure_columns(self.connection, tab_name, [key])
        self.connection.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(
            sql.Identifier(tab_name)))
        rows = self.connection.execute(sql.SQL("SELECT {}, {} FROM {} {}").format(
            sql.Identifier(ROW), table.text_columns(), sql.Identifier(tab_name),
            table.order())).fetchall()
        now = {}
        for number, (order, *values) in enumerate(rows, start=FIRST_DATA_ROW):
            self.orders[number] = order
            now[number] = dict(zip(table.header, values, strict=True))
        return now

    def write_keys(self, tab_name: str, key: str, fills: Sequence[KeyFill]) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql.SQL(
                    "UPDATE {table} SET {key} = %s, {un} = nullif({un} - {name}, '{{}}') "
                    "WHERE {row} = %s").format(
                        table=sql.Identifier(tab_name), key=sql.Identifier(key),
                        un=sql.Identifier(UNPARSED), name=sql.Literal(key),
                        row=sql.Identifier(ROW)),
                    [(fill.key, self.orders[fill.row]) for fill in fills])
        except psycopg.errors.UniqueViolation as error:
            raise self.store._duplicate(tab_name, error) from error



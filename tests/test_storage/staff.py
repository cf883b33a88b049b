"""A person editing the data behind the app's back, the same way on every backend.

On Google Sheets that is someone in the Sheets UI (the emulator's hand edits, typed as a
person types); on SQLite it is another program writing the file with plain sqlite3; on
PostgreSQL someone in psql (plain SQL, text the server casts to each column's type). Rows
are addressed as the sheet shows them: row 1 is the header, data starts at row 2.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg import sql

from tests.emulator import SheetsEmulator
from tests.emulator.cells import parse_raw


class DuplicateKeyRefused(Exception):
    """The store's database refused a row whose key another row has (PostgreSQL's UNIQUE)."""


class Staff(Protocol):
    #: False where the database itself refuses a second row with the same key.
    can_duplicate_keys: bool

    def create_tab(self, name: str, rows: Sequence[Sequence[str]]) -> None: ...
    def set(self, tab: str, key: str, column: str, value: str) -> None: ...
    def sort(self, tab: str, column: str, descending: bool = False) -> None: ...
    def insert_row(self, tab: str, at_row: int, values: Mapping[str, str]) -> None: ...
    def delete_row(self, tab: str, row: int) -> None: ...
    def append_row(self, tab: str, values: Mapping[str, str]) -> None: ...
    def add_column(self, tab: str, header: str, values: Sequence[str]) -> None: ...


class SheetStaff:
    """Someone typing in the Google Sheet (the emulator)."""

    can_duplicate_keys = True

    def __init__(self, emulator: SheetsEmulator, spreadsheet_id: str) -> None:
        self.emulator, self.spreadsheet_id = emulator, spreadsheet_id

    def _tab(self, name: str) -> Any:
        return self.emulator.sheet(self.spreadsheet_id, name)

    def _line(self, name: str, values: Mapping[str, str]) -> list[str]:
        return [values.get(str(h), "") for h in self._tab(name).header()]

    def create_tab(self, name: str, rows: Sequence[Sequence[str]]) -> None:
        book = self.emulator.spreadsheet(self.spreadsheet_id)
        with book.lock:
            sheet = book.add_tab(name, 1000, 26)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    sheet.put(r, c, parse_raw(value))

    def set(self, tab: str, key: str, column: str, value: str) -> None:
        sheet = self._tab(tab)
        header = sheet.header()
        row = 1 + [r[0] for r in sheet.values()].index(key)
        sheet.set(row, header.index(column) + 1, value)

    def sort(self, tab: str, column: str, descending: bool = False) -> None:
        self._tab(tab).sort(by_header=column, descending=descending)

    def insert_row(self, tab: str, at_row: int, values: Mapping[str, str]) -> None:
        self._tab(tab).insert_rows(at_row, [self._line(tab, values)])

    def delete_row(self, tab: str, row: int) -> None:
        self._tab(tab).delete_row(row)

    def append_row(self, tab: str, values: Mapping[str, str]) -> None:
        self._tab(tab).append_row(self._line(tab, values))

    def add_column(self, tab: str, header: str, values: Sequence[str]) -> None:
        self._tab(tab).add_column(header, list(values))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SQLiteStaff:
    """Another program writing the SQLite file directly (its `_row` order is the sheet's)."""

    can_duplicate_keys = True

    def __init__(self, path: Path) -> None:
        self.path = path

    def _run(self, *statements: tuple[str, Sequence[Any]]) -> None:
        with sqlite3.connect(self.path) as connection:
            for sql, args in statements:
                connection.execute(sql, args)
        connection.close()

    def _rows(self, tab: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        with sqlite3.connect(self.path) as connection:
            cursor = connection.execute(f"SELECT * FROM {_q(tab)} ORDER BY _row")  # noqa: S608
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        connection.close()
        return columns, rows

    def create_tab(self, name: str, rows: Sequence[Sequence[str]]) -> None:
        header, *data = rows
        columns = ", ".join(f"{_q(c)} TEXT DEFAULT ''" for c in header)
        marks = ", ".join("?" for _ in header)
        self._run((f"CREATE TABLE {_q(name)} (_row INTEGER PRIMARY KEY AUTOINCREMENT, "
                   f"{columns})", ()),
                  *((f"INSERT INTO {_q(name)} ({', '.join(map(_q, header))}) "  # noqa: S608
                     f"VALUES ({marks})", row) for row in data))

    def set(self, tab: str, key: str, column: str, value: str) -> None:
        key_column = "email" if tab == "users" else "key" if tab == "settings" else "id"
        self._run((f"UPDATE {_q(tab)} SET {_q(column)} = ? "  # noqa: S608
                   f"WHERE {_q(key_column)} = ?", (value, key)))

    def _rewrite(self, tab: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        """Put `rows` back in the given order: new `_row` numbers, as a re-sorted sheet."""
        data = [c for c in columns if c != "_row"]
        marks = ", ".join("?" for _ in data)
        at = columns.index("_row")
        self._run((f"DELETE FROM {_q(tab)}", ()),  # noqa: S608
                  *((f"INSERT INTO {_q(tab)} ({', '.join(map(_q, data))}) "  # noqa: S608
                     f"VALUES ({marks})", row[:at] + row[at + 1:]) for row in rows))

    def sort(self, tab: str, column: str, descending: bool = False) -> None:
        columns, rows = self._rows(tab)
        at = columns.index(column)
        self._rewrite(tab, columns, sorted(rows, key=lambda r: r[at], reverse=descending))

    def insert_row(self, tab: str, at_row: int, values: Mapping[str, str]) -> None:
        columns, rows = self._rows(tab)
        new = tuple(values.get(c, "") if c != "_row" else None for c in columns)
        rows.insert(at_row - 2, new)
        self._rewrite(tab, columns, rows)

    def delete_row(self, tab: str, row: int) -> None:
        columns, rows = self._rows(tab)
        self._run((f"DELETE FROM {_q(tab)} WHERE _row = ?",  # noqa: S608
                   (rows[row - 2][columns.index("_row")],)))

    def append_row(self, tab: str, values: Mapping[str, str]) -> None:
        columns, _ = self._rows(tab)
        data = [c for c in columns if c != "_row"]
        self._run((f"INSERT INTO {_q(tab)} ({', '.join(map(_q, data))}) "  # noqa: S608
                   f"VALUES ({', '.join('?' for _ in data)})",
                   [values.get(c, "") for c in data]))

    def add_column(self, tab: str, header: str, values: Sequence[str]) -> None:
        columns, rows = self._rows(tab)
        order = [row[columns.index("_row")] for row in rows]
        self._run((f"ALTER TABLE {_q(tab)} ADD COLUMN {_q(header)} TEXT DEFAULT ''", ()),
                  *((f"UPDATE {_q(tab)} SET {_q(header)} = ? WHERE _row = ?",  # noqa: S608
                     (value, at)) for value, at in zip(values, order, strict=False)))


class PostgresStaff:
    """Someone in psql on the store's database: plain SQL, text cast by the server to each
    column's type, blank as NULL. Moving rows (a sort, an insert above) renumbers `_row`,
    the database's row order."""

    can_duplicate_keys = False  # the key column is UNIQUE

    def __init__(self, url: str) -> None:
        self.url = url

    def _run(self, *statements: tuple[sql.Composable | str, Sequence[Any]]) -> None:
        with psycopg.connect(self.url) as connection:
            for statement, args in statements:
                connection.execute(statement, args)  # type: ignore[arg-type]

    def _order(self, tab: str, column: str = "_row") -> list[tuple[int, str]]:
        """(`_row`, text of `column`) of every row, in row order."""
        with psycopg.connect(self.url) as connection:
            return [(int(r[0]), r[1] or "") for r in connection.execute(
                sql.SQL("SELECT _row AS r, {}::text FROM {} ORDER BY r").format(
                    sql.Identifier(column), sql.Identifier(tab))).fetchall()]

    def _renumber(self, tab: str, rows: Sequence[int], start: int
                  ) -> list[tuple[sql.Composable, Sequence[Any]]]:
        """Statements moving `rows`, in that order, to the end of the tab from `start`."""
        moves: list[tuple[sql.Composable, Sequence[Any]]] = [
            (sql.SQL("UPDATE {} SET _row = %s WHERE _row = %s").format(sql.Identifier(tab)),
             (start + n, row)) for n, row in enumerate(rows)]
        moves.append((sql.SQL("SELECT setval(pg_get_serial_sequence(quote_ident(%s), '_row'), "
                              "(SELECT max(_row) FROM {}))").format(sql.Identifier(tab)), (tab,)))
        return moves

    def _insert(self, tab: str, values: Mapping[str, str], row: int | None = None
                ) -> tuple[sql.Composable, Sequence[Any]]:
        columns = [c for c in values if values[c] != ""]
        if row is not None:
            columns.append("_row")
        args = [values[c] for c in columns if c != "_row"] + ([row] if row is not None else [])
        return (sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(tab), sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(sql.Placeholder() * len(columns))), args)

    def create_tab(self, name: str, rows: Sequence[Sequence[str]]) -> None:
        header, *data = rows
        columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c))
                                     for c in header)
        self._run((sql.SQL("CREATE TABLE {} (_row bigint GENERATED BY DEFAULT AS IDENTITY "
                           "PRIMARY KEY, {})").format(sql.Identifier(name), columns), ()),
                  *(self._insert(name, dict(zip(header, row, strict=True))) for row in data))

    def set(self, tab: str, key: str, column: str, value: str) -> None:
        key_column = "email" if tab == "users" else "key" if tab == "settings" else "id"
        self._run((sql.SQL("UPDATE {} SET {} = %s WHERE {} = %s").format(
            sql.Identifier(tab), sql.Identifier(column), sql.Identifier(key_column)),
            (value or None, key)))

    def sort(self, tab: str, column: str, descending: bool = False) -> None:
        rows = self._order(tab, column)
        ordered = sorted(rows, key=lambda r: r[1], reverse=descending)
        top = max((r for r, _ in rows), default=0)
        self._run(*self._renumber(tab, [r for r, _ in ordered], top + 1))

    def insert_row(self, tab: str, at_row: int, values: Mapping[str, str]) -> None:
        rows = [r for r, _ in self._order(tab)]
        top = max(rows, default=0)
        self._run(self._insert(tab, values, row=top + 1),
                  *self._renumber(tab, rows[at_row - 2:], top + 2))

    def delete_row(self, tab: str, row: int) -> None:
        order = self._order(tab)[row - 2][0]
        self._run((sql.SQL("DELETE FROM {} WHERE _row = %s").format(sql.Identifier(tab)),
                   (order,)))

    def append_row(self, tab: str, values: Mapping[str, str]) -> None:
        try:
            self._run(self._insert(tab, values))
        except psycopg.errors.UniqueViolation as error:
            raise DuplicateKeyRefused(str(error)) from error

    def add_column(self, tab: str, header: str, values: Sequence[str]) -> None:
        rows = [r for r, _ in self._order(tab)]
        self._run((sql.SQL("ALTER TABLE {} ADD COLUMN {} text").format(
            sql.Identifier(tab), sql.Identifier(header)), ()),
            *((sql.SQL("UPDATE {} SET {} = %s WHERE _row = %s").format(
                sql.Identifier(tab), sql.Identifier(header)), (value or None, at))
              for value, at in zip(values, rows, strict=False)))

"""How the PostgreSQL backend types a tab's cells, with no connection: the SQL type of each
kind of column, the SQL that gives a typed value back as the canonical text every backend
reads (`Table.text_columns`), and how canonical text becomes a typed value or is kept as
written in `_unparsed` (`typed_value`). `postgres_store` runs the statements.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal
from typing import Any

from psycopg import sql

from sheets_schema import cells as cell_parsers
from sheets_schema import tab
from sheets_schema.cells import CellError

from .base import canonical

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
class Table:
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


@functools.lru_cache(maxsize=65_536)
def canonical_text(tab_name: str, column: str, text: str, locale: cell_parsers.Locale) -> str:
    """`canonical` of typed text, remembered: an import repeats the same few statuses,
    methods and currencies thousands of times."""
    return canonical(tab_name, column, text, locale)


@functools.cache
def _kind_name(tab_name: str, column: str) -> str:
    spec = tab(tab_name)
    return spec.column(column).kind.name if column in spec.column_names else "extra"


_SAME = {("date", "date"): date, ("flag", "boolean"): bool, ("integer", "bigint"): int,
         ("money", "numeric"): Decimal, ("decimal", "numeric"): Decimal}


def already_canonical(tab_name: str, column: str, value: Any, db_type: str) -> bool:
    """True when `value` is what `canonical` and `typed_value` would make of it anyway (a date
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


def typed_value(text: str, db_type: str) -> tuple[Any, bool]:
    """A cell's canonical text as a value of `db_type`, and whether it fits.

    >>> typed_value("2024-03-15", "date")
    (datetime.date(2024, 3, 15), True)
    >>> typed_value("about 40", "numeric")
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

"""Column types: a pydantic type for each kind of cell, carrying how to read it from a sheet.

A model field declared as `SheetDate` or `Money` validates what a person typed (through the
lenient parsers in `cells`) when a form builds a model, and tells `frames` how to parse the
whole column when a tab is read. One declaration, both paths: the model is the single source
of truth for a tab's columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, PlainSerializer
from pydantic_core import core_schema

from . import cells

__all__ = [
    "Amount",
    "Day",
    "ColumnKind",
    "Flag",
    "Hours",
    "Key",
    "Moment",
    "Money",
    "SheetDate",
    "SheetDateTime",
    "SheetTime",
    "Tags",
    "Whole",
    "choice",
    "kind_of",
]


@dataclass(frozen=True)
class ColumnKind:
    """How a column's cells are read and how the column is shown in the sheet.

    `parse` reads one cell's text; `sheet_format` is the Google Sheets number format type
    the column gets (so a typed date is a real date there, and a postcode stays text).
    """

    name: str
    parse: Callable[[str, cells.Locale], Any]
    sheet_format: str
    choices: tuple[str, ...] = ()

    def read(self, value: Any) -> Any:
        """Validate a value from code or a form: typed values pass, text goes through `parse`."""
        if isinstance(value, str):
            try:
                return self.parse(value, cells.Locale())
            except cells.CellError as error:
                raise ValueError(str(error)) from None
        if _is_frame_blank(value):
            return None  # NaT / NaN / NA: a blank cell of a typed frame
        if self.name == "date" and hasattr(value, "to_pydatetime"):
            return value.to_pydatetime().date()  # a Timestamp from a date column
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Used as `Annotated[...]` metadata, a kind reads typed text before pydantic checks it."""
        return core_schema.no_info_before_validator_function(self.read, handler(source))


def _text(raw: str, locale: cells.Locale) -> str:
    """Trim what a person typed, except text that begins with a tab: a leading tab is how
    text that looks like a formula is kept from being one, so that text stays exactly as
    written (a tab then `=1+2` is never rewritten into the formula-looking `=1+2`)."""
    if raw.startswith("\t") and raw.strip():
        return raw
    return raw.strip()


def _is_frame_blank(value: Any) -> bool:
    return type(value).__name__ in {"NaTType", "NAType"} or (
        isinstance(value, float) and value != value)


TEXT = ColumnKind("text", _text, "TEXT")
DATE = ColumnKind("date", cells.parse_date, "DATE")
DATETIME = ColumnKind("datetime", cells.parse_datetime, "DATE_TIME")
TIME = ColumnKind("time", cells.parse_time, "TIME")
MONEY = ColumnKind("money", cells.parse_decimal, "NUMBER")
DECIMAL = ColumnKind("decimal", cells.parse_decimal, "NUMBER")
INTEGER = ColumnKind("integer", cells.parse_int, "NUMBER")
FLAG = ColumnKind("flag", cells.parse_bool, "BOOLEAN")
TAGS = ColumnKind("tags", cells.parse_tags, "TEXT")


def _as_text(value: Any) -> str:
    return cells.to_text(value)


_TO_TEXT = PlainSerializer(_as_text, return_type=str, when_used="json")

# Optional cells (blank reads as None) ...
SheetDate = Annotated[date | None, DATE, _TO_TEXT]
SheetDateTime = Annotated[datetime | None, DATETIME, _TO_TEXT]
SheetTime = Annotated[time | None, TIME, _TO_TEXT]
Money = Annotated[Decimal | None, MONEY, _TO_TEXT]
# ... and cells a row cannot do without.
Day = Annotated[date, DATE, _TO_TEXT]
Moment = Annotated[datetime, DATETIME, _TO_TEXT]
Amount = Annotated[Decimal, MONEY, _TO_TEXT]
Hours = Annotated[Decimal, DECIMAL, Field(gt=0, le=24), _TO_TEXT]
Whole = Annotated[int | None, INTEGER]
Flag = Annotated[bool, FLAG]
Tags = Annotated[tuple[str, ...], TAGS, _TO_TEXT]
Key = Annotated[str, TEXT, Field(min_length=1, max_length=64)]


def choice(*options: str, default: str = "") -> ColumnKind:
    """A text column limited to `options`, used as ``Annotated[str, choice("a", "b")]``.

    Typed values match case-insensitively and are stored as written here; blank becomes
    `default` (blank itself when `default` is blank).
    """
    allowed = {option.casefold(): option for option in options}

    def parse(raw: str, locale: cells.Locale) -> str:
        text = raw.strip()
        if not text:
            return default
        try:
            return allowed[text.casefold()]
        except KeyError:
            listed = ", ".join(options)
            raise cells.CellError(f"{raw!r} is not one of: {listed}") from None

    return ColumnKind("choice", parse, "TEXT", choices=tuple(options))


def kind_of(metadata: list[Any]) -> ColumnKind:
    """The `ColumnKind` among a field's metadata; plain `str` fields are text."""
    for item in metadata:
        if isinstance(item, ColumnKind):
            return item
    return TEXT

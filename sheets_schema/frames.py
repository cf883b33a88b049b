"""From a tab's text to a typed DataFrame and a list of row problems, and back to cells.

Stores hand over what the sheet holds as text (`raw`), one row per sheet row, indexed by the
sheet's row number. `parse_tab` reads every cell with its column's kind; a cell that cannot
be read becomes blank in the typed frame and a `RowProblem` naming the tab, the sheet row,
the column and the value, so one bad row never hides the rest. Only rows without an id are
left out of the frame (nothing could address them); they are reported too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from .cells import CellError, Locale, to_text
from .tabs import Column, SchemaError, TabSpec, tab

__all__ = [
    "ParsedTab",
    "RowProblem",
    "empty_raw",
    "parse_tab",
    "record_cells",
    "validate_changes",
]

ROW_INDEX = "row"
FIRST_DATA_ROW = 2  # row 1 is the header


@dataclass(frozen=True)
class RowProblem:
    """A cell or row that could not be read as the schema says, in words a person can act on."""

    tab: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.tab} row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedTab:
    """A typed frame (model columns first, then columns staff added, as text) and its problems."""

    frame: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)


def empty_raw(spec: TabSpec) -> pd.DataFrame:
    """A tab with its header and no rows, as a store returns a freshly created tab."""
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in spec.column_names})


def _typed_series(column: Column, values: list[Any], index: pd.Index) -> pd.Series:
    kind = column.kind.name
    if kind in {"date", "datetime"}:
        moments = pd.to_datetime(pd.Series(values, dtype=object, index=index))
        return moments.astype("datetime64[ns]").rename(column.name)
    if kind == "integer":
        return pd.Series(values, index=index, dtype="Int64", name=column.name)
    if kind == "flag":
        return pd.Series(values, index=index, dtype=bool, name=column.name)
    if kind == "text" or kind == "choice":
        return pd.Series(values, index=index, dtype=object, name=column.name)
    return pd.Series(values, index=index, dtype=object, name=column.name)


def _blank_of(column: Column) -> Any:
    if column.kind.name == "flag":
        return bool(column.default) if isinstance(column.default, bool) else False
    if column.kind.name == "tags":
        return ()
    if column.kind.name in {"text", "choice"}:
        return column.default if isinstance(column.default, str) else ""
    return None


def parse_tab(name: str, raw: pd.DataFrame, locale: Locale = Locale()) -> ParsedTab:
    """Read tab `name` from its text into typed columns, reporting what cannot be read.

    Raises `SchemaError` when a required column is missing, since then no row can be read;
    every other fault is a `RowProblem` and the rest of the tab still loads.
    """
    spec = tab(name)
    missing = [c for c in spec.required_columns if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"The {name} tab has no {missing[0]!r} column. Add it to row 1 of the tab "
            f"(or run `python -m steward init` to add every missing column)."
        )
    problems: list[RowProblem] = []
    raw = raw.fillna("").astype(str)
    keys = raw[spec.key].str.strip()
    has_key = (keys != "").to_numpy()
    for row, cells in raw[~has_key].iterrows():
        if any(value.strip() for value in cells):
            problems.append(RowProblem(name, int(row), spec.key, "",
                                       f"this row has no {spec.key}, so the app cannot edit it; "
                                       f"give it a unique {spec.key}"))
    first_row: dict[str, int] = {}
    for row, key in keys[has_key].items():
        if key in first_row:
            problems.append(RowProblem(name, int(row), spec.key, key,
                                       f"{spec.key} {key!r} is also used on row {first_row[key]}; "
                                       f"each row needs its own {spec.key}"))
        else:
            first_row[key] = int(row)

    kept = raw[has_key]
    parsed: dict[str, list[Any]] = {}
    for column in spec.columns:
        if column.name in kept.columns:
            parsed[column.name] = _parse_column(name, column, kept[column.name], locale, problems)
        else:
            parsed[column.name] = [_blank_of(column)] * len(kept)
    problems.extend(_check_values(spec, kept.index, parsed, problems))
    typed = {c.name: _typed_series(c, parsed[c.name], kept.index) for c in spec.columns}
    for extra in (c for c in kept.columns if c not in spec.column_names):
        typed[extra] = kept[extra].astype(object)
    frame = pd.DataFrame(typed, index=kept.index)
    frame.index.name = ROW_INDEX
    problems.sort(key=lambda p: (p.row, p.column))
    return ParsedTab(frame, problems)


def _parse_column(
    tab_name: str, column: Column, cells: pd.Series, locale: Locale, problems: list[RowProblem]
) -> list[Any]:
    """Parse each distinct value once: dates, amounts and flags repeat a great deal."""
    memo: dict[str, Any] = {}
    blank = _blank_of(column)
    out: list[Any] = []
    for row, text in cells.items():
        if text in memo:
            value = memo[text]
        else:
            try:
                value = column.kind.parse(text, locale) if text.strip() else blank
            except CellError as error:
                value = error
            memo[text] = value
        if isinstance(value, CellError):
            problems.append(RowProblem(tab_name, int(row), column.name, text, str(value)))
            value = blank
        out.append(value)
    return out


def _check_values(
    spec: TabSpec, rows: pd.Index, parsed: dict[str, list[Any]], known: list[RowProblem]
) -> list[RowProblem]:
    """The model's own rules on the typed values: required cells, lengths, ranges, patterns,
    and its row-level validators. A cell that already failed to parse is not reported twice.

    Each column's rules run once per distinct value (a 100,000-row ledger has a few thousand
    distinct dates and amounts); only models with row-level validators validate row by row.
    """
    already = {(p.row, p.column) for p in known}
    problems: list[RowProblem] = []
    for column in spec.columns:
        adapter = _column_adapter(spec.name, column.name)
        verdicts: dict[Any, str | None] = {}
        for row, value in zip(rows, parsed[column.name], strict=True):
            if value not in verdicts:
                verdicts[value] = _verdict(adapter, value)
            message = verdicts[value]
            if message and (int(row), column.name) not in already:
                problems.append(RowProblem(spec.name, int(row), column.name, to_text(value),
                                           message))
    if spec.model.__pydantic_decorators__.model_validators:
        names = list(parsed)
        adapter = _row_adapter(spec.name)
        for row, values in zip(rows, zip(*parsed.values(), strict=True), strict=True):
            try:
                adapter.validate_python(dict(zip(names, values, strict=True)))
            except ValidationError as error:
                for detail in error.errors():
                    if not detail["loc"]:
                        problems.append(RowProblem(spec.name, int(row), "", "",
                                                   _message(detail)))
    return problems


def _verdict(adapter: TypeAdapter[Any], value: Any) -> str | None:
    try:
        adapter.validate_python(value)
    except ValidationError as error:
        if value is None or value == "":
            return "this cell is required; fill it in"
        return _message(error.errors()[0])
    return None


def _message(detail: Mapping[str, Any]) -> str:
    kind, message = detail["type"], str(detail["msg"])
    if kind in {"missing", "none_required"} or (kind == "string_too_short" and "1 char" in message):
        return "this cell is required; fill it in"
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    return message[0].lower() + message[1:]


@cache
def _row_adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(tab(name).model)


@cache
def _column_adapter(name: str, column: str) -> TypeAdapter[Any]:
    field_info = tab(name).model.model_fields[column]
    annotation: Any = field_info.annotation
    if field_info.metadata:
        annotation = Annotated[(annotation, *field_info.metadata)]  # type: ignore[valid-type]
    return TypeAdapter(annotation)


def validate_changes(name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check each changed cell against its column's type; return the typed values.

    Raises ValueError naming every bad column with what to type instead. Columns staff
    added (not in the model) pass through as text.
    """
    spec = tab(name)
    typed: dict[str, Any] = {}
    errors: list[str] = []
    for column, value in changes.items():
        if column not in spec.column_names:
            typed[column] = to_text(value)
            continue
        try:
            typed[column] = _column_adapter(name, column).validate_python(value)
        except ValidationError as error:
            errors.append(f"{column}: {_message(error.errors()[0])}")
    if errors:
        raise ValueError("; ".join(errors))
    return typed


def record_cells(name: str, record: Mapping[str, Any] | Any) -> dict[str, Any]:
    """Validate a whole new row with its model; return typed values for every model column
    plus any extra columns given. Raises pydantic's ValidationError on a bad record."""
    spec = tab(name)
    data = record.model_dump() if hasattr(record, "model_dump") else dict(record)
    model = spec.model.model_validate(data)
    cells = model.model_dump()
    for column, value in data.items():
        if column not in cells:
            cells[column] = to_text(value)
    return cells


def rows_to_raw(name: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Typed records to the text frame a store would return: used by the SQLite backend and
    by tests to build a tab as a person would have typed it."""
    spec = tab(name)
    records = [{k: to_text(v) for k, v in row.items()} for row in rows]
    frame = pd.DataFrame(records, columns=None if records else list(spec.column_names))
    for column in spec.column_names:
        if column not in frame.columns:
            frame[column] = ""
    frame.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame), name=ROW_INDEX)
    return frame.fillna("").astype(object)

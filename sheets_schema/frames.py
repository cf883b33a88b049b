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
from datetime import datetime, time
from functools import cache
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from .cells import CellError, Locale, to_text
from .fields import ColumnKind
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


class _Read:
    """One column read once per distinct text: row ``i`` holds ``values[codes[i]]``.

    A 100,000-row ledger has a few thousand distinct dates and amounts and a handful of
    distinct flags and choices, so parsing, validating and typing go by distinct value and
    only the final gather touches every row.
    """

    def __init__(self, codes: np.ndarray, values: list[Any]) -> None:
        self.codes = codes
        self.values = values

    def per_row(self) -> list[Any]:
        """The typed value of every row, in row order (for row-level model validators)."""
        return _objects(self.values)[self.codes].tolist()


def _objects(values: list[Any]) -> np.ndarray:
    """A 1-d object array of `values`; numpy would turn a list of tuples (tags) into 2-d."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _typed_series(column: Column, read: _Read, index: pd.Index) -> pd.Series:
    kind = column.kind.name
    if kind in {"date", "datetime"}:
        moments = pd.to_datetime(pd.Series(_objects(read.values), dtype=object))
        data: Any = moments.astype("datetime64[ns]").to_numpy()[read.codes]
    elif kind == "integer":
        data = pd.array(read.values, dtype="Int64").take(read.codes)
    elif kind == "flag":
        data = np.array(read.values, dtype=bool)[read.codes]
    else:  # text, choice, money, decimal, time, tags: Python objects (Decimal stays exact)
        data = _objects(read.values)[read.codes]
    return pd.Series(data, index=index, name=column.name, dtype=None if kind in
                     {"date", "datetime", "integer", "flag"} else object)


def _blank_of(column: Column) -> Any:
    if column.kind.name == "flag":
        return bool(column.default) if isinstance(column.default, bool) else False
    if column.kind.name == "tags":
        return ()
    if column.kind.name in {"text", "choice"}:
        return column.default if isinstance(column.default, str) else ""
    return None


def _texts(column: pd.Series) -> np.ndarray:
    """A column's cells as an object array of str, blank cells as "" (what the sheet shows)."""
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values  # the usual case: stores hand over text, and no cell is missing
    values = column.to_numpy(dtype=object, na_value="")
    return _objects([v if isinstance(v, str) else str(v) for v in values])


def _sheet_rows(raw: pd.DataFrame) -> pd.Index:
    """The sheet row number of each row of `raw`.

    Stores index their frames by sheet row number (row 1 is the header, so data starts at
    row 2). A frame with pandas' default 0-based index, built by hand in a notebook or a
    test, is numbered as the sheet would number it, so problems still name real rows.
    """
    index = raw.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(raw), name=ROW_INDEX)
    return index


_DEFAULT_LOCALE = Locale()


def parse_tab(name: str, raw: pd.DataFrame, locale: Locale = _DEFAULT_LOCALE) -> ParsedTab:
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
    rows = _sheet_rows(raw)
    texts = {column: _texts(raw[column]) for column in raw.columns}
    keys = _objects([key.strip() for key in texts[spec.key]])
    has_key = keys != ""
    for at in np.flatnonzero(~has_key).tolist():
        if any(values[at].strip() for values in texts.values()):
            problems.append(RowProblem(name, int(rows[at]), spec.key, "",
                                       f"this row has no {spec.key}, so the app cannot edit it; "
                                       f"give it a unique {spec.key}"))
    problems.extend(_duplicate_keys(spec, keys[has_key], rows[has_key]))

    kept = rows[has_key]
    read: dict[str, _Read] = {}
    for column in spec.columns:
        if column.name in texts:
            read[column.name] = _parse_column(name, column, texts[column.name][has_key], kept,
                                              locale, problems)
        else:
            read[column.name] = _Read(np.zeros(len(kept), dtype=np.intp), [_blank_of(column)])
    problems.extend(_check_values(spec, kept, read, problems))
    typed = {c.name: _typed_series(c, read[c.name], kept) for c in spec.columns}
    for extra in (c for c in raw.columns if c not in spec.column_names):
        typed[extra] = pd.Series(texts[extra][has_key], index=kept, dtype=object, name=extra)
    frame = pd.DataFrame(typed, index=kept)
    frame.index.name = ROW_INDEX
    problems.sort(key=lambda p: (p.row, p.column))
    return ParsedTab(frame, problems)


def _duplicate_keys(spec: TabSpec, keys: np.ndarray, rows: pd.Index) -> list[RowProblem]:
    """Every row whose key an earlier row already uses; ids are unique, so this is one
    hash pass and a loop over the (usually no) repeats."""
    repeated = pd.Series(keys).duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    first_row: dict[str, int] = {}
    problems = []
    for key, row, again in zip(keys, rows, repeated, strict=True):
        if not again:
            first_row.setdefault(key, int(row))
            continue
        problems.append(RowProblem(spec.name, int(row), spec.key, key,
                                   f"{spec.key} {key!r} is also used on row {first_row[key]}; "
                                   f"each row needs its own {spec.key}"))
    return problems


# datetime64[ns], the unit the app's frames use, holds 1677-09-22 to 2262-04-11.
_FIRST_MOMENT = pd.Timestamp.min.ceil("D").to_pydatetime()
_LAST_MOMENT = pd.Timestamp.max.floor("s").to_pydatetime()
_INT64 = (-(2**63), 2**63 - 1)


def _fits_frame(column: Column, value: Any, text: str) -> None:
    """Raise CellError for a readable value the typed frame cannot hold, so that one far-off
    date (9999-12-31) or huge count is a row problem instead of failing the whole tab."""
    if value is None:
        return
    if column.kind.name in {"date", "datetime"}:
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        if not _FIRST_MOMENT <= moment <= _LAST_MOMENT:
            raise CellError(f"{text!r} is outside the years {_FIRST_MOMENT.year + 1} to "
                            f"{_LAST_MOMENT.year - 1} the app works with; type a date like "
                            f"2024-03-15")
    elif column.kind.name == "integer" and not _INT64[0] <= value <= _INT64[1]:
        raise CellError(f"{text!r} is too large a number; type a whole number like 12")


def _parse_column(
    tab_name: str,
    column: Column,
    cells: np.ndarray,
    rows: pd.Index,
    locale: Locale,
    problems: list[RowProblem],
) -> _Read:
    """Parse each distinct value once: dates, amounts and flags repeat a great deal."""
    codes, distinct = pd.factorize(cells)
    blank = _blank_of(column)
    parse = column.kind.parse
    values: list[Any] = []
    failed: dict[int, str] = {}
    bounded = column.kind.name in {"date", "datetime", "integer"}
    for at, text in enumerate(distinct):
        try:
            value = parse(text, locale) if text.strip() else blank
            if bounded:
                _fits_frame(column, value, text)
        except CellError as error:
            value, failed[at] = blank, str(error)
        values.append(value)
    if failed:
        for at in np.flatnonzero(np.isin(codes, list(failed))).tolist():
            text = distinct[codes[at]]
            problems.append(RowProblem(tab_name, int(rows[at]), column.name, text,
                                       failed[codes[at]]))
    return _Read(codes, values)


def _check_values(
    spec: TabSpec, rows: pd.Index, read: dict[str, _Read], known: list[RowProblem]
) -> list[RowProblem]:
    """The model's own rules on the typed values: required cells, lengths, ranges, patterns,
    and its row-level validators. A cell that already failed to parse is not reported twice.

    Each column's rules run once per distinct value (a 100,000-row ledger has a few thousand
    distinct dates and amounts), in one validator call per column; only models with
    row-level validators validate row by row.
    """
    already = {(p.row, p.column) for p in known}
    problems: list[RowProblem] = []
    for column in spec.columns:
        column_read = read[column.name]
        verdicts = _verdicts(spec.name, column.name, column_read.values)
        bad = [at for at, message in enumerate(verdicts) if message]
        if not bad:
            continue
        for at in np.flatnonzero(np.isin(column_read.codes, bad)).tolist():
            row, value = int(rows[at]), column_read.values[column_read.codes[at]]
            if (row, column.name) not in already:
                problems.append(RowProblem(spec.name, row, column.name, to_text(value),
                                           verdicts[column_read.codes[at]] or ""))
    if spec.model.__pydantic_decorators__.model_validators:
        names = list(read)
        adapter = _row_adapter(spec.name)
        columns = [read[name].per_row() for name in names]
        for row, values in zip(rows, zip(*columns, strict=True), strict=True):
            try:
                adapter.validate_python(dict(zip(names, values, strict=True)))
            except ValidationError as error:
                for detail in error.errors():
                    if not detail["loc"]:
                        problems.append(RowProblem(spec.name, int(row), "", "",
                                                   _message(detail)))
    return problems


def _verdicts(tab_name: str, column: str, values: list[Any]) -> list[str | None]:
    """What is wrong with each of `values` under the column's type and constraints (None
    when nothing is), from one call of the column's list validator instead of one per value.
    """
    distinct = list(dict.fromkeys(values))
    try:
        _column_list_adapter(tab_name, column).validate_python(distinct)
    except ValidationError as error:
        found: dict[int, str] = {}
        for detail in error.errors():
            at = detail["loc"][0] if detail["loc"] else None
            if isinstance(at, int) and at not in found:
                value = distinct[at]
                found[at] = ("this cell is required; fill it in"
                             if value is None or value == "" else _message(detail))
        by_value = {distinct[at]: message for at, message in found.items()}
        return [by_value.get(value) for value in values]
    return [None] * len(values)


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


def _column_annotation(name: str, column: str) -> Any:
    field_info = tab(name).model.model_fields[column]
    annotation: Any = field_info.annotation
    if field_info.metadata:
        annotation = Annotated[(annotation, *field_info.metadata)]
    return annotation


@cache
def _column_adapter(name: str, column: str) -> TypeAdapter[Any]:
    return TypeAdapter(_column_annotation(name, column))


@cache
def _column_list_adapter(name: str, column: str) -> TypeAdapter[Any]:
    """Checks a list of one column's already parsed values in a single call.

    The column's `ColumnKind` is left out: it reads text, and these values were read by it
    already (reading its own output again gives the same value), so pydantic's constraints
    run without a Python call per value, which is what makes a column of 100,000 distinct
    ids cheap.
    """
    field_info = tab(name).model.model_fields[column]
    annotation: Any = field_info.annotation
    metadata = [m for m in field_info.metadata if not isinstance(m, ColumnKind)]
    if metadata:
        annotation = Annotated[(annotation, *metadata)]
    return TypeAdapter(list[annotation])


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

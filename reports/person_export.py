"""Everything held about one person, as files to hand them (a subject access request).

`person_record` gathers the rows `rules.privacy.rows_about` finds (the same rows an
erasure scrubs), every column included, the ones staff added to the sheet too; `to_json` and
`to_xlsx` turn them into bytes a page offers for download. Money stays exact: a Decimal is
text in JSON and a number in xlsx, never a float rounded along the way. No xlsx cell is ever
a formula: a note that begins with "=" is text there, as it is in the sheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from rules.privacy import rows_about
from sheets_schema import tab
from sheets_schema.cells import is_blank
from sheets_schema.workbook import Workbook

from . import export

__all__ = ["person_record", "to_json", "to_xlsx"]



def person_record(book: Workbook, person_id: str) -> dict[str, pd.DataFrame]:
    """Per tab, every row about `person_id` (an empty frame where there is none): their person
    row, gifts they made or are soft-credited with, terms, standing gifts, volunteer profile,
    hours and shifts, messages, user account, audit entries and suppressions.

    Raises ValueError when there is no such person, so an export is never silently empty.
    """
    record = rows_about(book, person_id)
    if record["people"].empty:
        raise ValueError(f"There is no person with id {person_id!r}; check the id and try again.")
    return record


def _kinds(name: str, frame: pd.DataFrame) -> list[str]:
    """The kind of each column of a tab's frame; columns staff added are text."""
    spec = tab(name)
    return [spec.column(str(c)).kind.name if c in spec.column_names else "text"
            for c in frame.columns]


def _plain(value: Any, kind: str) -> Any:
    """A frame cell as a plain Python value: None for any blank, a date for a date column's
    Timestamp, a datetime for a timestamp column's, a tuple for tags."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if is_blank(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        moment = value.to_pydatetime()
        return moment.date() if kind == "date" else moment
    return value


def _rows(name: str, frame: pd.DataFrame) -> Iterator[list[Any]]:
    kinds = _kinds(name, frame)
    for values in frame.itertuples(index=False, name=None):
        yield [_plain(value, kind) for value, kind in zip(values, kinds, strict=True)]


# ------------------------------------------------------------------------------ JSON


def _json_value(value: Any) -> Any:
    """Decimals as their exact text (JSON numbers are floats to most readers), dates and
    times as ISO text, tags as lists."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, time)):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _json_rows(name: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, map(_json_value, row), strict=True)) for row in _rows(name, frame)]


def _person_id(record: dict[str, pd.DataFrame]) -> str:
    people = record["people"]
    if people.empty:
        raise ValueError("This record has no person row; build it with person_record.")
    return str(people["id"].iloc[0])


def to_json(record: dict[str, pd.DataFrame], exported_at: datetime) -> bytes:
    """The record as UTF-8 JSON: ``{"person_id", "exported_at", <tab>: [rows...]...}`` with a
    key for every tab of the record, empty tabs as []. `exported_at` is passed in (reports
    never read the clock) and said in the file, since the data changes after it."""
    document: dict[str, Any] = {
        "person_id": _person_id(record),
        "exported_at": exported_at.isoformat(),
    }
    for name, frame in record.items():
        document[name] = _json_rows(name, frame)
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def to_xlsx(record: dict[str, pd.DataFrame]) -> bytes:
    """The record as an Excel workbook: one sheet per tab, named as the tab, header in row 1.
    Text is stored as text (never a formula), dates as real dates, amounts as numbers."""
    return export.to_xlsx({name: pd.DataFrame(list(_rows(name, frame)),
                                              columns=list(map(str, frame.columns)))
                           for name, frame in record.items()})

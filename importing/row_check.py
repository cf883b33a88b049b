"""The check of an imported row: a short digest of its cells, written beside it as
`import_check`, so an import can be undone only while its rows are as imported
(`importing.undo`). The same for a record about to be written and for the row read back
from any of the three stores (tested)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sheets_schema.cells import is_blank, to_text
from sheets_schema.tabs import tab

__all__ = ["row_check"]

_CHECK_LENGTH = 12


def row_check(tab_name: str, row: Mapping[str, Any]) -> str:
    """A short digest of a row's cells (its model's columns but the check itself), the same
    for a record about to be written and for that row read back from any store."""
    spec = tab(tab_name)
    digest = hashlib.sha256()
    for column in spec.columns:
        if column.name == "import_check":
            continue
        digest.update(_canonical(column.kind.name, row.get(column.name)).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:_CHECK_LENGTH]


def _canonical(kind: str, value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if is_blank(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if kind == "date" and isinstance(value, datetime):
        value = value.date()
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, Decimal):
        value = value.normalize()
    if kind in {"money", "decimal"} and isinstance(value, (int, float)):
        value = Decimal(str(value)).normalize()
    return to_text(value)

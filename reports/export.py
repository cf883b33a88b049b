"""Tables leaving the app as files: safe to open in a spreadsheet program."""

from __future__ import annotations

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

__all__ = ["neutralise", "to_safe_csv"]


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV
    injection advice): ``neutralise("=HYPERLINK(...)") == "'=HYPERLINK(...)"``. Numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text in which no cell runs as a formula when opened."""
    return frame.map(neutralise).to_csv(index=False)

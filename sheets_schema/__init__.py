"""What the data is: the workbook's tabs, their models, and how a sheet's text becomes typed
frames. Pure: no I/O, no Streamlit, usable from a notebook."""

from .cells import CellError, Locale, to_text
from .frames import ParsedTab, RowProblem, parse_tab, record_cells, rows_to_raw, validate_changes
from .tabs import TABS, Column, SchemaError, TabSpec, tab

__all__ = [
    "TABS",
    "CellError",
    "Column",
    "Locale",
    "ParsedTab",
    "RowProblem",
    "SchemaError",
    "TabSpec",
    "parse_tab",
    "record_cells",
    "rows_to_raw",
    "tab",
    "to_text",
    "validate_changes",
]

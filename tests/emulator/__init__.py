"""In-process emulator of the Google Sheets API v4 for tests; real gspread talks to it.

See ``emulator.SheetsEmulator`` for the entry point.
"""

from .cells import Formula, NumberFormat
from .emulator import SheetsEmulator
from .workbook import Spreadsheet, Tab

__all__ = ["Formula", "NumberFormat", "SheetsEmulator", "Spreadsheet", "Tab"]

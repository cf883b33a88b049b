"""A1 notation: parsing what gspread sends and printing what Google answers.

Google answers every range in a normalised form (``Sheet1!A1:Z1000``, ``'My tab'!B2``):
the tab title is quoted only when it has to be, open-ended ranges are closed at the grid
edge, and a single cell is printed without a colon. Tests compare those strings with
real recordings, so the printing rules here matter as much as the parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIMPLE_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[Rr][0-9]*[Cc][0-9]*$")
_PART = re.compile(r"^(?P<col>[A-Za-z]{0,3})(?P<row>[0-9]*)$")
MAX_COLUMN_LETTERS = 3


class RangeParseError(ValueError):
    """The text is not A1 notation Google would accept ("Unable to parse range")."""


def col_to_letters(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def letters_to_col(letters: str) -> int:
    """A -> 1, AA -> 27 (case-insensitive)."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return col


def quote_title(title: str) -> str:
    """Quote a tab title the way Google prints it in responses.

    Google leaves plain identifiers alone (``Sheet1``) but quotes anything with spaces,
    symbols, or that could be read as a cell reference (``'D3'``).
    """
    if _SIMPLE_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


@dataclass(frozen=True)
class A1Range:
    """A parsed range. Rows/cols are 1-based and inclusive; None means open-ended.

    ``A:A`` has no rows, ``2:5`` has no columns, a bare title has nothing at all.
    """

    sheet: str | None
    row1: int | None = None
    col1: int | None = None
    row2: int | None = None
    col2: int | None = None
    single_cell: bool = False  # written as "B2": a write anchored there may spill over

    @property
    def whole_sheet(self) -> bool:
        return self.row1 is None and self.col1 is None and self.row2 is None and self.col2 is None


@dataclass(frozen=True)
class Box:
    """A closed rectangle on a grid: 1-based inclusive bounds."""

    row1: int
    col1: int
    row2: int
    col2: int

    @property
    def rows(self) -> int:
        return self.row2 - self.row1 + 1

    @property
    def cols(self) -> int:
        return self.col2 - self.col1 + 1


def split_sheet(text: str) -> tuple[str | None, str]:
    """Split ``'It''s'!A1`` into (``It's``, ``A1``); a text with no ``!`` may be a title."""
    if text.startswith("'"):
        i = 1
        title = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return "".join(title), ""
                if rest.startswith("!"):
                    return "".join(title), rest[1:]
                raise RangeParseError(text)
            title.append(ch)
            i += 1
        raise RangeParseError(text)
    if "!" in text:
        title, _, rest = text.rpartition("!")
        return title, rest
    return None, text


def _parse_part(part: str) -> tuple[int | None, int | None]:
    m = _PART.match(part)
    if not m or part == "":
        raise RangeParseError(part)
    col = letters_to_col(m["col"]) if m["col"] else None
    row = int(m["row"]) if m["row"] else None
    if row == 0:
        raise RangeParseError(part)
    return row, col


def parse_cells(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    """Parse the cell part (``A1:C3``, ``A:A``, ``2:5``, ``B2``, ``A1:1``)."""
    if ":" in ref:
        left, _, right = ref.partition(":")
        r1, c1 = _parse_part(left)
        r2, c2 = _parse_part(right)
        # Google swaps reversed bounds (B2:A1 == A1:B2).
        if r1 is not None and r2 is not None and r1 > r2:
            r1, r2 = r2, r1
        if c1 is not None and c2 is not None and c1 > c2:
            c1, c2 = c2, c1
        return r1, c1, r2, c2
    r, c = _parse_part(ref)
    if r is None or c is None:
        raise RangeParseError(ref)
    return r, c, r, c


def parse_range(text: str, known_titles: set[str] | None = None) -> A1Range:
    """Parse an A1 range as Google does.

    A text without ``!`` is a tab title if such a tab exists, else a cell reference on
    the first tab (Google resolves ``A1:B2`` against the first sheet).
    """
    if text == "":
        raise RangeParseError(text)
    sheet, ref = split_sheet(text)
    if sheet is None and known_titles is not None and ref in known_titles:
        return A1Range(sheet=ref)
    if sheet is not None and ref == "":
        return A1Range(sheet=sheet)
    r1, c1, r2, c2 = parse_cells(ref)
    return A1Range(sheet, r1, c1, r2, c2, single_cell=":" not in ref)


def format_box(title: str, box: Box) -> str:
    """``Sheet1!A1:C3``, or ``Sheet1!B2`` for a single cell, as Google prints them."""
    start = f"{col_to_letters(box.col1)}{box.row1}"
    end = f"{col_to_letters(box.col2)}{box.row2}"
    cells = start if start == end else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"


def format_range(title: str, rng: A1Range) -> str:
    """Print a (possibly open) range as given, for error messages."""
    parts = []
    for row, col in ((rng.row1, rng.col1), (rng.row2, rng.col2)):
        parts.append(f"{col_to_letters(col) if col else ''}{row if row else ''}")
    if rng.whole_sheet:
        return quote_title(title)
    cells = parts[0] if parts[0] == parts[1] else f"{parts[0]}:{parts[1]}"
    return f"{quote_title(title)}!{cells}"

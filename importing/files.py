"""Reading a file someone wants to import into a plain table of text.

People bring what their other tools export: a Mailchimp audience (UTF-8 CSV), a PayPal or
Stripe report, a sheet saved from Excel on a Korean or Western Windows PC (CP949 or
Windows-1252, often with semicolons), a tab-separated file, or an .xlsx workbook. Every cell
comes out as the text a person would see, so the importer parses it with the same column
rules as a cell typed into the Google Sheet. Anything unreadable is an `ImportFileError`
that says what to do; nothing here ever half-reads a file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from charset_normalizer import from_bytes

from sheets_schema.cells import MAX_CELL_CHARS, to_text

__all__ = [
    "ENCODINGS",
    "MAX_FILE_BYTES",
    "ImportFileError",
    "SourceTable",
    "read_source",
]

#: The encodings a person can pick when the guess is wrong, with what produces them.
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8 (Mailchimp, Stripe, Google Sheets, Excel's \"CSV UTF-8\")",
    "cp949": "Korean Windows / EUC-KR (Excel on a Korean PC)",
    "cp1252": "Western Windows (Excel on an English or European PC)",
    "utf-16": "UTF-16 (Excel's \"Unicode text\")",
    "latin-1": "ISO-8859-1",
}
#: Only these separate columns: a comma, a semicolon (Excel where the comma is a decimal
#: point) or a tab.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_FILE_BYTES = 50_000_000
#: An xlsx is a zip: what its parts may add up to once unpacked (a "zip bomb" is far more).
MAX_UNPACKED_BYTES = 500_000_000
MAX_COLUMNS = 200
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class ImportFileError(ValueError):
    """The file cannot be read as a table; the message says what to do instead."""


@dataclass(frozen=True)
class SourceTable:
    """A file's header and rows as text, and how it was read (shown, so a wrong guess can be
    corrected). `line_numbers[i]` is where row i sits in the file, for the problems list."""

    file_name: str
    headers: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, header: str) -> list[str]:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


def read_source(
    data: bytes,
    file_name: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> SourceTable:
    """The file's table: xlsx by its content, anything else as delimited text.

    `encoding`, `delimiter` and `sheet` override the guesses. The first non-blank row is the
    header; blank rows are skipped; short rows are padded and a row longer than the header
    keeps its extra cells under "column N" headers, so no typed value is dropped silently.
    """
    if not data:
        raise ImportFileError(f"{file_name} is empty. Export it again, then upload it.")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{file_name} is {len(data) / 1e6:.0f} MB; the importer takes "
                              f"files up to {MAX_FILE_BYTES / 1e6:.0f} MB. Split it in parts.")
    if data.startswith(_XLS_MAGIC):
        raise ImportFileError(f"{file_name} is an old Excel .xls file. Open it in Excel or "
                              f"Google Sheets and save it as .xlsx or CSV, then upload that.")
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data, file_name, sheet)
    text, used = _decode(data, file_name, encoding)
    return _read_delimited(text, file_name, used, delimiter)


def _decode(data: bytes, file_name: str, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
        except (UnicodeDecodeError, LookupError):
            raise ImportFileError(f"{file_name} is not {ENCODINGS.get(encoding, encoding)} "
                                  f"text. Pick another encoding.") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a Korean or a Western Windows export, told apart by which reading gives
    # text that looks like a language (a library's statistics, not a rule of ours).
    best = from_bytes(data[:200_000], cp_isolation=["cp949", "cp1252"]).best()
    for guess in ([best.encoding] if best else []) + ["cp949", "cp1252"]:
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # every byte is a character: never fails


def _read_delimited(text: str, file_name: str, encoding: str,
                    delimiter: str | None) -> SourceTable:
    if "\x00" in text:
        raise ImportFileError(f"{file_name} does not look like a CSV or spreadsheet file "
                              f"(it holds binary data). Upload a .csv, .tsv, .txt or .xlsx file.")
    if delimiter is None:
        delimiter = _guess_delimiter(text)
    elif delimiter not in DELIMITERS:
        raise ImportFileError("Columns can be separated by a comma, a semicolon or a tab.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        records = list(reader)
    except csv.Error as error:
        raise _unreadable_table(file_name, text, reader.line_num, error) from None
    numbered = [(number, [cell.strip() for cell in row]) for number, row in
                enumerate(records, start=1)]
    return _table(file_name, numbered, encoding=encoding, delimiter=delimiter)


def _unreadable_table(file_name: str, text: str, line: int,
                      error: csv.Error) -> ImportFileError:
    """Why Python's CSV reader stopped: a cell over its 128 KB limit is either a quote left
    open (the rest of the file reads as one cell) or a really long cell."""
    if "field larger than field limit" not in str(error):
        return ImportFileError(f"{file_name} could not be read as a table ({error}). Check "
                               f"that quotes in it are closed.")
    limit = csv.field_size_limit()
    if text.count('"') % 2:
        return ImportFileError(
            f"{file_name} has a quote (\") that is never closed, so everything after it reads "
            f"as one cell (past {limit:,} characters by line {line:,}). Close the quote (or "
            f"remove it), then upload the file again.")
    return ImportFileError(
        f"{file_name} has a cell of more than {limit:,} characters on line {line:,}; a "
        f"Google Sheets cell holds at most {MAX_CELL_CHARS:,}. Shorten that cell (or keep the "
        f"long text in a document and put its link in the cell), then upload the file again.")


def _guess_delimiter(text: str) -> str:
    """The separator the header row is split by: the one that gives it most columns, if the
    next lines agree (a comma inside "Smith, Jane" must not win over semicolons)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        header = lines[0]
        return max(DELIMITERS, key=lambda d: (header.count(d), d == ","))


def _read_xlsx(data: bytes, file_name: str, sheet: str | None) -> SourceTable:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            unpacked = sum(part.file_size for part in packed.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                f"{file_name} unpacks to {unpacked / 1e6:,.0f} MB; the importer takes "
                f"workbooks up to {MAX_UNPACKED_BYTES / 1e6:.0f} MB unpacked. Save it as CSV, "
                f"or split it in parts.")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED as error:
        raise _damaged(file_name, error) from None
    try:
        names = book.sheetnames
        chosen = sheet or names[0]
        if chosen not in names:
            raise ImportFileError(f"{file_name} has no sheet {chosen!r}; it has "
                                  f"{', '.join(names)}.")
        numbered = [(number, [_xlsx_text(value) for value in row]) for number, row in
                    enumerate(book[chosen].iter_rows(values_only=True), start=1)]
    except _DAMAGED as error:
        raise _damaged(file_name, error) from None
    finally:
        book.close()
    notes = [f"Read the sheet {chosen!r}; the workbook also has "
             f"{', '.join(n for n in names if n != chosen)}."] if len(names) > 1 else []
    return _table(file_name, numbered, sheet=chosen, notes=notes)


# What openpyxl raises on a damaged workbook: a bad zip, a missing part, XML that does not
# parse or breaches the parser's entity-expansion limit (ElementTree's and lxml's errors are
# both SyntaxError), or a value its descriptors refuse.
_DAMAGED = (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError,
            IndexError, AttributeError, EOFError)


def _damaged(file_name: str, error: BaseException) -> ImportFileError:
    if isinstance(error, SyntaxError):
        return ImportFileError(
            f"{file_name} is damaged: part of the workbook is not valid XML, or defines "
            f"entities that would expand without end ({error}). Open it in Excel or Google "
            f"Sheets and save it again as .xlsx or CSV, then upload that.")
    return ImportFileError(f"{file_name} is not a readable .xlsx workbook ({error}). Save "
                           f"it again from Excel or Google Sheets as .xlsx or CSV.")


def _xlsx_text(value: object) -> str:
    """A cell as the text Excel shows for it: a date as ISO, a whole number without ".0"
    (a postcode stays 02134 only if it was stored as text, which is Excel's business)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(
            sep=" ", timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return to_text(Decimal(repr(value)).normalize()) if value == value else ""
    return str(value).strip()


def _table(file_name: str, numbered: list[tuple[int, list[str]]], **how: object) -> SourceTable:
    filled = [(number, row) for number, row in numbered if any(cell for cell in row)]
    if not filled:
        raise ImportFileError(f"{file_name} holds no rows. Export it again with its data.")
    (_, header), body = filled[0], filled[1:]
    width = max(len(header), *(len(row) for _, row in body)) if body else len(header)
    if width > MAX_COLUMNS:
        raise ImportFileError(f"{file_name} has {width} columns; the importer takes up to "
                              f"{MAX_COLUMNS}. Remove the columns you do not need.")
    headers = _headers(header + [""] * (width - len(header)))
    rows = [row + [""] * (width - len(row)) for _, row in body]
    return SourceTable(file_name, headers, rows, [number for number, _ in body],
                       **how)  # type: ignore[arg-type]


def _headers(raw: list[str]) -> list[str]:
    """Unique, non-blank headers: a blank one becomes "column 3", a repeated one "Name (2)"."""
    out: list[str] = []
    for position, name in enumerate(raw, start=1):
        name = name.strip().lstrip("\ufeff") or f"column {position}"
        candidate, copy = name, 2
        while candidate in out:
            candidate, copy = f"{name} ({copy})", copy + 1
        out.append(candidate)
    return out

"""Reading import files: the encodings and separators people's tools write, and xlsx."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importing import files as import_files
from importing.files import ImportFileError, read_source

KOREAN = "이름,이메일,금액\n김민준,minjun@example.org,50000\n이서연,seoyeon@example.org,30000\n"
WESTERN = "First Name;Last Name;City\nJosé;Müller;Zürich\nFrançois;Ødegaard;Tromsø\n"


def test_utf8_with_a_byte_order_mark_reads_its_first_header_cleanly() -> None:
    table = read_source("\ufeffEmail Address,First Name\nann@example.org,Ann\n".encode(),
                        "mailchimp.csv")
    assert table.headers == ["Email Address", "First Name"]
    assert table.rows == [["ann@example.org", "Ann"]] and table.encoding == "utf-8"


def test_a_korean_windows_file_is_read_as_cp949() -> None:
    table = read_source(KOREAN.encode("cp949"), "후원.csv")
    assert table.encoding == "cp949"
    assert table.headers == ["이름", "이메일", "금액"]
    assert table.rows[0] == ["김민준", "minjun@example.org", "50000"]


def test_euc_kr_is_read_too() -> None:
    assert read_source(KOREAN.encode("euc-kr"), "a.csv").rows[1][0] == "이서연"


def test_a_western_windows_file_with_semicolons() -> None:
    table = read_source(WESTERN.encode("cp1252"), "export.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.rows == [["José", "Müller", "Zürich"], ["François", "Ødegaard", "Tromsø"]]


def test_utf16_tab_separated_as_excel_saves_unicode_text() -> None:
    table = read_source("Name\tCity\n김민준\tSeoul\n".encode("utf-16"), "unicode.txt")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows == [["김민준", "Seoul"]]


def test_a_comma_inside_quotes_does_not_split_a_cell() -> None:
    table = read_source(b'Name,Amount\n"Smith, Jane","1,250.00"\n', "gifts.csv")
    assert table.rows == [["Smith, Jane", "1,250.00"]]


def test_the_encoding_and_separator_can_be_chosen_when_the_guess_is_wrong() -> None:
    data = WESTERN.encode("cp1252")
    assert read_source(data, "a.csv", encoding="latin-1", delimiter=",").rows[0] == [
        "José;Müller;Zürich"]
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_source(data, "a.csv", encoding="utf-8")


def test_blank_repeated_and_missing_headers_get_names_and_rows_keep_every_cell() -> None:
    table = read_source(b"Name,,Name\n\nAnn,x,y,extra\nBo\n", "a.csv")
    assert table.headers == ["Name", "column 2", "Name (2)", "column 4"]
    assert table.rows == [["Ann", "x", "y", "extra"], ["Bo", "", "", ""]]
    assert table.line_numbers == [3, 4]


def test_xlsx_cells_come_as_the_text_a_person_sees() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Gifts"
    sheet.append(["Date", "Amount", "Zip", "Given", "Note"])
    sheet.append([datetime(2024, 3, 15), 1250.5, "02134", True, "+1 call back"])
    sheet.append([date(2024, 3, 16), 20, None, False, "plain"])
    book.create_sheet("Other")
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_source(buffer.getvalue(), "gifts.xlsx")
    assert table.sheet == "Gifts" and "Other" in table.notes[0]
    assert table.rows == [["2024-03-15", "1250.5", "02134", "TRUE", "+1 call back"],
                          ["2024-03-16", "20", "", "FALSE", "plain"]]


@pytest.mark.parametrize(("data", "said"), [
    (b"", "empty"),
    (b"\xd0\xcf\x11\xe0rest-of-an-xls", "old Excel"),
    (b"PK\x03\x04not really a zip", "not a readable .xlsx"),
    (b"\n\n  \n", "no rows"),
    (b"a,b\x00c\n", "binary"),
])
def test_unreadable_files_say_what_to_do(data: bytes, said: str) -> None:
    with pytest.raises(ImportFileError, match=said):
        read_source(data, "file.csv")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_either_read_or_give_an_import_file_error(data: bytes) -> None:
    try:
        table = read_source(data, "fuzz.csv")
    except ImportFileError:
        return
    assert all(len(row) == len(table.headers) for row in table.rows)
    assert len(table.line_numbers) == len(table.rows)


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Email"])
    sheet.append(["Ann", "ann@example.org"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged(part: str, change: Callable[[bytes], bytes]) -> bytes:
    """A real workbook with one of its parts changed."""
    with zipfile.ZipFile(io.BytesIO(_workbook())) as source:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as packed:
            for name in source.namelist():
                packed.writestr(name, change(source.read(name)) if name == part
                                else source.read(name))
    return out.getvalue()


#: "Billion laughs": ten entities, each ten of the one before, 10^9 "lol"s once expanded.
BOMB = (b'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY lol0 "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10)
                   for i in range(1, 10)) + b"]>")


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _bomb(data: bytes) -> bytes:
    return BOMB + data.split(b"?>", 1)[-1].replace(b"Ann", b"&lol9;").replace(
        b'name="Sheet"', b'name="&lol9;"')


@pytest.mark.parametrize(("part", "change"), [
    ("xl/worksheets/sheet1.xml", _half),
    ("xl/workbook.xml", _half),
    ("xl/styles.xml", _half),
    ("[Content_Types].xml", _half),
    ("xl/worksheets/sheet1.xml", _bomb),
    ("xl/workbook.xml", _bomb),
])
def test_a_damaged_workbook_or_an_entity_bomb_is_a_sentence(
        part: str, change: Callable[[bytes], bytes]) -> None:
    with pytest.raises(ImportFileError, match="is damaged.*save it again"):
        read_source(damaged(part, change), "gifts.xlsx")


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_files, "MAX_UNPACKED_BYTES", 1_000)
    with pytest.raises(ImportFileError, match="unpacks to .* MB"):
        read_source(_workbook(), "gifts.xlsx")


def test_a_cell_over_the_csv_readers_128_kb_is_explained_as_a_long_cell() -> None:
    text = "name,note\nAnn,\"" + "x" * 140_000 + "\"\nBo,hi\n"
    with pytest.raises(ImportFileError, match="a cell of more than 131,072 characters on line "
                       "2; a Google Sheets cell holds at most 50,000") as caught:
        read_source(text.encode(), "notes.csv")
    assert "quotes" not in str(caught.value)


def test_a_quote_left_open_is_explained_as_a_quote() -> None:
    text = "name,note\nAnn,\"open " + "x" * 140_000 + "\nBo,hi\n"
    with pytest.raises(ImportFileError, match="quote .* never closed"):
        read_source(text.encode(), "notes.csv")

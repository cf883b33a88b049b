"""What a person types into a cell, read as the product promises.

Tables of inputs and expected values (one line per form people really type), then
hand-worked examples; the hypothesis properties for the open-ended inputs are in
`test_cell_properties.py`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sheets_schema.cells import (
    CellError,
    Locale,
    cell_text,
    is_blank,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_tags,
    parse_time,
    python_value,
    serial_from_date,
    serial_from_datetime,
    to_text,
)

US = Locale(day_first=False)
DAY_FIRST = Locale(day_first=True)
EUROPE = Locale(day_first=True, decimal_comma=True)

MARCH_15 = date(2024, 3, 15)


# ------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("2024-03-15", MARCH_15),
        ("2024-3-5", date(2024, 3, 5)),
        ("  2024-03-15  ", MARCH_15),
        ("2024-03-15 14:30", MARCH_15),  # a timestamp typed into a date column
        ("2024-03-15T14:30:00Z", MARCH_15),
        ("2024-03-15T14:30:00.250+09:00", MARCH_15),
        ("45366", MARCH_15),  # Google serial: days since 1899-12-30
        ("45366.75", MARCH_15),  # ... with a time of day, which a date drops
        ("1", date(1899, 12, 31)),
        ("61", date(1900, 3, 1)),  # Sheets has no Lotus 29 Feb 1900
        ("2958465", date(9999, 12, 31)),
        ("3/15/2024", MARCH_15),
        ("15/03/2024", MARCH_15),  # unambiguous: 15 is no month
        ("15.03.2024", MARCH_15),
        ("15.3.2024.", MARCH_15),
        ("15-03-2024", MARCH_15),
        ("3/15/24", MARCH_15),  # two-digit years: 00-29 are 2000s ...
        ("3/15/95", date(1995, 3, 15)),  # ... 30-99 are 1900s
        ("3/15/0099", date(99, 3, 15)),  # but a four-digit year is what it says
        ("2024. 3. 15.", MARCH_15),
        ("2024.03.15", MARCH_15),
        ("2024/03/15", MARCH_15),
        ("2024년 3월 15일", MARCH_15),
        ("2024년3월15일", MARCH_15),
        ("20240315", MARCH_15),
        ("15 Mar 2024", MARCH_15),
        ("15 March 2024", MARCH_15),
        ("15-Mar-2024", MARCH_15),
        ("15th March 2024", MARCH_15),
        ("March 15, 2024", MARCH_15),
        ("Mar. 15, 2024", MARCH_15),
        ("MARCH 15 2024", MARCH_15),
        ("Sept 5, 2024", date(2024, 9, 5)),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_date_reads_what_people_type(typed: str, expected: date | None) -> None:
    assert parse_date(typed) == expected
    assert parse_date(typed, DAY_FIRST) == expected  # none of these is ambiguous


@pytest.mark.parametrize(
    "typed,locale,expected",
    [
        ("03/04/2024", US, date(2024, 3, 4)),
        ("03/04/2024", DAY_FIRST, date(2024, 4, 3)),
        ("03/04/2024", Locale.from_code("en_US"), date(2024, 3, 4)),
        ("03/04/2024", Locale.from_code("en_GB"), date(2024, 4, 3)),
        ("03-04-2024", US, date(2024, 3, 4)),
        ("03-04-2024", DAY_FIRST, date(2024, 4, 3)),
        # the dotted form is day-first wherever it is written
        ("03.04.2024", US, date(2024, 4, 3)),
        ("03.04.2024", DAY_FIRST, date(2024, 4, 3)),
        # a day above 12 settles it whatever the locale says
        ("13/04/2024", US, date(2024, 4, 13)),
        ("04/13/2024", DAY_FIRST, date(2024, 4, 13)),
    ],
)
def test_ambiguous_dates_follow_the_locale(typed: str, locale: Locale, expected: date) -> None:
    assert parse_date(typed, locale) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "not a date",
        "2024-02-30",  # no such day
        "2023-02-29",
        "2024-13-01",
        "13/13/2024",
        "0",  # serial out of range
        "3000000",
        "-5",
        "2024-03-15 or 16",  # junk after a date is not dropped silently
        "2024-03-15Tnoon",
        "Foo 15, 2024",
        "15 Smarch 2024",
        "32 Mar 2024",
    ],
)
def test_parse_date_refuses_with_what_to_type(typed: str) -> None:
    with pytest.raises(CellError, match="2024-03-15"):
        parse_date(typed)


def test_serial_numbers_both_ways() -> None:
    assert serial_from_date(MARCH_15) == 45366
    assert parse_date(str(serial_from_date(date(1999, 12, 31)))) == date(1999, 12, 31)
    assert serial_from_datetime(datetime(2024, 3, 15, 18)) == 45366.75


# ------------------------------------------------------------------- times and moments


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("09:00", time(9, 0)),
        ("9:30", time(9, 30)),
        ("9:30 pm", time(21, 30)),
        ("9:30PM", time(21, 30)),
        ("9 a.m.", time(9, 0)),
        ("12 am", time(0, 0)),
        ("12:15 pm", time(12, 15)),
        ("21:30:05", time(21, 30, 5)),
        ("0.375", time(9, 0)),  # the sheet's own day fraction
        (".5", time(12, 0)),
        ("", None),
    ],
)
def test_parse_time(typed: str, expected: time | None) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9:60", "13 pm", "0 am", "9", "noon", "9:30 xm"])
def test_parse_time_refuses_with_what_to_type(typed: str) -> None:
    with pytest.raises(CellError, match="type a time like|hour is 1 to 12"):
        parse_time(typed)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("2024-03-15T14:30:00", datetime(2024, 3, 15, 14, 30)),
        ("2024-03-15 14:30", datetime(2024, 3, 15, 14, 30)),
        ("2024-03-15T14:30:00Z", datetime(2024, 3, 15, 14, 30)),
        ("2024-03-15T14:30:00+02:00", datetime(2024, 3, 15, 12, 30)),  # stored as naive UTC
        ("45366.5", datetime(2024, 3, 15, 12)),
        ("45366", datetime(2024, 3, 15)),
        ("15.03.2024 14:30", datetime(2024, 3, 15, 14, 30)),
        ("3/15/2024 2:30 pm", datetime(2024, 3, 15, 14, 30)),
        ("2024년 3월 15일 9:05", datetime(2024, 3, 15, 9, 5)),
        ("March 15, 2024", datetime(2024, 3, 15)),
        ("", None),
    ],
)
def test_parse_datetime(typed: str, expected: datetime | None) -> None:
    assert parse_datetime(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "0001-01-01T00:00+01:00",  # was an OverflowError, not a CellError
        "9999-12-31T23:00-02:00",
        "2958465.99999999",  # rounds into the year 10000
        "0",
        "yesterday",
    ],
)
def test_parse_datetime_refuses_with_a_cell_error(typed: str) -> None:
    with pytest.raises(CellError):
        parse_datetime(typed)


# ----------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "typed,locale,expected",
    [
        ("1234.50", US, "1234.50"),
        ("1,234.50", US, "1234.50"),
        ("1,234.50", EUROPE, "1234.50"),  # both marks present: unambiguous anywhere
        ("$1,234.50", US, "1234.50"),
        ("$ 1,234.50", US, "1234.50"),
        ("US$1,234.50", US, "1234.50"),
        ("USD 1,234.50", US, "1234.50"),
        ("1,234.50 USD", US, "1234.50"),
        ("₩50,000", US, "50000"),
        ("50,000원", US, "50000"),
        ("¥1,000", US, "1000"),
        ("£12", US, "12"),
        ("1.234,50 €", US, "1234.50"),
        ("1.234,50 €", EUROPE, "1234.50"),
        ("€1.234,50", EUROPE, "1234.50"),
        ("1 234,50", EUROPE, "1234.50"),
        ("1\u00a0234,50", EUROPE, "1234.50"),  # no-break space, as Sheets formats fr_FR
        ("1\u202f234,50 €", EUROPE, "1234.50"),
        ("CHF 1'234.50", US, "1234.50"),
        ("1,234,567.89", US, "1234567.89"),
        ("1.234.567,89", EUROPE, "1234567.89"),
        ("1.234.567", US, "1234567"),  # several dots can only be grouping
        ("(25.00)", US, "-25.00"),  # accountants' negative
        ("($25.00)", US, "-25.00"),
        ("-25", US, "-25"),
        ("−25", US, "-25"),  # the minus sign proper
        ("-$5.00", US, "-5.00"),
        ("$-5.00", US, "-5.00"),
        ("+5", US, "5"),
        (".5", US, "0.5"),
        ("0.10", US, "0.10"),
        ("(0.00)", US, "0.00"),  # zero carries no sign
        ("-0", US, "0"),
        # a lone separator before three digits: grouping, unless the comma is the decimal mark
        ("1,234", US, "1234"),
        ("1,234", EUROPE, "1.234"),
        ("1.234", US, "1.234"),
        ("1.234", EUROPE, "1234"),
        ("1,5", US, "1.5"),  # not three digits after it: a decimal comma anywhere
        ("1,5", EUROPE, "1.5"),
        ("12,50", US, "12.50"),
        ("", US, None),
        ("  ", US, None),
    ],
)
def test_parse_decimal_reads_money_exactly(
    typed: str, locale: Locale, expected: str | None
) -> None:
    value = parse_decimal(typed, locale)
    if expected is None:
        assert value is None
    else:
        assert isinstance(value, Decimal)
        assert str(value) == expected  # the digits and the places, not just the value


@pytest.mark.parametrize(
    "typed",
    ["abc", "1e5", "NaN", "Infinity", "1.2.3", "1,2,3", "12,34,56", "1,234.5,0", "5.",
     "$", "()", "--5", "5-", "1 2 3,4,5", "twelve dollars", "0x10", "1/2"],
)
def test_parse_decimal_refuses_with_what_to_type(typed: str) -> None:
    with pytest.raises(CellError, match="type a number like 1234.50"):
        parse_decimal(typed)


def test_negative_amounts_stay_exact_beyond_28_digits() -> None:
    # Unary minus rounds to the decimal context's 28 digits; an amount must not change.
    typed = "12345678901234567890123456789.01"
    assert parse_decimal("-" + typed) == Decimal("-" + typed)
    assert str(parse_decimal("-" + typed)) == "-" + typed
    assert str(parse_decimal(f"({typed})")) == "-" + typed


def test_ten_thousand_dimes_make_exactly_a_thousand() -> None:
    total = sum((parse_decimal("0.10") for _ in range(10_000)), Decimal("0"))
    assert total == Decimal("1000.00")
    assert str(total) == "1000.00"
    assert sum(0.10 for _ in range(10_000)) != 1000.0  # what floats would have done


@pytest.mark.parametrize(
    "typed,expected",
    [("12", 12), ("1,000", 1000), ("12.0", 12), ("-3", -3), ("", None)],
)
def test_parse_int(typed: str, expected: int | None) -> None:
    value = parse_int(typed)
    assert value == expected
    assert value is None or type(value) is int


@pytest.mark.parametrize("typed", ["12.5", "many", "1e3"])
def test_parse_int_refuses(typed: str) -> None:
    with pytest.raises(CellError):
        parse_int(typed)


# ------------------------------------------------------------------------ flags and tags


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("TRUE", True), ("true", True), ("yes", True), ("Y", True), ("1", True), ("x", True),
        ("X", True), ("✓", True), (" yes ", True), ("on", True), ("예", True),
        ("FALSE", False), ("false", False), ("no", False), ("N", False), ("0", False),
        ("", False), ("   ", False), ("off", False), ("-", False), ("아니오", False),
    ],
)
def test_parse_bool(typed: str, expected: bool) -> None:
    assert parse_bool(typed) is expected


@pytest.mark.parametrize("typed", ["maybe", "2", "yes please", "TRUEE"])
def test_parse_bool_refuses_with_what_to_type(typed: str) -> None:
    with pytest.raises(CellError, match="type TRUE or FALSE"):
        parse_bool(typed)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("donor, volunteer", ("donor", "volunteer")),
        ("donor,volunteer,board", ("donor", "volunteer", "board")),
        ("donor; volunteer", ("donor", "volunteer")),
        (" , donor, , Donor, DONOR ,", ("donor",)),  # blanks and repeats dropped, first kept
        ("Major Donor", ("Major Donor",)),
        ("", ()),
    ],
)
def test_parse_tags(typed: str, expected: tuple[str, ...]) -> None:
    assert parse_tags(typed) == expected


# ------------------------------------------------------------------------------ to_text


@pytest.mark.parametrize(
    "value,expected",
    [
        (None, ""),
        (True, "TRUE"),
        (False, "FALSE"),
        (Decimal("1234.50"), "1234.50"),
        (Decimal("-25"), "-25"),
        (MARCH_15, "2024-03-15"),
        (datetime(2024, 3, 15, 14, 30, 5, 999), "2024-03-15T14:30:05"),
        (time(9, 30), "09:30"),
        (time(9, 30, 5), "09:30:05"),
        (("donor", "board"), "donor, board"),
        (12, "12"),
        (12.0, "12"),
        (float("nan"), ""),
        ("=SUM(A1)", "=SUM(A1)"),
    ],
)
def test_to_text(value: Any, expected: str) -> None:
    assert to_text(value) == expected


def test_to_text_of_pandas_values() -> None:
    pd = pytest.importorskip("pandas")
    assert to_text(pd.Timestamp("2024-03-15")) == "2024-03-15"
    assert to_text(pd.Timestamp("2024-03-15 14:30")) == "2024-03-15T14:30:00"
    assert to_text(pd.NaT) == ""
    assert to_text(pd.NA) == ""


@pytest.mark.parametrize(
    "code,day_first,decimal_comma",
    [
        (None, False, False),
        ("en_US", False, False),
        ("en-US", False, False),
        ("en_GB", True, False),
        ("de_DE", True, True),
        ("fr_CA", False, True),
        ("ko_KR", True, False),
    ],
)
def test_locale_from_sheet_code(code: str | None, day_first: bool, decimal_comma: bool) -> None:
    assert Locale.from_code(code) == Locale(day_first=day_first, decimal_comma=decimal_comma)


def test_one_day_after_another_never_skips() -> None:
    """Serial arithmetic matches calendar arithmetic across the 1900 and 2000 leap rules."""
    for start in (date(1900, 2, 27), date(2000, 2, 27), date(2100, 2, 27)):
        for offset in range(4):
            day = start + timedelta(days=offset)
            assert parse_date(str(serial_from_date(day))) == day


@pytest.mark.parametrize(("value", "blank", "text"), [
    (None, True, ""), (float("nan"), True, ""), (np.float64("nan"), True, ""),
    (pd.NaT, True, ""), (pd.NA, True, ""), ("", False, ""), ((), False, ""),
    (np.True_, False, "TRUE"), (np.int64(3), False, "3"), (Decimal("1234.50"), False, "1234.50"),
    (pd.Timestamp("2024-03-15"), False, "2024-03-15"), (("a", "b"), False, "a, b"),
])
def test_a_blank_cell_is_blank_and_every_cell_has_one_text(value: Any, blank: bool,
                                                            text: str) -> None:
    """However a cell arrives (a typed frame's NaT or numpy scalar, a form's value), the
    blank test and its text agree with what the sheet holds."""
    assert is_blank(value) is blank
    assert cell_text(value) == text


def test_numpy_scalars_read_as_the_python_values_they_hold() -> None:
    assert python_value(np.True_) is True and type(python_value(np.int64(2))) is int
    assert python_value("x") == "x"

"""What a person types into a cell, read as the product promises.

Tables of inputs and expected values first (one line per form people really type), then
hand-worked examples, then hypothesis properties for the open-ended inputs: every date and
every amount, in every form the app claims to read, and arbitrary text that must only ever
fail with a `CellError` saying what to type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

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
LOCALES = [US, DAY_FIRST, EUROPE, Locale(decimal_comma=True)]

MARCH_15 = date(2024, 3, 15)

# Properties run on every pytest invocation, so keep them quick and free of timing flakes.
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


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


# ------------------------------------------------------------------------- properties

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]

any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def _forms(day: date) -> dict[str, str]:
    """One date written in each form people type (the year always with four digits)."""
    y, m, d = f"{day.year:04d}", day.month, day.day
    name = MONTH_NAMES[m - 1]
    return {
        "iso": day.isoformat(),
        "dotted": f"{d:02d}.{m:02d}.{y}",
        "korean dots": f"{y}. {m}. {d}.",
        "korean": f"{y}년 {m}월 {d}일",
        "day month name": f"{d} {name[:3]} {y}",
        "month name day": f"{name} {d}, {y}",
    }


@PROPERTY
@given(day=any_date, locale=st.sampled_from(LOCALES))
@example(day=date(99, 3, 15), locale=US)  # 0099 was read as 1999
def test_any_date_round_trips_through_every_form(day: date, locale: Locale) -> None:
    for form, typed in _forms(day).items():
        assert parse_date(typed, locale) == day, form
    own_order = (f"{day.day}/{day.month}/{day.year:04d}" if locale.day_first
                 else f"{day.month}/{day.day}/{day.year:04d}")
    assert parse_date(own_order, locale) == day
    assert to_text(parse_date(to_text(day), locale)) == to_text(day)


@PROPERTY
@given(day=st.dates(min_value=date(1899, 12, 31), max_value=date(9999, 12, 31)))
def test_any_date_round_trips_through_its_serial(day: date) -> None:
    assert parse_date(str(serial_from_date(day))) == day
    assert parse_date(f"{serial_from_date(day)}.5") == day
    assert parse_datetime(str(serial_from_datetime(datetime.combine(day, time(6))))) == (
        datetime.combine(day, time(6))
    )


@PROPERTY
@given(day=st.dates(min_value=date(1930, 1, 1), max_value=date(2029, 12, 31)))
def test_two_digit_years_round_trip_in_the_spreadsheet_window(day: date) -> None:
    assert parse_date(f"{day.month}/{day.day}/{day.year % 100:02d}", US) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year % 100:02d}", US) == day


@PROPERTY
@given(day=any_date)
def test_the_other_locales_order_is_read_right_whenever_it_is_unambiguous(day: date) -> None:
    us_form = f"{day.month}/{day.day}/{day.year:04d}"
    read = parse_date(us_form, DAY_FIRST)
    if day.day > 12 or day.day == day.month:
        assert read == day
    else:  # read as day-first, which is what the locale asked for
        assert read == date(day.year, day.day, day.month)


@PROPERTY
@given(moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_any_timestamp_round_trips_through_iso_and_day_first_forms(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    assert parse_datetime(moment.isoformat()) == moment
    assert parse_datetime(moment.isoformat(sep=" ")) == moment
    typed = f"{moment.day:02d}.{moment.month:02d}.{moment.year:04d} {moment:%H:%M:%S}"
    assert parse_datetime(typed) == moment


two_places = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2,
                         allow_nan=False, allow_infinity=False)


def _us(amount: Decimal) -> str:
    return f"{amount.copy_abs():,.2f}"


def _european(amount: Decimal) -> str:
    return _us(amount).replace(",", " ").replace(".", ",").replace(" ", ".")


def _spaced(amount: Decimal) -> str:
    return _european(amount).replace(".", "\u00a0")


SIGNS: list[Callable[[str, bool], str]] = [
    lambda body, negative: ("-" if negative else "") + body,
    lambda body, negative: f"({body})" if negative else body,
    lambda body, negative: ("−" if negative else "") + body,
]
SYMBOLS: list[Callable[[str], str]] = [
    lambda body: body,
    lambda body: "$" + body,
    lambda body: "₩" + body,
    lambda body: body + " €",
    lambda body: "€" + body,
    lambda body: "£ " + body,
    lambda body: body + "원",
    lambda body: "USD " + body,
    lambda body: body + " EUR",
]


@PROPERTY
@given(
    amount=two_places,
    style=st.sampled_from([_us, _european, _spaced]),
    symbol=st.sampled_from(SYMBOLS),
    sign=st.sampled_from(SIGNS),
    locale=st.sampled_from(LOCALES),
)
@example(amount=Decimal("1234.50"), style=_us, symbol=SYMBOLS[1], sign=SIGNS[0], locale=US)
@example(amount=Decimal("-1234.50"), style=_european, symbol=SYMBOLS[3], sign=SIGNS[1],
         locale=EUROPE)
def test_any_two_place_amount_round_trips_through_formatting(
    amount: Decimal,
    style: Callable[[Decimal], str],
    symbol: Callable[[str], str],
    sign: Callable[[str, bool], str],
    locale: Locale,
) -> None:
    # With two decimal places both styles are unambiguous, so any locale reads them alike.
    typed = sign(symbol(style(amount)), amount < 0)
    value = parse_decimal(typed, locale)
    assert isinstance(value, Decimal)
    assert value == amount, typed
    assert value.as_tuple().exponent == -2  # cents kept, as typed
    assert to_text(value) == f"{amount:.2f}".replace("-0.00", "0.00")


@PROPERTY
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: abs(d.adjusted()) < 60))
def test_any_decimal_written_plainly_reads_back_exactly(amount: Decimal) -> None:
    typed = to_text(amount)
    value = parse_decimal(typed)
    assert value == amount
    assert to_text(parse_decimal(to_text(value))) == to_text(value)


PARSERS: list[Callable[[str, Locale], Any]] = [
    parse_date, parse_datetime, parse_time, parse_decimal, parse_int, parse_bool, parse_tags,
]

cell_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 .,-/:()$€₩年월일TZ+apm'", max_size=24),
    st.from_regex(r"\A[-(]?[$€₩]?\d{1,9}([.,]\d{1,3}){0,3}\)?( ?(EUR|원))?\Z"),
    st.from_regex(r"\A\d{1,4}[./-]\d{1,2}[./-]\d{1,4}( \d{1,2}:\d{2}( ?[ap]m)?)?\Z"),
)


@PROPERTY
@given(typed=st.text(), locale=st.sampled_from(LOCALES))
@example(typed="٣٤٥٦٧", locale=US)  # other scripts' digits
@example(typed="12345678901234567890123456789012345", locale=US)
@example(typed="9" * 400, locale=US)
def test_parse_decimal_never_floats_and_only_fails_with_cell_error(
    typed: str, locale: Locale
) -> None:
    try:
        value = parse_decimal(typed, locale)
    except CellError as error:
        assert "type a number" in str(error)
        return
    assert value is None or type(value) is Decimal
    assert value is None or value.is_finite()


@PROPERTY
@given(typed=cell_like, locale=st.sampled_from(LOCALES), parse=st.sampled_from(PARSERS))
@example(typed="0001-01-01T00:00+01:00", locale=US, parse=parse_datetime)
@example(typed="2958465.99999999", locale=US, parse=parse_datetime)
def test_every_parser_only_fails_with_cell_error(
    typed: str, locale: Locale, parse: Callable[[str, Locale], Any]
) -> None:
    try:
        parse(typed, locale)
    except CellError as error:
        assert str(error).startswith(repr(typed))  # the message quotes what was typed


@PROPERTY
@given(typed=st.text(), locale=st.sampled_from(LOCALES))
def test_parse_date_only_fails_with_cell_error(typed: str, locale: Locale) -> None:
    try:
        value = parse_date(typed, locale)
    except CellError as error:
        assert "2024-03-15" in str(error)
        return
    assert value is None or type(value) is date


@PROPERTY
@given(typed=cell_like, locale=st.sampled_from(LOCALES), parse=st.sampled_from(PARSERS))
def test_to_text_of_a_parsed_value_is_stable(
    typed: str, locale: Locale, parse: Callable[[str, Locale], Any]
) -> None:
    try:
        value = parse(typed, locale)
    except CellError:
        return
    canonical = to_text(value)
    # Canonical text is locale-free (1234.50, 2024-03-15): what SQLite stores and reads back
    # with the neutral locale. Under a decimal-comma locale 1.234 is one thousand two hundred
    # and thirty-four, so canonical text is not re-read with `locale`; see the xfail below.
    again = parse(canonical, Locale())
    assert to_text(again) == canonical
    if not isinstance(value, bool) and value is not None and value != ():
        assert again == value
    if parse in (parse_date, parse_datetime, parse_time, parse_bool, parse_tags):
        assert to_text(parse(canonical, locale)) == canonical  # these read it under any locale


@PROPERTY
@given(tags=st.lists(st.text(min_size=1).map(str.strip).filter(
    lambda t: t and "," not in t and ";" not in t), max_size=6))
def test_tags_round_trip_through_to_text(tags: list[str]) -> None:
    expected: dict[str, str] = {}
    for tag in tags:
        expected.setdefault(tag.casefold(), tag)
    assert parse_tags(to_text(tuple(tags))) == tuple(expected.values())


@PROPERTY
@given(moment=st.times())
def test_any_time_of_day_round_trips_through_to_text(moment: time) -> None:
    moment = moment.replace(microsecond=0)
    assert parse_time(to_text(moment)) == moment
    half_day = moment.hour % 12 or 12
    noon = "pm" if moment.hour >= 12 else "am"
    typed = f"{half_day}:{moment.minute:02d}:{moment.second:02d} {noon}"
    assert parse_time(typed) == moment


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

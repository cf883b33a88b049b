"""What a person types into a cell, read as the product promises: hypothesis properties
for the open-ended inputs (every date and every amount, in every form the app claims to
read, and arbitrary text that must only ever fail with a `CellError` saying what to type).
The tables of inputs and expected values are in `test_cells.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sheets_schema.cells import (
    CellError,
    Locale,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
    parse_tags,
    parse_time,
    serial_from_date,
    serial_from_datetime,
    to_text,
)
from tests.test_schema.test_cells import DAY_FIRST, EUROPE, US

LOCALES = [US, DAY_FIRST, EUROPE, Locale(decimal_comma=True)]

# Properties run on every pytest invocation, so keep them quick and free of timing flakes.
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

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

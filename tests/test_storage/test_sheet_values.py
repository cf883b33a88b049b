"""How the Google Sheets backend turns API values into the text the schema reads, and back."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from sheets_schema import Locale
from sheets_schema.cells import parse_decimal
from sheets_schema.fields import DATE, MONEY, TEXT
from storage.sheets_cells import cell_value, text_of


@pytest.mark.parametrize("locale_code", ["en_US", "de_DE", "fr_FR", "ko_KR"])
@pytest.mark.parametrize("number", [0.125, 1234.5, 19.99, 1000.0, 0.1])
def test_numbers_from_the_api_read_the_same_under_any_sheet_locale(
    number: float, locale_code: str
) -> None:
    # A de_DE sheet reads "1.234" as one thousand two hundred and thirty-four; numbers that
    # arrive unformatted must not be misread that way.
    assert parse_decimal(text_of(number), Locale.from_code(locale_code)) == Decimal(repr(number))


@pytest.mark.parametrize(
    ("kind", "value", "sent"),
    [
        (DATE, date(2024, 3, 15), 45366),
        (DATE, "3/15/2024", 45366),  # typed in a form: still lands as a real date
        (MONEY, Decimal("1234.50"), 1234.5),
        (MONEY, Decimal("50000"), 50000),
        (TEXT, "=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"),  # RAW: stays text
        (TEXT, "02134", "02134"),
        (DATE, "next tuesday", "next tuesday"),  # unreadable: kept as typed, reported later
        (None, True, True),
        (None, None, ""),
    ],
)
def test_values_are_sent_as_numbers_dates_or_exact_text(kind, value, sent) -> None:
    assert cell_value(kind, value) == sent


def test_datetimes_and_times_are_sent_as_day_fractions() -> None:
    assert cell_value(None, datetime(2024, 3, 15, 12, 0)) == 45366.5
    assert cell_value(None, time(6, 0)) == 0.25

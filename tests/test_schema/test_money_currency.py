"""An amount typed into the app is read in the organisation's currency: a bare number is that
currency, its own sign, unit or code is accepted, another currency's is refused with a
sentence, and a Korean organisation types amounts the Korean way (issue 18, issue 26). The
settings' amounts follow the same rule, and phones are read in the settings' region."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sheets_schema import parse_tab, rows_to_raw
from sheets_schema.cells import CellError, Locale, parse_decimal
from sheets_schema.money import currencies_named, parse_money
from sheets_schema.settings import Settings, settings_from


@pytest.mark.parametrize(("typed", "currency", "amount"), [
    ("50000", "KRW", "50000"),                # a bare number is the organisation's currency
    ("1,234.50", "USD", "1234.50"),
    ("$1,234.50", "USD", "1234.50"),
    ("US$20", "USD", "20"),
    ("20 USD", "USD", "20"),
    ("(25.00)", "USD", "-25.00"),
    ("₩50,000", "KRW", "50000"),
    ("50,000원", "KRW", "50000"),
    ("50,000 원", "KRW", "50000"),
    ("￦20,000", "KRW", "20000"),              # the fullwidth won sign Korean keyboards type
    ("KRW 20,000", "KRW", "20000"),
    ("5만원", "KRW", "50000"),                 # 5 × 10,000
    ("5만", "KRW", "50000"),
    ("10만 원", "KRW", "100000"),
    ("1만5천원", "KRW", "15000"),              # 10,000 + 5 × 1,000
    ("2.5만원", "KRW", "25000"),
    ("3천원", "KRW", "3000"),
    ("1억 2천만원", "KRW", "120000000"),       # 1 × 10^8 + 2,000 × 10^4
    ("€12,50", "EUR", "12.50"),
    ("CA$20", "CAD", "20"),
    ("$20", "CAD", "20"),                      # a dollar sign is any dollar's
    ("", "USD", None),
])
def test_an_amount_in_the_organisations_currency_is_read(typed: str, currency: str,
                                                          amount: str | None) -> None:
    expected = None if amount is None else Decimal(amount)
    locale = Locale(decimal_comma=currency == "EUR")
    assert parse_money(typed, currency, locale) == expected


@pytest.mark.parametrize(("typed", "currency", "said"), [
    ("50,000원", "USD", "'50,000원' is in Korean won (KRW), but this organisation's amounts "
                       "are in US dollars (USD)"),
    ("₩50,000", "USD", "is in Korean won (KRW)"),
    ("￦20,000", "USD", "is in Korean won (KRW)"),
    ("5만원", "USD", "is in Korean won (KRW)"),
    ("$20", "KRW", "'$20' is in dollars, but this organisation's amounts are in Korean won "
                  "(KRW): type the amount in KRW (a number alone, like 50000, is KRW)"),
    ("US$20", "KRW", "is in US dollars (USD)"),
    ("20 EUR", "USD", "is in euros (EUR)"),
    ("€5", "KRW", "is in euros (EUR)"),
    ("¥500", "KRW", "is in yen or yuan"),
    ("CA$20", "USD", "is in Canadian dollars (CAD)"),
    ("£5", "USD", "change the currency in Settings"),
])
def test_an_amount_in_another_currency_is_refused_with_a_sentence(typed: str, currency: str,
                                                                   said: str) -> None:
    with pytest.raises(CellError) as refused:
        parse_money(typed, currency)
    assert said in str(refused.value)


@pytest.mark.parametrize("typed", ["5만3억", "만만", "5만abc", "-5만"])
def test_korean_units_out_of_order_are_not_an_amount(typed: str) -> None:
    with pytest.raises(CellError, match="is not an amount"):
        parse_money(typed, "KRW")


def test_korean_units_are_korean_only() -> None:
    with pytest.raises(CellError, match="is not an amount"):
        parse_money("5만", "USD")


def test_without_a_currency_the_reading_is_the_lenient_one() -> None:
    assert parse_money("50,000원", "") == parse_decimal("50,000원") == Decimal(50000)
    assert parse_decimal("￦20,000") == Decimal(20000)  # the sheet's reader knows the sign


def test_each_sign_says_which_currencies_it_can_mean() -> None:
    assert currencies_named("US$20") == [("US$", frozenset({"USD"}))]
    assert currencies_named("50,000원") == [("원", frozenset({"KRW"}))]
    assert "USD" in currencies_named("$5")[0][1] and "CAD" in currencies_named("$5")[0][1]
    assert currencies_named("1,234.50") == []


# ------------------------------------------------------------------------- the settings


def _settings(**values: str) -> tuple[Settings, list]:
    frame = parse_tab("settings", rows_to_raw(
        "settings", [{"key": k, "value": v} for k, v in values.items()])).frame
    return settings_from(frame)


def test_amounts_in_the_settings_are_read_in_the_settings_currency() -> None:
    settings, problems = _settings(currency="KRW", volunteer_hour_value="₩30,000",
                                   giving_levels="10만, 100만, 1000만")
    assert problems == []
    assert settings.volunteer_hour_value == Decimal(30000)
    assert settings.giving_levels == (Decimal(100000), Decimal(1000000), Decimal(10000000))


def test_an_amount_setting_in_another_currency_keeps_the_default_and_says_why() -> None:
    settings, problems = _settings(volunteer_hour_value="₩30,000", currency="USD")
    assert settings.volunteer_hour_value == Settings().volunteer_hour_value
    assert [p.message for p in problems] == [
        "volunteer_hour_value: '₩30,000' is in Korean won (KRW), but this organisation's "
        "amounts are in US dollars (USD): type the amount in USD (a number alone, like "
        "1234.50, is USD), or change the currency in Settings; the default is used until "
        "it is fixed"]


@pytest.mark.parametrize(("values", "region"), [
    ({}, "US"),                                          # the default currency, USD
    ({"currency": "KRW"}, "KR"),                         # a Korean organisation's phones
    ({"currency": "KRW", "phone_region": "us"}, "US"),   # the setting wins, in capitals
    ({"currency": "EUR"}, "US"),                         # a currency of many countries
    ({"currency": "EUR", "phone_region": "DE"}, "DE"),
])
def test_phones_are_read_in_the_phone_region_else_the_currencys_country(
        values: dict[str, str], region: str) -> None:
    settings, problems = _settings(**values)
    assert problems == [] and settings.phone_region_or_default() == region


def test_a_phone_region_that_is_no_country_is_reported() -> None:
    settings, problems = _settings(phone_region="Korea")
    assert settings.phone_region == "" and "type two letters like KR or US" in problems[0].message

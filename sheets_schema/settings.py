"""The organisation's settings: the `settings` tab's key/value rows as one typed value.

Staff edit the settings tab by hand, so every key has a default and a value that cannot be
read falls back to that default and is reported (like any other row problem), instead of
stopping the app. Rules and reports take a `Settings` (or the one number they need) as an
argument; nothing below the pages reads the tab itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import phonenumbers

from .cells import CellError, parse_int, to_text
from .frames import RowProblem
from .money import parse_money

__all__ = ["Settings", "read_setting", "settings_from"]

#: The FEP (Fundraising Effectiveness Project) giving tiers: up to 100, 101-500, 501-5,000,
#: 5,001-50,000, over 50,000; each number is the top of a band.
FEP_LEVELS = (Decimal(100), Decimal(500), Decimal(5000), Decimal(50000))
#: Independent Sector's value of a US volunteer hour (2024 figure, published 2025).
VOLUNTEER_HOUR_VALUE = Decimal("34.79")


@dataclass(frozen=True)
class Settings:
    """Every setting with its default; field names are the keys in the settings tab."""

    org_name: str = "Our organisation"
    org_address: str = ""
    currency: str = "USD"
    #: The month (1-12) a fiscal year starts in; 1 means calendar years.
    fiscal_year_start: int = 1
    #: Days after a membership term ends during which the person still counts as a member.
    grace_days: int = 30
    #: How many days before a term ends the renewal reminder goes out (superseded by
    #: `reminder_offsets`; kept so sheets that set it still read).
    reminder_days: int = 30
    #: Days before a term's end that each renewal reminder is due; negative means after
    #: the end (-7: a week into grace).
    reminder_offsets: tuple[int, ...] = (30, 7, -7)
    #: The renewal reminder email (merge fields as in appeals).
    reminder_subject: str = "Your {{ org_name }} membership ends on {{ membership_end_date }}"
    reminder_body: str = (
        "Dear {{ first_name }},\n\nYour {{ membership_level }} membership of {{ org_name }} "
        "ends on {{ membership_end_date }}. Renewing keeps your membership going without a "
        "gap.\n\nThank you for being a member.\n"
    )
    time_zone: str = "UTC"
    sender_name: str = ""
    #: Tops of the giving-level bands, ascending; a donor above the last is in the top band.
    giving_levels: tuple[Decimal, ...] = FEP_LEVELS
    #: A standing gift this many days past its next date is lapsed ...
    recurring_lapse_days: int = 15
    #: ... and this many days past it is closed.
    recurring_close_days: int = 90
    volunteer_hour_value: Decimal = VOLUNTEER_HOUR_VALUE
    #: A volunteer's background check older than this many months needs renewing.
    background_check_months: int = 36
    #: Most messages an appeal may send in a minute and in a day (Gmail: ~500 a day).
    send_per_minute: int = 60
    send_per_day: int = 500
    #: The country a phone number typed without one (010-2345-6789) is read in, as a
    #: two-letter code (KR, US); blank means the currency's country (`phone_region_or_default`).
    phone_region: str = ""

    def phone_region_or_default(self) -> str:
        """Where a phone without a country code is read: `phone_region` when set, else the
        country of the currency (KRW: KR, USD: US, ...), else US. So a Korean organisation
        that set its currency reads 010-2345-6789 as a Korean mobile without more setup."""
        return self.phone_region or _CURRENCY_REGIONS.get(self.currency.upper(), "US")

    def day_at(self, moment: datetime) -> date:
        """The organisation's calendar day at `moment` (in `time_zone`): what "today" means
        for every date the app offers or works from, so an evening deposit in New York is
        dated that evening, not the server's (UTC) tomorrow. The caller passes its clock's
        `moment` (a naive one is this machine's local time), so the rules stay pure."""
        return moment.astimezone(ZoneInfo(self.time_zone)).date()


#: The country of a currency used by one country (the euro and others are not here).
_CURRENCY_REGIONS = {"USD": "US", "KRW": "KR", "JPY": "JP", "GBP": "GB", "CAD": "CA",
                     "AUD": "AU", "NZD": "NZ", "INR": "IN", "CNY": "CN", "HKD": "HK",
                     "SGD": "SG", "MXN": "MX", "TWD": "TW", "BRL": "BR", "PHP": "PH",
                     "THB": "TH", "VND": "VN", "ILS": "IL", "UAH": "UA", "NGN": "NG"}


def _whole(low: int, high: int) -> Callable[[str], int]:
    def read(text: str) -> int:
        try:
            value = parse_int(text)
        except CellError:  # its sentence speaks of amounts; say which numbers fit here
            value = None
        if value is None or not low <= value <= high:
            raise CellError(f"{text!r} is not a whole number from {low} to {high}")
        return value

    return read


def _amount(text: str, currency: str = "") -> Decimal:
    value = parse_money(text, currency)  # refuses another currency's sign, with its sentence
    if value is None or value < 0:
        raise CellError(f"{text!r} is not an amount like 34.79")
    return value


def _levels(text: str, currency: str = "") -> tuple[Decimal, ...]:
    parts = [part for part in text.replace(";", ",").split(",") if part.strip()]
    # "1,000" inside a list is ambiguous; levels are written without thousands separators.
    values = tuple(_amount(part.strip(), currency) for part in parts)
    if not values or list(values) != sorted(set(values)):
        raise CellError(f"{text!r} is not a list of rising amounts like 100, 500, 5000")
    return values


def _offsets(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    try:
        values = tuple(int(part) for part in parts)
    except ValueError:
        values = ()
    if not values or len(set(values)) != len(values) or any(abs(v) > 3650 for v in values):
        raise CellError(f"{text!r} is not a list of different whole numbers of days like "
                        f"30, 7, -7")
    return values


def _zone(text: str) -> str:
    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise CellError(f"{text!r} is not a time zone; type one like America/New_York") from None
    return text.strip()


def _region(text: str) -> str:
    code = text.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise CellError(f"{text!r} is not a country code for phone numbers; type two letters "
                        f"like KR or US")
    return code


def _month(text: str) -> int:
    return _whole(1, 12)(text)


_READERS: dict[str, Callable[[str], Any]] = {
    "fiscal_year_start": _month,
    "grace_days": _whole(0, 3650),
    "reminder_days": _whole(0, 3650),
    "reminder_offsets": _offsets,
    "time_zone": _zone,
    "giving_levels": _levels,
    "recurring_lapse_days": _whole(0, 3650),
    "recurring_close_days": _whole(0, 3650),
    "volunteer_hour_value": _amount,
    "background_check_months": _whole(1, 1200),
    "send_per_minute": _whole(1, 10_000),
    "send_per_day": _whole(1, 1_000_000),
    "phone_region": _region,
}
#: Keys holding amounts of money, read in the organisation's currency.
_MONEY_READERS: dict[str, Callable[[str, str], Any]] = {
    "volunteer_hour_value": _amount,
    "giving_levels": _levels,
}


def read_setting(key: str, text: str, currency: str = "") -> Any:
    """The typed value of one key's non-blank text, as the app reads it; CellError, with a
    sentence, when it cannot be read. The settings page checks what is typed with this too,
    so it never saves what reading would refuse: ``read_setting("grace_days", "45") == 45``.
    Amounts are read in `currency` (the organisation's), so ``read_setting(
    "volunteer_hour_value", "₩30,000", "USD")`` is refused."""
    if key in _MONEY_READERS:
        return _MONEY_READERS[key](text, currency)
    return _READERS.get(key, str)(text)


def settings_from(
    frame: pd.DataFrame, tab_name: str = "settings"
) -> tuple[Settings, list[RowProblem]]:
    """The settings in a typed `settings` frame (columns `key`, `value`), and what could not
    be read. Unknown keys are left alone (staff may keep notes there); a blank value means
    the default."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    currencies = [to_text(v).strip() for k, v in zip(frame["key"], frame["value"], strict=True)
                  if str(k).strip() == "currency" and to_text(v).strip()]
    currency = currencies[-1] if currencies else Settings.currency
    for row, record in frame.iterrows():
        key, text = str(record["key"]).strip(), to_text(record["value"]).strip()
        if key not in known or not text:
            continue
        try:
            values[key] = read_setting(key, text, currency)
        except CellError as error:
            problems.append(RowProblem(tab_name, int(str(row)), "value", text,
                                       f"{key}: {error}; the default is used until it is fixed"))
    return replace(Settings(), **values), problems

"""An amount of money typed by a person, read in the organisation's currency.

`cells.parse_decimal` reads any amount leniently and drops whatever sign or code it carries:
right for a sheet's cells, which hold numbers, but a trap where a person types an amount
into the app, since `50,000원` in a US organisation would be saved as $50,000.00.
`parse_money` is the one rule for amounts typed into the app (a gift, a batch, a standing
gift, an import, the settings): a bare number is in the organisation's currency, a sign,
unit or code of that currency is accepted, and any other currency's is refused with a
sentence. A Korean organisation (KRW) may also type amounts the Korean way: `₩50,000`,
`50,000원`, `￦20,000`, `5만원` (50,000) or `1억 2천만원` (120,000,000).
"""

from __future__ import annotations

import re
from decimal import Decimal

from .cells import CellError, Locale, parse_decimal

__all__ = ["currency_name", "currencies_named", "parse_money"]

#: Currencies written with a dollar sign, and the letters that pin one down (US$, CA$, A$).
_DOLLAR_PREFIXES = {"US": "USD", "CA": "CAD", "C": "CAD", "A": "AUD", "AU": "AUD",
                    "NZ": "NZD", "HK": "HKD", "S": "SGD", "SG": "SGD", "MX": "MXN",
                    "NT": "TWD", "R": "BRL"}
_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD", "ARS", "CLP",
                      "COP"})
_SIGNS: dict[str, frozenset[str]] = {
    "$": _DOLLARS, "€": frozenset({"EUR"}), "£": frozenset({"GBP"}),
    "¥": frozenset({"JPY", "CNY"}), "￥": frozenset({"JPY", "CNY"}), "円": frozenset({"JPY"}),
    "元": frozenset({"CNY"}), "₩": frozenset({"KRW"}), "￦": frozenset({"KRW"}),
    "원": frozenset({"KRW"}), "₹": frozenset({"INR"}), "₽": frozenset({"RUB"}),
    "₪": frozenset({"ILS"}), "₫": frozenset({"VND"}), "฿": frozenset({"THB"}),
    "₱": frozenset({"PHP"}), "₴": frozenset({"UAH"}), "₦": frozenset({"NGN"}),
}
_CODE_WORDS = {"RMB": "CNY"}
_NAMES = {"USD": "US dollars", "KRW": "Korean won", "EUR": "euros", "GBP": "pounds sterling",
          "JPY": "Japanese yen", "CNY": "Chinese yuan", "CAD": "Canadian dollars",
          "AUD": "Australian dollars", "NZD": "New Zealand dollars", "HKD": "Hong Kong dollars",
          "SGD": "Singapore dollars", "INR": "Indian rupees", "MXN": "Mexican pesos"}
#: A plain amount to show as an example, for currencies without cents.
_EXAMPLES = {"KRW": "50000", "JPY": "5000"}
_SIGN_NAMES = {"$": "dollars", "¥": "yen or yuan", "￥": "yen or yuan"}
# Longest first: US$ before $, a three-letter code before a dollar prefix's letters.
_MARK = re.compile(r"[A-Z]{1,2}\$|[A-Z]{3}|[$€£¥￥₩￦₹₽₪₫฿₱₴₦]|원|円|元")
_KOREAN_UNIT = re.compile(r"[조억만천백십]")
_BIG_UNITS = (("조", 10**12), ("억", 10**8), ("만", 10**4))
_SMALL_UNITS = (("천", 1000), ("백", 100), ("십", 10))
_AS_TYPED = Locale()


def currency_name(code: str) -> str:
    """``currency_name("KRW") == "Korean won (KRW)"``; a code without a name is itself."""
    return f"{_NAMES[code]} ({code})" if code in _NAMES else code


def currencies_named(text: str) -> list[tuple[str, frozenset[str]]]:
    """Each currency sign, unit or code in `text`, with the currencies it can mean:
    ``currencies_named("US$20") == [("US$", {"USD"})]``; `$` alone is any dollar."""
    found = []
    for mark in _MARK.findall(text):
        if mark.endswith("$") and len(mark) > 1:
            code = _DOLLAR_PREFIXES.get(mark[:-1])
            found.append((mark, frozenset({code}) if code else _DOLLARS))
        elif mark in _SIGNS:
            found.append((mark, _SIGNS[mark]))
        else:
            found.append((mark, frozenset({_CODE_WORDS.get(mark, mark)})))
    return found


def parse_money(raw: str, currency: str, locale: Locale = _AS_TYPED) -> Decimal | None:
    """`raw` as an amount in `currency` (an ISO code such as USD); blank gives None.

    ``parse_money("₩50,000", "KRW") == Decimal(50000)``,
    ``parse_money("5만원", "KRW") == Decimal(50000)``, and ``parse_money("50,000원", "USD")``
    raises CellError saying the amount is in Korean won while the organisation's amounts
    are in US dollars. A blank `currency` reads as leniently as `cells.parse_decimal`."""
    code = currency.strip().upper()
    if not code:
        return parse_decimal(raw, locale)
    for mark, codes in currencies_named(raw):
        if code not in codes:
            named = _SIGN_NAMES.get(mark) if len(codes) > 1 else currency_name(next(iter(codes)))
            raise CellError(
                f"{raw!r} is in {named}, but this organisation's amounts are in "
                f"{currency_name(code)}: type the amount in {code} (a number alone, like "
                f"{_EXAMPLES.get(code, '1234.50')}, is {code}), or change the currency in "
                f"Settings")
    if code == "KRW" and _KOREAN_UNIT.search(raw):
        return _korean_amount(raw, locale)
    return parse_decimal(raw, locale)


def _korean_amount(raw: str, locale: Locale) -> Decimal:
    """An amount written with Korean number units: 5만 is 50,000, 1억 2천만 120,000,000."""
    text = re.sub(r"[\s₩￦원]|KRW", "", raw)
    total = Decimal(0)
    try:
        for unit, size in _BIG_UNITS:
            if unit in text:
                head, text = text.split(unit, 1)
                total += (_korean_group(head, locale) if head else 1) * size
        total += _korean_group(text, locale) if text else 0
    except CellError:
        raise CellError(f"{raw!r} is not an amount; type a number like 50000 or 5만원") from None
    return total.quantize(Decimal(1)) if total == total.to_integral_value() else total


def _korean_group(text: str, locale: Locale) -> Decimal:
    """One group below 만: 2천5백 is 2,500; a unit alone (천) counts one of it."""
    value = Decimal(0)
    for unit, size in _SMALL_UNITS:
        if unit in text:
            head, text = text.split(unit, 1)
            value += (_plain(head, locale) if head else 1) * size
    return value + (_plain(text, locale) if text else 0)


def _plain(text: str, locale: Locale) -> Decimal:
    value = parse_decimal(text, locale)
    if value is None or value < 0 or _KOREAN_UNIT.search(text):
        raise CellError(f"{text!r} is not a number")
    return value

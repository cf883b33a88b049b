"""How an amount of money is written: the organisation's currency sign, its thousands
separators and as many decimals as the currency has (none for the won or the yen).

One rule for every place an amount is read by a person: tables, metrics, charts (their axis
and hover formats) and letters. Downloads keep the plain number; a spreadsheet wants numbers.

    >>> money_text(Decimal("22205.57"), "USD")
    '$22,205.57'
    >>> money_text(Decimal(50000), "KRW")
    '₩50,000'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

__all__ = ["MoneyStyle", "column_format", "decimals", "money_text", "plotly_format", "style",
           "symbol"]

#: Signs written before an amount; any other code is written out with a space ("CHF 12.00").
_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£",
            "KRW": "₩", "JPY": "¥", "INR": "₹"}
#: ISO 4217 currencies without minor units: an amount is a whole number of them.
_NO_DECIMALS = frozenset({"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                          "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"})


class MoneyStyle(NamedTuple):
    """How one currency is written: the sign before the number and its decimals."""

    symbol: str
    decimals: int


def style(code: str) -> MoneyStyle:
    """``style("KRW") == MoneyStyle("₩", 0)``; a blank code has no sign and two decimals."""
    code = code.strip().upper()
    sign = _SYMBOLS.get(code, f"{code} " if code else "")
    return MoneyStyle(sign, 0 if code in _NO_DECIMALS else 2)


def symbol(code: str) -> str:
    """How an amount is prefixed: ``symbol("USD") == "$"``; an unknown code is written out
    with a space (``"CHF "``)."""
    return style(code).symbol


def decimals(code: str) -> int:
    """How many decimals an amount of `code` is written with: 2, or 0 for KRW or JPY."""
    return style(code).decimals


def money_text(amount: Decimal | int | float, code: str) -> str:
    """The amount as a person reads it: ``money_text(Decimal("-5"), "USD") == "-$5.00"``.

    Rounded half up to the currency's decimals (₩50,000.5 is ₩50,001), the minus before the
    sign, as bank statements write it."""
    sign, places = style(code)
    exact = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    minus = "-" if rounded < 0 else ""
    return f"{minus}{sign}{abs(rounded):,.{places}f}"


def column_format(code: str) -> str:
    """The printf format a table column of amounts is drawn with (Streamlit's NumberColumn,
    sprintf-js with ``,`` for thousands): ``"$%,.2f"``, ``"₩%,.0f"``."""
    sign, places = style(code)
    return f"{sign.replace('%', '%%')}%,.{places}f"


def plotly_format(code: str) -> str:
    """The d3 format of a chart's amount axis and hover text, after the sign as its prefix:
    ``",.2f"`` for USD, ``",.0f"`` for KRW."""
    return f",.{decimals(code)}f"

"""How an amount is written for people: sign, thousands separators, the currency's decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.money import column_format, money_text, plotly_format, style


@pytest.mark.parametrize(("amount", "code", "text"), [
    (Decimal("22205.57"), "USD", "$22,205.57"),
    (Decimal(50000), "KRW", "₩50,000"),
    (Decimal("50000.5"), "KRW", "₩50,001"),           # half up: a won has no cents
    (Decimal("1234.5"), "EUR", "€1,234.50"),
    (Decimal("-1234.5"), "USD", "-$1,234.50"),        # the minus before the sign
    (Decimal("-0.001"), "USD", "$0.00"),              # rounds to nothing: no minus
    (Decimal(0), "USD", "$0.00"),
    (Decimal(0), "KRW", "₩0"),
    (Decimal("1234567890.125"), "USD", "$1,234,567,890.13"),
    (Decimal(1234567890), "JPY", "¥1,234,567,890"),
    (Decimal("12"), "chf", "CHF 12.00"),              # no sign of its own: the code
    (Decimal("12"), "", "12.00"),
    (7, "USD", "$7.00"),
    (0.1 + 0.2, "USD", "$0.30"),
])
def test_an_amount_is_written_with_its_currencys_sign_separators_and_decimals(
        amount: Decimal, code: str, text: str) -> None:
    assert money_text(amount, code) == text


def test_tables_and_charts_draw_amounts_with_the_same_rule() -> None:
    assert (style("USD"), style("krw")) == (("$", 2), ("₩", 0))
    assert (column_format("USD"), column_format("KRW")) == ("$%,.2f", "₩%,.0f")
    assert (plotly_format("USD"), plotly_format("KRW")) == (",.2f", ",.0f")

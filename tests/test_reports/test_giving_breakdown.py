"""Where the money comes from: giving levels (the pyramid and its labels), giving by fund and
method, and the top donors, on the hand-worked organisation of `donors.py`."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from reports import fundraising as fr
from reports import giving_breakdown as gb
from reports.fiscal import FiscalCalendar
from tests.test_reports.donors import AS_OF, donations, gift, people


def test_giving_levels_on_the_hand_worked_organisation(org: fr.Giving) -> None:
    levels = gb.giving_levels(org)
    assert list(levels["label"]) == ["Up to $100", "$101–$500", "$501–$5,000",
                                     "$5,001–$50,000", "Over $50,000"]
    assert list(levels["donors"]) == [3, 2, 0, 0, 0]  # D 30, F 60, G 25; A 150, B 200
    assert list(levels["dollars"]) == [Decimal(115), Decimal(350), 0, 0, 0]


@pytest.mark.parametrize(("total", "level"), [
    ("0.01", 1), ("100", 1), ("100.01", 2), ("500", 2), ("500.01", 3), ("5000", 3),
    ("5000.01", 4), ("50000", 4), ("50000.01", 5), ("1000000", 5),
])
def test_a_donor_is_in_the_band_whose_top_they_reach(total: str, level: int) -> None:
    g = fr.giving(donations(gift("P1", "2025-01-05", total)), AS_OF)
    levels = gb.giving_levels(g)
    assert levels.loc[levels["donors"] == 1, "level"].tolist() == [level]


@pytest.mark.parametrize(("tops", "currency", "labels"), [
    ([Decimal(100), Decimal(500)], "$", ["Up to $100", "$101–$500", "Over $500"]),
    ([Decimal(1000)], "₩", ["Up to ₩1,000", "Over ₩1,000"]),
    ([Decimal("99.99"), Decimal(250)], "", ["Up to 99.99", "100–250", "Over 250"]),
    ([], "$", ["Any amount"]),
])
def test_band_labels_are_built_from_the_tops(
    tops: list[Decimal], currency: str, labels: list[str]
) -> None:
    assert gb.level_labels(tops, currency) == labels


def test_giving_by_fund_and_method_this_year_to_date() -> None:
    frame = donations(
        gift("P1", "2025-01-05", "10.50", fund="General", method="cash"),
        gift("P1", "2025-02-05", "20", fund="General", method="card"),
        gift("P2", "2025-03-05", "100", fund="Roof", method="card"),
        gift("P3", "2025-03-05", "5", method="cash"),
        gift("P3", "2024-03-05", "1000", fund="Roof"),  # last year
    )
    g = fr.giving(frame, AS_OF)
    by_fund = gb.giving_by_fund(g)
    assert by_fund.to_dict("list") == {"fund": ["Roof", "General", ""],
                                       "dollars": [Decimal(100), Decimal("30.50"), Decimal(5)],
                                       "gifts": [1, 2, 1], "donors": [1, 1, 1]}
    by_method = gb.giving_by_method(g)
    assert by_method.to_dict("list")["method"] == ["card", "cash"]
    assert by_method.to_dict("list")["dollars"] == [Decimal(120), Decimal("15.50")]
    whole_2024 = gb.giving_by_fund(g, FiscalCalendar().period(2024))
    assert whole_2024.to_dict("list")["dollars"] == [Decimal(1000)]


def test_top_donors_rank_by_total_in_the_period_with_names() -> None:
    frame = donations(
        gift("P1", "2025-01-05", "50"), gift("P1", "2025-02-05", "50"),
        gift("P2", "2025-01-05", "100"),
        gift("P3", "2025-01-05", "300"),
        gift("P4", "2025-01-05", "10"),
        gift("P4", "2024-01-05", "5000"),  # last year: not in this year's ranking
    )
    top = gb.top_donors(fr.giving(frame, AS_OF), people("P1", "P2", "P3", "P4"), limit=3)
    assert top["person_id"].tolist() == ["P3", "P1", "P2"]  # P1 and P2 tie: by id
    assert top["name"].tolist() == ["FirstP3 Last", "FirstP1 Last", "FirstP2 Last"]
    assert top["total"].tolist() == [Decimal(300), Decimal(100), Decimal(100)]
    assert top["gifts"].tolist() == [1, 2, 1]
    assert top["last_gift_date"].tolist() == [pd.Timestamp("2025-01-05"),
                                              pd.Timestamp("2025-02-05"),
                                              pd.Timestamp("2025-01-05")]

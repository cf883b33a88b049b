"""The dashboard gathers every table from one `Giving`, exact to the cent over a hundred
thousand demo gifts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from demo import DEFAULT_AS_OF
from reports import charts
from reports import fundraising as fr
from reports import fundraising_dashboard as fd
from tests.test_reports.donors import tab_frame


def test_the_dashboard_gathers_every_table_from_one_giving(org: fr.Giving,
                                                           org_people: pd.DataFrame) -> None:
    campaigns = tab_frame("campaigns", [{"id": "C1", "name": "Roof", "goal": "1000"}])
    board = fd.dashboard(org, org_people, campaigns, top=3)
    assert board.year_to_date.this_year.total == Decimal(465)
    assert board.retention.set_index("measure")["rate"].to_dict() == {
        "Donor retention": Fraction(3, 5), "New-donor retention": Fraction(1, 2),
        "Repeat-donor retention": Fraction(2, 3), "Dollar retention": Fraction(38, 77)}
    assert board.retention["of"].tolist() == [5, 2, 3, Decimal(770)]
    assert board.lybunt["person_id"].tolist() == ["C", "H"]
    assert board.sybunt["person_id"].tolist() == ["E"]
    assert len(board.top_donors) == 3 and sum(board.levels["dollars"]) == Decimal(465)
    assert board.campaigns["campaign_id"].tolist() == ["C1"]
    figures = charts.dashboard_figures(board)
    assert set(figures) == {"monthly", "running", "campaigns", "funds", "methods", "levels",
                            "gains"}
    assert all(f.layout.title.text for f in figures.values())


def test_totals_are_exact_to_the_cent_over_a_hundred_thousand_demo_gifts() -> None:
    from demo import DemoSize, demo_workbook

    rows = demo_workbook(seed=11, size=DemoSize.scaled(donations=100_000))["donations"]
    frame = tab_frame("donations", rows)
    g = fr.giving(frame, DEFAULT_AS_OF)
    by_hand: dict[int, Decimal] = {}
    for row in rows:
        amount, day = row["amount"], row["date"]
        if (row["status"] == "completed" and isinstance(amount, Decimal)
                and isinstance(day, date) and day <= DEFAULT_AS_OF and row["person_id"]):
            by_hand[day.year] = by_hand.get(day.year, Decimal(0)) + amount
    assert len(g.gifts) > 90_000
    for year, total in by_hand.items():
        assert fr.year_summary(g, year).total == total
    board = fd.dashboard(g, tab_frame("people", []), tab_frame("campaigns", []))
    assert sum(board.levels["dollars"]) == by_hand[DEFAULT_AS_OF.year]
    assert sum(board.by_fund["dollars"]) == sum(board.by_method["dollars"]) == by_hand[
        DEFAULT_AS_OF.year]

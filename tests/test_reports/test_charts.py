"""The fundraising figures draw the frames they are given (`fig.data`, never pixels), and text
that looks like markup stays text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from reports import campaigns as rc
from reports import charts
from reports import fundraising as fr
from reports import giving_breakdown as gb
from tests.test_reports.donors import AS_OF, donations, gift, tab_frame


def test_monthly_figure_overlays_the_two_years_with_gaps_for_months_to_come() -> None:
    frame = donations(gift("P1", "2024-01-15", "10.10"), gift("P1", "2025-01-15", "20.20"))
    monthly = fr.monthly_totals(fr.giving(frame, date(2025, 2, 10)))
    figure = charts.monthly_figure(monthly, this_label="2025", last_label="2024")
    last, this = figure.data
    assert (last.name, this.name) == ("2024", "2025")
    assert this.y[:3] == (20.2, 0.0, None)
    assert last.y[0] == 10.1 and len(last.x) == 12
    assert figure.layout.title.text and figure.layout.yaxis.title.text == "Given"


def test_pyramid_figure_draws_donors_and_dollars_per_band(org: fr.Giving) -> None:
    figure = charts.pyramid_figure(gb.giving_levels(org))
    donors, dollars = figure.data
    assert donors.orientation == "h" and donors.y[0] == "Up to $100"
    assert donors.x == (3.0, 2.0, 0.0, 0.0, 0.0)
    assert dollars.x == (115.0, 350.0, 0.0, 0.0, 0.0)


def test_campaign_figure_draws_raised_over_goal() -> None:
    campaigns = tab_frame("campaigns", [{"id": "C1", "name": "Roof", "goal": "1000"},
                                     {"id": "C2", "name": "Gala"}])
    frame = donations(gift("P1", "2025-01-05", "250", campaign_id="C1"))
    figure = charts.campaign_figure(rc.campaign_progress(fr.giving(frame, AS_OF), campaigns))
    goal, raised = figure.data
    assert goal.x == (1000.0, None) and raised.x == (250.0, 0.0)
    assert raised.text == ("25%", "no goal")
    assert figure.layout.barmode == "overlay"


def test_gains_losses_figure_walks_from_last_year_to_this_year(org: fr.Giving) -> None:
    figure = charts.gains_losses_figure(fr.gains_losses(org), "2025", "2024")
    (waterfall,) = figure.data
    assert waterfall.x == ("2024", "New donors", "Recaptured", "Upgrades", "Downgrades",
                           "Lapsed", "2025")
    assert waterfall.y[:-1] == (770.0, 25.0, 60.0, 50.0, -50.0, -390.0)
    assert waterfall.measure[0] == "absolute" and waterfall.measure[-1] == "total"


def test_fund_figure_names_the_blank_fund() -> None:
    frame = donations(gift("P1", "2025-01-05", "10", fund="Roof"), gift("P2", "2025-01-05", "5"))
    figure = charts.fund_figure(gb.giving_by_fund(fr.giving(frame, AS_OF)))
    assert figure.data[0].x == ("Roof", "(none)") and figure.data[0].y == (10.0, 5.0)
    assert charts.method_figure(gb.giving_by_method(fr.giving(frame, AS_OF))).data[0].x == (
        "(none)",)


def test_a_campaign_or_fund_named_like_markup_stays_text_in_charts() -> None:

    from reports.charts import campaign_figure, giving_by_figure

    progress = pd.DataFrame({"name": ['<a href="http://evil.example">Gala</a>'],
                             "goal": [Decimal(100)], "raised": [Decimal(50)],
                             "share": [Fraction(1, 2)]})
    figure = campaign_figure(progress)
    assert all("<a" not in str(name) for name in figure.data[0].y)
    by_fund = pd.DataFrame({"fund": ["<b>x</b>"], "dollars": [Decimal(1)], "gifts": [1],
                            "donors": [1]})
    assert giving_by_figure(by_fund, "fund", "t", "Fund").data[0].x[0] == "&lt;b&gt;x&lt;/b&gt;"


def test_amount_axes_and_hovers_carry_the_currency_with_separators(org: fr.Giving) -> None:
    frame = donations(gift("P1", "2025-01-05", "50000", fund="Roof"))
    won = charts.fund_figure(gb.giving_by_fund(fr.giving(frame, AS_OF)), "KRW")
    axis = won.layout.yaxis
    assert (axis.tickprefix, axis.tickformat, axis.hoverformat) == ("₩", ",~f", ",.0f")
    assert "₩%{y:,.0f}" in won.data[0].hovertemplate
    dollars = charts.monthly_figure(fr.monthly_totals(org), currency="USD")
    assert (dollars.layout.yaxis.tickprefix, dollars.layout.yaxis.hoverformat) == ("$", ",.2f")

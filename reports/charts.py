"""Plotly figures for the fundraising dashboard, drawn from the frames `reports.fundraising`,
`reports.giving_breakdown` and `reports.campaigns` return (`reports.fundraising_dashboard`).

Every number comes from the frame it is given; Decimal amounts and Fraction shares become
floats here and only here, because a chart needs a position on an axis, not an exact sum
(tables and downloads keep the exact values). Titles and axis labels name what is shown.

    figure = monthly_figure(monthly_totals(g), this_label=g.label(g.this_year),
                            last_label=g.label(g.last_year))
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from rules import money

from .fundraising_dashboard import Dashboard

__all__ = [
    "chart_text",
    "campaign_figure",
    "counts_figure",
    "dashboard_figures",
    "fund_figure",
    "gains_losses_figure",
    "giving_by_figure",
    "method_figure",
    "monthly_figure",
    "pyramid_figure",
]

_THIS_YEAR_COLOUR = "#1f77b4"
_LAST_YEAR_COLOUR = "#9ab7d3"
_GOAL_COLOUR = "#d9d9d9"
_CATEGORY_NAMES = {"new": "New donors", "recaptured": "Recaptured", "upgraded": "Upgrades",
                   "same": "Same", "downgraded": "Downgrades", "lapsed": "Lapsed"}



def chart_text(value: object) -> str:
    """Text from the sheet made safe for a chart label: plotly draws a few HTML tags in
    labels (a link among them), so a campaign named `<a href=...>` must stay text."""
    return html.escape(str(value), quote=False)

def _floats(values: Iterable[Decimal | Fraction | int | None]) -> list[float | None]:
    """Plot positions: None stays None, so a month not yet reached is a gap, not a zero."""
    return [None if value is None or value is pd.NA else float(value) for value in values]


def _blank_as(values: Iterable[str], label: str) -> list[str]:
    return [value or label for value in values]


def _figure(traces: list[dict[str, Any]], title: str, **layout: Any) -> go.Figure:
    """A validated figure built from plain specs: about three times faster than building
    `go.Scatter` and `go.Bar` objects one by one, which matters on a dashboard of six."""
    return go.Figure({"data": traces, "layout": {"title": {"text": title}, **layout}})


def _axis(title: str, **more: Any) -> dict[str, Any]:
    return {"title": {"text": title}, **more}


def _money_axis(title: str, currency: str, **more: Any) -> dict[str, Any]:
    """An axis of amounts in `currency` (a code: "USD"): its sign before every tick, ticks
    with thousands separators, hover values with the currency's decimals (`rules.money`)."""
    return _axis(title, tickprefix=money.symbol(currency), tickformat=",~f",
                 hoverformat=money.plotly_format(currency), **more)


def _money_hover(axis: str, currency: str) -> str:
    """A hover value of amounts: ``"$%{y:,.2f}"``."""
    return f"{money.symbol(currency)}%{{{axis}:{money.plotly_format(currency)}}}"


def monthly_figure(
    monthly: pd.DataFrame,
    this_label: str = "This year",
    last_label: str = "Last year",
    running: bool = False,
    currency: str = "USD",
) -> go.Figure:
    """This year's line over last year's, month by month (`running`: the running totals),
    from `fundraising.monthly_totals`."""
    suffix = "_to_date" if running else ""
    months = list(monthly["month_name"])
    traces = [
        {"type": "scatter", "x": months, "y": _floats(monthly[f"last_year{suffix}"]),
         "name": last_label, "mode": "lines+markers",
         "line": {"color": _LAST_YEAR_COLOUR, "dash": "dot"}},
        {"type": "scatter", "x": months, "y": _floats(monthly[f"this_year{suffix}"]),
         "name": this_label, "mode": "lines+markers", "line": {"color": _THIS_YEAR_COLOUR}},
    ]
    title = "Given so far, month by month" if running else "Given each month"
    return _figure(traces, f"{title}: {this_label} against {last_label}",
                   xaxis=_axis("Month"), yaxis=_money_axis("Given", currency),
                   hovermode="x unified")


def pyramid_figure(levels: pd.DataFrame, currency: str = "USD") -> go.Figure:
    """The giving pyramid from `giving_breakdown.giving_levels`: donors and dollars per band side
    by side, sharing the band axis, the largest band at the top."""
    labels = list(levels["label"])
    traces = [
        {"type": "bar", "orientation": "h", "y": labels, "x": _floats(levels["donors"]),
         "name": "Donors", "marker": {"color": _LAST_YEAR_COLOUR}},
        {"type": "bar", "orientation": "h", "y": labels, "x": _floats(levels["dollars"]),
         "name": "Dollars", "marker": {"color": _THIS_YEAR_COLOUR}, "xaxis": "x2"},
    ]
    return _figure(traces, "Giving levels: donors and dollars by yearly total",
                   xaxis=_axis("Donors", domain=[0, 0.47]),
                   xaxis2=_money_axis("Given", currency, domain=[0.53, 1]),
                   yaxis=_axis("Giving level"), showlegend=False)


def campaign_figure(progress: pd.DataFrame, currency: str = "USD") -> go.Figure:
    """A thermometer per campaign from `campaigns.campaign_progress`: the amount raised
    drawn over the goal, labelled with the share of the goal reached."""
    names = [chart_text(name) for name in progress["name"]]
    shares = [f"{float(share):.0%}" if share is not None else "no goal"
              for share in progress["share"]]
    traces = [
        {"type": "bar", "orientation": "h", "y": names, "x": _floats(progress["goal"]),
         "name": "Goal", "marker": {"color": _GOAL_COLOUR}},
        {"type": "bar", "orientation": "h", "y": names, "x": _floats(progress["raised"]),
         "name": "Raised", "marker": {"color": _THIS_YEAR_COLOUR}, "text": shares,
         "textposition": "outside"},
    ]
    return _figure(traces, "Campaigns: raised against goal", barmode="overlay",
                   xaxis=_money_axis("Amount", currency),
                   yaxis=_axis("Campaign", autorange="reversed"))


def gains_losses_figure(
    table: pd.DataFrame,
    this_label: str = "This year",
    last_label: str = "Last year",
    currency: str = "USD",
) -> go.Figure:
    """A waterfall from last year's total to this year's through the FEP gains (new,
    recaptured, upgrades) and losses (downgrades, lapsed), from `fundraising.gains_losses`.
    The "same" donors change nothing and are left out."""
    moves = table[table["category"] != "same"]
    start = sum(table["last_year"], Decimal(0))
    trace = {
        "type": "waterfall", "name": "Change in giving",
        "x": [last_label, *(_CATEGORY_NAMES[c] for c in moves["category"]), this_label],
        "y": _floats([start, *moves["change"], None]),
        "measure": ["absolute", *["relative"] * len(moves), "total"],
    }
    return _figure([trace], f"Gains and losses: {last_label} to {this_label}",
                   xaxis=_axis("Donors"), yaxis=_money_axis("Given", currency),
                   showlegend=False)


def giving_by_figure(
    frame: pd.DataFrame, column: str, title: str, axis_title: str, currency: str = "USD"
) -> go.Figure:
    """Bars of dollars per value of `column`, from `giving_breakdown.giving_by`; a blank value is
    drawn as "(none)"."""
    trace = {
        "type": "bar", "x": [chart_text(v) for v in _blank_as(frame[column], "(none)")],
        "y": _floats(frame["dollars"]),
        "name": "Given", "marker": {"color": _THIS_YEAR_COLOUR},
        "customdata": [[int(g), int(d)] for g, d in zip(frame["gifts"], frame["donors"],
                                                        strict=True)],
        "hovertemplate": f"%{{x}}: {_money_hover('y', currency)}<br>%{{customdata[0]}} "
                         "gifts from %{customdata[1]} donors<extra></extra>",
    }
    return _figure([trace], title, xaxis=_axis(axis_title),
                   yaxis=_money_axis("Given", currency))


def fund_figure(by_fund: pd.DataFrame, currency: str = "USD") -> go.Figure:
    """Giving by fund, from `giving_breakdown.giving_by_fund`."""
    return giving_by_figure(by_fund, "fund", "Giving by fund", "Fund", currency)


def method_figure(by_method: pd.DataFrame, currency: str = "USD") -> go.Figure:
    """Giving by payment method, from `giving_breakdown.giving_by_method`."""
    return giving_by_figure(by_method, "method", "Giving by payment method", "Method", currency)


def counts_figure(counts: pd.Series) -> go.Figure:
    """One horizontal bar per label of `counts` (label -> how many), first label on top:
    the data-problems page's kinds."""
    labels = [chart_text(label) for label in counts.index]
    return _figure([{"type": "bar", "orientation": "h", "x": [int(n) for n in counts],
                     "y": labels}], "", height=60 + 25 * len(counts),
                   yaxis={"autorange": "reversed"}, margin={"t": 10, "b": 30})


def dashboard_figures(board: Dashboard, currency: str = "USD") -> dict[str, go.Figure]:
    """Every figure of the fundraising dashboard, by name, from its tables: monthly,
    running (month by month so far), campaigns, funds, methods, levels, gains."""
    g = board.giving
    this, last = g.label(g.this_year), g.label(g.last_year)
    return {
        "monthly": monthly_figure(board.monthly, this, last, currency=currency),
        "running": monthly_figure(board.monthly, this, last, running=True, currency=currency),
        "campaigns": campaign_figure(board.campaigns, currency),
        "funds": fund_figure(board.by_fund, currency),
        "methods": method_figure(board.by_method, currency),
        "levels": pyramid_figure(board.levels, currency),
        "gains": gains_losses_figure(board.gains_losses, this, last, currency),
    }

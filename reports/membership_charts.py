"""Plotly figures for the membership pages, drawn from the frames `reports.membership` and
`reports.member_summary` return: people by status, members by level, new members and
renewals by month (`MembershipHealth`), and one person's terms on a timeline."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from rules.membership_terms import Status

from .charts import chart_text

__all__ = ["level_figure", "new_members_figure", "renewals_figure", "status_figure",
           "term_timeline"]


def status_figure(by_status: pd.DataFrame) -> go.Figure:
    """Bars of people by membership status (`MembershipHealth.by_status`)."""
    figure = go.Figure(go.Bar(x=by_status["status"], y=by_status["people"], name="People"))
    return figure.update_layout(title="People by membership status",
                                xaxis_title="Status", yaxis_title="People")


def level_figure(by_level: pd.DataFrame) -> go.Figure:
    """Bars of members by level (`MembershipHealth.by_level`)."""
    figure = go.Figure(go.Bar(x=[chart_text(n) for n in by_level["level_name"]],
                              y=by_level["members"], name="Members"))
    return figure.update_layout(title="Members by level", xaxis_title="Level",
                                yaxis_title="Members")


def new_members_figure(by_month: pd.DataFrame) -> go.Figure:
    """Bars of new members by the month they joined (`MembershipHealth.by_month`)."""
    figure = go.Figure(go.Bar(x=by_month["month"], y=by_month["new"], name="New members"))
    return figure.update_layout(title="New members by month", xaxis_title="Month joined",
                                yaxis_title="New members")


def renewals_figure(by_month: pd.DataFrame) -> go.Figure:
    """Terms by the month they ended, stacked renewed / lapsed / open, with the renewal
    rate as a line on a second axis (`MembershipHealth.by_month`)."""
    figure = go.Figure([
        go.Bar(x=by_month["month"], y=by_month[column], name=column.capitalize())
        for column in ("renewed", "lapsed", "open")
    ])
    figure.add_trace(go.Scatter(x=by_month["month"], y=by_month["renewal_rate"],
                                name="Renewal rate", mode="lines+markers", yaxis="y2"))
    return figure.update_layout(
        title="Renewals and lapses by the month the term ended", barmode="stack",
        xaxis_title="Month the term ended", yaxis_title="Terms",
        yaxis2={"title": "Renewal rate", "overlaying": "y", "side": "right",
                "tickformat": ".0%", "range": [0, 1]},
    )


_TIMELINE_COLOURS = {
    Status.NEW.value: "#2ca02c", Status.CURRENT.value: "#1f77b4", Status.GRACE.value: "#ff7f0e",
    Status.EXPIRED.value: "#7f7f7f", Status.PENDING.value: "#9467bd",
    Status.CANCELLED.value: "#d62728", Status.DECEASED.value: "#17becf", "": "#c7c7c7",
}


def term_timeline(terms: pd.DataFrame, as_of: date) -> go.Figure:
    """A person's terms (`MemberSummary.terms`) as horizontal bars on a date axis, oldest at
    the top, coloured by each term's status, so gaps between terms show as gaps. A lifetime
    term runs a year past `as_of`; a dashed line marks `as_of`."""
    starts = pd.to_datetime(terms["start_date"].fillna(terms["join_date"]))
    shown = terms[starts.notna().to_numpy()]
    starts = starts[starts.notna()]
    lifetime = pd.Timestamp(as_of) + pd.Timedelta(days=365)
    ends = pd.to_datetime(shown["end_date"]).fillna(lifetime) + pd.Timedelta(days=1)
    labels = [chart_text(f"{row['term_id']} · {row['level_name'] or row['level_id']}")
              for row in shown.to_dict("records")]
    figure = go.Figure()
    for status in dict.fromkeys(shown["status"]):
        these = (shown["status"] == status).to_numpy()
        until = [("lifetime" if pd.isna(end) else f"{pd.Timestamp(end):%Y-%m-%d}")
                 for end in shown.loc[these, "end_date"]]
        figure.add_trace(go.Bar(
            orientation="h", name=status or "no status",
            y=[label for label, keep in zip(labels, these, strict=True) if keep],
            base=[f"{day:%Y-%m-%d}" for day in starts[these]],
            x=((ends[these] - starts[these]).dt.total_seconds() * 1000).tolist(),
            marker_color=_TIMELINE_COLOURS.get(status, "#c7c7c7"),
            customdata=[[f"{day:%Y-%m-%d}", end] for day, end in
                        zip(starts[these], until, strict=True)],
            hovertemplate="%{y}<br>%{customdata[0]} to %{customdata[1]}<extra></extra>",
        ))
    figure.add_shape(type="line", x0=f"{as_of:%Y-%m-%d}", x1=f"{as_of:%Y-%m-%d}", y0=0, y1=1,
                     yref="paper", line={"dash": "dash", "color": "#444"})
    return figure.update_layout(
        title="Membership terms", barmode="overlay", xaxis={"type": "date", "title": "Date"},
        yaxis={"autorange": "reversed", "title": "", "categoryorder": "array",
               "categoryarray": labels},
        height=max(220, 80 + 40 * len(labels)), legend_title="Status",
    )

"""The membership figures draw the frames they are given: health by status and by month,
and one person's terms on a timeline."""

from __future__ import annotations

import pandas as pd

from reports.member_summary import member_summary
from reports.membership import membership_health
from reports.membership_charts import renewals_figure, status_figure, term_timeline
from tests.test_reports.members import AS_OF, frame, term_rows


def test_figures_show_the_frames(latest: pd.DataFrame, terms: pd.DataFrame) -> None:
    health = membership_health(latest, terms, AS_OF, 30)
    status = status_figure(health.by_status)
    assert list(status.data[0].y) == list(health.by_status["people"])
    assert status.layout.title.text and status.layout.yaxis.title.text == "People"
    renewals = renewals_figure(health.by_month)
    assert [trace.name for trace in renewals.data] == ["Renewed", "Lapsed", "Open",
                                                       "Renewal rate"]
    assert list(renewals.data[0].y) == list(health.by_month["renewed"])
    assert renewals.layout.xaxis.title.text == "Month the term ended"


def test_the_timeline_has_a_bar_per_term_and_shows_the_gap(levels: pd.DataFrame) -> None:
    terms = frame("memberships", term_rows([
        ("M1", "P1", "L1", "2021-01-01", "2021-01-01", "2021-12-31", ""),
        ("M2", "P1", "L1", "2021-01-01", "2023-03-01", "2024-02-29", ""),  # came back
        ("M3", "P1", "L3", "2021-01-01", "2024-03-01", "", ""),            # lifetime
    ]))
    summary = member_summary(terms, levels, "P1", False, AS_OF, 30)
    figure = term_timeline(summary.terms, AS_OF)
    bars = {label: (base, width) for trace in figure.data
            for label, base, width in zip(trace.y, trace.base, trace.x, strict=True)}
    assert list(bars) == ["M1 · Individual", "M2 · Individual", "M3 · Lifetime"]
    assert bars["M1 · Individual"] == ("2021-01-01", 365 * 86_400_000)  # to the end of its day
    assert bars["M2 · Individual"][0] == "2023-03-01"   # a year and two months later: the gap
    assert [trace.name for trace in figure.data] == ["Expired", "Current"]
    assert figure.layout.xaxis.type == "date" and figure.layout.shapes[0].x0 == "2025-06-01"

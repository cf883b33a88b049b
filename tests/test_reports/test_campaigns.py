"""One campaign's numbers: progress against its goal from the gifts carrying its id, its
donors, gifts and donor ids, and the campaigns that ran in a year."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd

from reports import campaigns as rc
from reports import fundraising as fr
from tests.test_reports.donors import AS_OF, donations, gift, people, tab_frame


def test_campaign_progress_counts_only_completed_gifts_carrying_its_id() -> None:
    campaigns = tab_frame("campaigns", [
        {"id": "C1", "name": "Roof", "goal": "1000"},
        {"id": "C2", "name": "Gala"},
        {"id": "C3", "name": "Spring", "goal": "500"},
    ])
    frame = donations(
        gift("P1", "2025-01-05", "250", campaign_id="C1"),
        gift("P2", "2024-11-05", "250", campaign_id="C1"),  # last year still counts
        gift("P2", "2025-01-05", "500", campaign_id="C1", status="pending"),
        gift("P3", "2025-01-05", "80", campaign_id="C2"),
        gift("P3", "2025-01-06", "20", campaign_id="C2"),
        gift("P4", "2025-01-05", "999"),  # no campaign
        gift("P4", "2025-01-05", "5", campaign_id="C9"),  # not a campaign in the tab
    )
    progress = rc.campaign_progress(fr.giving(frame, AS_OF), campaigns).set_index("campaign_id")
    assert progress["raised"].to_dict() == {"C1": Decimal(500), "C2": Decimal(100), "C3": 0}
    assert progress["share"].to_dict() == {"C1": Fraction(1, 2), "C2": None, "C3": 0}
    assert progress["donors"].to_dict() == {"C1": 2, "C2": 1, "C3": 0}
    assert progress["gifts"].to_dict() == {"C1": 2, "C2": 2, "C3": 0}


def test_campaign_donors_gifts_and_ids() -> None:
    frame = donations(
        gift("P2", "2025-01-05", "100", campaign_id="C1"),
        gift("P1", "2025-02-05", "30", campaign_id="C1"),
        gift("P1", "2025-03-05", "70", campaign_id="C1"),
        gift("P3", "2025-03-05", "500", campaign_id="C1", status="refunded"),
        gift("P3", "2025-03-06", "5", campaign_id="C2"),
    )
    g = fr.giving(frame, AS_OF)
    assert rc.campaign_donor_ids(g, "C1") == ["P1", "P2"]
    assert rc.campaign_donor_ids(g, "C9") == []
    donors = rc.campaign_donors(g, people("P1", "P2", "P3"), "C1")
    assert donors["person_id"].tolist() == ["P1", "P2"]  # 100 each: ties by id
    assert donors["total"].tolist() == [Decimal(100), Decimal(100)]
    assert donors["gifts"].tolist() == [2, 1]
    assert donors["last_gift_date"].tolist() == [pd.Timestamp("2025-03-05"),
                                                 pd.Timestamp("2025-01-05")]
    gifts = rc.campaign_gifts(g, people("P1", "P2"), "C1")
    assert gifts["amount"].tolist() == [Decimal(70), Decimal(30), Decimal(100)]  # newest first
    assert gifts["name"].tolist() == ["FirstP1 Last", "FirstP1 Last", "FirstP2 Last"]


def test_the_campaigns_of_a_year_are_those_that_ran_in_it() -> None:
    campaigns = tab_frame("campaigns", [
        {"id": "C1", "name": "Old", "start_date": "2023-01-01", "end_date": "2023-12-31"},
        {"id": "C2", "name": "Spans", "start_date": "2024-11-01", "end_date": "2025-01-31"},
        {"id": "C3", "name": "Undated"},
        {"id": "C4", "name": "Later", "start_date": "2025-08-01"},
    ])
    g = fr.giving(donations(), AS_OF)
    progress = rc.campaign_progress(g, campaigns)
    assert rc.campaigns_in(progress, g.period(2025))["campaign_id"].tolist() == ["C2", "C3"]

"""Lists of gifts: standing gifts with what the lapse rule says, the people whose standing
gift lapsed, and the thank-you list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reports import gift_lists as gl
from tests.test_reports.donors import AS_OF, donations, gift, people, tab_frame


def test_lapsed_recurring_ids_follow_the_rule_not_the_stored_status() -> None:
    schedules = tab_frame("recurring_gifts", [
        {"id": "R1", "person_id": "A", "amount": "10", "next_date": "2025-06-01"},  # 29 late
        {"id": "R2", "person_id": "B", "amount": "10", "next_date": "2025-06-25",
         "status": "lapsed"},  # 5 days: active again
        {"id": "R3", "person_id": "C", "amount": "10", "next_date": "2025-01-01"},  # closed
        {"id": "R4", "person_id": "D", "amount": "10", "next_date": "2025-06-01",
         "status": "paused"},
        {"id": "R5", "person_id": "E", "amount": "10", "next_date": "2025-06-01"},
        {"id": "R6", "person_id": "E", "amount": "10", "next_date": "2025-07-01"},  # E still gives
    ])
    assert gl.lapsed_recurring_ids(schedules, AS_OF, lapse_days=15, close_days=90) == ["A"]


def test_standing_gifts_list_names_lateness_and_what_the_rule_says() -> None:
    schedules = tab_frame("recurring_gifts", [
        {"id": "R1", "person_id": "A", "amount": "20", "next_date": "2025-06-01"},
        {"id": "R2", "person_id": "Z", "amount": "5", "next_date": "2025-07-10"},
        {"id": "R3", "person_id": "B", "amount": "9", "status": "closed"},
    ])
    table = gl.standing_gifts(schedules, people("A", "B"), AS_OF, 15, 90)
    assert table.to_dict("list") == {
        "id": ["R1", "R2", "R3"], "donor": ["FirstA Last", "(Z)", "FirstB Last"],
        "amount": [Decimal(20), Decimal(5), Decimal(9)],
        "frequency": ["monthly"] * 3,
        "next_date": [date(2025, 6, 1), date(2025, 7, 10), None],
        "days_past_due": [29, 0, 0], "status": ["active", "active", "closed"],
        "should_be": ["lapsed", "active", "closed"], "fund": ["", "", ""]}


def test_the_thank_you_list_names_donor_campaign_and_tribute() -> None:
    gifts = donations(gift("A", "2025-01-05", "250", campaign_id="C1", tribute_type="in memory",
                           tribute_name="Ann"), gift("Q", "2025-01-06", "10"))
    campaigns = tab_frame("campaigns", [{"id": "C1", "name": "Roof"}])
    table = gl.thank_you_list(gifts, people("A"), campaigns)
    assert table[["date", "donor", "amount", "campaign", "tribute"]].to_dict("records") == [
        {"date": date(2025, 1, 5), "donor": "FirstA Last", "amount": Decimal(250),
         "campaign": "Roof", "tribute": "in memory of Ann"},
        {"date": date(2025, 1, 6), "donor": "(Q)", "amount": Decimal(10), "campaign": "",
         "tribute": ""}]

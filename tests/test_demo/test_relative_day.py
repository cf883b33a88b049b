"""The demo built for a given day (the app builds it for today): giving through that year,
renewals spread out (a few due this week, some in grace, reminders handed out up to two
days ago), and the running appeal partway. Counted by hand from the rows, on a pinned day."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from demo import DEFAULT_AS_OF, DEMO_KEY, demo_workbook

Rows = dict[str, list[dict[str, Any]]]
#: A Friday in December, a month after the day the other tests pin.
DAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def built() -> Rows:
    return demo_workbook(seed=7, as_of=DAY)


def _dated(rows: list[dict[str, Any]], column: str = "date") -> list[dict[str, Any]]:
    return [row for row in rows if isinstance(row[column], date)]


def _newest_terms(rows: Rows) -> list[dict[str, Any]]:
    """Each member's newest usable term (the tab is in payment order)."""
    newest: dict[str, dict[str, Any]] = {}
    for term in _dated(rows["memberships"], "start_date"):
        newest[term["person_id"]] = term
    return [t for t in newest.values() if t["end_date"] and not t["status_override"]]


def test_the_same_day_and_seed_give_the_same_demo(built: Rows) -> None:
    assert demo_workbook(seed=7, as_of=DAY) == built
    assert {s["key"]: s["value"] for s in built["settings"]}[DEMO_KEY] == "2026-12-04"


def test_giving_runs_through_the_year_up_to_the_day_before(built: Rows) -> None:
    gifts = _dated(built["donations"])
    assert max(g["date"] for g in gifts) == DAY - timedelta(days=1)
    this_year = [g for g in gifts if g["date"].year == DAY.year]
    assert {g["date"].month for g in this_year} == set(range(1, 13))
    same_day_last_year = DAY.replace(year=DAY.year - 1)
    last_year = [g for g in gifts if date(DAY.year - 1, 1, 1) <= g["date"] < same_day_last_year]
    # a growing organisation, not one whose giving stopped or doubled overnight
    assert 0.9 < len(this_year) / len(last_year) < 1.6
    december = [g for g in this_year if g["date"].month == 12]
    assert 0 < len(december) < len(this_year) / 10  # three days of the busiest month so far


def test_renewals_are_spread_out_not_piled_up(built: Rows) -> None:
    ends = [t["end_date"] for t in _newest_terms(built)]
    due_this_week = [e for e in ends if DAY <= e <= DAY + timedelta(days=7)]
    in_grace = [e for e in ends if DAY - timedelta(days=30) <= e < DAY]
    assert 1 <= len(due_this_week) <= 10
    assert 1 <= len(in_grace) <= 20


def test_reminders_were_handed_out_up_to_two_days_ago(built: Rows) -> None:
    """Each newest term's latest reminder already due (offsets 30, 7 and -7 days before the
    end) is in the reminders tab unless it fell due yesterday or today: a few wait, not a
    month's worth."""
    sent = {(r["term_id"], r["offset"]) for r in built["reminders"]}
    assert {r["status"] for r in built["reminders"]} == {"sent"}
    assert all(r["due_date"] < DAY - timedelta(days=1) for r in built["reminders"])
    waiting = []
    for term in _newest_terms(built):
        due = [(term["end_date"] - timedelta(days=offset), offset) for offset in (30, 7, -7)]
        passed = [(day, offset) for day, offset in due if term["start_date"] <= day <= DAY]
        if passed and term["end_date"] >= DAY - timedelta(days=30):
            day, offset = max(passed)
            if (term["id"], offset) not in sent:
                waiting.append(day)
    assert len(waiting) <= 10
    assert all(day >= DAY - timedelta(days=1) for day in waiting)


def test_the_running_appeal_is_partway(built: Rows) -> None:
    (appeal,) = [c for c in built["campaigns"] if c["status"] == "active"]
    assert appeal["name"] == "Year-End Appeal 2026"
    raised = sum((g["amount"] for g in _dated(built["donations"])
                  if g["campaign_id"] == appeal["id"] and g["status"] == "completed"
                  and isinstance(g["amount"], Decimal)), Decimal(0))
    assert 0.15 < raised / appeal["goal"] < 0.85


def test_the_pinned_day_keeps_its_reminders_few_too() -> None:
    rows = demo_workbook(seed=7, as_of=DEFAULT_AS_OF)
    assert rows["reminders"] and all(r["due_date"] < DEFAULT_AS_OF for r in rows["reminders"])

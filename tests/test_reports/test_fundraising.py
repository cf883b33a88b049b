"""Fundraising reports: completed gifts only, calendar and fiscal years, LYBUNT and SYBUNT,
retention, gains and losses, giving levels, campaigns, funds, top donors, months, year to
date and one donor's view; every amount exact to the cent; the figures draw those frames."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import count
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import DEFAULT_AS_OF
from reports import charts
from reports import fundraising as fr
from reports.fiscal import FiscalCalendar, Period
from sheets_schema import parse_tab, rows_to_raw
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore

_ids: Iterator[int] = count(1)


def _frame(tab: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


def gift(person: str, day: str, amount: str, **more: str) -> dict[str, str]:
    """A donation row as staff would type it; completed unless `status` says otherwise."""
    return {"id": f"D{next(_ids)}", "person_id": person, "date": day, "amount": amount, **more}


def donations(*gifts: dict[str, str]) -> pd.DataFrame:
    return _frame("donations", list(gifts))


def people(*ids: str) -> pd.DataFrame:
    return _frame("people", [{"id": pid, "first_name": f"First{pid}", "last_name": "Last",
                              "email": f"{pid.lower()}@example.org"} for pid in ids])


# The hand-worked organisation: calendar years, as of 2025-06-30, so this year is 2025 (to
# date), last year 2024.
#
#   donor  2022  2023  2024  2025   first year  in 2025 they are
#   A       -     100   100   150     2023      retained, upgraded (+50); repeat (23 and 24)
#   B       -      -    200   200     2024      retained, same (0); new last year
#   C       -      -    300    -      2024      lapsed (-300): LYBUNT; new last year
#   D       -      50    80    30     2023      retained, downgraded (-50); repeat
#   E      500     -     -     -      2022      SYBUNT (gave before 2024, not 2024 nor 2025)
#   F       -      40    -     60     2023      recaptured (+60)
#   G       -      -     -     25     2025      new (+25)
#   H       -      70    90    -      2023      lapsed (-90): LYBUNT; repeat
#   I      (only a gift after the as-of date: not a donor at all)
#
# Noise that must not count: C's pending 500 and E's refunded 75 in 2025, G's 1,000 and I's
# 40 dated after the as-of date.
#
#   D(2024) = {A, B, C, D, H} (5), D(2025) = {A, B, D, F, G} (5), D(2023) = {A, D, F, H}
#   donor retention      |{A, B, D}| / |D(2024)|          = 3/5
#   new-donor retention  first gift in 2024: {B, C}; B gave  = 1/2
#   repeat retention     D(2023) ∩ D(2024) = {A, D, H}; A, D gave = 2/3
#   dollar retention     (150 + 200 + 30) / (100 + 200 + 300 + 80 + 90) = 380/770 = 38/77
#   totals               2025: 150 + 200 + 30 + 60 + 25 = 465; 2024: 770; change -305
#                        = +25 (new) + 60 (recaptured) + 50 (up) + 0 - 50 (down) - 390 (lapsed)
AS_OF = date(2025, 6, 30)
ORGANISATION = [
    gift("A", "2023-03-01", "100"), gift("A", "2024-03-01", "100"),
    gift("A", "2025-01-10", "100"), gift("A", "2025-05-01", "50"),
    gift("B", "2024-04-01", "200"), gift("B", "2025-04-01", "200"),
    gift("C", "2024-05-01", "300"), gift("C", "2025-05-01", "500", status="pending"),
    gift("D", "2023-06-01", "50"), gift("D", "2024-06-01", "80"), gift("D", "2025-06-01", "30"),
    gift("E", "2022-12-01", "500"), gift("E", "2025-02-01", "75", status="refunded"),
    gift("F", "2023-07-01", "40"), gift("F", "2025-06-30", "60"),
    gift("G", "2025-01-01", "25"), gift("G", "2025-07-01", "1000"),
    gift("H", "2023-08-01", "70"), gift("H", "2024-08-01", "90"),
    gift("I", "2025-08-01", "40"),
]


@pytest.fixture
def org() -> fr.Giving:
    return fr.giving(donations(*ORGANISATION), AS_OF)


@pytest.fixture
def org_people() -> pd.DataFrame:
    return people(*"ABCDEFGHI")


# ------------------------------------------------------------------ which gifts count


@pytest.mark.parametrize(("status", "counted"), [
    ("completed", True), ("pending", False), ("refunded", False),
])
def test_only_completed_gifts_count(status: str, counted: bool) -> None:
    g = fr.giving(donations(gift("P1", "2025-01-05", "10", status=status)), AS_OF)
    assert g.donors(2025) == (["P1"] if counted else [])


@pytest.mark.parametrize(("day", "counted"), [
    ("2025-06-29", True), ("2025-06-30", True), ("2025-07-01", False),
])
def test_a_gift_after_the_as_of_date_does_not_count(day: str, counted: bool) -> None:
    g = fr.giving(donations(gift("P1", day, "10")), AS_OF)
    assert fr.year_summary(g).total == (Decimal("10") if counted else 0)


def test_a_gift_without_an_amount_or_a_date_is_left_out() -> None:
    frame = donations(gift("P1", "2025-01-05", ""), gift("P2", "", "10"),
                      gift("P3", "2025-01-05", "7.5"))
    assert fr.giving(frame, AS_OF).donors(2025) == ["P3"]


@pytest.mark.parametrize(("start", "day", "year"), [
    (1, "2025-01-01", 2025),
    (1, "2024-12-31", 2024),
    (7, "2024-07-01", 2025),  # the first day of FY2025
    (7, "2025-06-30", 2025),  # the last day of FY2025
    (7, "2024-06-30", 2024),  # the last day of FY2024
    (7, "2025-07-01", 2026),  # the first day of FY2026
])
def test_a_gift_belongs_to_the_calendar_or_fiscal_year_of_its_date(
    start: int, day: str, year: int
) -> None:
    g = fr.giving(donations(gift("P1", day, "10")), date(2025, 12, 31), fiscal_year_start=start)
    assert [y for y in range(2023, 2028) if g.donors(y)] == [year]


def test_fiscal_year_to_date_runs_from_july_to_the_as_of_date() -> None:
    frame = donations(gift("P1", "2024-06-30", "1"), gift("P2", "2024-07-01", "10"),
                      gift("P3", "2025-06-30", "100"), gift("P4", "2025-07-01", "1000"))
    summary = fr.year_summary(fr.giving(frame, AS_OF, fiscal_year_start=7))
    assert (summary.label, summary.period) == ("FY2025", Period(date(2024, 7, 1), AS_OF))
    assert (summary.total, summary.donors, summary.gifts) == (Decimal("110"), 2, 2)


# ------------------------------------------------------------ lapsed donors, retention


def test_donors_of_a_year_and_their_totals(org: fr.Giving) -> None:
    assert org.donors(2025) == ["A", "B", "D", "F", "G"]
    assert org.totals(2024).to_dict() == {"A": 100, "B": 200, "C": 300, "D": 80, "H": 90}
    assert repr(org) == "Giving(as_of=2025-06-30, fiscal_year_start=1, gifts=16, donors=8)"


def test_lybunt_and_sybunt_ids(org: fr.Giving) -> None:
    assert fr.lybunt_ids(org) == ["C", "H"]
    assert fr.sybunt_ids(org) == ["E"]


def test_retention_rates_on_the_hand_worked_organisation(org: fr.Giving) -> None:
    rates = fr.retention(org)
    assert (rates.donors_retained, rates.donors_last_year) == (3, 5)
    assert rates.donor_rate == Fraction(3, 5)
    assert rates.new_donor_rate == Fraction(1, 2)
    assert rates.repeat_donor_rate == Fraction(2, 3)
    assert (rates.dollars_retained, rates.dollars_last_year) == (Decimal(380), Decimal(770))
    assert rates.dollar_rate == Fraction(38, 77)


def test_retention_of_an_earlier_year(org: fr.Giving) -> None:
    # into 2024: D(2023) = {A, D, F, H}, of whom A, D, H gave in 2024; nobody was new in 2023
    # except A, D, F, H themselves (first gifts in 2023): the same 3 of 4.
    rates = fr.retention(org, 2024)
    assert rates.donor_rate == Fraction(3, 4)
    assert rates.new_donor_rate == Fraction(3, 4)
    assert rates.repeat_donor_rate is None  # nobody gave in both 2022 and 2023


def test_rates_with_nothing_to_divide_by_are_none() -> None:
    rates = fr.retention(fr.giving(donations(gift("P1", "2025-01-05", "10")), AS_OF))
    assert (rates.donor_rate, rates.new_donor_rate, rates.repeat_donor_rate,
            rates.dollar_rate) == (None, None, None, None)


def test_gains_and_losses_on_the_hand_worked_organisation(org: fr.Giving) -> None:
    table = fr.gains_losses(org).set_index("category")
    assert list(table.index) == list(fr.GAINS_LOSSES)
    assert table["donors"].to_dict() == {"new": 1, "recaptured": 1, "upgraded": 1, "same": 1,
                                         "downgraded": 1, "lapsed": 2}
    assert table["change"].to_dict() == {
        "new": Decimal(25), "recaptured": Decimal(60), "upgraded": Decimal(50),
        "same": Decimal(0), "downgraded": Decimal(-50), "lapsed": Decimal(-390)}
    assert table.loc["lapsed", "last_year"] == Decimal(390)
    assert sum(table["change"]) == Decimal(465 - 770)


def test_lybunt_list_has_contact_and_last_gift(org: fr.Giving, org_people: pd.DataFrame) -> None:
    frame = fr.lybunt(org, org_people)
    assert list(frame.columns) == ["person_id", "name", "email", "last_gift_date",
                                   "last_gift_amount", "total_last_year"]
    assert frame.to_dict("records") == [  # biggest last-year giver first
        {"person_id": "C", "name": "FirstC Last", "email": "c@example.org",
         "last_gift_date": pd.Timestamp("2024-05-01"), "last_gift_amount": Decimal(300),
         "total_last_year": Decimal(300)},
        {"person_id": "H", "name": "FirstH Last", "email": "h@example.org",
         "last_gift_date": pd.Timestamp("2024-08-01"), "last_gift_amount": Decimal(90),
         "total_last_year": Decimal(90)},
    ]


def test_sybunt_list_ignores_refunds_and_names_unknown_people(org: fr.Giving) -> None:
    frame = fr.sybunt(org, people("A"))  # E is missing from the people tab
    assert frame.to_dict("records") == [
        {"person_id": "E", "name": "(E)", "email": "",
         "last_gift_date": pd.Timestamp("2022-12-01"), "last_gift_amount": Decimal(500),
         "total_last_year": Decimal(0)}]


# ----------------------------------------------------------------------- giving levels


def test_giving_levels_on_the_hand_worked_organisation(org: fr.Giving) -> None:
    levels = fr.giving_levels(org)
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
    levels = fr.giving_levels(g)
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
    assert fr.level_labels(tops, currency) == labels


# --------------------------------------------------------------------------- exactness


def test_a_hundred_thousand_dimes_add_up_to_the_cent() -> None:
    # 100,000 gifts of 0.10, 0.20 and 0.70 in turn (33,334 + 33,333 + 33,333 of them):
    # 3,333.40 + 6,666.60 + 23,333.10 = 33,333.10 exactly. In floats the same sum drifts.
    amounts = ["0.10", "0.20", "0.70"]
    frame = donations(*(gift(f"P{i % 500}", "2025-03-01", amounts[i % 3])
                        for i in range(100_000)))
    g = fr.giving(frame, AS_OF)
    assert fr.year_summary(g).total == Decimal("33333.10")
    assert sum(fr.giving_levels(g)["dollars"]) == Decimal("33333.10")
    assert sum(float(a) for a in frame["amount"]) != 33333.10


def test_amounts_too_precise_for_64_bit_cents_stay_exact() -> None:
    frame = donations(gift("P1", "2025-01-05", "0.000000000000000001"),
                      gift("P2", "2025-01-05", "1000000000000"),
                      gift("P2", "2025-02-05", "1000000000000"))
    g = fr.giving(frame, AS_OF)
    assert fr.year_summary(g).total == Decimal("2000000000000.000000000000000001")
    assert list(fr.giving_levels(g)["donors"]) == [1, 0, 0, 0, 1]
    assert fr.top_donors(g, people("P1", "P2"))["total"].tolist() == [
        Decimal("2000000000000"), Decimal("0.000000000000000001")]


gift_rows = st.lists(
    st.tuples(
        st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6"]),
        st.dates(min_value=date(2021, 1, 1), max_value=date(2025, 12, 31)),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("60000"), places=2),
        st.sampled_from(["completed", "completed", "pending", "refunded"]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(gift_rows, st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)),
       st.sampled_from([1, 4, 7]))
def test_the_reports_agree_with_counting_by_hand(
    rows: list[tuple[str, date, Decimal, str]], as_of: date, start: int
) -> None:
    frame = donations(*(gift(p, d.isoformat(), str(a), status=s) for p, d, a, s in rows))
    g = fr.giving(frame, as_of, fiscal_year_start=start)
    calendar = FiscalCalendar(start)
    this = calendar.year_of(as_of)
    counted = [(p, calendar.year_of(d), a) for p, d, a, s in rows
               if s == "completed" and d <= as_of]

    def donors(year: int) -> set[str]:
        return {p for p, y, _ in counted if y == year}

    year_total = sum((a for _, y, a in counted if y == this), Decimal(0))
    levels = fr.giving_levels(g)
    assert sum(levels["dollars"]) == year_total
    assert levels["donors"].sum() == len(donors(this))
    lapsed = donors(this - 1) - donors(this)
    assert fr.lybunt_ids(g) == sorted(lapsed)
    earlier = {p for p, y, _ in counted if y < this - 1}
    assert fr.sybunt_ids(g) == sorted(earlier - donors(this - 1) - donors(this))
    kept = donors(this - 1) & donors(this)
    expected = Fraction(len(kept), len(donors(this - 1))) if donors(this - 1) else None
    assert fr.retention(g).donor_rate == expected
    table = fr.gains_losses(g)
    last_total = sum((a for _, y, a in counted if y == this - 1), Decimal(0))
    assert sum(table["change"]) == year_total - last_total
    assert table.set_index("category").loc["lapsed", "donors"] == len(lapsed)


# ------------------------------------------------------------- where the money comes from


def test_campaign_progress_counts_only_completed_gifts_carrying_its_id() -> None:
    campaigns = _frame("campaigns", [
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
    progress = fr.campaign_progress(fr.giving(frame, AS_OF), campaigns).set_index("campaign_id")
    assert progress["raised"].to_dict() == {"C1": Decimal(500), "C2": Decimal(100), "C3": 0}
    assert progress["share"].to_dict() == {"C1": Fraction(1, 2), "C2": None, "C3": 0}
    assert progress["donors"].to_dict() == {"C1": 2, "C2": 1, "C3": 0}
    assert progress["gifts"].to_dict() == {"C1": 2, "C2": 2, "C3": 0}


def test_giving_by_fund_and_method_this_year_to_date() -> None:
    frame = donations(
        gift("P1", "2025-01-05", "10.50", fund="General", method="cash"),
        gift("P1", "2025-02-05", "20", fund="General", method="card"),
        gift("P2", "2025-03-05", "100", fund="Roof", method="card"),
        gift("P3", "2025-03-05", "5", method="cash"),
        gift("P3", "2024-03-05", "1000", fund="Roof"),  # last year
    )
    g = fr.giving(frame, AS_OF)
    by_fund = fr.giving_by_fund(g)
    assert by_fund.to_dict("list") == {"fund": ["Roof", "General", ""],
                                       "dollars": [Decimal(100), Decimal("30.50"), Decimal(5)],
                                       "gifts": [1, 2, 1], "donors": [1, 1, 1]}
    by_method = fr.giving_by_method(g)
    assert by_method.to_dict("list")["method"] == ["card", "cash"]
    assert by_method.to_dict("list")["dollars"] == [Decimal(120), Decimal("15.50")]
    whole_2024 = fr.giving_by_fund(g, FiscalCalendar().period(2024))
    assert whole_2024.to_dict("list")["dollars"] == [Decimal(1000)]


def test_top_donors_rank_by_total_in_the_period_with_names() -> None:
    frame = donations(
        gift("P1", "2025-01-05", "50"), gift("P1", "2025-02-05", "50"),
        gift("P2", "2025-01-05", "100"),
        gift("P3", "2025-01-05", "300"),
        gift("P4", "2025-01-05", "10"),
        gift("P4", "2024-01-05", "5000"),  # last year: not in this year's ranking
    )
    top = fr.top_donors(fr.giving(frame, AS_OF), people("P1", "P2", "P3", "P4"), limit=3)
    assert top["person_id"].tolist() == ["P3", "P1", "P2"]  # P1 and P2 tie: by id
    assert top["name"].tolist() == ["FirstP3 Last", "FirstP1 Last", "FirstP2 Last"]
    assert top["total"].tolist() == [Decimal(300), Decimal(100), Decimal(100)]
    assert top["gifts"].tolist() == [1, 2, 1]
    assert top["last_gift_date"].tolist() == [pd.Timestamp("2025-01-05"),
                                              pd.Timestamp("2025-02-05"),
                                              pd.Timestamp("2025-01-05")]


# ------------------------------------------------------------------- through the year


def test_monthly_totals_line_up_fiscal_months_of_both_years() -> None:
    frame = donations(
        gift("P1", "2023-07-15", "10"),   # FY2024, month 1 (July)
        gift("P1", "2024-06-15", "20"),   # FY2024, month 12 (June)
        gift("P2", "2024-07-01", "30"),   # FY2025, month 1
        gift("P2", "2024-07-31", "0.05"),
        gift("P3", "2024-09-10", "40"),   # FY2025, month 3
    )
    monthly = fr.monthly_totals(fr.giving(frame, date(2024, 9, 30), fiscal_year_start=7))
    assert monthly["month_name"].tolist()[:3] == ["Jul", "Aug", "Sep"]
    assert monthly["this_year"].tolist()[:4] == [Decimal("30.05"), 0, Decimal(40), None]
    assert monthly["this_year"].iloc[3:].isna().all()  # October on: not yet happened
    assert monthly["last_year"].iloc[[0, 11]].tolist() == [Decimal(10), Decimal(20)]
    assert monthly["this_year_gifts"].tolist()[:3] == [2, 0, 1]
    assert monthly["this_year_to_date"].iloc[2] == Decimal("70.05")
    assert monthly["last_year_to_date"].iloc[11] == Decimal(30)


@pytest.mark.parametrize(("as_of", "this_total", "last_total"), [
    # to 2024-02-29 (day 60) against 2023-01-01..2023-03-01: the 1 March gift is in
    (date(2024, 2, 29), Decimal("4"), Decimal("1.25")),
    # to 2025-03-01 (day 60) against 2024-01-01..2024-02-29: the leap-day gift is in
    (date(2025, 3, 1), Decimal("16"), Decimal("4")),
    # to 2024-02-28 (day 59) against 2023-01-01..2023-02-28
    (date(2024, 2, 28), Decimal("0"), Decimal("0.25")),
])
def test_year_to_date_compares_the_same_number_of_days(
    as_of: date, this_total: Decimal, last_total: Decimal
) -> None:
    frame = donations(
        gift("P1", "2023-02-28", "0.25"), gift("P1", "2023-03-01", "1"),
        gift("P1", "2023-03-02", "2"),
        gift("P2", "2024-02-29", "4"), gift("P2", "2024-03-01", "8"),
        gift("P3", "2025-02-28", "16"), gift("P3", "2025-03-02", "32"),
    )
    ytd = fr.year_to_date(fr.giving(frame, as_of))
    assert (ytd.this_year.total, ytd.last_year.total) == (this_total, last_total)
    assert ytd.last_year.period.end == FiscalCalendar().same_point(as_of)


def test_year_to_date_summary_of_this_year_and_last(org: fr.Giving) -> None:
    # this year to 2025-06-30: 6 gifts from 5 donors, 465 (average 77.50). 2025-06-30 is
    # day 181, and day 181 of leap 2024 is 2024-06-29: A 100, B 200, C 300, D 80 by then.
    ytd = fr.year_to_date(org)
    assert (ytd.this_year.total, ytd.this_year.donors, ytd.this_year.gifts) == (465, 5, 6)
    assert ytd.this_year.average_gift == Decimal("77.50")
    assert ytd.this_year.retention == Fraction(3, 5)
    assert ytd.last_year.period == Period(date(2024, 1, 1), date(2024, 6, 29))
    assert (ytd.last_year.total, ytd.last_year.donors) == (680, 4)
    assert ytd.last_year.retention == Fraction(2, 4)  # D(2023) = {A, D, F, H}: A and D
    assert ytd.table()["metric"].tolist() == ["Total given", "Donors", "Gifts",
                                              "Average gift", "Donor retention"]


@pytest.mark.parametrize(("amounts", "average"), [
    (["10", "10", "10.01"], Decimal("10.00")),  # 10.00333...
    (["0.01", "0.02"], Decimal("0.02")),         # 0.015: half to even
    (["0.03", "0.02"], Decimal("0.02")),         # 0.025: half to even
    (["5", "6"], Decimal("5.50")),               # whole amounts still average to the cent
])
def test_the_average_gift_is_rounded_to_the_cent(amounts: list[str], average: Decimal) -> None:
    frame = donations(*(gift("P1", "2025-01-05", a) for a in amounts))
    assert fr.year_summary(fr.giving(frame, AS_OF)).average_gift == average


# --------------------------------------------------------------------------- one donor


@pytest.mark.parametrize(("person", "lybunt", "sybunt"), [
    ("A", False, False), ("C", True, False), ("E", False, True), ("F", False, False),
])
def test_donor_summary_flags(org: fr.Giving, person: str, lybunt: bool, sybunt: bool) -> None:
    summary = fr.donor_summary(org, person)
    assert (summary.lybunt, summary.sybunt) == (lybunt, sybunt)


def test_donor_summary_history(org: fr.Giving) -> None:
    summary = fr.donor_summary(org, "A")
    assert summary.by_year.to_dict("list") == {
        "year": [2023, 2024, 2025], "label": ["2023", "2024", "2025"],
        "total": [Decimal(100), Decimal(100), Decimal(150)], "gifts": [1, 1, 2]}
    assert (summary.total, summary.gifts) == (Decimal(350), 4)
    assert (summary.first_gift_date, summary.first_gift_amount) == (date(2023, 3, 1), 100)
    assert (summary.last_gift_date, summary.last_gift_amount) == (date(2025, 5, 1), 50)
    assert (summary.largest_gift_date, summary.largest_gift_amount) == (date(2023, 3, 1), 100)


def test_someone_who_never_gave_has_an_empty_summary(org: fr.Giving) -> None:
    summary = fr.donor_summary(org, "I")  # only a gift after the as-of date
    assert summary.by_year.empty and summary.total == 0 and summary.gifts == 0
    assert summary.first_gift_date is None and summary.largest_gift_amount is None
    assert not summary.lybunt and not summary.sybunt


def test_an_empty_ledger_gives_empty_reports() -> None:
    g = fr.giving(donations(), AS_OF)
    assert fr.lybunt_ids(g) == [] and fr.retention(g).donor_rate is None
    assert fr.giving_levels(g)["donors"].sum() == 0
    assert fr.gains_losses(g)["donors"].sum() == 0
    assert fr.top_donors(g, people()).empty and fr.giving_by_fund(g).empty
    assert fr.year_to_date(g).this_year.average_gift is None
    assert fr.monthly_totals(g)["last_year"].tolist() == [0] * 12


# ------------------------------------------------------------------------------ figures


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
    figure = charts.pyramid_figure(fr.giving_levels(org))
    donors, dollars = figure.data
    assert donors.orientation == "h" and donors.y[0] == "Up to $100"
    assert donors.x == (3.0, 2.0, 0.0, 0.0, 0.0)
    assert dollars.x == (115.0, 350.0, 0.0, 0.0, 0.0)


def test_campaign_figure_draws_raised_over_goal() -> None:
    campaigns = _frame("campaigns", [{"id": "C1", "name": "Roof", "goal": "1000"},
                                     {"id": "C2", "name": "Gala"}])
    frame = donations(gift("P1", "2025-01-05", "250", campaign_id="C1"))
    figure = charts.campaign_figure(fr.campaign_progress(fr.giving(frame, AS_OF), campaigns))
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
    figure = charts.fund_figure(fr.giving_by_fund(fr.giving(frame, AS_OF)))
    assert figure.data[0].x == ("Roof", "(none)") and figure.data[0].y == (10.0, 5.0)
    assert charts.method_figure(fr.giving_by_method(fr.giving(frame, AS_OF))).data[0].x == (
        "(none)",)


# --------------------------------------------------------------------------------- demo


def test_every_report_and_figure_runs_on_the_demo_workbook() -> None:
    store = SQLiteStore(":memory:")
    load_demo(store, as_of=DEFAULT_AS_OF)
    book = store.load()
    setup = book.settings
    g = fr.giving(book.frame("donations"), DEFAULT_AS_OF, setup.fiscal_year_start)
    levels = fr.giving_levels(g, setup.giving_levels)
    summary = fr.year_summary(g)
    assert sum(levels["dollars"]) == summary.total > 0
    assert levels["donors"].sum() == summary.donors
    table = fr.gains_losses(g)
    assert sum(table["change"]) == summary.total - fr.year_summary(g, g.last_year).total
    assert fr.lybunt(g, book.frame("people"))["person_id"].tolist() != []
    assert sorted(fr.sybunt(g, book.frame("people"))["person_id"]) == fr.sybunt_ids(g)
    rates = fr.retention(g)
    assert rates.donor_rate is not None and 0 < rates.donor_rate < 1
    progress = fr.campaign_progress(g, book.frame("campaigns"))
    assert len(progress) == len(book.frame("campaigns")) and progress["raised"].sum() > 0
    assert len(fr.top_donors(g, book.frame("people"))) == 10
    this, last = g.label(g.this_year), g.label(g.last_year)
    figures = [
        charts.monthly_figure(fr.monthly_totals(g), this, last),
        charts.monthly_figure(fr.monthly_totals(g), this, last, running=True),
        charts.pyramid_figure(levels), charts.campaign_figure(progress),
        charts.gains_losses_figure(table, this, last),
        charts.fund_figure(fr.giving_by_fund(g)), charts.method_figure(fr.giving_by_method(g)),
    ]
    assert all(figure.data and figure.layout.title.text for figure in figures)
    assert fr.year_to_date(g).table()["this_year"].iloc[0] == summary.total


# ------------------------------------------------------------------ segments, campaigns


def test_the_ledger_lives_in_its_own_module_and_is_re_exported() -> None:
    from reports import ledger

    assert fr.Giving is ledger.Giving and fr.giving is ledger.giving
    assert ledger.as_decimal(12345, 2) == Decimal("123.45")


def test_campaign_donors_gifts_and_ids() -> None:
    frame = donations(
        gift("P2", "2025-01-05", "100", campaign_id="C1"),
        gift("P1", "2025-02-05", "30", campaign_id="C1"),
        gift("P1", "2025-03-05", "70", campaign_id="C1"),
        gift("P3", "2025-03-05", "500", campaign_id="C1", status="refunded"),
        gift("P3", "2025-03-06", "5", campaign_id="C2"),
    )
    g = fr.giving(frame, AS_OF)
    assert fr.campaign_donor_ids(g, "C1") == ["P1", "P2"]
    assert fr.campaign_donor_ids(g, "C9") == []
    donors = fr.campaign_donors(g, people("P1", "P2", "P3"), "C1")
    assert donors["person_id"].tolist() == ["P1", "P2"]  # 100 each: ties by id
    assert donors["total"].tolist() == [Decimal(100), Decimal(100)]
    assert donors["gifts"].tolist() == [2, 1]
    assert donors["last_gift_date"].tolist() == [pd.Timestamp("2025-03-05"),
                                                 pd.Timestamp("2025-01-05")]
    gifts = fr.campaign_gifts(g, people("P1", "P2"), "C1")
    assert gifts["amount"].tolist() == [Decimal(70), Decimal(30), Decimal(100)]  # newest first
    assert gifts["name"].tolist() == ["FirstP1 Last", "FirstP1 Last", "FirstP2 Last"]


def test_lapsed_recurring_ids_follow_the_rule_not_the_stored_status() -> None:
    schedules = _frame("recurring_gifts", [
        {"id": "R1", "person_id": "A", "amount": "10", "next_date": "2025-06-01"},  # 29 late
        {"id": "R2", "person_id": "B", "amount": "10", "next_date": "2025-06-25",
         "status": "lapsed"},  # 5 days: active again
        {"id": "R3", "person_id": "C", "amount": "10", "next_date": "2025-01-01"},  # closed
        {"id": "R4", "person_id": "D", "amount": "10", "next_date": "2025-06-01",
         "status": "paused"},
        {"id": "R5", "person_id": "E", "amount": "10", "next_date": "2025-06-01"},
        {"id": "R6", "person_id": "E", "amount": "10", "next_date": "2025-07-01"},  # E still gives
    ])
    assert fr.lapsed_recurring_ids(schedules, AS_OF, lapse_days=15, close_days=90) == ["A"]


def test_the_campaigns_of_a_year_are_those_that_ran_in_it() -> None:
    campaigns = _frame("campaigns", [
        {"id": "C1", "name": "Old", "start_date": "2023-01-01", "end_date": "2023-12-31"},
        {"id": "C2", "name": "Spans", "start_date": "2024-11-01", "end_date": "2025-01-31"},
        {"id": "C3", "name": "Undated"},
        {"id": "C4", "name": "Later", "start_date": "2025-08-01"},
    ])
    g = fr.giving(donations(), AS_OF)
    progress = fr.campaign_progress(g, campaigns)
    assert fr.campaigns_in(progress, g.period(2025))["campaign_id"].tolist() == ["C2", "C3"]


def test_the_dashboard_gathers_every_table_from_one_giving(org: fr.Giving,
                                                           org_people: pd.DataFrame) -> None:
    campaigns = _frame("campaigns", [{"id": "C1", "name": "Roof", "goal": "1000"}])
    board = fr.dashboard(org, org_people, campaigns, top=3)
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
    frame = _frame("donations", rows)
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
    board = fr.dashboard(g, _frame("people", []), _frame("campaigns", []))
    assert sum(board.levels["dollars"]) == by_hand[DEFAULT_AS_OF.year]
    assert sum(board.by_fund["dollars"]) == sum(board.by_method["dollars"]) == by_hand[
        DEFAULT_AS_OF.year]


def test_standing_gifts_list_names_lateness_and_what_the_rule_says() -> None:
    schedules = _frame("recurring_gifts", [
        {"id": "R1", "person_id": "A", "amount": "20", "next_date": "2025-06-01"},
        {"id": "R2", "person_id": "Z", "amount": "5", "next_date": "2025-07-10"},
        {"id": "R3", "person_id": "B", "amount": "9", "status": "closed"},
    ])
    table = fr.standing_gifts(schedules, people("A", "B"), AS_OF, 15, 90)
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
    campaigns = _frame("campaigns", [{"id": "C1", "name": "Roof"}])
    table = fr.thank_you_list(gifts, people("A"), campaigns)
    assert table[["date", "donor", "amount", "campaign", "tribute"]].to_dict("records") == [
        {"date": date(2025, 1, 5), "donor": "FirstA Last", "amount": Decimal(250),
         "campaign": "Roof", "tribute": "in memory of Ann"},
        {"date": date(2025, 1, 6), "donor": "(Q)", "amount": Decimal(10), "campaign": "",
         "tribute": ""}]


def test_a_campaign_or_fund_named_like_markup_stays_text_in_charts() -> None:
    import pandas as pd

    from reports.charts import campaign_figure, giving_by_figure

    progress = pd.DataFrame({"name": ['<a href="http://evil.example">Gala</a>'],
                             "goal": [Decimal(100)], "raised": [Decimal(50)],
                             "share": [Fraction(1, 2)]})
    figure = campaign_figure(progress)
    assert all("<a" not in str(name) for name in figure.data[0].y)
    by_fund = pd.DataFrame({"fund": ["<b>x</b>"], "dollars": [Decimal(1)], "gifts": [1],
                            "donors": [1]})
    assert giving_by_figure(by_fund, "fund", "t", "Fund").data[0].x[0] == "&lt;b&gt;x&lt;/b&gt;"

"""Fundraising reports: completed gifts only, calendar and fiscal years, LYBUNT and SYBUNT,
retention, gains and losses, months, year to date and one donor's view, on the hand-worked
organisation of `donors.py`; every amount exact to the cent, and every report on the demo."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import DEFAULT_AS_OF
from reports import campaigns as rc
from reports import charts
from reports import fundraising as fr
from reports import giving_breakdown as gb
from reports.fiscal import FiscalCalendar, Period
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore
from tests.test_reports.donors import AS_OF, donations, gift, people


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


def test_a_hundred_thousand_dimes_add_up_to_the_cent() -> None:
    # 100,000 gifts of 0.10, 0.20 and 0.70 in turn (33,334 + 33,333 + 33,333 of them):
    # 3,333.40 + 6,666.60 + 23,333.10 = 33,333.10 exactly. In floats the same sum drifts.
    amounts = ["0.10", "0.20", "0.70"]
    frame = donations(*(gift(f"P{i % 500}", "2025-03-01", amounts[i % 3])
                        for i in range(100_000)))
    g = fr.giving(frame, AS_OF)
    assert fr.year_summary(g).total == Decimal("33333.10")
    assert sum(gb.giving_levels(g)["dollars"]) == Decimal("33333.10")
    assert sum(float(a) for a in frame["amount"]) != 33333.10


def test_amounts_too_precise_for_64_bit_cents_stay_exact() -> None:
    frame = donations(gift("P1", "2025-01-05", "0.000000000000000001"),
                      gift("P2", "2025-01-05", "1000000000000"),
                      gift("P2", "2025-02-05", "1000000000000"))
    g = fr.giving(frame, AS_OF)
    assert fr.year_summary(g).total == Decimal("2000000000000.000000000000000001")
    assert list(gb.giving_levels(g)["donors"]) == [1, 0, 0, 0, 1]
    assert gb.top_donors(g, people("P1", "P2"))["total"].tolist() == [
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
    levels = gb.giving_levels(g)
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
    assert gb.giving_levels(g)["donors"].sum() == 0
    assert fr.gains_losses(g)["donors"].sum() == 0
    assert gb.top_donors(g, people()).empty and gb.giving_by_fund(g).empty
    assert fr.year_to_date(g).this_year.average_gift is None
    assert fr.monthly_totals(g)["last_year"].tolist() == [0] * 12


def test_every_report_and_figure_runs_on_the_demo_workbook() -> None:
    store = SQLiteStore(":memory:")
    load_demo(store, as_of=DEFAULT_AS_OF)
    book = store.load()
    setup = book.settings
    g = fr.giving(book.frame("donations"), DEFAULT_AS_OF, setup.fiscal_year_start)
    levels = gb.giving_levels(g, setup.giving_levels)
    summary = fr.year_summary(g)
    assert sum(levels["dollars"]) == summary.total > 0
    assert levels["donors"].sum() == summary.donors
    table = fr.gains_losses(g)
    assert sum(table["change"]) == summary.total - fr.year_summary(g, g.last_year).total
    assert fr.lybunt(g, book.frame("people"))["person_id"].tolist() != []
    assert sorted(fr.sybunt(g, book.frame("people"))["person_id"]) == fr.sybunt_ids(g)
    rates = fr.retention(g)
    assert rates.donor_rate is not None and 0 < rates.donor_rate < 1
    progress = rc.campaign_progress(g, book.frame("campaigns"))
    assert len(progress) == len(book.frame("campaigns")) and progress["raised"].sum() > 0
    assert len(gb.top_donors(g, book.frame("people"))) == 10
    this, last = g.label(g.this_year), g.label(g.last_year)
    figures = [
        charts.monthly_figure(fr.monthly_totals(g), this, last),
        charts.monthly_figure(fr.monthly_totals(g), this, last, running=True),
        charts.pyramid_figure(levels), charts.campaign_figure(progress),
        charts.gains_losses_figure(table, this, last),
        charts.fund_figure(gb.giving_by_fund(g)), charts.method_figure(gb.giving_by_method(g)),
    ]
    assert all(figure.data and figure.layout.title.text for figure in figures)
    assert fr.year_to_date(g).table()["this_year"].iloc[0] == summary.total


def test_the_ledger_lives_in_its_own_module_and_is_re_exported() -> None:
    from reports import ledger

    assert fr.Giving is ledger.Giving and fr.giving is ledger.giving
    assert ledger.as_decimal(12345, 2) == Decimal("123.45")

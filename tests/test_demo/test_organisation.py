"""The demo organisation: deterministic, the sizes asked for, valid except where planted, and
shaped like a real one (December peak, Hangul names, memberships that renew on time)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from demo import (
    BAD_AMOUNT,
    BAD_DATE,
    BAD_HOURS,
    BAD_START,
    DEFAULT_AS_OF,
    FORMULA_NOTE,
    PLANTED_LOOKALIKES,
    PLANTED_PROBLEMS,
    UNKNOWN_PERSON,
    DemoSize,
    demo_workbook,
)
from sheets_schema import TABS, parse_tab, rows_to_raw, tab

Workbook = dict[str, list[dict[str, Any]]]
SMALL = DemoSize(people=300, donations=1600, memberships=120, volunteers=24)

#: The cell each planted problem spoils: (tab, id) -> (column, what was typed). "" is the row
#: itself (a person with no name breaks a rule about the whole row).
BAD_CELLS = {
    ("donations", "D000042"): ("amount", BAD_AMOUNT),
    ("donations", "D000077"): ("date", BAD_DATE),
    ("donations", "D000119"): ("id", "D000119"),
    ("memberships", "M0015"): ("start_date", BAD_START),
    ("people", "P00029"): ("", ""),
    ("volunteer_hours", "VH00023"): ("hours", BAD_HOURS),
}


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return demo_workbook(seed=7)


@pytest.fixture(scope="module")
def clean() -> Workbook:
    return demo_workbook(seed=7, size=replace(SMALL, bad_rows=False))


def _key(name: str, record: dict[str, Any]) -> str:
    return str(record[tab(name).key])


def _is_hangul(text: str) -> bool:
    return any("HANGUL" in unicodedata.name(ch, "") for ch in text)


def test_same_seed_gives_the_same_workbook() -> None:
    assert demo_workbook(seed=3, size=SMALL) == demo_workbook(seed=3, size=SMALL)
    assert demo_workbook(seed=3, size=SMALL) != demo_workbook(seed=4, size=SMALL)


def test_the_default_is_deterministic_too(workbook: Workbook) -> None:
    assert demo_workbook() == workbook


def test_every_tab_is_there(workbook: Workbook) -> None:
    assert list(workbook) == list(TABS)
    for name in ("segments", "mailings", "outbox", "audit_log", "suppressions"):
        assert workbook[name] == []


@pytest.mark.parametrize("size", [DemoSize(), SMALL])
def test_sizes_match_what_was_asked(size: DemoSize) -> None:
    rows = demo_workbook(seed=1, size=size)
    assert len(rows["people"]) == size.people
    assert len(rows["donations"]) == size.donations
    assert len(rows["memberships"]) == size.memberships
    assert len(rows["campaigns"]) == size.campaigns
    assert len(rows["volunteers"]) == size.volunteers
    assert len(rows["volunteer_hours"]) == size.volunteer_hours
    assert len(rows["volunteer_shifts"]) == size.volunteer_shifts
    assert len(rows["recurring_gifts"]) == size.recurring_gifts
    assert [r["id"] for r in rows["membership_levels"]] == ["L1", "L2", "L3"]


def test_scaled_grows_everything_with_donations() -> None:
    size = DemoSize.scaled(donations=100_000)
    assert (size.people, size.memberships, size.volunteers) == (18_750, 7_500, 1_500)
    assert (size.campaigns, size.years, size.bad_rows) == (12, 6, True)
    assert DemoSize.scaled(donations=8000) == DemoSize()


def test_every_record_validates_except_the_planted_ones(workbook: Workbook) -> None:
    invalid = set()
    for name, records in workbook.items():
        model = tab(name).model
        for record in records:
            try:
                model.model_validate(record)
            except ValidationError:
                invalid.add((name, _key(name, record)))
    spoiled = {key for key, (column, _) in BAD_CELLS.items() if column != "id"}
    assert invalid == spoiled
    assert spoiled <= {(p.tab, p.id) for p in PLANTED_PROBLEMS}


def test_without_bad_rows_everything_validates_and_parses(clean: Workbook) -> None:
    for name, records in clean.items():
        for record in records:
            tab(name).model.model_validate(record)
        assert parse_tab(name, rows_to_raw(name, records)).problems == []


def test_ids_are_readable_and_unique(workbook: Workbook) -> None:
    people = [p["id"] for p in workbook["people"]]
    assert people[:2] == ["P00001", "P00002"] and len(set(people)) == len(people)
    assert workbook["memberships"][0]["id"] == "M0001"
    assert workbook["campaigns"][0]["id"] == "C01"
    assert workbook["volunteer_hours"][0]["id"] == "VH00001"
    assert workbook["volunteer_shifts"][0]["id"] == "S001"
    assert workbook["recurring_gifts"][0]["id"] == "R001"
    donations = [d["id"] for d in workbook["donations"]]
    assert donations[0] == "D000001"
    assert len(donations) - len(set(donations)) == 1  # the planted double entry


def test_december_is_the_peak_and_june_the_second(workbook: Workbook) -> None:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for gift in workbook["donations"]:
        if gift["status"] == "completed" and isinstance(gift["amount"], Decimal):
            if isinstance(gift["date"], date):
                totals[gift["date"].month] += gift["amount"]
    others = [totals[month] for month in range(1, 12)]
    assert totals[12] > 2 * sum(others) / len(others)
    assert totals[6] > sum(totals[m] for m in (1, 2, 3, 7, 8)) / 5


def test_about_thirty_percent_of_names_are_hangul(workbook: Workbook) -> None:
    people = workbook["people"]
    hangul = [p for p in people if _is_hangul(p["first_name"] + p["last_name"])]
    assert 0.25 < len(hangul) / len(people) < 0.35
    assert {p["last_name"] for p in hangul} >= {"김", "이", "박"}
    organisations = [p for p in people if p["organization"] and not p["last_name"]]
    assert organisations


def test_contact_details_look_real(workbook: Workbook) -> None:
    people = workbook["people"]
    assert all(p["email"].split("@")[1].lower() in {"example.org", "example.com"}
               for p in people if p["email"])
    emails = [p["email"].casefold() for p in people if p["email"]]
    assert len(emails) - len(set(emails)) == 1  # only the planted Jon/John Smith
    postcodes = {p["postcode"] for p in people}
    assert "02139" in postcodes  # a ZIP with a leading zero
    assert any(len(code) == 5 and p["country"] == "KR" for p in people for code in [p["postcode"]])
    assert any(p["phone"].startswith(("010", "+82")) for p in people)
    assert any(p["household_id"] for p in people)
    assert any(p["deceased"] for p in people) and any(p["do_not_email"] for p in people)


def test_leading_zeros_survive_the_sheet(workbook: Workbook) -> None:
    parsed = parse_tab("people", rows_to_raw("people", workbook["people"]))
    assert "02139" in set(parsed.frame["postcode"])


def test_memberships_follow_the_renewal_rules(workbook: Workbook) -> None:
    """Every term's dates are what the membership rules give for the day it was paid: a
    renewal starts the day after the old end, a comeback on the day they paid (keeping the
    join date), and calendar-year terms end on December 31."""
    from itertools import pairwise

    from rules.membership_terms import next_term

    levels = {level["id"]: level for level in workbook["membership_levels"]}
    paid_on = {d["id"]: d["date"] for d in workbook["donations"]}
    terms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for term in workbook["memberships"]:
        terms[term["person_id"]].append(term)
    renewals = rejoins = 0
    for history in terms.values():
        if not all(isinstance(t["start_date"], date) for t in history):
            continue  # the planted unreadable start date
        history.sort(key=lambda t: t["start_date"])
        previous = None
        for term in history:
            assert (term["join_date"], term["start_date"], term["end_date"]) == next_term(
                levels[term["level_id"]], previous, paid_on[term["donation_id"]])
            previous = term
        for before, after in pairwise(history):
            assert after["start_date"] > before["end_date"]
            if after["start_date"] == before["end_date"] + timedelta(days=1):
                renewals += 1
            else:
                rejoins += 1
    assert renewals > 100 and rejoins > 5
    for term in workbook["memberships"]:
        level = levels[term["level_id"]]
        assert term["amount"] == level["fee"]
        start, end = term["start_date"], term["end_date"]
        if level["duration"] and isinstance(start, date):
            if level["period_type"] == "fixed":
                assert (end.month, end.day) == (12, 31) and end.year - start.year in (0, 1)
            else:
                following = end + timedelta(days=1)
                assert (following.year - start.year) * 12 + following.month - start.month == 12


def test_each_term_is_paid_by_a_membership_donation(workbook: Workbook) -> None:
    donations = {d["id"]: d for d in workbook["donations"]}
    for term in workbook["memberships"]:
        payment = donations[term["donation_id"]]
        assert payment["kind"] == "membership" and payment["amount"] == term["amount"]
        assert payment["person_id"] == term["person_id"]
    overrides = {t["status_override"] for t in workbook["memberships"]}
    assert {"Cancelled", "Pending", ""} <= overrides


def test_references_point_at_real_rows(workbook: Workbook) -> None:
    people = {p["id"] for p in workbook["people"]}
    campaigns = {c["id"] for c in workbook["campaigns"]}
    recurring = {r["id"] for r in workbook["recurring_gifts"]}
    orphans = [d["id"] for d in workbook["donations"] if d["person_id"] not in people]
    assert orphans == ["D000105"]
    assert {d["campaign_id"] for d in workbook["donations"]} <= campaigns | {""}
    assert {d["recurring_gift_id"] for d in workbook["donations"]} <= recurring | {""}
    assert {v["id"] for v in workbook["volunteers"]} <= people
    assert {h["person_id"] for h in workbook["volunteer_hours"]} <= people
    assert {p for s in workbook["volunteer_shifts"] for p in s["assigned"]} <= people


def test_campaigns_have_goals_and_one_is_active(workbook: Workbook) -> None:
    campaigns = workbook["campaigns"]
    assert [c["status"] for c in campaigns].count("active") == 1
    assert {c["kind"] for c in campaigns} == {"appeal", "event", "drive"}
    assert all(c["goal"] > 0 for c in campaigns)
    share = sum(bool(d["campaign_id"]) for d in workbook["donations"]) / 8000
    assert share > 0.5


def test_donors_come_and_go(workbook: Workbook) -> None:
    """Enough one-time, lapsed and loyal donors for LYBUNT, SYBUNT and retention to matter."""
    by_year: dict[int, set[str]] = defaultdict(set)
    for gift in workbook["donations"]:
        if gift["status"] == "completed" and gift["kind"] != "membership" and isinstance(
                gift["date"], date):
            by_year[gift["date"].year].add(gift["person_id"])
    for year in (2022, 2023, 2024, 2025):
        retained = len(by_year[year] & by_year[year + 1]) / len(by_year[year])
        assert 0.3 < retained < 0.8
    assert by_year[2025] - by_year[2026]  # LYBUNT as of 2026
    majors = [d for d in workbook["donations"] if isinstance(d["amount"], Decimal)
              and d["amount"] >= 5000]
    assert 3 <= len(majors) <= 40


def test_everything_happens_before_as_of(workbook: Workbook) -> None:
    for name in ("donations", "volunteer_hours"):
        days = [r["date"] for r in workbook[name] if isinstance(r["date"], date)]
        assert max(days) < DEFAULT_AS_OF
        assert min(days) >= date(2020, 11, 1)
    later = demo_workbook(seed=7, size=SMALL, as_of=date(2030, 3, 1))
    assert max(d["date"] for d in later["donations"] if isinstance(d["date"], date)) < date(
        2030, 3, 1)


def test_recurring_gifts_and_volunteers(workbook: Workbook) -> None:
    statuses = {r["status"] for r in workbook["recurring_gifts"]}
    assert {"active", "lapsed", "closed", "paused"} <= statuses
    assert any(d["recurring_gift_id"] for d in workbook["donations"])
    assert {v["status"] for v in workbook["volunteers"]} == {"prospect", "active", "inactive"}
    assert any(h["hours"] == Decimal("2.5") for h in workbook["volunteer_hours"])
    shift = workbook["volunteer_shifts"][0]
    assert shift["start"] < shift["end"] and len(shift["assigned"]) <= shift["places"]


def test_users_and_settings(workbook: Workbook) -> None:
    roles = {u["email"]: u["role"] for u in workbook["users"]}
    assert roles == {"admin@example.org": "admin", "staff@example.org": "staff",
                     "director@example.org": "director", "volunteer@example.org": "volunteer"}
    settings = {s["key"]: s["value"] for s in workbook["settings"]}
    assert settings["currency"] == "USD" and settings["grace_days"] == "30"
    assert settings["time_zone"] == "America/New_York" and settings["org_name"]


@pytest.fixture(scope="module")
def problems(workbook: Workbook) -> set[tuple[str, str, str, str]]:
    """Every row problem of the demo read back through the sheet path, as
    (tab, id, column, value)."""
    found = set()
    for name, records in workbook.items():
        raw = rows_to_raw(name, records)
        for problem in parse_tab(name, raw).problems:
            key = raw.loc[problem.row, tab(name).key]
            found.add((problem.tab, key, problem.column, problem.value))
    return found


@pytest.mark.parametrize(("where", "cell"), BAD_CELLS.items(), ids=[k for _, k in BAD_CELLS])
def test_planted_cells_are_row_problems(
    problems: set[tuple[str, str, str, str]], where: tuple[str, str], cell: tuple[str, str]
) -> None:
    (name, key), (column, typed) = where, cell
    assert any(p[:3] == (name, key, column) and (not typed or p[3] == typed) for p in problems)


def test_only_the_planted_cells_are_problems(problems: set[tuple[str, str, str, str]]) -> None:
    assert {(name, key) for name, key, _, _ in problems} == set(BAD_CELLS)


def test_planted_duplicates_are_there(workbook: Workbook) -> None:
    people = {p["id"]: p for p in workbook["people"]}
    john, jon = people["P00017"], people["P00018"]
    assert (john["first_name"], jon["first_name"]) == ("John", "Jon")
    assert john["email"] != jon["email"] and john["email"].casefold() == jon["email"].casefold()
    hangul, latin = people["P00043"], people["P00044"]
    assert (hangul["last_name"] + hangul["first_name"], latin["first_name"]) == ("김민준", "Minjun")
    assert hangul["phone"] == latin["phone"] != ""
    assert UNKNOWN_PERSON not in people
    doubled = [d for d in workbook["donations"] if d["id"] == "D000119"]
    assert len(doubled) == 2 and doubled[0] == doubled[1]


def test_the_formula_looking_note_is_kept_as_text(workbook: Workbook) -> None:
    (lookalike,) = PLANTED_LOOKALIKES
    raw = rows_to_raw("donations", workbook["donations"])
    parsed = parse_tab("donations", raw)
    row = parsed.frame[parsed.frame["id"] == lookalike.id]
    assert list(row["note"]) == [FORMULA_NOTE]
    assert FORMULA_NOTE.startswith("=HYPERLINK(")
    assert not [p for p in parsed.problems if p.column == "note"]


def test_bad_rows_need_room_for_the_planted_ids() -> None:
    with pytest.raises(ValueError, match="bad_rows"):
        demo_workbook(size=DemoSize(people=20, donations=50, memberships=5, volunteers=2))
    tiny = demo_workbook(size=DemoSize(people=20, donations=50, memberships=5, volunteers=2,
                                       campaigns=3, bad_rows=False))
    assert len(tiny["donations"]) == 50

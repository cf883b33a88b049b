"""Membership reports on a small hand-built organisation (`members.py`: one person in each
situation), on the demo, and against the rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demo import DEFAULT_AS_OF
from reports.export import to_xlsx
from reports.membership import (
    contact_names,
    filtered,
    in_grace,
    lapsed_within,
    latest_terms,
    membership_health,
    reminder_records,
    reminders_due,
    reminders_of,
    renewal_outcomes,
    renewal_rate,
    renewals_due,
    sent_reminders,
)
from rules.membership_terms import Status, person_status
from rules.people import display_name
from sheets_schema import parse_tab, rows_to_raw
from sheets_schema.workbook import Workbook
from tests.test_reports.members import (
    AS_OF,
    LEVELS,
    STATUSES,
    TERMS,
    D,
    frame,
    person,
    term_rows,
)


def by_person(rows: pd.DataFrame, column: str) -> dict[str, Any]:
    return dict(zip(rows["person_id"], rows[column], strict=True))


def test_each_person_with_a_term_gets_one_row_with_their_status(latest: pd.DataFrame) -> None:
    assert by_person(latest, "status") == STATUSES   # P12 was deleted: not listed
    assert set(latest.loc[latest["is_member"], "person_id"]) == {
        "P1", "P2", "P3", "P9", "P10", "P11"}


@pytest.mark.parametrize(("start", "end", "on", "status"), [
    ("2024-03-15", "2025-03-14", D(2024, 3, 14), "Pending"),
    ("2024-03-15", "2025-03-14", D(2024, 6, 15), "New"),      # join + 3 months
    ("2024-03-15", "2025-03-14", D(2024, 6, 16), "Current"),
    ("2024-03-15", "2025-03-14", D(2025, 3, 14), "Current"),  # end
    ("2024-03-15", "2025-03-14", D(2025, 3, 15), "Grace"),    # end + 1
    ("2024-03-15", "2025-03-14", D(2025, 4, 13), "Grace"),    # end + grace_days
    ("2024-03-15", "2025-03-14", D(2025, 4, 14), "Expired"),  # end + grace_days + 1
    ("2024-02-29", "2025-02-28", D(2024, 5, 29), "New"),      # Feb 29 + 3 months
    ("2024-02-29", "2025-02-28", D(2024, 5, 30), "Current"),
    ("2024-11-30", "2025-11-29", D(2025, 2, 28), "New"),      # clamped to Feb 28
    ("2024-11-30", "2025-11-29", D(2025, 3, 1), "Current"),
])
def test_latest_terms_status_on_each_boundary_day(start: str, end: str, on: date,
                                                  status: str) -> None:
    terms = frame("memberships", term_rows([("M1", "P1", "L1", start, start, end, "")]))
    latest = latest_terms(terms, frame("people", [person(1)]),
                          frame("membership_levels", LEVELS), on, 30)
    assert list(latest["status"]) == [status]


def test_a_row_shows_the_newest_term_and_when_to_renew(latest: pd.DataFrame) -> None:
    p9 = latest.set_index("person_id").loc["P9"]
    assert (p9["term_id"], p9["paid_ahead"], p9["level_name"]) == ("M12", True, "Individual")
    assert p9["next_renewal"] == pd.Timestamp("2026-06-10")
    assert p9["grace_ends"] == pd.Timestamp("2026-07-09")
    lifetime = latest.set_index("person_id").loc["P10"]
    assert lifetime["level_name"] == "Lifetime" and pd.isna(lifetime["next_renewal"])


def test_frames_keep_the_typed_columns(latest: pd.DataFrame) -> None:
    assert latest["end_date"].dtype == "datetime64[ns]"
    assert latest["status"].dtype == object and latest["is_member"].dtype == bool
    assert latest["last_payment_amount"].iloc[0] == Decimal(50)


def test_the_last_payment_date_is_the_donations(terms: pd.DataFrame, people: pd.DataFrame,
                                                levels: pd.DataFrame) -> None:
    terms.loc[terms["id"] == "M14", "donation_id"] = "D1"
    donations = frame("donations", [{"id": "D1", "person_id": "P11", "date": "2024-06-18",
                                     "amount": "50", "kind": "membership"}])
    latest = latest_terms(terms, people, levels, AS_OF, 30, donations)
    assert by_person(latest, "last_payment_date")["P11"] == pd.Timestamp("2024-06-18")


def test_lists_of_who_is_due_in_grace_and_lapsed(latest: pd.DataFrame) -> None:
    assert list(renewals_due(latest, AS_OF, 30)["person_id"]) == ["P11"]  # P9 renewed early
    assert list(in_grace(latest)["person_id"]) == ["P3"]
    assert list(lapsed_within(latest, AS_OF, 12)["person_id"]) == ["P4"]  # not P5, in 2021
    assert list(renewals_due(latest, AS_OF, 30).columns[:4]) == [
        "person_id", "name", "email", "phone"]
    assert renewals_due(latest, AS_OF, 30)["name"].iloc[0] == "Ann Lee11"


def test_health_counts_people_by_status_and_members_by_level(latest: pd.DataFrame,
                                                            terms: pd.DataFrame) -> None:
    health = membership_health(latest, terms, AS_OF, 30)
    assert dict(zip(health.by_status["status"], health.by_status["people"], strict=True)) == {
        "New": 1, "Current": 4, "Grace": 1, "Expired": 2, "Pending": 1, "Cancelled": 1,
        "Deceased": 1}
    assert dict(zip(health.by_level["level_name"], health.by_level["members"],
                    strict=True)) == {"Individual": 5, "Lifetime": 1}


def test_renewal_outcomes_follow_the_grace_rule(latest: pd.DataFrame,
                                                terms: pd.DataFrame) -> None:
    outcomes = renewal_outcomes(terms, latest, AS_OF, 30)
    assert dict(zip(outcomes["term_id"], outcomes["outcome"], strict=True)) == {
        "M01": "open", "M02": "renewed", "M03": "renewed", "M04": "open", "M05": "open",
        "M06": "lapsed", "M07": "lapsed", "M10": "open", "M11": "renewed", "M12": "open",
        "M14": "open"}
    # not up for renewal: M08 cancelled, M09 its member died, M13 lifetime, M15 deleted


def test_renewal_rate_is_the_share_of_ending_terms_renewed(latest: pd.DataFrame,
                                                           terms: pd.DataFrame) -> None:
    outcomes = renewal_outcomes(terms, latest, AS_OF, 30)
    assert renewal_rate(outcomes, D(2024, 1, 1), D(2024, 12, 31)) == 0.5   # M02 yes, M06 no
    assert renewal_rate(outcomes, D(2021, 1, 1), D(2021, 12, 31)) is None
    # the headline covers terms whose grace is over: 2024-05-02 to 2025-05-01, M06 and M03
    assert membership_health(latest, terms, AS_OF, 30).renewal_rate == 0.5


def test_health_by_month_counts_joins_and_terms_by_the_month_they_ended(
    latest: pd.DataFrame, terms: pd.DataFrame
) -> None:
    months = membership_health(latest, terms, AS_OF, 30, months=24).by_month.set_index("month")
    assert len(months) == 24 and months.index[-1] == pd.Timestamp("2025-06-01")
    assert months["new"].sum() == 6 and months.loc["2024-09-01", "new"] == 2
    june = months.loc["2025-06-01"]   # M11 renewed, M14 still to come
    assert (june["ending"], june["renewed"], june["open"], june["renewal_rate"]) == (2, 1, 1, 0.5)
    assert months.loc["2024-05-01", ["ending", "lapsed"]].tolist() == [1, 1]
    assert pd.isna(months.loc["2024-02-01", "renewal_rate"])


def test_an_organisation_without_members_gets_empty_frames() -> None:
    terms, people = frame("memberships", []), frame("people", [])
    latest = latest_terms(terms, people, frame("membership_levels", []), AS_OF, 30)
    health = membership_health(latest, terms, AS_OF, 30)
    assert latest.empty and health.by_status["people"].sum() == 0
    assert health.renewal_rate is None and health.by_month["ending"].sum() == 0
    assert reminders_due(latest, terms, AS_OF).empty and renewals_due(latest, AS_OF).empty


def test_a_term_of_someone_not_in_people_is_still_counted(levels: pd.DataFrame) -> None:
    terms = frame("memberships", term_rows([TERMS[0]]))
    latest = latest_terms(terms, frame("people", []), levels, AS_OF, 30)
    assert latest[["person_id", "name", "status"]].values.tolist() == [["P1", "(P1)", "New"]]


# ------------------------------------------------------------------------------ reminders

ONE_TERM = [("M1", "P1", "L1", "2024-07-01", "2024-07-01", "2025-06-30", "")]


def reminders_on(day: date, sent: set[tuple[str, int]],
                 rows: list[tuple[str, ...]] = ONE_TERM) -> list[tuple[str, int]]:
    terms = frame("memberships", term_rows(rows))
    latest = latest_terms(terms, frame("people", [person(1)]), frame("membership_levels",
                                                                     LEVELS), day, 30)
    due = reminders_due(latest, terms, day, (30, 7, -7), sent)
    return list(zip(due["term_id"], due["offset"], strict=True))


@pytest.mark.parametrize(("day", "sent", "expected"), [
    (D(2025, 5, 30), set(), []),                          # 31 days before the end
    (D(2025, 5, 31), set(), [("M1", 30)]),                # 30 days before
    (D(2025, 6, 1), {("M1", 30)}, []),                    # never twice
    (D(2025, 6, 10), set(), [("M1", 30)]),                # missed: caught up once
    (D(2025, 6, 23), {("M1", 30)}, [("M1", 7)]),
    (D(2025, 6, 25), set(), [("M1", 7)]),                 # only the latest missed one
    (D(2025, 6, 25), {("M1", 7)}, []),                    # the older one is not sent late
    (D(2025, 7, 7), {("M1", 30), ("M1", 7)}, [("M1", -7)]),   # a week into grace
    (D(2025, 7, 8), {("M1", -7)}, []),
    (D(2025, 8, 15), set(), []),                          # Expired: no more reminders
])
def test_reminders_go_once_on_their_day_or_the_next_run(day: date, sent: set[tuple[str, int]],
                                                        expected: list[tuple[str, int]]) -> None:
    assert reminders_on(day, sent) == expected


def test_no_reminder_due_before_a_short_term_began() -> None:
    month = [("M1", "P1", "L1", "2025-06-01", "2025-06-01", "2025-06-30", "")]
    assert reminders_on(D(2025, 6, 1), set(), month) == []
    assert reminders_on(D(2025, 6, 23), set(), month) == [("M1", 7)]


def test_no_reminders_for_the_cancelled_the_deceased_or_those_renewed(
    terms: pd.DataFrame, people: pd.DataFrame, levels: pd.DataFrame
) -> None:
    day = D(2025, 8, 5)   # P6 (cancelled) and P7 (died) would have had a reminder on 08-01
    latest = latest_terms(terms, people, levels, day, 30)
    assert reminders_due(latest, terms, day).empty
    day = D(2025, 6, 12)
    latest = latest_terms(terms, people, levels, day, 30)
    assert list(reminders_due(latest, terms, day)["person_id"]) == ["P11"]
    renewed = pd.concat([terms, frame("memberships", term_rows([
        ("M16", "P11", "L1", "2024-06-20", "2025-06-20", "2026-06-19", "")]))])
    assert reminders_due(latest, renewed, day).empty   # renewed after `latest` was made


NOW = datetime(2025, 5, 31, 9, 0)


def workbook(rows: list[tuple[str, ...]] = ONE_TERM, reminders: list[dict[str, Any]] = (),
             **settings: str) -> Workbook:
    tabs = {"memberships": term_rows(rows), "people": [person(1)], "membership_levels": LEVELS,
            "reminders": list(reminders),
            "settings": [{"key": k, "value": v} for k, v in settings.items()]}
    return Workbook({name: parse_tab(name, rows_to_raw(name, records))
                     for name, records in tabs.items()})


def test_reminders_recorded_in_the_tab_are_not_due_again() -> None:
    due = reminders_of(workbook(), D(2025, 5, 31))
    rows = reminder_records(due, NOW, "staff@example.org")
    assert [(r["term_id"], r["person_id"], r["offset"], r["due_date"], r["status"])
            for r in rows] == [("M1", "P1", 30, D(2025, 5, 31), "listed")]
    assert rows[0]["created_by"] == "staff@example.org" and rows[0]["id"].startswith("RM-")
    recorded = workbook(reminders=rows)
    assert sent_reminders(recorded.frame("reminders")) == {("M1", 30)}
    assert reminders_of(recorded, D(2025, 6, 2)).empty
    assert list(reminders_of(recorded, D(2025, 6, 23))["offset"]) == [7]


@pytest.mark.parametrize(("typed", "offsets", "problem"), [
    ("", (30, 7, -7), False),
    ("14", (14,), False),
    (" 60; 14, -3 ", (60, 14, -3), False),
    ("soon", (30, 7, -7), True),
    ("7, 7", (30, 7, -7), True),
])
def test_the_reminder_offsets_setting(typed: str, offsets: tuple[int, ...],
                                      problem: bool) -> None:
    book = workbook(reminder_offsets=typed)
    assert book.settings.reminder_offsets == offsets
    assert any("reminder_offsets" in p.message for p in book.problems) is problem
    if typed == "14":
        assert reminders_of(book, D(2025, 6, 16))["offset"].tolist() == [14]
        assert reminders_of(book, D(2025, 5, 31)).empty


def test_filters_keep_the_chosen_levels_and_statuses(latest: pd.DataFrame) -> None:
    assert set(filtered(latest, ["L3"])["person_id"]) == {"P10"}
    assert set(filtered(latest, (), ["Grace", "Pending"])["person_id"]) == {"P3", "P8"}
    assert filtered(latest, ["L3"], ["Grace"]).empty
    assert len(filtered(latest)) == len(latest)


def test_xlsx_keeps_text_as_text_and_dates_as_dates(latest: pd.DataFrame) -> None:
    import io

    import openpyxl

    sheet_rows = latest.assign(name=["=HYPERLINK(\"http://x\")"] + list(latest["name"][1:]))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx({"members": sheet_rows})))
    sheet = book["members"]
    header = [cell.value for cell in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert first["name"].value == "=HYPERLINK(\"http://x\")" and first["name"].data_type == "s"
    assert first["end_date"].is_date and first["last_payment_amount"].value == 50
    assert sheet.max_row == len(latest) + 1


# ------------------------------------------------------------------------------ the rules


def test_contact_names_match_display_name() -> None:
    people = frame("people", [
        {"id": "P1", "first_name": "민준", "last_name": "김"},
        {"id": "P2", "first_name": "Ann", "last_name": ""},
        {"id": "P3", "organization": "Acme Trust"},
        {"id": "P4", "first_name": "José", "last_name": "Ruiz"},
    ])
    expected = [display_name(row) for row in people.to_dict("records")]
    assert list(contact_names(people)) == expected == ["김민준", "Ann", "Acme Trust", "José Ruiz"]


day_in = st.dates(min_value=D(2022, 1, 1), max_value=D(2027, 12, 31))
histories = st.lists(
    st.tuples(st.sampled_from(["P1", "P2", "P3"]), day_in, st.integers(0, 400),
              st.integers(1, 13), st.sampled_from(["", "", "", "Pending", "Cancelled"])),
    min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(rows=histories, as_of=day_in, grace=st.sampled_from([0, 7, 30]),
       dead=st.sets(st.sampled_from(["P1", "P2", "P3"])))
def test_latest_terms_gives_person_status_to_everyone(
    rows: list[tuple[str, date, int, int, str]], as_of: date, grace: int, dead: set[str]
) -> None:
    records = [{"id": f"M{n}", "person_id": who, "level_id": "L1",
                "join_date": start - timedelta(days=earlier), "start_date": start,
                "end_date": start + timedelta(days=30 * months), "status_override": override}
               for n, (who, start, earlier, months, override) in enumerate(rows)]
    people = [person(n, deceased=f"P{n}" in dead) for n in (1, 2, 3)]
    latest = latest_terms(frame("memberships", records), frame("people", people),
                          frame("membership_levels", LEVELS), as_of, grace)
    for who, status in by_person(latest, "status").items():
        mine = [r for r in records if r["person_id"] == who]
        assert status == person_status(mine, who in dead, as_of, grace)


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    from storage.seed import load_demo
    from storage.sqlite_store import SQLiteStore

    store = SQLiteStore(":memory:")
    load_demo(store, as_of=DEFAULT_AS_OF)
    book = store.load()
    return {name: book.frame(name) for name in
            ("memberships", "people", "membership_levels", "donations")}


def test_every_status_appears_in_the_demo(demo: dict[str, pd.DataFrame]) -> None:
    latest = latest_terms(demo["memberships"], demo["people"], demo["membership_levels"],
                          DEFAULT_AS_OF, 30, demo["donations"])
    assert set(latest["status"]) == {status.value for status in Status}
    assert latest["person_id"].is_unique and latest["last_payment_date"].notna().all()


@pytest.mark.parametrize("as_of", [D(2022, 3, 1), D(2024, 7, 15), DEFAULT_AS_OF])
def test_demo_statuses_follow_the_rules(demo: dict[str, pd.DataFrame], as_of: date) -> None:
    terms, people = demo["memberships"], demo["people"]
    latest = latest_terms(terms, people, demo["membership_levels"], as_of, 30)
    dead = set(people.loc[people["deceased"], "id"])
    by_id = {who: rows.to_dict("records") for who, rows in terms.groupby("person_id")}
    for who, status in by_person(latest, "status").items():
        assert status == person_status(by_id[who], who in dead, as_of, 30), who


def test_demo_names_match_display_name(demo: dict[str, pd.DataFrame]) -> None:
    people = demo["people"]
    assert list(contact_names(people)) == [display_name(p) for p in people.to_dict("records")]


def test_reminders_on_the_demo_are_members_only_once_each(demo: dict[str, pd.DataFrame]) -> None:
    latest = latest_terms(demo["memberships"], demo["people"], demo["membership_levels"],
                          DEFAULT_AS_OF, 30)
    due = reminders_due(latest, demo["memberships"], DEFAULT_AS_OF)
    assert not due.empty and due["term_id"].is_unique
    assert set(due["status"]) <= {"New", "Current", "Grace"}
    assert (due["due_date"] <= pd.Timestamp(DEFAULT_AS_OF)).all()

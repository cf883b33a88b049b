"""Data health: problems sorted into kinds, links that point at nothing, and the writes that
fix a row in place or give rows ids, on hand-worked rows."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from demo import PLANTED_PROBLEMS, demo_workbook
from rules.health import (
    FixRefused,
    cell_fix,
    findings,
    key_fills,
    keyless_rows,
    kind_of,
    reference_problems,
    row_as_seen,
)
from sheets_schema import parse_tab
from sheets_schema.frames import RowProblem, rows_to_raw
from sheets_schema.workbook import Workbook


def book_of(**tabs: list[dict[str, str]]) -> Workbook:
    """A workbook of tabs typed as text; every other tab absent."""
    return Workbook({name: parse_tab(name, rows_to_raw(name, rows))
                     for name, rows in tabs.items()})


PEOPLE = [{"id": "P1", "first_name": "Ann"}, {"id": "P2", "first_name": "Bob"}]
CAMPAIGNS = [{"id": "C1", "name": "Spring appeal"}]


@pytest.fixture
def book() -> Workbook:
    return book_of(
        people=PEOPLE + [{"id": "P1", "first_name": "Ann again"}, {"id": "", "first_name": "Cy"},
                         {"id": "P4", "organization": "", "email": "no-name@example.org"}],
        campaigns=CAMPAIGNS,
        membership_levels=[{"id": "L1", "name": "Individual"}],
        donations=[
            {"id": "D1", "person_id": "P1", "date": "2024-03-15", "amount": "10",
             "campaign_id": "C1"},
            {"id": "D2", "person_id": "P9", "date": "31/02/2024", "amount": "12,34O",
             "soft_credit_person_id": "P2", "campaign_id": "C7", "method": "barter"},
            {"id": "D3", "person_id": "P2", "date": "2024-03-16", "amount": ""},
        ],
        memberships=[{"id": "M1", "person_id": "P2", "level_id": "L9"}],
        volunteer_shifts=[{"id": "S1", "date": "2024-05-01", "assigned": "P1, P8"}],
        volunteer_hours=[{"id": "VH1", "person_id": "P2", "date": "2024-05-01", "hours": "-3"}],
    )


def test_links_that_point_at_nothing_are_found_and_nothing_else(book: Workbook) -> None:
    found = {(p.tab, p.row, p.column, p.value) for p in reference_problems(book)}
    assert found == {("donations", 3, "person_id", "P9"), ("donations", 3, "campaign_id", "C7"),
                     ("memberships", 2, "level_id", "L9"),
                     ("volunteer_shifts", 2, "assigned", "P8")}


def test_a_link_into_a_tab_the_role_may_not_read_is_not_checked(book: Workbook) -> None:
    found = reference_problems(book, unreadable={"people"})
    assert {(p.tab, p.column) for p in found} == {("donations", "campaign_id"),
                                                  ("memberships", "level_id")}


@pytest.mark.parametrize(("problem", "kind"), [
    (RowProblem("people", 5, "id", "", "this row has no id, so the app cannot edit it"),
     "missing id"),
    (RowProblem("people", 4, "id", "P1",
                "id 'P1' is also used on row 2; each row needs its own id"), "duplicate id"),
    (RowProblem("donations", 3, "person_id", "P9", "P9 is not the id of any person in people"),
     "unknown person"),
    (RowProblem("memberships", 2, "level_id", "L9",
                "L9 is not the id of any membership level in membership_levels"),
     "unknown reference"),
    (RowProblem("donations", 3, "date", "31/02/2024", "not a real date"), "bad date"),
    (RowProblem("volunteer_shifts", 2, "start", "25:00", "not a time"), "bad date"),
    (RowProblem("donations", 3, "amount", "12,34O", "not an amount"), "bad amount"),
    (RowProblem("volunteer_hours", 2, "hours", "-3", "input should be greater than 0"),
     "bad number"),
    (RowProblem("donations", 4, "amount", "", "this cell is required; fill it in"),
     "required field empty"),
    (RowProblem("donations", 3, "method", "barter", "'barter' is not one of: cash, cheque"),
     "not one of the choices"),
    (RowProblem("people", 6, "", "", "a person needs a first name"), "row rule"),
    (RowProblem("settings", 3, "value", "soon", "grace_days: not a number"), "bad setting"),
    (RowProblem("people", 2, "Pledge notes", "x", "something"), "other"),
])
def test_each_problem_has_its_kind(problem: RowProblem, kind: str) -> None:
    assert kind_of(problem) == kind


def test_findings_list_every_problem_once_in_kind_order(book: Workbook) -> None:
    found = [(f.kind, f.problem.tab, f.problem.row, f.problem.column) for f in findings(book)]
    assert found == [
        ("missing id", "people", 5, "id"),
        ("duplicate id", "people", 4, "id"),
        ("unknown person", "donations", 3, "person_id"),
        ("unknown person", "volunteer_shifts", 2, "assigned"),
        ("unknown reference", "donations", 3, "campaign_id"),
        ("unknown reference", "memberships", 2, "level_id"),
        ("bad date", "donations", 3, "date"),
        ("bad amount", "donations", 3, "amount"),
        ("bad number", "volunteer_hours", 2, "hours"),
        ("required field empty", "donations", 4, "amount"),
        ("not one of the choices", "donations", 3, "method"),
        ("row rule", "people", 6, ""),
    ]


def test_a_row_as_seen_holds_the_text_of_its_unreadable_cells(book: Workbook) -> None:
    seen = row_as_seen(book, "donations", 3)
    assert seen is not None
    assert (seen["date"], seen["amount"], seen["method"]) == ("31/02/2024", "12,34O", "barter")
    assert seen["person_id"] == "P9" and seen["id"] == "D2"
    assert row_as_seen(book, "people", 5) is None  # no id: not in the typed frame


def test_a_fix_changes_only_what_was_typed_differently_with_the_row_as_seen(
    book: Workbook,
) -> None:
    changes = cell_fix(book, "donations", 3, {"amount": "12.34", "date": "31/02/2024"})
    (edit,) = changes.edits["donations"]
    assert edit.key == "D2" and dict(edit.changes) == {"amount": Decimal("12.34")}
    assert edit.seen["amount"] == "12,34O"


@pytest.mark.parametrize(("tab_name", "row", "typed", "why"), [
    ("donations", 3, {"amount": "12,34O"}, "Nothing was changed"),
    ("donations", 3, {"amount": "lots"}, "amount"),
    ("donations", 3, {"person_id": "P7"}, "P7 is not the id of any person"),
    ("people", 6, {"notes": "called"}, "a person needs"),
    ("people", 2, {"first_name": "Annie"}, "shares its id P1"),
    ("people", 5, {"first_name": "Cyrus"}, "has no id"),
])
def test_a_fix_that_would_not_make_the_row_right_is_refused(
    book: Workbook, tab_name: str, row: int, typed: dict[str, str], why: str
) -> None:
    with pytest.raises(FixRefused, match=why):
        cell_fix(book, tab_name, row, typed)


def test_a_rule_about_the_whole_row_is_fixed_by_any_of_its_cells(book: Workbook) -> None:
    changes = cell_fix(book, "people", 6, {"organization": "Riverside Rotary"})
    assert dict(changes.edits["people"][0].changes) == {"organization": "Riverside Rotary"}


def test_rows_without_an_id_and_later_rows_of_a_doubled_id_get_fresh_ids(book: Workbook) -> None:
    raw = rows_to_raw("people", [*PEOPLE, {"id": "P1", "first_name": "Ann again"},
                                 {"id": "", "first_name": "Cy"}, {"id": "", "first_name": ""}])
    keyless = keyless_rows("people", raw)
    assert list(keyless.index) == [5]  # the blank row 6 is no row at all
    fills = key_fills(book, "people", keyless)
    assert [f.row for f in fills] == [4, 5]
    assert all(f.key.startswith("P-") for f in fills) and len({f.key for f in fills}) == 2
    assert fills[0].seen["first_name"] == "Ann again" and fills[1].seen["first_name"] == "Cy"
    assert [f.row for f in key_fills(book, "people", keyless, rows=[5])] == [5]


def test_a_tab_whose_key_means_something_gets_no_made_up_ids() -> None:
    book = book_of(volunteers=[{"id": "P1"}, {"id": "P1"}])
    assert key_fills(book, "volunteers", None) == []


def test_every_planted_problem_of_the_demo_is_found() -> None:
    tabs = demo_workbook(seed=7)
    book = Workbook({name: parse_tab(name, rows_to_raw(name, rows)) for name, rows in
                     tabs.items()})
    keys = {name: pd.Series([str(r.get("id", "")) for r in rows],
                            index=range(2, 2 + len(rows))) for name, rows in tabs.items()}
    found = {(f.problem.tab, keys[f.problem.tab][f.problem.row]) for f in findings(book)}
    for planted in PLANTED_PROBLEMS:
        if "likely duplicate" not in planted.what:  # those are the Duplicates page's
            assert (planted.tab, planted.id) in found, planted
    kinds = {(f.kind, keys[f.problem.tab][f.problem.row]) for f in findings(book)}
    assert ("unknown person", "D000105") in kinds and ("duplicate id", "D000119") in kinds

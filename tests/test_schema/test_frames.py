"""A tab's text to a typed frame and row problems: one bad row never hides the rest.

The frames here are built the way a store hands them over: every cell text, indexed by the
sheet's row number (row 1 is the header, the first data row is 2).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_schema import TABS, SchemaError, parse_tab, tab
from sheets_schema.cells import CellError, Locale
from sheets_schema.frames import FIRST_DATA_ROW, RowProblem, empty_raw, rows_to_raw


def sheet(tab_name: str, rows: list[dict[str, str]], *, first_row: int = FIRST_DATA_ROW,
          columns: list[str] | None = None) -> pd.DataFrame:
    """A tab as a store returns it: the spec's header plus any extra columns, all text."""
    header = columns or list(dict.fromkeys([*tab(tab_name).column_names,
                                            *(c for row in rows for c in row)]))
    frame = pd.DataFrame([{c: row.get(c, "") for c in header} for row in rows],
                         columns=header, dtype=object)
    frame.index = pd.RangeIndex(first_row, first_row + len(rows), name="row")
    return frame


def problems_at(problems: list[RowProblem]) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in problems]


# ---------------------------------------------------------------- the messy donations tab

MESSY_DONATIONS = [
    # row 2: good, typed the ISO way, with a formula-looking note and a column staff added
    {"id": "d1", "person_id": "p1", "date": "2024-03-15", "amount": "1,234.50",
     "note": "=SUM(A1:A9)", "Thank-you call": "  done, left voicemail "},
    # row 3: a date that does not exist
    {"id": "d2", "person_id": "p2", "date": "2024-02-30", "amount": "10"},
    # row 4: an amount nobody can add up
    {"id": "d3", "person_id": "p3", "date": "2024-03-16", "amount": "twelve"},
    # row 5: no id, so nothing could address it
    {"id": "", "person_id": "p4", "date": "2024-03-17", "amount": "5"},
    # row 6: an id already used on row 2
    {"id": "d1", "person_id": "p5", "date": "3/18/2024", "amount": "$20.00"},
    # row 7: good, typed the way people type, status in capitals
    {"id": "d4", "person_id": "p6", "date": "15.03.2024", "amount": "1.234,50 €",
     "status": "Refunded", "receipt_date": "45366", "created_at": "2024-03-15 14:30",
     "note": "+44 20 7946 0958"},
    # row 8: a blank row in the middle of the sheet: not data, not a problem
    {},
    # row 9: more formula-looking text, an accountants' negative
    {"id": "d5", "person_id": "p7", "date": "2024년 3월 19일", "amount": "(25.00)",
     "note": "\t=1+2", "reference": "@cheque 1001", "fund": "-general-"},
]


@pytest.fixture
def messy() -> Any:
    return parse_tab("donations", sheet("donations", MESSY_DONATIONS))


def test_every_good_row_loads_and_only_the_row_without_an_id_is_left_out(messy: Any) -> None:
    assert list(messy.frame.index) == [2, 3, 4, 6, 7, 9]
    assert messy.frame.index.name == "row"
    assert list(messy.frame["id"]) == ["d1", "d2", "d3", "d1", "d4", "d5"]


def test_problems_name_sheet_rows_and_columns(messy: Any) -> None:
    assert problems_at(messy.problems) == [(3, "date"), (4, "amount"), (5, "id"), (6, "id")]
    bad_date, bad_amount, no_id, duplicate = messy.problems
    assert (bad_date.tab, bad_date.value) == ("donations", "2024-02-30")
    assert "not a real date" in bad_date.message and "2024-03-15" in bad_date.message
    assert bad_amount.value == "twelve" and "type a number like 1234.50" in bad_amount.message
    assert "no id" in no_id.message
    assert duplicate.value == "d1" and "row 2" in duplicate.message
    assert str(bad_date).startswith("donations row 3, date: ")


def test_a_cell_that_failed_to_parse_is_blank_and_reported_once(messy: Any) -> None:
    frame = messy.frame
    assert pd.isna(frame.loc[3, "date"])
    assert frame.loc[4, "amount"] is None
    # the blank left behind is not reported a second time as "required"
    assert sum(1 for p in messy.problems if p.row == 3) == 1


def test_columns_have_their_types(messy: Any) -> None:
    frame = messy.frame
    for column in ("date", "receipt_date", "created_at"):
        assert frame[column].dtype == np.dtype("datetime64[ns]"), column
    assert frame["amount"].dtype == object
    assert all(isinstance(v, Decimal) for v in frame["amount"].dropna())
    assert frame.loc[2, "date"] == pd.Timestamp("2024-03-15")
    assert frame.loc[6, "date"] == pd.Timestamp("2024-03-18")
    assert frame.loc[7, "date"] == pd.Timestamp("2024-03-15")
    assert frame.loc[9, "date"] == pd.Timestamp("2024-03-19")
    assert frame.loc[7, "receipt_date"] == pd.Timestamp("2024-03-15")  # a Sheets serial
    assert frame.loc[7, "created_at"] == pd.Timestamp("2024-03-15 14:30")
    assert pd.isna(frame.loc[2, "receipt_date"])
    assert frame.loc[7, "status"] == "refunded"  # a choice is stored as the schema spells it
    assert frame.loc[2, "status"] == "completed"  # blank takes the column's default


def test_amounts_are_exact_decimals_and_total_exactly(messy: Any) -> None:
    amounts = messy.frame["amount"]
    assert amounts.loc[2] == Decimal("1234.50")
    assert amounts.loc[7] == Decimal("1234.50")
    assert amounts.loc[9] == Decimal("-25.00")
    total = amounts.dropna().sum()
    assert isinstance(total, Decimal)
    assert str(total) == "2474.00"  # 1234.50 + 10 + 20.00 + 1234.50 - 25.00


def test_formula_looking_text_stays_exactly_that_text(messy: Any) -> None:
    frame = messy.frame
    assert frame.loc[2, "note"] == "=SUM(A1:A9)"
    assert frame.loc[7, "note"] == "+44 20 7946 0958"
    assert frame.loc[9, "note"] == "\t=1+2"  # was trimmed to the formula "=1+2"
    assert frame.loc[9, "reference"] == "@cheque 1001"
    assert frame.loc[9, "fund"] == "-general-"


def test_columns_staff_added_are_kept_as_text_after_the_schema(messy: Any) -> None:
    frame = messy.frame
    assert list(frame.columns) == [*tab("donations").column_names, "Thank-you call"]
    assert frame["Thank-you call"].dtype == object
    assert frame.loc[2, "Thank-you call"] == "  done, left voicemail "  # untouched
    assert frame.loc[3, "Thank-you call"] == ""


def test_column_order_in_the_sheet_does_not_matter() -> None:
    raw = sheet("donations", MESSY_DONATIONS)
    shuffled = raw[list(reversed(raw.columns))]
    a, b = parse_tab("donations", raw), parse_tab("donations", shuffled)
    pd.testing.assert_frame_equal(a.frame, b.frame[a.frame.columns])
    assert a.problems == b.problems


def test_flags_tags_and_datetimes_on_the_people_tab() -> None:
    raw = sheet("people", [
        {"id": "p1", "first_name": "Ada", "tags": "donor, board, Donor", "do_not_email": "TRUE",
         "do_not_mail": "x", "deceased": "", "created_at": "2024-03-15T09:30:00Z"},
        {"id": "p2", "organization": "Acme", "do_not_email": "no", "do_not_phone": "maybe",
         "created_at": "45366.5"},
        {"id": "p3", "notes": "no name at all"},
    ])
    parsed = parse_tab("people", raw)
    frame = parsed.frame
    for column in ("do_not_email", "do_not_mail", "do_not_phone", "deceased"):
        assert frame[column].dtype == np.dtype(bool), column
    assert list(frame["do_not_email"]) == [True, False, False]
    assert list(frame["do_not_mail"]) == [True, False, False]
    assert frame.loc[2, "tags"] == ("donor", "board")
    assert frame.loc[4, "tags"] == ()
    assert frame["created_at"].dtype == np.dtype("datetime64[ns]")
    assert frame.loc[3, "created_at"] == pd.Timestamp("2024-03-15 12:00")
    assert problems_at(parsed.problems) == [(3, "do_not_phone"), (4, "")]
    assert "TRUE or FALSE" in parsed.problems[0].message
    assert "first name" in parsed.problems[1].message  # the model's row-level rule


def test_times_whole_numbers_and_ranges_on_shifts_and_hours() -> None:
    shifts = parse_tab("volunteer_shifts", sheet("volunteer_shifts", [
        {"id": "s1", "date": "2024-03-15", "start": "9:00", "end": "1:30 pm", "places": "4",
         "assigned": "p1, p2"},
        {"id": "s2", "date": "2024-03-16", "start": "25:00", "places": "four"},
        {"id": "s3", "date": "2024-03-17", "places": "99999999999999999999"},
    ]))
    frame = shifts.frame
    assert frame["places"].dtype == pd.Int64Dtype()
    assert frame.loc[2, "places"] == 4 and pd.isna(frame.loc[3, "places"])
    assert frame.loc[2, "start"] == time(9) and frame.loc[2, "end"] == time(13, 30)
    assert frame.loc[2, "assigned"] == ("p1", "p2")
    # a count too large for the frame is one row's problem, not the tab's failure
    assert problems_at(shifts.problems) == [(3, "places"), (3, "start"), (4, "places")]

    hours = parse_tab("volunteer_hours", sheet("volunteer_hours", [
        {"id": "h1", "person_id": "p1", "date": "2024-03-15", "hours": "2.5", "approved": "yes"},
        {"id": "h2", "person_id": "p1", "date": "2024-03-15", "hours": "30"},
        {"id": "h3", "person_id": "", "date": "2024-03-15", "hours": "0"},
    ]))
    assert hours.frame["approved"].tolist() == [True, False, False]
    assert hours.frame.loc[2, "hours"] == Decimal("2.5")
    assert problems_at(hours.problems) == [(3, "hours"), (4, "hours"), (4, "person_id")]
    assert hours.problems[2].message == "this cell is required; fill it in"


@pytest.mark.parametrize(
    "typed", ["9999-12-31", "2958465", "1/1/1600", "0001-01-01"],
)
def test_a_date_beyond_what_a_frame_holds_is_a_problem_not_a_crash(typed: str) -> None:
    # datetime64[ns] covers 1677 to 2262; one such cell used to fail the whole tab
    parsed = parse_tab("donations", sheet("donations", [
        {"id": "d1", "person_id": "p1", "date": typed, "amount": "5"},
        {"id": "d2", "person_id": "p1", "date": "2024-03-15", "amount": "5"},
    ]))
    assert problems_at(parsed.problems) == [(2, "date")]
    assert "type a date like 2024-03-15" in parsed.problems[0].message
    assert parsed.frame.loc[3, "date"] == pd.Timestamp("2024-03-15")


@pytest.mark.parametrize(
    "tab_name,column",
    [("donations", "id"), ("donations", "amount"), ("donations", "date"),
     ("donations", "person_id"), ("people", "id"), ("users", "email"), ("settings", "key")],
)
def test_a_missing_required_column_names_the_tab_and_the_column(
    tab_name: str, column: str
) -> None:
    raw = empty_raw(tab(tab_name)).drop(columns=[column])
    with pytest.raises(SchemaError, match=rf"The {tab_name} tab has no '{column}' column"):
        parse_tab(tab_name, raw)


def test_missing_optional_columns_load_as_blanks_of_their_type() -> None:
    raw = sheet("donations", [{"id": "d1", "person_id": "p1", "date": "2024-03-15",
                               "amount": "5"}], columns=["amount", "date", "person_id", "id"])
    parsed = parse_tab("donations", raw)
    assert parsed.problems == []
    frame = parsed.frame
    assert list(frame.columns) == list(tab("donations").column_names)
    assert frame.loc[2, "kind"] == "gift" and frame.loc[2, "note"] == ""
    assert frame["receipt_date"].dtype == np.dtype("datetime64[ns]")
    assert pd.isna(frame.loc[2, "receipt_date"])


@pytest.mark.parametrize("tab_name", sorted(TABS))
def test_an_empty_tab_gives_an_empty_typed_frame(tab_name: str) -> None:
    parsed = parse_tab(tab_name, empty_raw(tab(tab_name)))
    assert parsed.problems == []
    assert len(parsed.frame) == 0
    assert list(parsed.frame.columns) == list(tab(tab_name).column_names)
    for column in tab(tab_name).columns:
        kind, dtype = column.kind.name, parsed.frame[column.name].dtype
        if kind in {"date", "datetime"}:
            assert dtype == np.dtype("datetime64[ns]")
        elif kind == "flag":
            assert dtype == np.dtype(bool)
        elif kind == "integer":
            assert dtype == pd.Int64Dtype()
        else:
            assert dtype == np.dtype(object)


def test_a_frame_with_pandas_default_index_is_numbered_like_the_sheet() -> None:
    raw = sheet("donations", MESSY_DONATIONS).reset_index(drop=True)
    parsed = parse_tab("donations", raw)
    assert list(parsed.frame.index) == [2, 3, 4, 6, 7, 9]
    assert problems_at(parsed.problems) == [(3, "date"), (4, "amount"), (5, "id"), (6, "id")]


def test_missing_values_from_a_store_read_as_blank_cells() -> None:
    raw = sheet("donations", [{"id": "d1", "person_id": "p1", "date": "2024-03-15",
                               "amount": "5"}])
    raw.loc[2, "note"] = None
    raw.loc[2, "receipt_date"] = np.nan
    raw["extra"] = [pd.NA]
    parsed = parse_tab("donations", raw)
    assert parsed.problems == []
    assert parsed.frame.loc[2, "note"] == "" and parsed.frame.loc[2, "extra"] == ""


def test_the_locale_reads_ambiguous_dates_and_decimal_commas() -> None:
    raw = sheet("donations", [{"id": "d1", "person_id": "p1", "date": "03/04/2024",
                               "amount": "1.234"}])
    us = parse_tab("donations", raw).frame
    europe = parse_tab("donations", raw, Locale(day_first=True, decimal_comma=True)).frame
    assert us.loc[2, "date"] == pd.Timestamp("2024-03-04")
    assert us.loc[2, "amount"] == Decimal("1.234")
    assert europe.loc[2, "date"] == pd.Timestamp("2024-04-03")
    assert europe.loc[2, "amount"] == Decimal("1234")


def test_ten_thousand_gifts_of_ten_cents_total_exactly_a_thousand() -> None:
    rows = [{"id": f"d{i}", "person_id": "p1", "date": "2024-03-15", "amount": "0.10"}
            for i in range(10_000)]
    parsed = parse_tab("donations", rows_to_raw("donations", rows))
    assert parsed.problems == []
    total = parsed.frame["amount"].sum()
    assert isinstance(total, Decimal) and str(total) == "1000.00"


def test_rows_to_raw_and_back_is_the_same_typed_frame() -> None:
    records = [
        {"id": "d1", "person_id": "p1", "date": date(2024, 3, 15), "amount": Decimal("12.50"),
         "created_at": datetime(2024, 3, 15, 9, 30), "note": "=1+1"},
        {"id": "d2", "person_id": "p2", "date": date(2024, 3, 16), "amount": Decimal("-3")},
    ]
    first = parse_tab("donations", rows_to_raw("donations", records))
    again = parse_tab("donations", rows_to_raw("donations", first.frame.to_dict("records")))
    assert first.problems == again.problems == []
    pd.testing.assert_frame_equal(first.frame, again.frame)


def test_a_blank_row_without_an_id_is_not_reported_but_a_filled_one_is() -> None:
    parsed = parse_tab("donations", sheet("donations", [
        {"id": "d1", "person_id": "p1", "date": "2024-03-15", "amount": "5"},
        {},
        {"id": "   ", "note": "  "},
        {"id": "  ", "Extra": "something"},
    ]))
    assert problems_at(parsed.problems) == [(5, "id")]
    assert list(parsed.frame.index) == [2]


def test_every_repeat_of_an_id_points_at_its_first_row() -> None:
    parsed = parse_tab("donations", sheet("donations", [
        {"id": key, "person_id": "p1", "date": "2024-03-15", "amount": "5"}
        for key in ["a", "b", "a", " a ", "b", "c"]
    ]))
    assert [(p.row, p.value) for p in parsed.problems] == [(4, "a"), (5, "a"), (6, "b")]
    assert all("row 2" in p.message for p in parsed.problems[:2])
    assert "row 3" in parsed.problems[2].message


# ------------------------------------------------------------------ property: any mix of cells

CELLS = {
    "date": ["2024-03-15", "3/15/2024", "15.03.2024", "45366", "2024-02-30", "soon", "",
             "9999-12-31"],
    "amount": ["1,234.50", "$5", "(2.00)", "0.10", "1.234,50 €", "ten", "", "1e3"],
    "status": ["", "completed", "Pending", "refunded", "lost"],
    "receipt_date": ["", "2024-03-20", "tomorrow"],
    "note": ["", "thanks", "=A1", "\t@x", "  padded  "],
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({column: st.sampled_from(values)
                                        for column, values in CELLS.items()}),
                min_size=0, max_size=40))
def test_reading_by_distinct_value_matches_reading_every_cell(rows: list[dict[str, str]]) -> None:
    """parse_tab parses each distinct text once; that must equal parsing every cell."""
    for number, row in enumerate(rows):
        row.update(id=f"d{number}", person_id="p1")
    parsed = parse_tab("donations", sheet("donations", rows))
    spec = tab("donations")
    expected_problems = set()
    for number, row in enumerate(rows, start=FIRST_DATA_ROW):
        for name in CELLS:
            column = spec.column(name)
            try:
                value = column.kind.parse(row[name], Locale()) if row[name].strip() else None
                if name in {"date", "receipt_date"} and value and value.year > 2262:
                    raise CellError("out of range")
            except CellError:
                expected_problems.add((number, name))
                value = None
            got = parsed.frame.loc[number, name]
            if name in {"date", "receipt_date"}:
                assert (pd.isna(got) if value is None else got == pd.Timestamp(value))
            elif name == "status":
                assert got == (value or "completed")
            elif name == "note":
                assert got == (value if value is not None else "")
            else:
                assert got == value and (value is None or isinstance(got, Decimal))
            if value is None and name in {"date", "amount"}:
                expected_problems.add((number, name))  # required: blank or unreadable
    assert set(problems_at(parsed.problems)) == expected_problems
    assert len(parsed.problems) == len(expected_problems)  # nothing reported twice


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_any_text_dtype_a_store_hands_over_reads_the_same(dtype: Any) -> None:
    raw = sheet("donations", MESSY_DONATIONS)
    expected = parse_tab("donations", raw)
    again = parse_tab("donations", raw.astype(dtype))
    pd.testing.assert_frame_equal(expected.frame, again.frame)
    assert expected.problems == again.problems

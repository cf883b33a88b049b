"""Planning an import and landing it as one batch (and, once, undoing exactly its rows; the
undo's refusals are in `test_undo.py`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importing.files import ImportFileError, read_source
from importing.mapping import IMPORT_KINDS, suggest_mapping
from importing.plan import ImportOptions, mapping_problems, plan_import
from importing.row_check import row_check
from importing.undo import UndoRefused, undo_import
from rules.people import split_full_name
from sheets_schema.cells import Locale
from storage.sqlite_store import SQLiteStore

NOW = datetime(2026, 12, 2, 9, 30)
PEOPLE_CSV = """Email Address,First Name,Last Name,Phone Number,Zip
new@example.org,Nadia,New,617-555-0100,02139
ANN@example.org,Ann,Again,,
not-an-address,Bad,Email,,
new@example.org,Nadia,Twice,,
,,,617-555-0101,
,Solo,,,
"""
GIFTS_CSV = """Date,Name,From Email Address,Gross,Status,Transaction ID,Zip/Postal Code
2026-01-05,Ann Lee,ann@example.org,"1,250.00",Completed,TX-1,02134
2026-01-06,Jane Doe,jane@example.org,50.00,Completed,TX-2,
2026-01-07,Jane Doe,jane@example.org,25.00,Completed,TX-3,
2026-01-08,Old Gift,old@example.org,10.00,Completed,TX-OLD,
2026-01-09,Nobody,,abc,Completed,TX-4,
2026-01-10,Failed Card,fail@example.org,10.00,Failed,TX-5,
2026-01-11,Jane Doe,jane@example.org,30.00,Completed,TX-2,
"""


def _plan(store: SQLiteStore, kind: str, text: str, **options: object) -> object:
    source = read_source(text.encode(), f"{kind}.csv")
    mapping = suggest_mapping(IMPORT_KINDS[kind], source.headers)
    return plan_import(source, IMPORT_KINDS[kind], mapping, store.load(),
                       ImportOptions(**options), now=NOW)  # type: ignore[arg-type]


def _outcomes(plan: object) -> list[tuple[int, str]]:
    return [(row.line, row.outcome) for row in plan.rows]  # type: ignore[attr-defined]


def test_a_people_file_says_what_happens_to_every_row(store: SQLiteStore) -> None:
    plan = _plan(store, "people", PEOPLE_CSV)
    assert _outcomes(plan) == [(2, "add"), (3, "exists"), (4, "invalid"), (5, "repeat"),
                               (6, "invalid"), (7, "add")]
    rows = plan.rows  # type: ignore[attr-defined]
    assert rows[1].note == "already in Steward as P1 (the same email address)"
    assert rows[2].problems[0].startswith("email: ")
    assert rows[3].note == "the same person as line 2"
    assert "needs a first name, a last name or an organization" in rows[4].problems[0]
    added = rows[0].record
    assert (added["phone"], added["postcode"], added["import_id"]) == (
        "+1 617-555-0100", "02139", plan.import_id)  # type: ignore[attr-defined]


def test_importing_writes_exactly_the_good_rows_once_and_undo_removes_exactly_those(
    store: SQLiteStore,
) -> None:
    plan = _plan(store, "people", PEOPLE_CSV)
    before = store.load()
    store.commit(plan.changes(NOW, "staff@example.org"))  # type: ignore[attr-defined]
    book = store.load()
    people = book.frame("people")
    mine = people[people["import_id"] == plan.import_id]  # type: ignore[attr-defined]
    assert sorted(mine["first_name"]) == ["Nadia", "Solo"]
    assert len(people) == len(before.frame("people")) + 2
    assert not [p for p in book.problems if p.tab == "people"]
    batch = book.row("imports", plan.import_id)  # type: ignore[attr-defined]
    assert batch is not None
    assert (batch["kind"], batch["rows"], batch["status"]) == ("people", 2, "imported")

    store.commit(undo_import(book, plan.import_id, now=NOW,  # type: ignore[attr-defined]
                             user="staff@example.org"))
    after = store.load()
    assert after.frame("people").equals(before.frame("people"))
    assert after.row("imports", plan.import_id)["status"] == "undone"  # type: ignore[attr-defined,index]
    with pytest.raises(UndoRefused, match="undone already"):
        undo_import(after, plan.import_id, now=NOW, user="x")  # type: ignore[attr-defined]


def test_gifts_find_their_donor_add_the_missing_ones_and_skip_what_is_recorded(
    store: SQLiteStore,
) -> None:
    plan = _plan(store, "donations", GIFTS_CSV)
    assert _outcomes(plan) == [(2, "add"), (3, "add"), (4, "add"), (5, "exists"),
                               (6, "invalid"), (7, "invalid"), (8, "repeat")]
    rows = plan.rows  # type: ignore[attr-defined]
    assert rows[0].record["person_id"] == "P1"
    assert rows[0].record["amount"] == Decimal("1250.00") and rows[0].new_person is None
    jane = rows[1].new_person
    assert jane is not None and (jane["first_name"], jane["last_name"]) == ("Jane", "Doe")
    assert rows[2].new_person is None and rows[2].record["person_id"] == jane["id"]
    assert "already recorded as D0" in rows[3].note
    assert any(p.startswith("amount: ") for p in rows[4].problems)
    assert "did not happen" in rows[5].problems[0]
    assert plan.people_added == 1  # type: ignore[attr-defined]

    store.commit(plan.changes(NOW, "staff@example.org"))  # type: ignore[attr-defined]
    book = store.load()
    gifts = book.frame("donations")
    imported = gifts[gifts["import_id"] == plan.import_id]  # type: ignore[attr-defined]
    assert sorted(imported["reference"]) == ["TX-1", "TX-2", "TX-3"]
    assert set(imported["person_id"]) <= set(book.frame("people")["id"])
    store.commit(undo_import(book, plan.import_id, now=NOW, user="s"))  # type: ignore[attr-defined]
    after = store.load()
    assert list(after.frame("donations")["id"]) == ["D0"]
    assert list(after.frame("people")["id"]) == ["P1"]


def test_without_adding_people_an_unknown_donor_is_a_problem(store: SQLiteStore) -> None:
    plan = _plan(store, "donations", GIFTS_CSV, add_people=False)
    rows = plan.rows  # type: ignore[attr-defined]
    assert rows[0].outcome == "add" and rows[1].outcome == "invalid"
    assert "add them first" in rows[1].problems[0]


def test_matching_by_name_and_postcode(store: SQLiteStore) -> None:
    text = "First Name,Last Name,Zip,Email\nann,LEE,021 34,other@example.org\nAnn,Lee,,x@y.org\n"
    plan = _plan(store, "people", text, match_by="name_postcode")
    assert _outcomes(plan) == [(2, "exists"), (3, "add")]


def test_membership_terms_by_level_name_with_the_end_worked_out(store: SQLiteStore) -> None:
    text = ("Email,Membership Level,Start Date\nann@example.org,individual,2026-03-15\n"
            "ann@example.org,Gold,2026-03-15\n")
    plan = _plan(store, "memberships", text)
    good, bad = plan.rows  # type: ignore[attr-defined]
    assert (good.record["level_id"], good.record["end_date"], good.record["amount"]) == (
        "L1", date(2027, 3, 14), Decimal("50.00"))
    assert "no membership level 'Gold'; the levels are Individual" in bad.problems[0]


def test_hours_by_person_id_and_out_of_range_hours(store: SQLiteStore) -> None:
    text = "Person ID,Date,Hours\nP1,2026-03-01,2.5\nP1,2026-03-02,30\nP7,2026-03-03,1\n"
    plan = _plan(store, "volunteer_hours", text)
    first, long_day, nobody = plan.rows  # type: ignore[attr-defined]
    assert first.record["hours"] == Decimal("2.5") and first.record["person_id"] == "P1"
    assert long_day.outcome == "invalid" and long_day.problems[0].startswith("hours: ")
    assert nobody.problems == ["person_id: there is no person 'P7' in Steward"]


def test_day_first_dates_and_decimal_commas_read_as_the_file_meant(store: SQLiteStore) -> None:
    text = "Email;Date;Amount\nann@example.org;03/04/2026;1.234,50\n"
    plan = _plan(store, "donations", text, locale=Locale(day_first=True, decimal_comma=True))
    (row,) = plan.rows  # type: ignore[attr-defined]
    assert (row.record["date"], row.record["amount"]) == (date(2026, 4, 3), Decimal("1234.50"))


def test_a_mapping_that_cannot_work_is_refused_before_any_row() -> None:
    kind = IMPORT_KINDS["donations"]
    assert mapping_problems(kind, {"A": "email", "B": "email"}) == [
        "Email is chosen for 2 columns; choose it once.",
        "Choose the column that holds the date.",
        "Choose the column that holds the amount.",
    ]


@pytest.mark.parametrize(("name", "parts"), [
    ("Smith, Jane", ("Jane", "Smith")), ("Jane Q. Smith", ("Jane Q.", "Smith")),
    ("김민준", ("민준", "김")), ("김 민준", ("민준", "김")), ("남궁민수", ("민수", "남궁")),
    ("Cher", ("Cher", "")), ("  ", ("", "")),
])
def test_a_full_name_splits_into_first_and_last(name: str, parts: tuple[str, str]) -> None:
    assert split_full_name(name) == parts


def test_the_row_check_is_the_same_for_the_record_and_the_row_read_back(
    store: SQLiteStore,
) -> None:
    plan = _plan(store, "donations", GIFTS_CSV)
    store.commit(plan.changes(NOW, "s"))  # type: ignore[attr-defined]
    for name in ("donations", "people"):
        frame = store.load().frame(name)
        for row in frame[frame["import_id"] != ""].to_dict("records"):
            assert row_check(name, row) == row["import_check"]


# --------------------------------------------------------------------------- fuzzing

_CELL = st.one_of(
    st.sampled_from(["", "ann@example.org", "x@", "2026-01-05", "31/02/2026", "5/6/26",
                     "1,250.00", "-5", "abc", "0", "TRUE", "Completed", "Failed", "김민준",
                     "Smith, Jane", "=HYPERLINK(\"x\")", "617-555-0100", "Individual",
                     "P1", "25", "\"", "\n"]),
    st.text(max_size=12),
)
_HEADERS = ["Email", "Name", "Date", "Amount", "Hours", "Status", "Phone", "Level", "Person ID",
            "Start Date", "Tags", "Notes", "Zip", "Transaction ID"]


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, bytes]:
    headers = draw(st.lists(st.sampled_from(_HEADERS), min_size=1, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=len(headers) + 2), max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))

    def line(cells: list[str]) -> str:
        return delimiter.join('"' + c.replace('"', '""') + '"' for c in cells)

    text = "\n".join([line(headers), *(line(r) for r in rows)]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "cp949", "cp1252"]))
    return draw(st.sampled_from(list(IMPORT_KINDS))), text.encode(encoding, errors="replace")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files())
def test_fuzzed_files_never_crash_and_never_write_a_partial_row(
    case: tuple[str, bytes],
) -> None:
    kind_name, data = case
    store = SQLiteStore(":memory:")
    store.ensure_schema()
    store.append("people", [{"id": "P1", "first_name": "Ann", "email": "ann@example.org"}])
    store.append("membership_levels", [{"id": "L1", "name": "Individual", "duration": 12}])
    book = store.load()
    try:
        source = read_source(data, "fuzz.csv")
    except ImportFileError:
        return
    kind = IMPORT_KINDS[kind_name]
    mapping = suggest_mapping(kind, source.headers)
    if mapping_problems(kind, mapping):
        return
    plan = plan_import(source, kind, mapping, book, now=NOW)
    assert len(plan.rows) == len(source.rows)
    store.commit(plan.changes(NOW, "fuzz"))
    after = store.load()
    added = {kind.tab: len(plan.to_add)}
    added["people"] = added.get("people", 0) + plan.people_added
    for name, count in added.items():
        frame = after.frame(name)
        mine = frame[frame["import_id"] == plan.import_id]
        assert len(mine) == count
        assert not [p for p in after.problems if p.tab == name and p.row in set(mine.index)]
        assert all(row_check(name, r) == r["import_check"] for r in mine.to_dict("records"))
    if plan.to_add:
        store.commit(undo_import(after, plan.import_id, now=NOW, user="fuzz"))
        assert len(store.load().frame("people")) == 1


def test_a_file_with_a_problems_column_keeps_it_beside_ours(store: SQLiteStore) -> None:
    text = "First Name,problems,line\nAnn,none,7\n"
    source = read_source(text.encode(), "odd.csv")
    kind = IMPORT_KINDS["people"]
    plan = plan_import(source, kind, suggest_mapping(kind, source.headers), store.load(),
                       now=NOW)
    table = plan.table(source)
    assert list(table.columns) == ["line", "outcome", "problems", "First Name",
                                   "problems (in the file)", "line (in the file)"]
    assert table.iloc[0]["line"] == 2


def test_a_cell_longer_than_google_sheets_holds_is_a_row_problem_that_says_so(
    store: SQLiteStore,
) -> None:
    text = f"Email,First Name,Notes\nlong@example.org,Lo,{'x' * 60_000}\nok@example.org,Ok,hi\n"
    plan = _plan(store, "people", text)
    rows = plan.rows  # type: ignore[attr-defined]
    assert [r.outcome for r in rows] == ["invalid", "add"]
    assert "60,000 characters long; a Google Sheets cell holds at most 50,000" in \
        rows[0].problems[0]
    assert len(rows[0].problems[0]) < 300

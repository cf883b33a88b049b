"""Google Sheets only: the request budget, RAW writes, and riding out Google's bad moments.

Requests are counted by the emulator (`emulator.requests`: one entry per HTTP request);
retries sleep on a fake clock (`fake_time`), so waiting a minute takes no time.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import gspread
import pytest
import requests

from sheets_schema import TABS
from storage import (
    NotFound,
    QuotaExceeded,
    RowEdit,
    SchemaMismatch,
    StoreConfig,
    Unavailable,
    open_store,
)
from storage.retry import RetryPolicy
from storage.sheets_plan import APPEND_BYTES
from storage.sheets_store import GoogleSheetsStore
from tests.conftest import FakeTime
from tests.emulator import Formula, SheetsEmulator
from tests.emulator.adapter import EmulatorAdapter

from .test_contract import FORMULA_LOOKING, PEOPLE, seen


@pytest.fixture
def backend() -> str:
    return "sheets"


def endpoints(emulator: SheetsEmulator) -> list[str]:
    return [endpoint for _, endpoint, _ in emulator.requests]


def cell(emulator: SheetsEmulator, sid: str, tab: str, row: int, column: str) -> Any:
    sheet = emulator.sheet(sid, tab)
    return sheet.cell(row, sheet.header().index(column) + 1)


# ------------------------------------------------------------------------ request budget


def test_a_cold_read_of_every_tab_is_one_request(
    store: GoogleSheetsStore, emulator: SheetsEmulator, sheets_store_factory: Any
) -> None:
    emulator.reset_counts()
    frames = sheets_store_factory().read(list(TABS))  # a new store: nothing cached
    assert endpoints(emulator) == ["values.batchGet"]
    assert set(frames) == set(TABS)


def test_saving_one_edited_record_is_one_read_and_one_write(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    emulator.reset_counts()
    store.update("people", "P2", {"email": "bob@new.org", "phone": "555-0100"}, user_saw)
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate"]


def test_giving_rows_ids_by_row_number_is_one_read_and_one_write(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    from storage import KeyFill

    store.append("people", PEOPLE)
    sheet = emulator.sheet(spreadsheet_id, "people")
    sheet.append_row(["", "Di"] + [""] * (len(sheet.header()) - 2))  # typed without an id
    saw = {str(c): v for c, v in store.read(["people"])["people"].loc[5].items()}
    emulator.reset_counts()
    store.assign_keys_by_row("people", [KeyFill(5, "P-NEW1", saw)],
                             audit=lambda landing: [{"id": "A1", "at": "2025-01-01",
                                                     "record_id": "P-NEW1"}])
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate"]
    assert cell(emulator, spreadsheet_id, "people", 5, "id") == "P-NEW1"
    assert list(store.read(["audit_log"])["audit_log"]["record_id"]) == ["P-NEW1"]


def test_a_bulk_edit_of_many_rows_is_one_read_and_one_write(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    store.append("people", [{"id": f"P{n}", "first_name": "Ann"} for n in range(200)])
    people = store.load(["people"]).frame("people")
    edits = [RowEdit(row["id"], {"city": "Seoul"}, row) for row in people.to_dict("records")]
    emulator.reset_counts()
    assert store.update_many("people", edits) == []
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate"]
    assert set(store.read(["people"])["people"]["city"]) == {"Seoul"}


def test_appending_ten_thousand_rows_takes_a_request_per_four_megabytes(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    gifts = [{"id": f"D{n:05d}", "person_id": "P1", "date": date(2024, 1, 1),
              "amount": Decimal("10.00"), "note": "x" * 500} for n in range(10_000)]
    emulator.reset_counts()
    store.append("donations", gifts)
    # ~6 MB: the intent (a hidden tab naming the rows), 2 appends, the intent removed
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate",
                                   "values.append", "values.append",
                                   "spreadsheets.batchUpdate"]
    ids = store.read(["donations"])["donations"]["id"]
    assert list(ids) == [g["id"] for g in gifts]


class EdgeAdapter(EmulatorAdapter):
    """The emulator seen from the HTTP edge: records request body sizes, and can add a
    Retry-After header to 429 answers as Google's front end may."""

    def __init__(self, emulator: SheetsEmulator, retry_after: str | None = None) -> None:
        super().__init__(emulator)
        self.retry_after, self.body_sizes = retry_after, []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.body_sizes.append(len(request.body or b""))
        response = super().send(request, *args, **kwargs)
        if response.status_code == 429 and self.retry_after is not None:
            response.headers["Retry-After"] = self.retry_after
        return response


def edge_store(adapter: EdgeAdapter, spreadsheet_id: str,
               fake_time: FakeTime) -> GoogleSheetsStore:
    session = requests.Session()
    session.mount("https://sheets.googleapis.com/", adapter)
    client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
    retry = RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
    return GoogleSheetsStore(client, spreadsheet_id, retry=retry)


def test_append_bodies_stay_under_the_limit_as_sent_even_in_hangul(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str,
    fake_time: FakeTime
) -> None:
    adapter = EdgeAdapter(emulator)
    people = [{"id": f"P{n}", "first_name": "지민", "notes": " ".join(["후원자 메모"] * 40)}
              for n in range(4000)]  # Hangul: 3 bytes a letter in UTF-8, 6 as JSON sends it
    edge_store(adapter, spreadsheet_id, fake_time).append("people", people)
    appends = adapter.body_sizes[2:-1]  # after the read and the intent; before its removal
    assert len(appends) == 2 and max(appends) <= APPEND_BYTES
    assert store.read(["people"])["people"]["notes"].tolist() == [p["notes"] for p in people]


def test_ensure_schema_on_an_empty_sheet_is_a_few_requests(
    sheets_store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    emulator.reset_counts()
    sheets_store.ensure_schema()
    assert endpoints(emulator) == ["spreadsheets.get", "spreadsheets.batchUpdate",
                                   "values.batchUpdate", "spreadsheets.batchUpdate"]
    assert [t.title for t in emulator.spreadsheet(sheets_store.spreadsheet_id)] == [
        "Sheet1", *TABS]
    emulator.reset_counts()
    assert not sheets_store.ensure_schema().changed
    assert endpoints(emulator) == ["spreadsheets.get", "values.batchGet"]


# ----------------------------------------------------------------------- what lands where


def test_writes_are_raw_text_stays_text_and_numbers_stay_numbers(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", [{"id": "P1", "first_name": "Ann", "postcode": "02134",
                             "do_not_email": True, "created_at": datetime(2024, 3, 15, 9)}])
    store.append("donations", [{"id": f"D{n}", "person_id": "P1", "date": date(2024, 3, 15),
                                "amount": Decimal("25.50"), "note": note}
                               for n, note in enumerate(FORMULA_LOOKING)])
    assert cell(emulator, spreadsheet_id, "people", 2, "postcode") == "02134"
    assert cell(emulator, spreadsheet_id, "people", 2, "do_not_email") is True
    assert isinstance(cell(emulator, spreadsheet_id, "people", 2, "created_at"), float)
    assert cell(emulator, spreadsheet_id, "donations", 2, "date") == 45366  # a real date
    assert cell(emulator, spreadsheet_id, "donations", 2, "amount") == 25.5
    notes = [cell(emulator, spreadsheet_id, "donations", row, "note") for row in range(2, 8)]
    assert notes == FORMULA_LOOKING and not any(isinstance(n, Formula) for n in notes)


def test_an_edit_is_written_raw(store: GoogleSheetsStore, emulator: SheetsEmulator,
                                spreadsheet_id: str) -> None:
    store.append("people", PEOPLE)
    store.update("people", "P1", {"notes": "=IMPORTXML(\"http://x\")"},
                 seen(store, "people", "P1"))
    assert cell(emulator, spreadsheet_id, "people", 2, "notes") == "=IMPORTXML(\"http://x\")"


# ------------------------------------------------------------------ Google's bad moments


def test_a_burst_of_429s_is_ridden_out_with_growing_jittered_waits(
    store: GoogleSheetsStore, emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    emulator.fail_next(n=3, status=429)
    assert store.read(["people"])["people"].empty
    assert len(fake_time.sleeps) == 3
    for wait, ceiling in zip(fake_time.sleeps, (1.0, 2.0, 4.0), strict=True):
        assert ceiling / 2 <= wait <= ceiling  # full jitter in the top half of the window
    assert fake_time.sleeps == sorted(fake_time.sleeps)
    assert fake_time.sleeps != [1.0, 2.0, 4.0]


def test_retry_after_is_honoured(store: GoogleSheetsStore, emulator: SheetsEmulator,
                                 spreadsheet_id: str, fake_time: FakeTime) -> None:
    emulator.fail_next(status=429)
    edge_store(EdgeAdapter(emulator, retry_after="7"), spreadsheet_id, fake_time).read(
        ["people"])
    assert fake_time.sleeps == [7.0]


def test_an_html_error_page_is_retried(store: GoogleSheetsStore, emulator: SheetsEmulator,
                                       fake_time: FakeTime) -> None:
    emulator.fail_next(status=503, html=True)
    store.append("people", PEOPLE)
    assert len(fake_time.sleeps) == 1
    assert list(store.read(["people"])["people"]["id"]) == ["P1", "P2", "P3"]


def test_google_staying_down_gives_up_within_the_policy(
    store: GoogleSheetsStore, emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    emulator.fail_always(status=503)
    started = fake_time.now
    emulator.reset_counts()
    with pytest.raises(Unavailable, match="Try again in a minute"):
        store.read(["people"])
    assert fake_time.now - started <= store.retry.max_total_s <= 60
    assert 2 <= len(emulator.requests) <= store.retry.max_attempts


def test_quota_used_up_for_good_says_to_wait(
    store: GoogleSheetsStore, emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    emulator.fail_always(status=429)
    started = fake_time.now
    with pytest.raises(QuotaExceeded, match="Wait a minute and try again"):
        store.update("people", "P1", {"phone": "1"}, {})
    assert fake_time.now - started <= 60


def test_an_append_that_landed_before_its_timeout_is_not_doubled(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    emulator.timeout_next(kind="spreadsheets.batchUpdate", applied=True)
    store.append("people", PEOPLE)
    assert list(store.read(["people"])["people"]["id"]) == ["P1", "P2", "P3"]


def test_an_append_that_timed_out_unapplied_is_sent_again(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    emulator.timeout_next(kind="spreadsheets.batchUpdate")
    store.append("people", PEOPLE)
    assert list(store.read(["people"])["people"]["id"]) == ["P1", "P2", "P3"]


def test_a_missing_tab_is_named(emulator: SheetsEmulator, sheets_store: GoogleSheetsStore,
                                spreadsheet_id: str) -> None:
    emulator.create_spreadsheet("Steward", tabs={"people": [list(TABS["people"].column_names)]},
                                spreadsheet_id=spreadsheet_id)
    with pytest.raises(SchemaMismatch, match="donations") as raised:
        sheets_store.read(["people", "donations"])
    assert "steward init" in str(raised.value)


def test_a_spreadsheet_that_is_not_there_is_not_found(
    emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    retry = RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
    gone = GoogleSheetsStore(emulator.client(), "no-such-sheet", retry=retry)
    with pytest.raises(NotFound, match="spreadsheet id or URL"):
        gone.read(["people"])
    assert fake_time.sleeps == []  # a 404 is not worth retrying


def test_open_store_with_a_ready_client_and_a_sheet_url(
    emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    url = f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit#gid=0"
    opened = open_store(StoreConfig(spreadsheet=url), client=emulator.client())
    assert isinstance(opened, GoogleSheetsStore)
    assert opened.spreadsheet_id == spreadsheet_id


# --------------------------------------------------- staff editing inside the store's call


def test_staff_sorting_just_before_the_save_reads_is_still_safe(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    emulator.before_next(lambda emu: emu.sheet(spreadsheet_id, "people").sort(
        by_header="last_name"), kind="read")
    store.update("people", "P1", {"phone": "555-0100"}, user_saw)
    people = store.read(["people"])["people"]
    assert people[["id", "phone"]].values.tolist() == [["P2", ""], ["P3", ""],
                                                       ["P1", "555-0100"]]


def test_staff_sorting_between_the_stores_read_and_write(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    emulator.before_next(lambda emu: emu.sheet(spreadsheet_id, "people").sort(
        by_header="last_name"), kind="write")
    store.update("people", "P1", {"phone": "555-0100"}, user_saw)
    assert store.read(["people"])["people"].set_index("id").loc["P1", "phone"] == "555-0100"


def test_an_audited_save_is_still_one_read_and_one_write(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    from rules.roles import Role, User
    from storage.signed_in import SignedInStore

    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    staff = SignedInStore(store, User("staff@example.org", Role.STAFF))
    emulator.reset_counts()
    staff.update("people", "P2", {"email": "bob@new.org"}, user_saw)
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate"]
    log = store.load(["audit_log"]).frame("audit_log")
    assert list(zip(log["user"], log["record_id"], strict=True)) == [("staff@example.org", "P2")]


def test_a_write_that_fails_leaves_neither_the_row_nor_its_audit_entry(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    from rules.roles import Role, User
    from storage.signed_in import SignedInStore

    staff = SignedInStore(store, User("staff@example.org", Role.STAFF))
    emulator.fail_next(n=20, status=500)
    with pytest.raises(Unavailable):
        staff.append("people", PEOPLE)
    emulator.heal()
    book = store.load(["people", "audit_log"])
    assert book.frame("people").empty and book.frame("audit_log").empty

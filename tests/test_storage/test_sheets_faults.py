"""Google Sheets only: Google's bad minutes never lose, misplace or double a write (issue 16).

Each test arms one fault shape in the emulator (a token endpoint 503, a reset connection, a
write applied before its timeout, a check that cannot answer, staff sorting during a
backoff) and checks what a user relies on: the sheet holds each change once, on the right
row, and the message is a sentence that says what is known.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import gspread
import pytest

from rules.roles import Role, User
from storage import Conflict, KeyFill, QuotaExceeded, RowEdit, StoreError, Unavailable, Uncertain
from storage.retry import RetryPolicy
from storage.sheets_store import GoogleSheetsStore
from storage.signed_in import SignedInStore
from tests.conftest import FakeTime
from tests.emulator import SheetsEmulator

from .staff import SheetStaff
from .test_contract import PEOPLE, seen, text


@pytest.fixture
def backend() -> str:
    return "sheets"


@pytest.fixture
def signed_in(store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str,
              fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch) -> GoogleSheetsStore:
    """A store signed in through google-auth, whose token comes from the emulator. The
    token flow's own backoff sleeps on the fake clock too."""
    monkeypatch.setattr("google.auth._exponential_backoff.time.sleep", fake_time.sleep)
    retry = RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
    return GoogleSheetsStore(emulator.signed_in_client(), spreadsheet_id, retry=retry)


def ids(store: GoogleSheetsStore, tab: str = "people") -> list[str]:
    return list(store.read([tab])[tab]["id"])


# ------------------------------------------------------------ item 5: typed failures only


def test_a_token_endpoint_503_is_ridden_out(signed_in: GoogleSheetsStore,
                                            emulator: SheetsEmulator) -> None:
    emulator.fail_next(n=3, status=503, kind="oauth2.token")  # google-auth tries 3 times
    signed_in.append("people", PEOPLE)
    assert ids(signed_in) == ["P1", "P2", "P3"]
    assert emulator.counts["oauth2.token"] == 4


def test_a_token_endpoint_that_stays_down_is_a_sentence(signed_in: GoogleSheetsStore,
                                                        emulator: SheetsEmulator) -> None:
    emulator.fail_always(status=503, kind="oauth2.token")
    with pytest.raises(Unavailable, match="sign-in service did not answer") as raised:
        signed_in.append("people", PEOPLE)
    assert "nothing was saved" in str(raised.value)
    emulator.heal()
    assert ids(signed_in) == []


def test_a_refused_key_is_a_sentence_not_retried(signed_in: GoogleSheetsStore,
                                                 emulator: SheetsEmulator,
                                                 fake_time: FakeTime) -> None:
    emulator.fail_always(status=400, kind="oauth2.token")
    with pytest.raises(Unavailable, match="service account key"):
        signed_in.read(["people"])
    assert emulator.counts["oauth2.token"] == 1


def test_a_reset_connection_during_the_token_flow_is_retried(
    signed_in: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    emulator.reset_next(kind="oauth2.token")
    signed_in.append("people", PEOPLE)
    assert ids(signed_in) == ["P1", "P2", "P3"]


def test_a_reset_connection_that_lasts_is_a_sentence(signed_in: GoogleSheetsStore,
                                                     emulator: SheetsEmulator) -> None:
    emulator.reset_next(n=1000, kind="oauth2.token")
    with pytest.raises(StoreError, match="Try again in a minute"):
        signed_in.read(["people"])


def test_an_html_page_with_status_200_on_a_read_is_retried(
    store: GoogleSheetsStore, emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    store.append("people", PEOPLE)
    emulator.html_ok_next(kind="read")
    assert ids(store) == ["P1", "P2", "P3"]
    assert len(fake_time.sleeps) == 1


def test_html_pages_that_last_are_a_sentence(store: GoogleSheetsStore,
                                             emulator: SheetsEmulator) -> None:
    emulator.html_ok_next(n=1000, kind="read")
    with pytest.raises(Unavailable, match="web page instead"):
        store.read(["people"])


# ------------------------------------------- items 2 and 4: a lost answer is never doubled


def staff_store(store: GoogleSheetsStore) -> SignedInStore:
    return SignedInStore(store, User("staff@example.org", Role.STAFF))


GIFT = {"id": "D1", "person_id": "P1", "date": date(2024, 3, 15), "amount": Decimal("25.00")}


def then(emulator: SheetsEmulator, kind: str, arm: Callable[[SheetsEmulator], None]) -> None:
    """Once the next request of `kind` was answered (or lost), arm the next fault."""
    emulator.after_next(arm, kind=kind)


@pytest.mark.parametrize("status", [429, 503])
def test_a_gift_whose_answer_was_lost_and_whose_check_failed_is_saved_once(
    store: GoogleSheetsStore, emulator: SheetsEmulator, status: int
) -> None:
    store.append("people", PEOPLE)
    emulator.timeout_next(kind="write", applied=True)
    then(emulator, "write", lambda e: e.fail_next(n=2, status=status, kind="read"))
    staff_store(store).append("donations", [GIFT])
    assert ids(store, "donations") == ["D1"]
    assert list(store.read(["audit_log"])["audit_log"]["record_id"]) == ["D1"]


def test_an_import_whose_answer_was_lost_and_whose_check_failed_is_not_doubled(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    gifts = [{"id": f"D{n:05d}", "person_id": "P1", "date": date(2024, 1, 1),
              "amount": Decimal("10.00"), "note": "x" * 1000} for n in range(5_000)]
    emulator.timeout_next(kind="values.append", applied=True)
    then(emulator, "values.append", lambda e: e.fail_next(n=3, status=503, kind="read"))
    store.append("donations", gifts)
    assert ids(store, "donations") == [g["id"] for g in gifts]


def test_an_edit_whose_answer_was_lost_while_google_stays_down_is_reported_as_not_known(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    emulator.timeout_next(kind="write", applied=True)
    then(emulator, "write", lambda e: e.fail_always(status=503))
    with pytest.raises(Uncertain, match="cannot tell whether it was saved") as raised:
        staff_store(store).update("people", "P2", {"phone": "555-0100"}, user_saw)
    assert "nothing was saved" not in str(raised.value)
    assert "check whether it is there" in str(raised.value)
    emulator.heal()
    assert text(store, "people").loc["P2", "phone"] == "555-0100"
    assert list(store.read(["audit_log"])["audit_log"]["record_id"]) == ["P2"]


def test_an_edit_whose_answer_was_lost_is_done_once_google_answers_again(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    emulator.reset_counts()
    emulator.timeout_next(kind="write", applied=True)
    staff_store(store).delete("people", "P2", user_saw)  # a second delete would hit P3
    assert ids(store) == ["P1", "P3"]
    assert emulator.counts["write"] == 1


def test_an_edit_refused_with_429s_throughout_says_nothing_was_saved(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    emulator.fail_always(status=429, kind="write")
    with pytest.raises(QuotaExceeded, match="nothing more was saved"):
        store.update("people", "P2", {"phone": "555-0100"}, user_saw)
    emulator.heal()
    assert text(store, "people").loc["P2", "phone"] == ""


# ------------------------------------------------ item 1: a retry re-finds its rows by id


def sort_people(spreadsheet_id: str) -> Callable[[SheetsEmulator], None]:
    return lambda e: e.sheet(spreadsheet_id, "people").sort(by_header="last_name")


@pytest.mark.parametrize("status", [429, 503])
def test_a_sort_during_the_backoff_never_moves_an_edit_onto_another_person(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str, status: int
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    emulator.fail_next(status=status, kind="write")
    then(emulator, "write", sort_people(spreadsheet_id))
    store.update("people", "P1", {"phone": "555-0100"}, user_saw)
    people = text(store, "people")
    assert people["phone"].to_dict() == {"P2": "", "P3": "", "P1": "555-0100"}


def test_a_sort_during_the_backoff_never_deletes_another_person(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    emulator.fail_next(status=429, kind="write")
    then(emulator, "write", sort_people(spreadsheet_id))
    staff_store(store).delete("people", "P1", user_saw)
    assert sorted(ids(store)) == ["P2", "P3"]


def test_an_edit_made_by_staff_during_the_backoff_is_a_conflict(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    emulator.fail_next(status=429, kind="write")
    then(emulator, "write", lambda e: e.sheet(spreadsheet_id, "people").sort(
        by_header="last_name") or SheetStaff(e, spreadsheet_id).set("people", "P1", "phone",
                                                                    "555-9999"))
    with pytest.raises(Conflict, match="phone"):
        store.update("people", "P1", {"phone": "555-0100"}, user_saw)
    assert text(store, "people").loc["P1", "phone"] == "555-9999"


def test_ids_given_by_row_number_are_checked_again_after_a_sort_during_the_backoff(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    sheet = emulator.sheet(spreadsheet_id, "people")
    sheet.append_row(["", "Di", "Able"] + [""] * (len(sheet.header()) - 3))
    saw = {str(c): v for c, v in store.read(["people"])["people"].loc[5].items()}
    emulator.fail_next(status=429, kind="write")
    then(emulator, "write", sort_people(spreadsheet_id))
    with pytest.raises(Conflict, match="Row 5"):
        store.assign_keys_by_row("people", [KeyFill(5, "P-NEW", saw)])
    assert "P-NEW" not in ids(store)


# ------------------------------------------------------ item 7: the policy's time budget


def test_every_write_and_check_timing_out_gives_up_within_the_policys_promise(
    store: GoogleSheetsStore, emulator: SheetsEmulator, fake_time: FakeTime
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    timeout_s = 30  # each request waits its read timeout before failing
    emulator.before_next(lambda e: setattr(fake_time, "now", fake_time.now + timeout_s),
                         n=10_000)
    emulator.timeout_next(n=10_000, kind="write", applied=True)
    then(emulator, "write", lambda e: e.timeout_next(n=10_000, kind="read"))
    started = fake_time.now
    with pytest.raises(Uncertain):
        store.update("people", "P2", {"phone": "555-0100"}, user_saw)
    assert fake_time.now - started <= store.retry.max_total_s + timeout_s  # about 75 s


# ------------------------------- item 6: the sort between the store's own read and its write


def endpoints(emulator: SheetsEmulator) -> list[str]:
    return [endpoint for _, endpoint, _ in emulator.requests]


def sort_before_the_write(emulator: SheetsEmulator, spreadsheet_id: str) -> None:
    emulator.before_next(sort_people(spreadsheet_id), kind="spreadsheets.batchUpdate")


def test_an_edit_misplaced_by_a_sort_is_put_back_and_redone_on_the_right_person(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P1")
    emulator.reset_counts()
    sort_before_the_write(emulator, spreadsheet_id)
    staff_store(store).update("people", "P1", {"phone": "555-0100"}, user_saw)
    # the misplaced write, the undo (1 read + 1 write), then the save again
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate"] * 3
    people = text(store, "people")
    assert people["phone"].to_dict() == {"P2": "", "P3": "", "P1": "555-0100"}
    assert list(people.index) == ["P2", "P3", "P1"]  # staff's sort stays
    assert list(store.read(["audit_log"])["audit_log"]["record_id"]) == ["P1"]


def test_a_delete_misplaced_by_a_sort_brings_the_other_person_back(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    before = text(store, "people")
    user_saw = seen(store, "people", "P1")
    sort_before_the_write(emulator, spreadsheet_id)
    staff_store(store).delete("people", "P1", user_saw)
    after = text(store, "people")
    assert sorted(after.index) == ["P2", "P3"]
    assert after.loc["P2"].equals(before.loc["P2"]) and after.loc["P3"].equals(before.loc["P3"])
    log = store.read(["audit_log"])["audit_log"]
    assert list(log["record_id"]) == ["P1"]


def test_a_bulk_edit_misplaced_by_a_sort_lands_on_each_right_row(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    people = store.load(["people"]).frame("people")
    edits = [RowEdit(row["id"], {"city": f"City of {row['id']}"}, row)
             for row in people.to_dict("records")]
    sort_before_the_write(emulator, spreadsheet_id)
    assert store.update_many("people", edits) == []
    cities = text(store, "people")["city"].to_dict()
    assert cities == {"P2": "City of P2", "P3": "City of P3", "P1": "City of P1"}


def test_a_row_inserted_above_between_read_and_write_is_not_overwritten(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    emulator.before_next(lambda e: SheetStaff(e, spreadsheet_id).insert_row(
        "people", 2, {"id": "P9", "first_name": "New"}), kind="spreadsheets.batchUpdate")
    store.update("people", "P2", {"phone": "555-0100"}, user_saw)
    phones = text(store, "people")["phone"].to_dict()
    assert phones == {"P9": "", "P1": "", "P2": "555-0100", "P3": ""}


def test_a_save_that_lands_right_costs_one_read_and_one_write_and_keeps_a_hidden_copy(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    user_saw = seen(store, "people", "P2")
    emulator.reset_counts()
    store.update("people", "P2", {"phone": "555-0100"}, user_saw)
    assert endpoints(emulator) == ["values.batchGet", "spreadsheets.batchUpdate"]
    scratch = emulator.sheet(spreadsheet_id, "_steward_scratch")
    assert scratch.extra.get("hidden") is True
    assert [row[:2] for row in scratch.values()[:1]] == [["P2", "P2"]]  # the row before
    emulator.reset_counts()
    store.update("people", "P3", {"phone": "555-0101"}, seen(store, "people", "P3"))
    assert endpoints(emulator)[-2:] == ["values.batchGet", "spreadsheets.batchUpdate"]
    assert len(scratch.values()) == 2  # only the last save's row (and its token)


def test_a_misplaced_write_whose_answer_was_lost_is_put_back_too(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    store.update("people", "P3", {"phone": "1"}, seen(store, "people", "P3"))  # scratch made
    user_saw = seen(store, "people", "P1")
    sort_before_the_write(emulator, spreadsheet_id)
    emulator.timeout_next(kind="spreadsheets.batchUpdate", applied=True)
    store.update("people", "P1", {"phone": "555-0100"}, user_saw)
    phones = text(store, "people")["phone"].to_dict()
    assert phones == {"P2": "", "P3": "1", "P1": "555-0100"}


def test_a_scratch_tab_deleted_by_staff_is_made_again(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    store.append("people", PEOPLE)
    store.update("people", "P3", {"phone": "1"}, seen(store, "people", "P3"))
    book = emulator.spreadsheet(spreadsheet_id)
    book.tabs.remove(emulator.sheet(spreadsheet_id, "_steward_scratch"))
    book.reindex()
    store.update("people", "P2", {"phone": "2"}, seen(store, "people", "P2"))
    assert text(store, "people").loc["P2", "phone"] == "2"


# ------------------- item 7: google-auth's regional access boundary look-ups never fail a save


def service_account_store(emulator: SheetsEmulator, spreadsheet_id: str,
                          fake_time: FakeTime) -> GoogleSheetsStore:
    """A store signed in as a service account (a fresh RSA key), as `from_service_account`
    signs in, with google-auth's regional access boundary look-up made blocking so the
    test sees it (in the app it runs in a background thread)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2 import service_account

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    credentials = service_account.Credentials.from_service_account_info({
        "type": "service_account", "project_id": "steward", "private_key_id": "k1",
        "private_key": pem, "client_email": "steward@steward.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": "https://oauth2.googleapis.com/token"},
        scopes=["https://www.googleapis.com/auth/spreadsheets"])
    credentials._rab_manager.enable_blocking_lookup()
    session = AuthorizedSession(credentials, auth_request=Request(emulator.session()))
    session.mount("https://sheets.googleapis.com/", emulator.session().adapters[
        "https://sheets.googleapis.com/"])
    retry = RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
    client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
    return GoogleSheetsStore(client, spreadsheet_id, retry=retry)


@pytest.mark.parametrize("fault", ["503", "reset"])
def test_a_failing_regional_access_boundary_look_up_does_not_fail_a_save(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str,
    fake_time: FakeTime, fault: str
) -> None:
    signed = service_account_store(emulator, spreadsheet_id, fake_time)
    if fault == "503":
        emulator.fail_always(status=503, kind="iam.allowedLocations")
    else:
        emulator.reset_next(n=100, kind="iam.allowedLocations")
    signed.append("people", PEOPLE)
    signed.update("people", "P2", {"phone": "555-0100"}, seen(signed, "people", "P2"))
    assert text(store, "people").loc["P2", "phone"] == "555-0100"
    assert emulator.counts["iam.allowedLocations"] == 1  # tried once, then google-auth waits


# ------------------------------------- item 3: a commit over one request still ends whole


def big_import(n: int = 5_000) -> list[dict[str, Any]]:
    """Gifts over ~4 MB: two `values:append`s, then the audit row in a batchUpdate."""
    return [{"id": f"D{k:05d}", "person_id": "P1", "date": date(2024, 1, 1),
             "amount": Decimal("10.00"), "note": "x" * 1000} for k in range(n)]


def test_a_large_save_whose_last_request_fails_takes_its_rows_back(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    def google_goes_down(e: SheetsEmulator) -> None:
        e.fail_always(status=429, kind="spreadsheets.batchUpdate")
        e.before_next(lambda again: again.heal(), kind="values.batchGet")  # back for the undo

    then(emulator, "values.append", google_goes_down)
    with pytest.raises(QuotaExceeded, match="nothing more was saved"):
        staff_store(store).append("donations", big_import())
    assert ids(store, "donations") == [] and ids(store, "audit_log") == []
    assert emulator.counts["values.append"] == 2


def test_a_large_save_that_cannot_be_taken_back_says_what_is_left(
    store: GoogleSheetsStore, emulator: SheetsEmulator
) -> None:
    then(emulator, "values.append",
         lambda e: e.fail_always(status=503, kind="spreadsheets.batchUpdate"))
    with pytest.raises(StoreError, match="could not remove those rows") as raised:
        staff_store(store).append("donations", big_import())
    assert "5,000 to donations" in str(raised.value)
    assert "nothing was saved" not in str(raised.value)


def pending_tabs(emulator: SheetsEmulator, spreadsheet_id: str) -> list[str]:
    return [t.title for t in emulator.spreadsheet(spreadsheet_id)
            if t.title.startswith("_steward_pending_")]


def test_a_large_save_that_lands_leaves_no_intent_behind(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str
) -> None:
    staff_store(store).append("donations", big_import())
    assert len(ids(store, "donations")) == 5_000
    assert list(store.read(["audit_log"])["audit_log"]["record_id"])  # its audit row
    assert pending_tabs(emulator, spreadsheet_id) == []


@pytest.mark.parametrize("status", [429, 503])
def test_a_large_save_left_unfinished_is_removed_when_the_app_next_starts(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str,
    sheets_store_factory: Callable[[], GoogleSheetsStore], monkeypatch: pytest.MonkeyPatch,
    status: int
) -> None:
    then(emulator, "values.append",
         lambda e: e.fail_always(status=status, kind="spreadsheets.batchUpdate"))
    with pytest.raises(StoreError, match="removes them by itself when it next starts"):
        staff_store(store).append("donations", big_import())
    emulator.heal()
    assert len(ids(store, "donations")) == 5_000  # left behind, and its intent with them
    assert len(pending_tabs(emulator, spreadsheet_id)) == 1
    monkeypatch.setattr("storage.sheets_large.PENDING_STALE", timedelta(0))
    restarted = sheets_store_factory()
    emulator.reset_counts()
    book = restarted.load(["donations", "audit_log"])
    assert book.frame("donations").empty and book.frame("audit_log").empty
    assert pending_tabs(emulator, spreadsheet_id) == []
    # the tab list, the intent, the rows' ids, 1 write removing both; then the load itself
    assert endpoints(emulator) == ["spreadsheets.get", "values.batchGet", "values.batchGet",
                                   "spreadsheets.batchUpdate", "values.batchGet"]


def test_an_intent_of_a_save_that_may_still_be_running_is_left_alone(
    store: GoogleSheetsStore, emulator: SheetsEmulator, spreadsheet_id: str,
    sheets_store_factory: Callable[[], GoogleSheetsStore]
) -> None:
    then(emulator, "values.append",
         lambda e: e.fail_always(status=429, kind="spreadsheets.batchUpdate"))
    with pytest.raises(StoreError):
        staff_store(store).append("donations", big_import())
    emulator.heal()
    sheets_store_factory().load(["donations"])  # another process starts at once
    assert len(ids(store, "donations")) == 5_000
    assert len(pending_tabs(emulator, spreadsheet_id)) == 1

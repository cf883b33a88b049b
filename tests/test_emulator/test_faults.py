"""Fault injection: quota errors, HTML error pages, timeouts, edits between requests."""

from __future__ import annotations

import threading

import gspread
import pytest
import requests

from tests.emulator import SheetsEmulator


def test_429_then_success(emu: SheetsEmulator, sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    emu.fail_next(status=429, kind="read")
    with pytest.raises(gspread.exceptions.APIError) as info:
        ws.get_all_values()
    body = info.value.response.json()["error"]
    assert body["code"] == 429 and body["status"] == "RESOURCE_EXHAUSTED"
    assert "Quota exceeded for quota metric 'Read requests'" in body["message"]
    assert ws.get_all_values()[0][0] == "id"


def test_fault_kinds_only_match_their_requests(
    emu: SheetsEmulator, sh: gspread.Spreadsheet
) -> None:
    ws = sh.worksheet("people")
    emu.fail_next(n=2, status=500, kind="values.update")
    assert ws.get("A1") == [["id"]]  # a read is not affected
    for _ in range(2):
        with pytest.raises(gspread.exceptions.APIError) as info:
            ws.update(range_name="A1", values=[["x"]])
        assert info.value.response.json()["error"]["status"] == "INTERNAL"
    ws.update(range_name="A1", values=[["x"]])


def test_html_503(emu: SheetsEmulator, sh: gspread.Spreadsheet) -> None:
    emu.fail_next(status=503, html=True)
    with pytest.raises(gspread.exceptions.APIError) as info:
        sh.worksheet("people").get_all_values()
    response = info.value.response
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert info.value.code == -1  # gspread cannot parse it: what the app must cope with


def test_fail_always_and_heal(emu: SheetsEmulator, sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    emu.fail_always(status=503)
    for _ in range(3):
        with pytest.raises(gspread.exceptions.APIError) as info:
            ws.get("A1")
        body = info.value.response.json()["error"]
        assert body["message"] == "The service is currently unavailable."
        assert body["status"] == "UNAVAILABLE"
    emu.heal()
    assert ws.get("A1") == [["id"]]


def test_timeout_not_applied(emu: SheetsEmulator, sid: str, sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    emu.timeout_next(kind="write")
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws.update(range_name="B2", values=[["Anna"]])
    assert emu.sheet(sid, "people").cell(2, 2) == "Ann"


def test_timeout_applied_loses_the_answer(emu: SheetsEmulator, sid: str,
                                          sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    emu.timeout_next(kind="values.append", applied=True)
    with pytest.raises(requests.exceptions.ReadTimeout):
        ws.append_rows([["p9", "Zed"]], value_input_option="RAW",
                       insert_data_option="INSERT_ROWS", table_range="A1")
    assert emu.sheet(sid, "people").values()[-1] == ["p9", "Zed"]


def test_before_next_runs_a_person_edit_between_read_and_write(
    emu: SheetsEmulator, sid: str, sh: gspread.Spreadsheet
) -> None:
    ws = sh.worksheet("people")
    rows = ws.get_all_values()
    row_of_bob = next(i for i, r in enumerate(rows, start=1) if r[0] == "p2")
    emu.before_next(lambda e: e.sheet(sid, "people").sort(by_header="last_name"), kind="write")
    ws.update(range_name=f"B{row_of_bob}", values=[["Robert"]])
    # The naive positional write landed on whoever is in that row after the sort.
    tab = emu.sheet(sid, "people")
    assert tab.values()[row_of_bob - 1][0] != "p2"
    assert emu.counts["write"] == 1


def test_latency_and_concurrent_writers_are_atomic(emu: SheetsEmulator, sid: str) -> None:
    emu.latency = 0.001
    gc = emu.client()
    ws = gc.open_by_key(sid).worksheet("gifts")

    def writer(n: int) -> None:
        for i in range(10):
            ws.append_rows([[f"g{n}-{i}", i]], value_input_option="RAW",
                           insert_data_option="INSERT_ROWS", table_range="A1")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    values = emu.sheet(sid, "gifts").values()
    assert len(values) == 41 and len({r[0] for r in values[1:]}) == 40
    assert emu.counts["values.append"] == 40


def test_a_signed_in_client_gets_its_token_from_the_emulator(emu: SheetsEmulator,
                                                            sid: str) -> None:
    ws = emu.signed_in_client().open_by_key(sid).worksheet("people")
    assert ws.get("A1") == [["id"]]
    assert emu.counts["oauth2.token"] == 1 and emu.tokens_issued == 1


def test_a_reset_connection_is_a_connection_error(emu: SheetsEmulator,
                                                  sh: gspread.Spreadsheet) -> None:
    emu.reset_next(kind="read")
    with pytest.raises(requests.exceptions.ConnectionError):
        sh.worksheet("people")


def test_an_html_page_with_status_200_cannot_be_decoded(emu: SheetsEmulator,
                                                        sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    emu.html_ok_next(kind="read")
    with pytest.raises(requests.exceptions.JSONDecodeError):
        ws.get("A1")


def test_after_next_runs_once_the_request_was_answered(emu: SheetsEmulator, sid: str,
                                                       sh: gspread.Spreadsheet) -> None:
    ws = sh.worksheet("people")
    emu.fail_next(status=429, kind="write")
    emu.after_next(lambda e: e.sheet(sid, "people").sort(by_header="last_name"), kind="write")
    with pytest.raises(gspread.exceptions.APIError):
        ws.update(range_name="B2", values=[["Anna"]])
    assert emu.sheet(sid, "people").values()[1][0] == "p2"  # sorted during the "backoff"
    assert "Anna" not in emu.sheet(sid, "people").values()[1]

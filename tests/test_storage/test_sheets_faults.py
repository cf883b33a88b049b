"""Google Sheets only: Google's bad minutes never lose, misplace or double a write (issue 16).

Each test arms one fault shape in the emulator (a token endpoint 503, a reset connection, a
write applied before its timeout, a check that cannot answer, staff sorting during a
backoff) and checks what a user relies on: the sheet holds each change once, on the right
row, and the message is a sentence that says what is known.
"""

from __future__ import annotations

import pytest

from storage import StoreError, Unavailable
from storage.retry import RetryPolicy
from storage.sheets_store import GoogleSheetsStore
from tests.conftest import FakeTime
from tests.emulator import SheetsEmulator

from .test_contract import PEOPLE


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

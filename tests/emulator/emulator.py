"""SheetsEmulator: the public face of the in-process Google Sheets API v4.

Typical use::

    emu = SheetsEmulator()
    sid = emu.create_spreadsheet("Steward", tabs={"people": [["id", "name"], ["p1", "Ann"]]})
    gc = emu.client()                      # a real gspread.Client
    sh = gc.open_by_key(sid)
    emu.sheet(sid, "people").sort(by_header="name")   # a person edits the sheet
    emu.fail_next(status=429, kind="write")           # Google pushes back once
    assert emu.counts["read"] == 1

Every request runs under one lock, because every Google request is atomic.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import gspread
import requests

from .adapter import EmulatorAdapter
from .cells import parse_raw
from .endpoints import ApiError, Handlers, route
from .faults import Faults, Rule, encode_error
from .workbook import DEFAULT_COLS, DEFAULT_ROWS, Spreadsheet, Tab

JSON_TYPE = "application/json; charset=UTF-8"


class SheetsEmulator:
    """An in-memory Google Sheets (plus the Drive calls gspread makes to create files)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.books: dict[str, Spreadsheet] = {}
        self.counts: Counter[str] = Counter()
        self.requests: list[tuple[str, str, str]] = []
        self.latency = 0.0
        self.faults = Faults()
        self.tokens_issued = 0
        self._handlers = Handlers(self)
        self._ids = itertools.count(1)

    # ------------------------------------------------------------------ setup

    def create_spreadsheet(
        self,
        title: str = "Untitled spreadsheet",
        tabs: Mapping[str, Sequence[Sequence[Any]]] | None = None,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
        spreadsheet_id: str | None = None,
    ) -> str:
        """Create a spreadsheet and return its id.

        ``tabs`` maps tab titles to rows, stored RAW (strings stay strings). With no tabs
        the file has one empty ``Sheet1``, as a new Google spreadsheet does. Grids are
        1000x26 but grow to fit the given rows.
        """
        with self.lock:
            sid = spreadsheet_id or f"emu-sheet-{next(self._ids):04d}-{'x' * 24}"
            book = Spreadsheet(sid, title, self.lock, locale=locale, time_zone=time_zone)
            for name, rows in (tabs or {"Sheet1": []}).items():
                width = max((len(r) for r in rows), default=0)
                tab = book.add_tab(name, max(DEFAULT_ROWS, len(rows)), max(DEFAULT_COLS, width))
                for r, row in enumerate(rows, start=1):
                    for c, value in enumerate(row, start=1):
                        tab.put(r, c, parse_raw(value))
            self.books[sid] = book
            return sid

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        return self.books[spreadsheet_id]

    def sheet(self, spreadsheet_id: str, title: str) -> Tab:
        """Direct access to a tab, for assertions and for "person edits"."""
        tab = self.books[spreadsheet_id].tab_by_title(title)
        if tab is None:
            raise KeyError(title)
        return tab

    def session(self) -> requests.Session:
        s = requests.Session()
        adapter = EmulatorAdapter(self)
        s.mount("https://sheets.googleapis.com/", adapter)
        s.mount("https://www.googleapis.com/", adapter)
        s.mount("https://oauth2.googleapis.com/", adapter)
        s.mount("https://iamcredentials.googleapis.com/", adapter)
        return s

    def signed_in_client(self) -> gspread.Client:
        """A real gspread client signed in through google-auth: its access token comes
        from the emulator's token endpoint (kind ``"oauth2.token"``, bucket ``"token"``),
        so token failures (a 503, a reset connection) can be injected like any other."""
        from google.auth.transport.requests import AuthorizedSession, Request
        from google.oauth2.credentials import Credentials

        credentials = Credentials(
            token=None, refresh_token="emu-refresh", client_id="emu-client",
            client_secret="emu-secret", token_uri="https://oauth2.googleapis.com/token",
            scopes=["https://www.googleapis.com/auth/spreadsheets"])
        session = AuthorizedSession(credentials, auth_request=Request(self.session()))
        for prefix in ("https://sheets.googleapis.com/", "https://www.googleapis.com/"):
            session.mount(prefix, EmulatorAdapter(self))
        return gspread.Client(auth=None, session=session)  # type: ignore[arg-type]

    def client(self) -> gspread.Client:
        """A real gspread client whose HTTP goes to this emulator."""
        return gspread.Client(auth=None, session=self.session())  # type: ignore[arg-type]

    # ------------------------------------------------------------------ counting

    def reset_counts(self) -> None:
        with self.lock:
            self.counts.clear()
            self.requests.clear()

    # ------------------------------------------------------------------ faults

    def fail_next(
        self, n: int = 1, status: int = 429, kind: str | None = None, html: bool = False
    ) -> None:
        """Answer the next ``n`` matching requests with an error instead of serving them."""
        self.faults.add(Rule("fail", kind, n, status, html))

    def fail_always(self, status: int = 503, kind: str | None = None, html: bool = False) -> None:
        self.faults.add(Rule("fail", kind, None, status, html))

    def heal(self) -> None:
        """Disarm every fault, callback and timeout."""
        self.faults.heal()

    def timeout_next(self, n: int = 1, kind: str | None = None, applied: bool = False) -> None:
        """Raise ReadTimeout for the next ``n`` matching requests.

        ``applied=True`` serves the request first (the write happens) and loses the
        answer: the case where retrying a non-idempotent write duplicates it.
        """
        self.faults.add(Rule("timeout_applied" if applied else "timeout", kind, n))

    def reset_next(self, n: int = 1, kind: str | None = None) -> None:
        """Drop the connection (ConnectionResetError) for the next ``n`` matching requests,
        before they are served."""
        self.faults.add(Rule("reset", kind, n))

    def html_ok_next(self, n: int = 1, kind: str | None = None) -> None:
        """Answer the next ``n`` matching requests with an HTML page and status 200, unserved
        (a proxy or Google's front end does this; gspread then cannot decode the JSON)."""
        self.faults.add(Rule("fail", kind, n, status=200, html=True))

    def after_next(
        self, callback: Callable[[SheetsEmulator], None], kind: str | None = None, n: int = 1
    ) -> None:
        """Run ``callback(emu)`` just after the next matching request is answered (failed or
        not): with `fail_next` this is staff editing the sheet during the app's backoff."""
        self.faults.add(Rule("after", kind, n, callback=callback))

    def before_next(
        self, callback: Callable[[SheetsEmulator], None], kind: str | None = None, n: int = 1
    ) -> None:
        """Run ``callback(emu)`` just before the next matching request is served."""
        self.faults.add(Rule("before", kind, n, callback=callback))

    # ------------------------------------------------------------------ serving

    def serve(
        self, method: str, url: str, body: Any, request: Any = None
    ) -> tuple[int, bytes, str | None]:
        """Serve one HTTP request: (status, body bytes, content type)."""
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            r = route(method, url)
            self.requests.append((method.upper(), r.endpoint, url))
            self.counts[r.endpoint] += 1
            if r.bucket:
                self.counts[r.bucket] += 1
            outcome = self.faults.take(r.endpoint, r.bucket)
            for rule in outcome.callbacks:
                if rule.callback is not None:
                    rule.callback(self)
            try:
                return self._answer(r, method, url, body, request, outcome)
            finally:
                for rule in outcome.after:
                    if rule.callback is not None:
                        rule.callback(self)

    def _answer(self, r: Any, method: str, url: str, body: Any, request: Any,
                outcome: Any) -> tuple[int, bytes, str | None]:
        """The answer to one request under the faults that fired for it."""
        with self.lock:
            if outcome.fail is not None:
                content, ctype = encode_error(outcome.fail.status, r.bucket, outcome.fail.html)
                return outcome.fail.status, content, ctype
            if outcome.timeout is not None and outcome.timeout.action == "reset":
                raise requests.exceptions.ConnectionError(
                    ConnectionResetError(104, "Connection reset by peer (emulated)"),
                    request=request)
            if outcome.timeout is not None and outcome.timeout.action == "timeout":
                raise requests.exceptions.ReadTimeout(
                    "Emulated read timeout (request not applied)", request=request
                )
            try:
                status, payload = self._handlers.handle(r, method, url, body)
            except ApiError as err:
                status, payload = err.code, err.body()
            if outcome.timeout is not None:
                raise requests.exceptions.ReadTimeout(
                    "Emulated read timeout (request applied, answer lost)", request=request
                )
            if payload is None:
                return status, b"", None
            return status, json.dumps(payload, indent=2).encode("utf-8"), JSON_TYPE

"""Counting what reaches the Sheets emulator: reads, writes and bytes sent.

Imports only the standard library, requests and the emulator, so the peers' virtual
environment (gspread 5, for st-gsheets-connection) runs it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from tests.emulator import SheetsEmulator
from tests.emulator.adapter import EmulatorAdapter


@dataclass(frozen=True)
class Count:
    """Requests of one piece of work, by Google's quota buckets, and the request bodies'
    size (what would go over the network)."""

    reads: int
    writes: int
    sent_bytes: int

    @property
    def requests(self) -> int:
        return self.reads + self.writes

    def as_dict(self) -> dict[str, int]:
        return {"reads": self.reads, "writes": self.writes, "sent_bytes": self.sent_bytes}


class _SizingAdapter(EmulatorAdapter):
    def __init__(self, emulator: SheetsEmulator, meter: Meter) -> None:
        super().__init__(emulator)
        self.meter = meter

    def send(self, request: requests.PreparedRequest, *args: Any,  # type: ignore[override]
             **kwargs: Any) -> requests.Response:
        body = request.body
        self.meter.sent_bytes += len(body) if body else 0
        return super().send(request, *args, **kwargs)


class Meter:
    """An emulator whose sessions tally the bytes they send; `measure` counts one action."""

    def __init__(self, emulator: SheetsEmulator | None = None) -> None:
        self.emulator = emulator or SheetsEmulator()
        self.sent_bytes = 0

    def session(self) -> requests.Session:
        """A requests session whose Google traffic goes to the emulator, through this meter."""
        session = requests.Session()
        adapter = _SizingAdapter(self.emulator, self)
        session.mount("https://sheets.googleapis.com/", adapter)
        session.mount("https://www.googleapis.com/", adapter)
        return session

    def reset(self) -> None:
        self.emulator.reset_counts()
        self.sent_bytes = 0

    def count(self) -> Count:
        """What reached the emulator since the last `reset`."""
        counts = self.emulator.counts
        return Count(counts["read"], counts["write"], self.sent_bytes)

    def measure(self, action: Callable[[], Any]) -> Count:
        self.reset()
        action()
        return self.count()

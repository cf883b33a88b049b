"""The same work through Streamlit's official `st-gsheets-connection` (GSheetsConnection):
`conn.read(worksheet=...)` per tab with its ttl cache, and `conn.update(worksheet=...,
data=frame)`, which clears the tab and writes the whole frame back.

It needs gspread below 6, so it runs in its own virtual environment (`bench/.peers-venv`,
made by `bench.peers_venv`), on an emulator of its own holding a copy of Steward's sheet:

    bench/.peers-venv/bin/python -m bench.gsheets_peer workload.json counts.json

Only the standard library, pandas, streamlit, gspread and the emulator are imported here.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .meter import Count, Meter


class FakeClock:
    """Streamlit's cache TTL timer, moved by the simulated minute instead of wall time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


CLOCK = FakeClock()


def connect(meter: Meter, spreadsheet_id: str) -> Any:
    """`st.connection("gsheets", type=GSheetsConnection)` configured as its README says (a
    service account in secrets.toml), with gspread's client handed the emulator's session
    instead of Google's."""
    import gspread
    import streamlit as st
    import streamlit_gsheets.gsheets_connection as module
    from streamlit_gsheets import GSheetsConnection

    folder = Path(tempfile.mkdtemp(prefix="gsheets-peer-"))
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "secrets.toml").write_text(
        "[connections.gsheets]\ntype = \"service_account\"\n"
        f"spreadsheet = \"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit\"\n")
    os.chdir(folder)
    module.service_account_from_dict = lambda info: gspread.Client(  # type: ignore[attr-defined]
        auth=None, session=meter.session())
    return st.connection("gsheets", type=GSheetsConnection)


def run(workload: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd
    import streamlit as st

    meter = Meter()
    sid = meter.emulator.create_spreadsheet("gsheets-connection copy", tabs=workload["tabs"])
    conn = connect(meter, sid)

    def page(tabs: list[str]) -> None:
        for name in tabs:
            conn.read(worksheet=name)

    pages = {}
    for label, tabs in workload["page_tabs"].items():
        st.cache_data.clear()
        pages[label] = {"cold": meter.measure(lambda t=tabs: page(t)),
                        "warm": meter.measure(lambda t=tabs: page(t))}

    saves = {}
    for label, changes in workload["edits"].items():
        people = conn.read(worksheet="people")
        at = people.index[people["id"] == workload["person_id"]][0]
        for column, value in changes.items():
            people[column] = people[column].astype(object)
            people.loc[at, column] = value
        saves[label] = meter.measure(lambda f=people: conn.update(worksheet="people", data=f))

    donations = conn.read(worksheet="donations")
    header = [str(c) for c in donations.columns]
    new = pd.DataFrame(workload["import_rows"], columns=header)
    imported = meter.measure(lambda: conn.update(
        worksheet="donations", data=pd.concat([donations, new], ignore_index=True)))

    appeal = meter.measure(lambda: _appeal(conn, workload))
    sessions = _sessions(meter, conn, workload)
    return {"pages": pages, "saves": saves, "import": imported, "appeal": appeal,
            "sessions": sessions}


def _appeal(conn: Any, workload: dict[str, Any]) -> None:
    """The queued rows written, then the outbox tab brought up to date every
    `sync_every` messages, as Steward does: each time the whole frame goes back."""
    import pandas as pd

    queued = pd.DataFrame(workload["outbox_rows"])
    outbox = pd.concat([conn.read(worksheet="outbox"), queued], ignore_index=True)
    for column in ("status", "attempts", "sent_at", "message_id"):
        outbox[column] = outbox[column].astype(object)
    conn.update(worksheet="outbox", data=outbox)
    first = len(outbox) - len(queued)
    every = workload["sync_every"]
    for n, record in enumerate(workload["outbox_rows"], start=1):
        changes = {**workload["sent_changes"], "message_id": f"<{record['id']}@bench>"}
        for column, value in changes.items():
            outbox.loc[first + n - 1, column] = value
        if n % every == 0 or n == len(queued):
            conn.update(worksheet="outbox", data=outbox)


def _sessions(meter: Meter, conn: Any, workload: dict[str, Any]) -> Count:
    """The minute's page views, each reading its tabs through the connection's cache
    (default ttl, one hour), shared by every session of the process."""
    import streamlit as st

    st.cache_data.clear()
    meter.reset()
    for second, _, page in workload["views"]:
        CLOCK.now = second
        for name in workload["page_tabs"][page]:
            conn.read(worksheet=name)
    return meter.count()


def main() -> None:
    from streamlit import logger
    from streamlit.runtime.caching import cache_utils

    logger.set_log_level("error")
    cache_utils.TTLCACHE_TIMER = CLOCK  # before any cache exists
    workload = json.loads(Path(sys.argv[1]).read_text())
    results = run(workload)
    Path(sys.argv[2]).write_text(json.dumps(results, default=_plain))


def _plain(value: Any) -> Any:
    if isinstance(value, Count):
        return value.as_dict()
    raise TypeError(f"cannot write {type(value).__name__}")


if __name__ == "__main__":
    main()

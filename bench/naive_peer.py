"""The same work done the way most gspread apps are written: open the spreadsheet and
`get_all_records` each tab on every page run (no cache), `update_cell` for each changed
cell at a row number remembered from the read, `append_row` for each new row.

Runs in this process (gspread 6) on a copy of Steward's sheet in the same emulator.
"""

from __future__ import annotations

from typing import Any

import gspread

from .meter import Count, Meter
from .workload import Workload


class NaiveApp:
    """A Streamlit script's data code without Steward: one client per process (the usual
    `st.cache_resource`), everything else on each run."""

    def __init__(self, meter: Meter, workload: Workload) -> None:
        self.meter = meter
        self.workload = workload
        self.spreadsheet_id = meter.emulator.create_spreadsheet("Naive copy",
                                                                tabs=workload.tabs)
        self.client = gspread.Client(auth=None, session=meter.session())  # type: ignore[arg-type]

    def page(self, tabs: list[str]) -> dict[str, list[dict[str, Any]]]:
        spreadsheet = self.client.open_by_key(self.spreadsheet_id)
        return {name: spreadsheet.worksheet(name).get_all_records() for name in tabs}

    def worksheet(self, name: str) -> gspread.Worksheet:
        return self.client.open_by_key(self.spreadsheet_id).worksheet(name)


def run(meter: Meter, workload: Workload) -> dict[str, Any]:
    """Every workload's requests, in the shape `report` reads."""
    app = NaiveApp(meter, workload)
    pages = {label: {"cold": meter.measure(lambda t=tabs: app.page(t)),
                     "warm": meter.measure(lambda t=tabs: app.page(t))}
             for label, tabs in workload.page_tabs.items()}
    people = app.worksheet("people")
    header = people.row_values(1)
    saves = {}
    for label, changes in workload.edits.items():
        saves[label] = meter.measure(lambda c=changes: [
            people.update_cell(workload.person_row, header.index(col) + 1, value)
            for col, value in c.items()])
    donations = app.worksheet("donations")
    sample = workload.import_rows[:workload.naive_import_sample]
    measured = meter.measure(lambda: [donations.append_row(row, value_input_option="RAW")
                                      for row in sample])
    scale = len(workload.import_rows) / max(1, len(sample))
    imported = Count(round(measured.reads * scale), round(measured.writes * scale),
                     round(measured.sent_bytes * scale))
    return {"pages": pages, "saves": saves, "import": imported,
            "import_measured_rows": len(sample), "appeal": _appeal(meter, app, workload),
            "sessions": _sessions(pages, workload)}


def _appeal(meter: Meter, app: NaiveApp, workload: Workload) -> Count:
    """Each recipient's outbox row appended, then after each message its changed cells."""
    outbox = app.worksheet("outbox")
    header = outbox.row_values(1)
    first_row = len(outbox.col_values(1)) + 1

    def send() -> None:
        for record in workload.outbox_rows:
            outbox.append_row([record.get(h, "") for h in header], value_input_option="RAW")
        for n, record in enumerate(workload.outbox_rows):
            changes = {**workload.sent_changes, "message_id": f"<{record['id']}@bench>"}
            for column, value in changes.items():
                outbox.update_cell(first_row + n, header.index(column) + 1, value)

    return meter.measure(send)


def _sessions(pages: dict[str, dict[str, Count]], workload: Workload) -> Count:
    """The simulated minute's page views. Without a cache every view costs what its page's
    load cost (measured above, the same every time), so the minute is their sum over the
    schedule rather than the same reads run again."""
    views = [pages[page]["warm"] for _, _, page in workload.views]
    return Count(sum(c.reads for c in views), sum(c.writes for c in views),
                 sum(c.sent_bytes for c in views))

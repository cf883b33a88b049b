"""Steward's side of the request counts: pages in AppTest and writes through the Store, on
the emulated sheet, each counted by the emulator."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from demo import ORG_ADDRESS, ORG_NAME
from importing.files import read_source
from importing.mapping import IMPORT_KINDS, suggest_mapping
from importing.plan import plan_import
from mailers.config import MailConfig
from mailers.journal import Journal
from mailers.messages import Footer
from mailers.outbox import Limits, send_mailing, sync_outbox
from sheets_schema.cells import to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import new_id
from storage.sheets_store import GoogleSheetsStore
from storage.signed_in import SignedInStore

from . import apptest
from .meter import Count, Meter

SUBJECT = "Our winter appeal"
BODY = "Dear {{ first_name }},\n\nThank you for standing with Riverside this year."


def page_loads(meter: Meter, store: GoogleSheetsStore, person_id: str
               ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each page's requests cold (shared cache empty, in a new session) and warm (the next
    run), and the tabs its cold run used; and the tabs of the app's default page."""
    with apptest.tabs_read() as first_tabs:
        apptest.refresh()
        apptest.opened(store, person_id)
    results: dict[str, dict[str, Any]] = {}
    for label, path in apptest.PAGES.items():
        app = apptest.opened(store, person_id)
        apptest.refresh()
        with apptest.tabs_read() as used:
            cold = meter.measure(lambda app=app, path=path: apptest.run(app, path))
        warm = meter.measure(lambda app=app: apptest.run(app))
        results[label] = {"cold": cold, "warm": warm, "tabs": sorted(used)}
    return results, sorted(first_tabs)


def first_page_of_a_process(meter: Meter, store: GoogleSheetsStore, person_id: str) -> Count:
    """The first page after the app starts: a new store object has not read the sheet's
    title and locale yet (once per process)."""
    fresh = GoogleSheetsStore(store.client, store.spreadsheet_id, retry=store.retry)
    apptest.refresh()
    return meter.measure(lambda: apptest.opened(fresh, person_id))


def save_record(meter: Meter, store: GoogleSheetsStore, person: dict[str, Any],
                changes: dict[str, Any]) -> Count:
    """One person's form saved as the page saves it: the changed cells and their audit row."""
    signed = SignedInStore(store, apptest.BENCH_USER)
    return meter.measure(lambda: signed.update("people", str(person["id"]), changes, person))


#: The donation columns the import file carries, and its header for each.
_IMPORT_COLUMNS = {"person_id": "Person ID", "date": "Date", "amount": "Amount",
                   "method": "Method", "fund": "Fund", "reference": "Transaction ID",
                   "note": "Note"}


def import_rows(meter: Meter, store: GoogleSheetsStore, records: list[dict[str, Any]]) -> Count:
    """`records` imported as the Import page does it: written out as a CSV file, read and
    mapped by its headers, every row checked against the workbook (the page's cached
    snapshot, so not counted), then the valid rows landed as one batch. Only the commit
    is counted: the rows, their `imports` record and the audit row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_IMPORT_COLUMNS.values())
    for record in records:
        writer.writerow([to_text(record.get(column)) for column in _IMPORT_COLUMNS])
    kind = IMPORT_KINDS["donations"]
    source = read_source(buffer.getvalue().encode(), "gifts.csv")
    plan = plan_import(source, kind, suggest_mapping(kind, source.headers), store.load(),
                       now=datetime.now())
    if len(plan.to_add) != len(records):
        raise RuntimeError(f"the bench's import file should import whole, but {plan.counts()}")
    signed = SignedInStore(store, apptest.BENCH_USER)
    changes = plan.changes(datetime.now(), apptest.BENCH_USER.email)
    return meter.measure(lambda: signed.commit(changes))


def appeal(meter: Meter, store: GoogleSheetsStore, chosen: list[tuple[str, str, str]],
           smtp_port: int) -> tuple[Count, dict[str, int], str]:
    """A saved appeal sent to `chosen` over SMTP on `smtp_port`, as the Appeals page does it:
    the mailing row, every recipient queued in the journal and written to the outbox tab,
    then sent with the outbox synced every 100 messages. Returns the requests, the journal's
    counts and the mailing id."""
    signed = SignedInStore(store, apptest.BENCH_USER)
    config = MailConfig(host="127.0.0.1", port=smtp_port, security="none",
                        sender="appeals@riverside.example.org", sender_name=ORG_NAME,
                        unsubscribe_url="http://localhost:8501/unsubscribe",
                        unsubscribe_secret="a-bench-secret-of-some-length")
    mailing = {"id": new_id("ML"), "name": "Winter appeal", "subject": SUBJECT,
               "body_template": BODY, "status": "sending", "created_by": "bench"}
    fields = {pid: {"first_name": name.split(" ")[0], "name": name, "email": email}
              for pid, email, name in chosen}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        journal = Journal(Path(folder) / "outbox-journal.sqlite3")

        def send() -> None:
            signed.commit(ChangeSet().append("mailings", mailing))
            journal.enqueue(mailing["id"], chosen)
            sync_outbox(journal, mailing["id"], signed)
            counts.update(send_mailing(
                journal, mailing, fields, config, Footer(ORG_NAME, ORG_ADDRESS), signed,
                limits=Limits(per_minute=1_000_000, per_day=1_000_000), sync_every=100))

        count = meter.measure(send)
    return count, counts, str(mailing["id"])


def person_and_row(store: GoogleSheetsStore) -> tuple[dict[str, Any], int]:
    """A person from the middle of the tab, as the page shows them, and their sheet row."""
    people = store.load(("people",)).frame("people")
    at = len(people) // 2
    return people.iloc[at].to_dict(), int(people.index[at])

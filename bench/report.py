"""`python -m bench report`: the performance report of issue 9, in one command.

Steward against naive gspread and st-gsheets-connection on the same emulated sheet (requests
counted by the emulator), page server times at three sizes, and the app process's peak
memory; printed, and written to bench/RESULTS.md with the command, date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo import DEFAULT_AS_OF, DemoSize

from . import apptest, naive_peer, peers_venv, steward_requests
from .meter import Count
from .render import render
from .workload import (
    IMPORT_ROWS,
    RECIPIENTS,
    SESSIONS,
    Workload,
    as_sheet_rows,
    import_records,
    outbox_rows,
    recipients,
    schedule,
    seeded_store,
    sent_changes,
    sheet_values,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
QUICK_RESULTS = ROOT / "bench" / "results" / "RESULTS-quick.md"
SIZES = (1_000, 10_000, 100_000)


@dataclass
class Settings:
    """How big each workload is: the full report, or `--quick` to check the bench works."""

    demo: DemoSize = field(default_factory=DemoSize)
    import_rows: int = IMPORT_ROWS
    recipients: int = RECIPIENTS
    naive_import_sample: int = 200
    sizes: tuple[int, ...] = SIZES
    repeat: int = 3
    sessions: int = SESSIONS
    gsheets: bool = True
    #: sizes (donations) at which a real browser times every page and the main actions
    browser_sizes: tuple[int, ...] = (DemoSize().donations, 100_000)
    browser_repeat: int = 5

    @classmethod
    def quick(cls) -> Settings:
        return cls(demo=DemoSize.scaled(donations=1_000), import_rows=1_000, recipients=100,
                   naive_import_sample=50, sizes=(1_000,), repeat=1, sessions=4,
                   browser_sizes=(1_000,), browser_repeat=1)


_STARTED = time.perf_counter()


def _log(text: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:5.0f} s] {text}", file=sys.stderr, flush=True)


def _child(args: list[str], python: str | Path = sys.executable) -> dict[str, Any]:
    """Run `python -m bench.<module> ... out.json` in a process of its own; its JSON."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([str(python), "-m", *args, str(out)], cwd=ROOT, env=env, check=True)
        return dict(json.loads(out.read_text()))


def requests_of_steward(settings: Settings) -> tuple[dict[str, Any], Workload]:
    """Steward's counts, and the workload the peers repeat (taken before Steward writes)."""
    meter, store = seeded_store(settings.demo)
    person, row = steward_requests.person_and_row(store)
    snapshot = sheet_values(meter, store)
    person_id = str(person["id"])
    _log("Steward: pages")
    first = steward_requests.first_page_of_a_process(meter, store, person_id)
    pages, first_tabs = steward_requests.page_loads(meter, store, person_id)
    saves = {}
    for label, changes in Workload(tabs={}).edits.items():
        person, _ = steward_requests.person_and_row(store)
        saves[label] = steward_requests.save_record(meter, store, person, changes)
    _log(f"Steward: import of {settings.import_rows:,} rows")
    records = import_records(settings.import_rows, store.load(("people",))
                             .frame("people")["id"].astype(str).tolist())
    imported = steward_requests.import_rows(meter, store, records)
    _log(f"Steward: appeal to {settings.recipients:,}")
    people = store.load(("people",)).frame("people").to_dict("records")
    chosen = recipients(people, settings.recipients)
    from tests.smtp_server import start_inbox

    inbox, controller = start_inbox()
    try:
        appeal, journal, mailing_id = steward_requests.appeal(
            meter, store, chosen, inbox.port)  # type: ignore[attr-defined]
    finally:
        controller.stop()
    outbox_header = [str(h) for h in snapshot["outbox"][0]]
    workload = Workload(
        tabs=snapshot, page_tabs={**{k: v["tabs"] for k, v in pages.items()},
                                  "first page": first_tabs},
        person_id=person_id, person_row=row,
        import_rows=as_sheet_rows("donations", [str(h) for h in snapshot["donations"][0]],
                                  records),
        outbox_rows=[{h: r.get(h, "") for h in outbox_header}
                     for r in outbox_rows(mailing_id, chosen)],
        sent_changes=sent_changes(DEFAULT_AS_OF),
        views=schedule(list(apptest.PAGES), settings.sessions),
        naive_import_sample=settings.naive_import_sample)
    _log("naive gspread")
    naive = naive_peer.run(meter, workload)
    steward = {"first_page": first, "pages": pages, "saves": saves, "import": imported,
               "appeal": appeal, "journal": journal, "delivered": len(inbox.messages),
               "naive": naive}
    return steward, workload


def requests_of_gsheets(workload: Workload) -> dict[str, Any]:
    python = peers_venv.python()
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "workload.json"
        spec.write_text(json.dumps(workload.to_json()))
        results = _child(["bench.gsheets_peer", str(spec)], python)

    def counted(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"reads", "writes", "sent_bytes"}:
            return Count(**value)
        if isinstance(value, dict):
            return {k: counted(v) for k, v in value.items()}
        return value

    return dict(counted(results))


def page_times(settings: Settings) -> dict[int, dict[str, Any]]:
    """Each size's demo in a SQLite file (filled here), timed in a process of its own: the
    server's time per page in AppTest, and (at `browser_sizes`) what a browser waits for."""
    from storage.seed import load_demo
    from storage.sqlite_store import SQLiteStore

    out = {}
    for donations in sorted({*settings.sizes, *settings.browser_sizes}):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "steward.sqlite3"
            load_demo(SQLiteStore(path), DemoSize.scaled(donations=donations),
                      as_of=DEFAULT_AS_OF)
            out[donations] = {}
            if donations in settings.sizes:
                _log(f"page times at {donations:,} donations")
                out[donations] = _child(["bench.page_times", str(path), "--repeat",
                                         str(settings.repeat)])
            if donations in settings.browser_sizes and shutil.which("chromium"):
                _log(f"browser at {donations:,} donations")
                out[donations]["browser"] = _child(["bench.browser", str(path), "--repeat",
                                                    str(settings.browser_repeat)])
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(int(line.split()[1]) for line in
                      Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        ram = f", {memory / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = ""
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{ram}, "
            f"Python {platform.python_version()}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench report", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes (1,000 donations), a few minutes: checks the bench")
    parser.add_argument("--sizes", help="donations for the page times, e.g. 1000,10000")
    parser.add_argument("--no-gsheets", action="store_true",
                        help="leave out st-gsheets-connection (no peers' venv)")
    parser.add_argument("--out", type=Path, help="where to write the report")
    args = parser.parse_args(argv)
    settings = Settings.quick() if args.quick else Settings()
    if args.sizes:
        settings.sizes = tuple(int(s) for s in args.sizes.split(","))
    settings.gsheets = not args.no_gsheets
    out = args.out or (QUICK_RESULTS if args.quick else RESULTS)

    started, when, load = time.perf_counter(), datetime.now(UTC), os.getloadavg()[0]
    steward, workload = requests_of_steward(settings)
    _log(f"Steward: {settings.sessions} sessions for a minute")
    sessions = _child(["bench.sessions", str(settings.demo.donations),
                       str(settings.sessions)])
    gsheets = None
    if settings.gsheets:
        _log("st-gsheets-connection (its own venv)")
        gsheets = requests_of_gsheets(workload)
    times = page_times(settings)
    command = "python -m bench report " + " ".join(argv)
    cpu = sum(getattr(resource.getrusage(who), part) for who in
              (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for part in ("ru_utime", "ru_stime"))
    text = render(steward=steward, sessions=sessions, gsheets=gsheets, times=times,
                  workload=workload, settings=settings, command=command.strip(),
                  when=when, machine=machine(), seconds=time.perf_counter() - started,
                  cpu_seconds=cpu, load=(load, os.getloadavg()[0]))
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    _log(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")

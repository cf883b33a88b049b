"""Server time of each page, cold and warm, and the process's peak memory, in a process of
its own on a demo SQLite file made beforehand (`bench.report` makes it):

    python -m bench.page_times steward.sqlite3 out.json [--repeat 3]

Warm is a page's next run in the same session with the shared read cache full: what every
visit after the first costs the server. Peak memory is this process's maximum resident set
after every page ran: the app's code and data in AppTest, without a browser connection.
It is Linux's VmHWM (/proc/self/status), not `resource.getrusage`'s ru_maxrss, which a
child inherits from the process that forked it (the bench's own, larger).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path


def peak_rss_mib() -> float:
    """This process's peak resident set since it started (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: inherited


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sqlite")
    parser.add_argument("out")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rss_before = peak_rss_mib()

    from storage.sqlite_store import SQLiteStore

    from . import apptest

    store = SQLiteStore(args.sqlite)
    people = store.load(("people",)).frame("people")
    person_id = str(people.iloc[len(people) // 2]["id"])
    pages = {}
    started = time.perf_counter()
    for label, path in apptest.PAGES.items():
        app = apptest.opened(store, person_id)
        apptest.refresh()
        cold = apptest.run(app, path)
        warm = [apptest.run(app) for _ in range(args.repeat)]
        pages[label] = {"cold_s": cold, "warm_s": statistics.median(warm)}
    Path(args.out).write_text(json.dumps({
        "pages": pages, "seconds": time.perf_counter() - started,
        "rss_start_mib": rss_before,
        "rss_peak_mib": peak_rss_mib(),
    }))


if __name__ == "__main__":
    main()

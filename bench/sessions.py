"""Sessions browsing Steward for a minute, in a process of their own (as one app
server is), counted by the emulator:

    python -m bench.sessions DONATIONS SESSIONS out.json

The minute is simulated: Streamlit's cache timer (`cache_utils.TTLCACHE_TIMER`, which the
app's 60-second read cache uses) is replaced by a clock set to each page view's second of
the schedule (`workload.schedule`) before the view runs, so the cache expires exactly as
it would in a real minute while the pages run as fast as they can.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from .gsheets_peer import CLOCK


def main() -> None:
    from streamlit.runtime.caching import cache_utils

    cache_utils.TTLCACHE_TIMER = CLOCK  # before any cache exists

    from demo import DemoSize

    from . import apptest
    from .steward_requests import person_and_row
    from .workload import schedule, seeded_store

    apptest.quiet()
    donations, sessions, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    size = DemoSize() if donations == DemoSize().donations else DemoSize.scaled(donations)
    meter, store = seeded_store(size)
    person, _ = person_and_row(store)
    views = schedule(list(apptest.PAGES), sessions)
    apps: dict[int, Any] = {}
    meter.reset()
    started = time.perf_counter()
    for second, number, page in views:
        CLOCK.now = second
        if number not in apps:
            apps[number] = apptest.session(store, str(person["id"]))
            apptest.run(apps[number])
        else:
            apptest.run(apps[number], apptest.PAGES[page])
    seconds = time.perf_counter() - started
    count = meter.count()
    out.write_text(json.dumps({**count.as_dict(), "sessions": sessions, "views": len(views),
                               "seconds": seconds,
                               "requests": [r[1] for r in meter.emulator.requests]}))


if __name__ == "__main__":
    main()

"""The report as Markdown: the request table with its ratios, per page, bytes sent, page
times and memory, and how each number was made."""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import apptest
from .meter import Count
from .workload import MINUTE_S, VIEW_EVERY_S, Workload

if TYPE_CHECKING:
    from .report import Settings

NA = "–"


def total(counts: list[Count]) -> Count:
    return Count(sum(c.reads for c in counts), sum(c.writes for c in counts),
                 sum(c.sent_bytes for c in counts))


def cell(count: Count | None) -> str:
    """``"2 (1 r + 1 w)"``."""
    if count is None:
        return NA
    return f"{count.requests:,} ({count.reads:,} r + {count.writes:,} w)"


def ratio(ours: Count | None, theirs: Count | None) -> str:
    """Steward's requests over the peer's: ``"0.067 (15× fewer)"``."""
    if ours is None or theirs is None:
        return NA
    if theirs.requests == 0:
        return NA if ours.requests == 0 else "∞ (the peer sends none)"
    value = ours.requests / theirs.requests
    if value == 0:
        return f"0 (none against {theirs.requests:,})"
    if value == 1:
        return "1 (the same)"
    if value < 1:
        return f"{value:.3g} ({1 / value:,.3g}× fewer)"
    return f"{value:.3g} ({value:,.3g}× **more**)"


def megabytes(count: Count | None) -> str:
    return NA if count is None else f"{count.sent_bytes / 1e6:,.2f} MB"


def _within(count: Count, reads: int, writes: int) -> str:
    ok = count.reads <= reads and count.writes <= writes
    return "yes" if ok else "**no**"


def _rows(steward: dict[str, Any], sessions: dict[str, Any], gsheets: dict[str, Any] | None,
          workload: Workload) -> list[tuple[str, Count, str, str, Count, Count | None]]:
    """(work, Steward, promised minimum, at it?, naive, st-gsheets) for the headline."""
    naive = steward["naive"]
    pages = list(apptest.PAGES)
    n = len(pages)
    ours_sessions = Count(sessions["reads"], sessions["writes"], sessions["sent_bytes"])

    def peer(results: dict[str, Any] | None, *path: str) -> Any:
        value: Any = results
        for key in path:
            if value is None:
                return None
            value = value[key]
        return value

    def pages_of(results: dict[str, Any] | None, when: str) -> Count | None:
        if results is None:
            return None
        return total([results["pages"][p][when] for p in pages])

    cold = pages_of(steward, "cold")
    warm = pages_of(steward, "warm")
    assert cold is not None and warm is not None
    first = steward["first_page"]
    rows = [
        ("first page after the app starts (a new store: + the sheet's title and locale, "
         "once per process)", first, "2 r", _within(first, 2, 0),
         peer(naive, "pages", "first page", "cold"),
         peer(gsheets, "pages", "first page", "cold")),
        (f"cold load of each page, all {n} pages (shared cache empty; per page below)", cold,
         f"{n} r (1 a page)", _within(cold, n, 0), pages_of(naive, "cold"),
         pages_of(gsheets, "cold")),
        (f"warm load of each page, all {n} pages (the next run)", warm, "0",
         _within(warm, 0, 0), pages_of(naive, "warm"), pages_of(gsheets, "warm")),
    ]
    for label, count in steward["saves"].items():
        rows.append((f"save one record, {label} ({', '.join(workload.edits[label])} of a "
                     "person; + its audit row)", count,
                     "1 r + 1 w", _within(count, 1, 1), peer(naive, "saves", label),
                     peer(gsheets, "saves", label)))
    imported = steward["import"]
    rows.append((f"import {len(workload.import_rows):,} gifts from a CSV file (the Import "
                 "page's batch: rows, the import's record, its audit row)", imported,
                 "1 r + ≤ 3 w",
                 _within(imported, 1, 3), naive["import"], peer(gsheets, "import")))
    appeal = steward["appeal"]
    hundreds = -(-len(workload.outbox_rows) // workload.sync_every)
    rows.append((f"appeal to {len(workload.outbox_rows):,} recipients (saved, queued, sent by "
                 f"SMTP to a local aiosmtpd, outbox synced every {workload.sync_every})",
                 appeal, f"{hundreds + 2} r + {hundreds + 2} w", _within(
                     appeal, hundreds + 2, hundreds + 2), naive["appeal"],
                 peer(gsheets, "appeal")))
    rows.append((f"{sessions['sessions']} sessions browsing for a minute (a page each every "
                 f"{VIEW_EVERY_S:.0f} s; requests in the minute)", ours_sessions,
                 "1 r (cache TTL 60 s)", _within(ours_sessions, 1, 0), naive["sessions"],
                 peer(gsheets, "sessions")))
    return rows


def render(*, steward: dict[str, Any], sessions: dict[str, Any],
           gsheets: dict[str, Any] | None, times: dict[int, dict[str, Any]],
           workload: Workload, settings: Settings, command: str, when: datetime,
           machine: str, seconds: float, cpu_seconds: float, load: tuple[float, float]) -> str:
    demo = settings.demo
    rows = _rows(steward, sessions, gsheets, workload)
    lines = [
        "# Steward: performance report",
        "",
        f"Made by `{command}` on {when:%Y-%m-%d %H:%M} UTC, on {machine}. It took "
        f"{seconds / 60:.1f} minutes ({cpu_seconds / 60:.1f} minutes of CPU time, this process "
        f"and its children); the machine's load average was {load[0]:.1f} at the start and "
        f"{load[1]:.1f} at the end" + (
            ", more than its cores: other work shared them, so the times below are upper "
            "bounds." if max(load) > (os.cpu_count() or 1) else "."),
        "",
        f"Request counts on the demo organisation ({demo.people:,} people, "
        f"{demo.donations:,} donations, {demo.memberships:,} membership terms), in Google "
        "Sheets emulated in process (`tests/emulator`, at gspread's HTTP edge); every "
        "request is counted in Google's quota buckets, reads (r) and writes (w), of which "
        "the whole app gets 60 each a minute. **Ratio** is Steward's requests over the "
        "peer's: below 1, Steward sends fewer.",
        "",
        "## Google Sheets requests",
        "",
        "| work | Steward | promised minimum | at it? | naive gspread | Steward / naive | "
        "st-gsheets-connection | Steward / st-gsheets |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for work, ours, minimum, at_it, naive, conn in rows:
        lines.append(f"| {work} | {cell(ours)} | {minimum} | {at_it} | {cell(naive)} | "
                     f"{ratio(ours, naive)} | {cell(conn)} | {ratio(ours, conn)} |")
    missed = [work for work, _, _, at_it, _, _ in rows if at_it != "yes"]
    lines += ["", ("**Not at the promised minimum:** " + "; ".join(missed) + ".") if missed
              else "Every Steward count is at or under the minimum the design promises."]

    lines += ["", "### Bytes sent (request bodies)", "",
              "| work | Steward | naive gspread | st-gsheets-connection |", "|---|---|---|---|"]
    for work, ours, _, _, naive, conn in rows:
        if ours.writes or (naive and naive.writes):
            short = work.split(" (")[0].replace("**measured as** ", "")
            lines.append(f"| {short} | {megabytes(ours)} | {megabytes(naive)} | "
                         f"{megabytes(conn)} |")

    lines += ["", "### Each page, cold / warm", "",
              "| page | tabs its code reads | Steward | naive gspread | st-gsheets-connection |",
              "|---|---|---|---|---|"]
    for page in [*apptest.PAGES, "first page"]:
        ours_page = steward["pages"].get(page)
        ours_text = (f"{ours_page['cold'].requests} / {ours_page['warm'].requests}"
                     if ours_page else f"{steward['first_page'].requests} / –")
        peers = []
        for results in (steward["naive"], gsheets):
            if results is None:
                peers.append(NA)
                continue
            got = results["pages"][page]
            peers.append(f"{got['cold'].requests} / {got['warm'].requests}")
        label = "first page after the app starts (the default page)" if page == "first page" \
            else page
        lines.append(f"| {label} | {len(workload.page_tabs[page])} | {ours_text} | "
                     f"{peers[0]} | {peers[1]} |")

    sizes = sorted(s for s in times if "pages" in times[s])
    lines += ["", "## Server time to render each page, warm", "",
              "Seconds for a page's next run in the same session once the shared cache is "
              "full (the median of "
              f"{settings.repeat}); in brackets its cold run (the store read and parsed, and "
              "what the page derives). AppTest in a process of its own per size, on a demo "
              "SQLite file (warm runs do not touch the store).", "",
              "| page | " + " | ".join(f"{s:,} donations" for s in sizes) + " |",
              "|---|" + "---|" * len(sizes)]
    for page in apptest.PAGES:
        lines.append(f"| {page} | " + " | ".join(
            f"{times[s]['pages'][page]['warm_s']:.3f} ({times[s]['pages'][page]['cold_s']:.2f})"
            for s in sizes) + " |")
    lines.append("| **peak memory (RSS) of the app process** | " + " | ".join(
        f"**{times[s]['rss_peak_mib']:,.0f} MiB**" for s in sizes) + " |")
    lines += _browser(times)
    lines += ["", *_notes(steward, sessions, gsheets, workload, settings)]
    return "\n".join(lines) + "\n"


def _seconds(value: float | None) -> str:
    return NA if value is None else f"{value:.2f}"


def _browser(times: dict[int, dict[str, Any]]) -> list[str]:
    """What a person waits for in Chromium, beside the server's warm time where known."""
    sizes = sorted(s for s in times if "browser" in times[s])
    if not sizes:
        return []
    first = times[sizes[0]]["browser"]
    lines = ["", "## What the browser waits for", "",
             "Seconds in headless Chromium (Debian's) on `streamlit run app.py` as the local "
             "admin, from the click (or the start of the navigation) until the page's script "
             f"has finished and its heading is shown; the median of {first['repeat']}. *By "
             "address*: the page's URL typed or bookmarked (a new document: Streamlit's "
             "scripts load and a session starts); *click*: its link in the sidebar from "
             "another page; *server*: the page's warm run in AppTest, above. Where this time "
             "goes, and what stands in the way of the goals: "
             "[docs/performance.md](../docs/performance.md).", "",
             "| page | " + " | ".join(f"{s:,}: by address / click / server" for s in sizes)
             + " |", "|---|" + "---|" * len(sizes)]
    for title in first["pages"]:
        cells = []
        for size in sizes:
            got = times[size]["browser"]["pages"][title]
            server = times[size].get("pages", {}).get(title, {}).get("warm_s")
            cells.append(f"{_seconds(got['address_s'])} / {_seconds(got['click_s'])} / "
                         f"{_seconds(server)}")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines.append("| **first page after the app starts** | " + " | ".join(
        f"**{_seconds(times[s]['browser']['first_page_s'])}**" for s in sizes) + " |")
    lines += ["", "| action, from its click to the result shown | " + " | ".join(
        f"{s:,} donations" for s in sizes) + " |", "|---|" + "---|" * len(sizes)]
    for action in first["actions"]:
        lines.append(f"| {action} | " + " | ".join(
            _seconds(times[s]["browser"]["actions"].get(action)) for s in sizes) + " |")
    return lines


def _notes(steward: dict[str, Any], sessions: dict[str, Any], gsheets: dict[str, Any] | None,
           workload: Workload, settings: Settings) -> list[str]:
    naive_sample = steward["naive"]["import_measured_rows"]
    journal = steward["journal"]
    views = len(workload.views)
    return [
        "## How each number was made",
        "",
        "- **Steward** runs its real pages in Streamlit's AppTest (each AppTest a session, "
        "all sharing the process's read cache, `pages/common/data.py`) and its real writes "
        "(`SignedInStore`, so each save carries its audit row) on `GoogleSheetsStore` over "
        "real gspread 6. *Cold*: the shared cache emptied (the sidebar's Refresh), a new "
        "session. *Warm*: the same session's next run.",
        "- **Naive gspread** (`bench/naive_peer.py`, gspread 6, same emulator, a copy of the "
        "sheet): one client per process; on every page run `open_by_key`, then "
        "`worksheet(tab)` and `get_all_records()` for each tab the page's code reads "
        "(recorded from Steward's page: the tabs column); a save is `update_cell` per changed "
        "cell at the row number remembered from the read; new rows are `append_row` each; "
        "the outbox's changed cells (status, attempts, sent_at, message_id) are "
        f"`update_cell` each. Its import was measured on the first {naive_sample:,} rows "
        f"and scaled to {len(workload.import_rows):,} (one request per row, linear; the "
        "emulator's append slows on a large tab, so all of them would take ten minutes).",
        "- **st-gsheets-connection 0.1.0** (`bench/gsheets_peer.py`) runs in its own venv "
        "(`bench/.peers-venv`, pins in `bench/peers-requirements.txt`, gspread 5.12.4, since "
        "it requires gspread < 6), made by this command on first use, on its own emulator "
        "holding a copy of the same sheet (values only: the copies lack the date formats, "
        "which changes nothing counted). `st.connection(\"gsheets\", type=GSheetsConnection)` "
        "configured by secrets.toml, with gspread's client given the emulator's session. "
        "Pages: `conn.read(worksheet=tab)` per tab (default ttl, an hour; cold after "
        "`st.cache_data.clear()`). Saves, the import and each outbox sync: "
        "`conn.update(worksheet=tab, data=frame)` with the changed frame, which is how it "
        "writes (clear the tab, then write the whole frame and its formats).",
        *([] if gsheets else ["- st-gsheets-connection was left out of this run "
                              "(`--no-gsheets`)."]),
        f"- **Appeal**: Steward saved the mailing, queued {len(workload.outbox_rows):,} "
        "recipients in the journal, wrote them to the outbox tab, sent "
        f"({journal.get('sent', 0):,} sent, {journal.get('failed', 0):,} failed) over one "
        f"SMTP connection to aiosmtpd on 127.0.0.1 ({steward['delivered']:,} messages "
        f"arrived) and synced the outbox every {workload.sync_every} messages. The peers do "
        "the same sheet work (rows added, then the sent cells) at the same cadence where "
        "they can batch (st-gsheets-connection) and per cell where they cannot (naive); "
        "their SMTP side sends no Google request and is not repeated.",
        f"- **Sessions**: {sessions['sessions']} sessions, session *s* opens the app at *s*/2 s "
        f"and then the next page every {VIEW_EVERY_S:.0f} s, {views} page views in "
        f"{MINUTE_S:.0f} s. The minute is simulated: Streamlit's cache timer "
        "(`streamlit.runtime.caching.cache_utils.TTLCACHE_TIMER`) is replaced, before any "
        "cache exists, by a clock set to each view's second; the pages run back to back "
        f"({sessions['seconds']:.0f} s of server time for Steward's {views} views). "
        "Steward's sessions run in a process of their own on a fresh copy of the demo sheet "
        "(the store object has already read the title and locale there, so it is the "
        "cache's reads alone). The peers replay the same views with the tabs each page "
        "reads. Naive gspread has no cache, so each of its views costs what that page's load "
        "costs (the same every run, measured in the per-page table) and its minute is their "
        "sum over the schedule.",
        "- **Page times and memory**: `bench/page_times.py` in a separate process per size "
        "(`DemoSize.scaled`), on a SQLite file filled before it starts; peak RSS is the "
        "process's high-water mark (Linux's VmHWM; `getrusage`'s ru_maxrss would include "
        "the bench's own peak, inherited across fork) after all pages ran cold and warm.",
        f"- Quick check of the bench: `python -m bench report --quick` (1,000 donations, "
        f"a few minutes, writes bench/results/); `--sizes 1000,10000` skips the large "
        "organisation; `--no-gsheets` skips the peers' venv. This run: sizes "
        f"{', '.join(f'{s:,}' for s in settings.sizes)}.",
    ]

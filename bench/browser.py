"""What a person waits for in a real browser, in a process of its own on a demo SQLite file
made beforehand (`bench.report` makes it):

    python -m bench.browser steward.sqlite3 out.json [--repeat 5] [--pages People,Fundraising]
        [--actions "add a person"]

(`--pages` and `--actions` time only those, by title and label; `--pages ""` none.)

`streamlit run app.py` serves the file as the local admin; headless Chromium (Debian's, as
in the browser tests) opens every page by its address and from a click in the sidebar, and
does a save, an add, a gift, a renewal and a dashboard download. Each is timed from the
click (or the start of the navigation) until the page's script has finished and its
heading is on the screen: what Streamlit has sent is then drawn, except charts still
animating in. The first page after the server starts is timed apart: it pays for importing
the app and the first read of the data.

"Finished" is Streamlit's own word for it: the bench reads the app's WebSocket and counts
its `script_finished` messages (a run cut short for a rerun or a page switch does not count),
so a wait is never satisfied by the state the page was in before the click; the heading is
then looked for on the screen.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pages.common.navigation import PAGES

_HEADING = """(heading) => {
  const h1 = document.querySelector('[data-testid=stMain] h1');
  return h1 && (heading === null || h1.innerText.trim().startsWith(heading));
}"""
#: Pages that show one record: opened by address with an id, never from the sidebar alone.
_NEEDS_ID = {"person": "people", "campaign": "campaigns", "appeal": "mailings"}


class Runs:
    """Counts the script runs the app finished, from its WebSocket messages to the page."""

    def __init__(self, page: Any) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.page, self.finished = page, 0
        done = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
                ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}

        def frame(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg.FromString(payload)
                if message.WhichOneof("type") == "script_finished" and \
                        message.script_finished in done:
                    self.finished += 1

        page.on("websocket", lambda socket: socket.on("framereceived", frame))

    def timed(self, act: Callable[[], Any], heading: str | None = None) -> float:
        """Seconds from `act` until a script run that started after it has finished and a
        heading (starting with `heading`, if given) is on the page."""
        before = self.finished
        started = time.perf_counter()
        act()
        deadline = started + 120
        while self.finished <= before:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{self.page.url}: no script run finished in 120 s")
            self.page.wait_for_timeout(10)
        self.page.wait_for_function(_HEADING, arg=heading, timeout=60_000, polling=10)
        return time.perf_counter() - started

    def tried(self, label: str, measure: Callable[[], float]) -> float | None:
        """`measure`'s seconds, or None (and why, on stderr) when the page never got there:
        one page that hangs is a gap in the table, not a report lost."""
        try:
            return measure()
        except Exception as error:  # Playwright's errors and ours: the row says "–"
            print(f"{label}: not measured ({type(error).__name__}: {str(error)[:200]})",
                  file=sys.stderr, flush=True)
            return None

    def opened(self, address: str) -> float:
        """Seconds from typing `address` until its page has finished."""
        return self.timed(lambda: self.page.goto(address))


def _first_id(db: Path, table: str, where: str = "1=1") -> str:
    with sqlite3.connect(db) as con:
        row = con.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY _row LIMIT 1"  # noqa: S608
                          " OFFSET 10").fetchone() or con.execute(
            f"SELECT id FROM {table} ORDER BY _row LIMIT 1").fetchone()  # noqa: S608
    return str(row[0]) if row else ""


def _sidebar_link(page: Any, title: str) -> Any:
    sidebar = page.get_by_test_id("stSidebar")
    link = sidebar.get_by_role("link", name=title, exact=True)
    if not link.is_visible():
        more = sidebar.get_by_text("more", exact=False).filter(has_text="View")
        if more.count() and more.first.is_visible():
            more.first.click()
    return link


def page_times(runs: Runs, url: str, ids: dict[str, str], repeat: int,
               only: set[str] | None = None) -> dict[str, Any]:
    """Each page (of `only`, if given) by address and (where it needs no id) from a sidebar
    click, median of `repeat`."""
    page = runs.page
    out: dict[str, Any] = {}
    for _section, _path, title, _icon, url_path, _action in PAGES:
        if only is not None and title not in only:
            continue
        query = f"?id={ids[url_path]}" if url_path in _NEEDS_ID else ""
        at = f"{url}/{url_path}{query}"
        address = [runs.tried(title, lambda a=at: runs.opened(a)) for _ in range(repeat)]
        clicks = []
        if url_path not in _NEEDS_ID:
            for _ in range(repeat):
                start = f"{url}/{'fundraising' if url_path == '' else ''}"
                if runs.tried(f"{title} (its start)", lambda a=start: runs.opened(a)) is None:
                    continue
                clicks.append(runs.tried(title, lambda t=title: runs.timed(
                    lambda: _sidebar_link(page, t).click())))
        out[title] = {"address_s": _median(address), "click_s": _median(clicks)}
        print(f"{title}: {out[title]}", file=sys.stderr, flush=True)
    return out


def _median(values: list[float | None]) -> float | None:
    """The median of the values measured, None when none was."""
    measured = [v for v in values if v is not None]
    return statistics.median(measured) if measured else None


def action_times(runs: Runs, url: str, db: Path, repeat: int,
                 only: set[str] | None = None) -> dict[str, float]:
    """A save, an add, a gift, a renewal and a dashboard download (those of `only`, if
    given): from the click that does it until the page has finished showing the result,
    median of `repeat`."""
    page = runs.page
    person = _first_id(db, "people", "first_name != '' AND deleted_at = ''")
    with sqlite3.connect(db) as con:
        member = str(con.execute("SELECT person_id FROM memberships ORDER BY _row DESC"
                                 " LIMIT 1").fetchone()[0])
    times: dict[str, list[float]] = {}

    def save(n: int) -> None:
        runs.opened(f"{url}/person?id={person}")
        page.get_by_role("tab", name="Edit").click()
        page.get_by_role("textbox", name="Phone").fill(f"617-555-01{n:02d}")
        times.setdefault("save a person's phone", []).append(runs.timed(
            lambda: page.get_by_role("button", name="Save changes").click()))

    def add(n: int) -> None:
        runs.opened(f"{url}/add-person")
        page.get_by_role("textbox", name="First name").fill(f"Bench{n}")
        page.get_by_role("textbox", name="Last name").fill("Person")
        times.setdefault("add a person", []).append(runs.timed(
            lambda: page.get_by_role("button", name="Add person").click()))

    def gift(n: int) -> None:
        runs.opened(f"{url}/gift")
        page.get_by_role("textbox", name="Find the donor").fill(person)
        runs.timed(lambda: page.keyboard.press("Enter"))
        page.get_by_role("textbox", name="Amount").fill(f"{25 + n}")
        times.setdefault("enter a gift", []).append(runs.timed(
            lambda: page.get_by_role("button", name="Save gift").click()))

    def renew(_n: int) -> None:
        runs.opened(f"{url}/renewals")
        page.get_by_role("combobox", name="Member").click()
        page.keyboard.type(member)
        option = page.get_by_role("option", name=re.compile(re.escape(f"({member})")))
        runs.timed(option.click)
        page.get_by_text(re.compile(r"^The new term runs from ")).wait_for()
        times.setdefault("record a renewal", []).append(runs.timed(
            lambda: page.get_by_role("button", name="Record renewal").click()))

    def download(_n: int) -> None:
        runs.opened(f"{url}/fundraising")
        numbers = page.get_by_test_id("stExpander").filter(has_text="The numbers").first
        numbers.click()
        button = numbers.get_by_role("button", name="Download CSV").first
        started = time.perf_counter()
        with page.expect_download() as download:
            button.click()
        download.value.path()
        times.setdefault("download the dashboard's CSV", []).append(
            time.perf_counter() - started)

    labels = {save: "save a person's phone", add: "add a person", gift: "enter a gift",
              renew: "record a renewal", download: "download the dashboard's CSV"}
    for step, label in labels.items():
        if only is not None and label not in only:
            continue
        for n in range(repeat):
            if runs.tried(label, lambda s=step, n=n: s(n) or 0.0) is None:
                times.setdefault(label, [])
    return {label: _median(list(values)) for label, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sqlite", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", help="only these pages, by title, comma-separated")
    parser.add_argument("--actions", help="only these actions, by label, comma-separated")
    args = parser.parse_args()
    pages_only, actions_only = (None if given is None else set(filter(None, given.split(",")))
                                for given in (args.pages, args.actions))

    from playwright.sync_api import sync_playwright

    from tests.test_browser.conftest import CHROMIUM_FLAGS, DESKTOP, _chromium, serve

    ids = {path: _first_id(args.sqlite, table) for path, table in _NEEDS_ID.items()}
    with tempfile.TemporaryDirectory() as workdir, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), headless=True,
                                             args=CHROMIUM_FLAGS)
        context = browser.new_context(**DESKTOP)
        page = context.new_page()
        page.set_default_timeout(120_000)
        runs = Runs(page)
        with serve(args.sqlite, Path(workdir)) as url:
            first = runs.opened(url)
            pages = page_times(runs, url, ids, args.repeat, pages_only)
            actions = action_times(runs, url, args.sqlite, args.repeat, actions_only)
        browser.close()
    args.out.write_text(json.dumps({"first_page_s": first, "pages": pages,
                                    "actions": actions, "repeat": args.repeat}))


if __name__ == "__main__":
    main()

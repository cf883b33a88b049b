"""Real-browser journeys: `streamlit run app.py` on a free loopback port, driven by Playwright
with Debian's chromium (Playwright's own browser download cannot work here).

The test command installs chromium with apt-get when it is missing and the machine allows it;
otherwise these tests are skipped with the reason.

Two servers are shared by the whole run: `app_url` without sign-in (the local admin) and
`signed_app` with sign-in through a local OpenID Connect provider and mail to a local SMTP
server; each journey picks its own people, so the order of the tests does not matter. Every
journey keeps a screenshot of each page it passes in `screenshots/<test name>/` (listed at
the end of the run, git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.debian import install
from tests.smtp_server import Inbox, start_inbox

ROOT = Path(__file__).resolve().parents[2]
#: Where the journeys leave a screenshot of every page they pass (git-ignored), one folder
#: per test, emptied when the test starts again.
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _chromium() -> str:
    found = shutil.which("chromium")
    if not found and install("chromium", recommends=True):
        found = shutil.which("chromium")
    if not found:
        pytest.skip("Debian's chromium is not installed and could not be installed here "
                    "(apt-get install chromium, as root)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SQLite file the served app uses, filled with the demo before the app starts (so
    a test may look in it before any page ran; the app's own first-run fill is tested in
    tests/test_pages)."""
    from demo import DEFAULT_AS_OF
    from storage.seed import load_demo
    from storage.sqlite_store import SQLiteStore

    path = tmp_path_factory.mktemp("app") / "steward.sqlite3"
    store = SQLiteStore(path)
    load_demo(store, as_of=DEFAULT_AS_OF)
    store.close()
    return path


@contextmanager
def serve(app_db: Path, workdir: Path, port: int | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a loopback port, in `workdir` (whose .streamlit/ holds its
    secrets, if any), on the SQLite file `app_db`; its URL while the block runs."""
    port = port or free_port()
    env = {**os.environ, "STEWARD_SQLITE_PATH": str(app_db), "PYTHONPATH": str(ROOT)}
    env.pop("STEWARD_SPREADSHEET", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
         "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/_stcore/health", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("streamlit did not start: " + (server.stdout.read() or b"").decode()[-2000:])
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(app_db: Path) -> Iterator[str]:
    """The app, served on loopback, on a fresh demo SQLite file, without sign-in."""
    with serve(app_db, app_db.parent) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # A shared two-core machine can take several seconds over a page run; an assertion
    # waits for what the page should show for up to this long (Playwright's default is 5 s).
    expect.set_options(timeout=30_000)
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, app_url: str) -> Iterator[object]:
    context = browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished running the script after the last action."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=60_000)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ screenshots

_shot_folders: list[Path] = []


class Shots:
    """Saves numbered full-page screenshots of one test into its own folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def __call__(self, page: object, name: str, settled: bool = True) -> Path:
        """The page once its script has finished (or as it is now, `settled=False`: a page
        still working, such as an appeal sending). Streamlit scrolls inside its main area,
        not the page, so a full-page screenshot would stop at the window's edge: the window
        is stretched to the content's height for the shot, then put back."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        if settled:
            page.wait_for_selector(IDLE, timeout=60_000)  # type: ignore[attr-defined]
        size = page.viewport_size  # type: ignore[attr-defined]
        height = page.evaluate(_CONTENT_HEIGHT)  # type: ignore[attr-defined]
        page.set_viewport_size({"width": size["width"],  # type: ignore[attr-defined]
                                "height": max(size["height"], min(height, 6000))})
        try:
            page.screenshot(path=str(path), animations="disabled")  # type: ignore[attr-defined]
        finally:
            page.set_viewport_size(size)  # type: ignore[attr-defined]
        return path


_CONTENT_HEIGHT = "() => document.querySelector('[data-testid=stMain]').scrollHeight"


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    """`shots(page, "name")` keeps a screenshot of the page, for a person to look at; the
    folder is printed in the test's output and in the run's summary."""
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _shot_folders.append(folder)
    print(f"screenshots: {folder}")
    return Shots(folder)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _shot_folders:
        terminalreporter.write_sep("-", "screenshots of the browser journeys")
        for folder in _shot_folders:
            terminalreporter.write_line(str(folder))


# ----------------------------------------------------------- sign-in and mail

@pytest.fixture(scope="session")
def provider() -> Iterator[str]:
    """A local OpenID Connect provider (oidc-provider-mock): whoever types an address on its
    form is signed in as that address."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="session")
def mail_inbox() -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 for the served app's [email] settings; a test that
    looks in it picks out its own messages (by mailing) since the server is shared."""
    handler, controller = start_inbox()
    yield handler
    controller.stop()


@pytest.fixture(scope="session")
def signed_db(app_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo file in which the demo volunteer user (volunteer@example.org,
    who has no person record in the demo) has a person record of her own, Grace Lee, and
    the mail provider allows 600 messages a minute (the default 60 would pace a test
    appeal at one a second)."""
    from storage.sqlite_store import SQLiteStore

    db = tmp_path_factory.mktemp("signed") / "steward.sqlite3"
    shutil.copy(app_db, db)
    store = SQLiteStore(db)
    store.append("people", [{"id": "P-GRACE", "first_name": "Grace", "last_name": "Lee",
                             "email": "volunteer@example.org"}])
    store.append("settings", [{"key": "send_per_minute", "value": "600"}])
    store.close()
    return db


@pytest.fixture(scope="session")
def signed_app(provider: str, signed_db: Path, mail_inbox: Inbox) -> Iterator[str]:
    """The app with sign-in configured against the local provider, sending mail to the
    local SMTP server (no TLS and no login: allowed only for a server on this machine)."""
    workdir = signed_db.parent
    port = free_port()
    (workdir / ".streamlit").mkdir()
    (workdir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-secret-that-is-long-enough"\n'
        'client_id = "steward"\n'
        'client_secret = "steward-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[email]\n"
        'host = "127.0.0.1"\n'
        f"port = {mail_inbox.port}\n"  # type: ignore[attr-defined]
        'security = "none"\n'
        'sender = "appeals@example.org"\n'
        'sender_name = "Steward tests"\n'
        f'unsubscribe_url = "http://127.0.0.1:{port}/"\n'
        'unsubscribe_secret = "a-test-unsubscribe-secret"\n',
        encoding="utf-8",
    )
    with serve(signed_db, workdir, port) as url:
        yield url


def sign_in(page: object, url: str, email: str) -> None:
    """Sign in through the provider's form as `email`; back on the app, its first page."""
    page.goto(url)  # type: ignore[attr-defined]
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_selector("input[name=sub]")  # type: ignore[attr-defined]
    page.fill("input[name=sub]", email)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Authorize").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{url}/**")  # type: ignore[attr-defined]
    wait_idle(page)


@pytest.fixture
def signed_in(browser: object, signed_app: str) -> Iterator[object]:
    """`signed_in(email, phone=False)`: a new browser window signed in to the signed app as
    `email`, on its first page; closed after the test."""
    contexts: list[object] = []

    def open_as(email: str, phone: bool = False) -> object:
        context = browser.new_context(**(PHONE if phone else DESKTOP))  # type: ignore[attr-defined]
        contexts.append(context)
        opened = context.new_page()
        opened.set_default_timeout(30_000)
        sign_in(opened, signed_app, email)
        return opened

    yield open_as
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


# ------------------------------------------------------------- moving around

def open_from_sidebar(page: object, title: str) -> None:
    """Click `title` in the sidebar's navigation, as a person would: on a phone the sidebar
    is opened first and closed after; a long list is expanded ("View 12 more")."""
    sidebar = page.get_by_test_id("stSidebar")  # type: ignore[attr-defined]
    expand = page.get_by_test_id("stExpandSidebarButton")  # type: ignore[attr-defined]
    opened_here = expand.is_visible()
    if opened_here:
        expand.click()
    link = sidebar.get_by_role("link", name=title, exact=True)
    if not link.is_visible():
        more = sidebar.get_by_text(re.compile(r"^View \d+ more$"))
        if more.is_visible():
            more.click()
    link.click()
    wait_idle(page)
    if opened_here:
        page.get_by_test_id("stSidebarCollapseButton").get_by_role(  # type: ignore[attr-defined]
            "button").click()
        expand.wait_for(state="visible")


# --------------------------------------------------------------- grids

#: A grid's header and row height (Streamlit's data grid), and its row-number column's width.
ROW_PX = 35
ROW_MARKER_PX = 30


def grid_cells(grid: object) -> list[list[str]]:
    """The text of every row a grid (st.dataframe or st.data_editor) has drawn, from the
    grid's accessible table, which mirrors the canvas."""
    return grid.evaluate(  # type: ignore[attr-defined, no-any-return]
        """grid => Array.from(grid.querySelectorAll("tbody tr"),
             row => Array.from(row.querySelectorAll("td"), cell => cell.textContent))""")


def cell(grid: object, text: str | re.Pattern[str]) -> object:
    """The cells of a grid whose whole text is `text` (or matches the pattern): the grid
    draws on a canvas, and keeps the visible cells' text in a table inside it."""
    pattern = text if isinstance(text, re.Pattern) else re.compile(f"^{re.escape(text)}$")
    return grid.locator("td").filter(has_text=pattern)  # type: ignore[attr-defined]


def edit_cell(grid: object, row: int, column: int, text: str, row_markers: bool) -> None:
    """Type `text` into a cell of an st.data_editor as a person does: click the row's first
    cell, arrow across to the column, Enter to open the editor, type, Enter to keep it.
    `row` and `column` count from 0 among the data's rows and columns."""
    from playwright.sync_api import Error

    page = grid.page  # type: ignore[attr-defined]
    left = (ROW_MARKER_PX if row_markers else 0) + 8
    for attempt in range(3):
        # The previous edit's rerun may redraw the grid under the editor (more often on a
        # busy machine): then the editor is gone, and the cell is opened again.
        wait_idle(page)
        grid.click(position={"x": left, "y": ROW_PX * (row + 1) + ROW_PX // 2})  # type: ignore[attr-defined]
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        editor = page.get_by_test_id("portal").locator("textarea, input")
        try:
            editor.fill(text, timeout=10_000)
            editor.press("Enter", timeout=10_000)
            editor.wait_for(state="hidden", timeout=10_000)
            break
        except Error:
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
    wait_idle(page)

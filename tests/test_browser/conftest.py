"""Real-browser journeys: `streamlit run app.py` on a free loopback port, driven by Playwright
with Debian's chromium (Playwright's own browser download cannot work here).

The test command installs chromium with apt-get when it is missing and the machine allows it;
otherwise these tests are skipped with the reason.
"""

from __future__ import annotations

import os
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

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False,
                       capture_output=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
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
    from storage.seed import load_demo
    from storage.sqlite_store import SQLiteStore

    path = tmp_path_factory.mktemp("app") / "steward.sqlite3"
    store = SQLiteStore(path)
    load_demo(store)
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
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object, app_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def wait_idle(page: object) -> None:
    """Wait until Streamlit has finished running the script after the last action."""
    page.wait_for_timeout(300)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=60_000)  # type: ignore[attr-defined]

"""Running the app's pages in Streamlit's AppTest on a given store: the bench's browser.

Each `AppTest` is one session (its own session state); every session in the process shares
the app's read cache (`pages/common/data.py`), as a deployed app's sessions do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rules.roles import Role, User
from sheets_schema.workbook import Workbook
from storage import Store

APP = Path(__file__).resolve().parents[1] / "app.py"
#: The pages timed and counted, by the title the app gives them.
PAGES = {
    "People": "pages/people.py",
    "Person": "pages/person.py",
    "Add a person": "pages/add_person.py",
    "Edit many": "pages/bulk_edit.py",
    "Data problems": "pages/data_health.py",
    "Renewals": "pages/renewals.py",
    "Membership health": "pages/membership_health.py",
    "Enter a gift": "pages/gift_entry.py",
    "Batch entry": "pages/gift_batch.py",
    "Fundraising": "pages/fundraising.py",
    "Campaigns": "pages/campaigns.py",
    "Recurring gifts": "pages/recurring.py",
    "Thank-yous": "pages/acknowledgments.py",
}
BENCH_USER = User("bench", Role.ADMIN)


def quiet() -> None:
    """No "missing ScriptRunContext" warnings for clearing caches outside a script run."""
    from streamlit import logger

    logger.set_log_level("error")


def session(store: Store, person_id: str) -> Any:
    """A new session of the app on `store`, signed in as the local admin (no sign-in is
    configured), with `?id=person_id` for the pages about one person. Not run yet."""
    from streamlit.testing.v1 import AppTest

    quiet()
    from pages.common.data import STORE_OVERRIDE

    app = AppTest.from_file(str(APP), default_timeout=600)
    app.session_state[STORE_OVERRIDE] = store
    app.query_params["id"] = person_id
    return app


def opened(store: Store, person_id: str) -> Any:
    """`session`, run once on the app's default page (AppTest only knows the app's pages
    after a first run)."""
    app = session(store, person_id)
    run(app)
    return app


def run(app: Any, path: str | None = None) -> float:
    """Seconds the server takes to run `path` (or the current page) to the end; a page that
    fails stops the bench with its message."""
    started = time.perf_counter()
    (app.switch_page(path) if path else app).run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"{path or 'the default page'} failed: {app.exception[0].message}")
    return elapsed


def refresh() -> None:
    """Empty the app's shared read cache, as the sidebar's Refresh button does."""
    from pages.common import data

    quiet()
    data.refresh()


@contextmanager
def tabs_read() -> Iterator[set[str]]:
    """The tabs whose frames (or settings) code reads from any Workbook meanwhile: what a
    page really uses of the one read of every tab."""
    used: set[str] = set()
    frame, settings = Workbook.frame, Workbook.settings

    def recording_frame(self: Workbook, name: str) -> Any:
        used.add(name)
        return frame(self, name)

    def recording_settings(self: Workbook) -> Any:
        used.add("settings")
        return settings.fget(self)  # type: ignore[attr-defined]

    Workbook.frame = recording_frame  # type: ignore[method-assign]
    Workbook.settings = property(recording_settings)  # type: ignore[assignment,method-assign]
    try:
        yield used
    finally:
        Workbook.frame = frame  # type: ignore[method-assign]
        Workbook.settings = settings  # type: ignore[method-assign]

"""The one place the UI reads and writes data: the store, the shared cache, and saving.

Reads are cached once for all sessions (Google allows the whole app 60 reads a minute) and
dropped after every write the app makes; edits made directly in the sheet show up within
`SHEET_TTL_S` seconds, or at once with the sidebar's Refresh button. Pages get only what the
signed-in user's role may read (`workbook`) and write through a store that checks the role
and records every write in the audit log (`store`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import streamlit as st

from pages.common import session
from pages.common.safe import plain
from rules.roles import visible_workbook
from sheets_schema import TABS
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import Workbook
from storage import Conflict, Store, StoreConfig, StoreError, open_store
from storage.seed import holds_demo, is_empty, load_demo
from storage.signed_in import SignedInStore

SHEET_TTL_S = 60
T = TypeVar("T")


def secrets() -> dict[str, Any]:
    """st.secrets as a plain dict; empty when there is no secrets.toml (the demo)."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def config() -> StoreConfig:
    return StoreConfig.from_sources(secrets())


@st.cache_resource(show_spinner="Opening the data…")
def _open(_config: StoreConfig, where: str) -> Store:
    store = open_store(_config)
    if _config.uses_sqlite:  # the local file gets its tabs; a server's are made by `init`
        store.ensure_schema()
    return store


#: Tests and benchmarks put a ready Store here (AppTest's session_state) to run the pages on
#: it; a browser cannot set session state, so this is no way in for a user.
STORE_OVERRIDE = "steward_store"


def backend() -> Store:
    """The configured store, opened once per process (and shared by every session)."""
    override = st.session_state.get(STORE_OVERRIDE)
    if isinstance(override, Store):
        return override
    current = config()
    return _open(current, current.postgres_url or current.spreadsheet or current.sqlite_path)


def store() -> SignedInStore:
    """The store as the signed-in user may write to it; every write is audited."""
    return SignedInStore(backend(), session.user())


def is_demo() -> bool:
    """True when the app runs on a local file holding the demo organisation (not an empty
    start, not an organisation's own data, not a configured store)."""
    return (STORE_OVERRIDE not in st.session_state and config().uses_sqlite
            and holds_demo(shared_workbook().frame("settings")))


def first_start() -> bool:
    """True when the app runs on the local file and it does not exist yet: the first start
    on this computer, which asks whether to try the demo or start empty."""
    current = config()
    return (STORE_OVERRIDE not in st.session_state and current.uses_sqlite
            and not Path(current.sqlite_path).exists())


_STARTING = threading.Lock()


def start(with_demo: bool) -> None:
    """Create the local file, empty or with the demo organisation built for today. Two
    browsers choosing at once get one demo, not two."""
    with _STARTING:
        current = backend()
        if with_demo and is_empty(current):
            load_demo(current)
    refresh()


@st.cache_resource(ttl=SHEET_TTL_S, show_spinner="Reading the data…")
def _workbook(_store: Store, store_id: str) -> Workbook:
    return _store.load(tuple(TABS))


def shared_workbook() -> Workbook:
    """Every tab, typed, from one read shared by all sessions, before any role is applied:
    only sign-in (the users tab) and this module use it."""
    current = backend()
    # Keyed on the store object, not its title: a Sheets store learns its title with its
    # first read, and a key that changed under that read would read every tab twice.
    return _workbook(current, f"{type(current).__name__}:{id(current)}")


def workbook() -> Workbook:
    """What the signed-in user's role may read of the shared snapshot. Do not modify its
    frames."""
    user = session.user()
    return visible_workbook(shared_workbook(), user.role, user.person_id)


@st.cache_resource(max_entries=64, show_spinner=False)
def _derived(key: tuple[Any, ...], _compute: Callable[[], Any]) -> Any:
    return _compute()


def derived(name: str, compute: Callable[..., T], *args: Hashable) -> T:
    """`compute(workbook(), *args)`, worked out once per snapshot, role (and own person, for
    what a volunteer sees of themselves) and arguments, and
    shared by every session: a dashboard's preparation (tens of milliseconds on 100,000
    gifts) then costs nothing on the next page run. `name` says what it is; `args` must be
    hashable (dates, numbers, strings)."""
    snapshot = shared_workbook()
    user = session.user()
    key = (name, snapshot.read_at, id(backend()), user.role, user.person_id, args)
    return cast(T, _derived(key, lambda: compute(workbook(), *args)))


def today() -> date:
    """Today where the organisation is (the settings' time zone), for every date a page
    offers or works from: an evening deposit in New York is dated that evening, not the
    server's (UTC) tomorrow."""
    return shared_workbook().settings.day_at(datetime.now(UTC))


def refresh() -> None:
    """Forget the shared read (and what was derived from it) so the next page run reads the
    store again."""
    _workbook.clear()
    _derived.clear()


def save(action: Callable[[], None], done: str) -> bool:
    """Run one write; on success drop the cache and say `done`, on failure say why.

    A Conflict is kept in session state for the page to show both values; any other
    StoreError is shown as the sentence it carries. Nothing else is caught.
    """
    try:
        action()
    except Conflict as conflict:
        st.session_state["conflict"] = conflict
        return False
    except StoreError as error:
        st.error(plain(error))
        return False
    finally:
        refresh()
    st.session_state.pop("conflict", None)
    st.toast(plain(done))
    return True


_DONE = "steward_done"


def done() -> None:
    """Say what the last `commit_form` saved (the page has rerun since)."""
    if _DONE in st.session_state:
        st.success(plain(st.session_state.pop(_DONE)))


def commit_form(changes: ChangeSet, said: str, clear: tuple[str, ...] = ()) -> None:
    """Land a form's `changes`; on success empty the form (`clear`: its widget keys, so a
    second click cannot record it twice) and rerun, and `done()` then says `said`. A row
    someone changed meanwhile is a warning and nothing is written."""
    if save(lambda: store().commit(changes), said):
        st.session_state[_DONE] = said
        for key in clear:
            st.session_state.pop(key, None)
        st.rerun()
    conflict = st.session_state.pop("conflict", None)
    if isinstance(conflict, Conflict):
        st.warning(plain(f"{conflict} Nothing was saved; the page now shows the data as it "
                         f"is, so check and try again."))

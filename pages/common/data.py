"""The one place the UI reads and writes data: the store, the shared cache, and saving.

Reads are cached once for all sessions (Google allows the whole app 60 reads a minute) and
dropped after every write the app makes; edits made directly in the sheet show up within
`SHEET_TTL_S` seconds, or at once with the sidebar's Refresh button. Pages get only what the
signed-in user's role may read (`workbook`) and write through a store that checks the role
and records every write in the audit log (`store`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

import streamlit as st

from pages.common import session
from pages.common.safe import plain
from rules.roles import visible_workbook
from sheets_schema import TABS
from sheets_schema.changes import ChangeSet, KeyFill
from sheets_schema.workbook import Workbook
from storage import AuditHook, Conflict, SchemaReport, Store, StoreConfig, StoreError, open_store
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


#: The tabs written by the `save` under way in this script run (None outside one, or once
#: a write whose tabs are not known has happened: then everything is read again).
_WRITTEN: ContextVar[set[str] | None] = ContextVar("steward_written", default=None)
#: What every write adds to besides its own tabs.
_ALWAYS_WRITTEN = ("audit_log",)


class _NotingStore(SignedInStore):
    """A SignedInStore that notes, for `save`, which tabs each write touched."""

    def commit(self, changes: ChangeSet, *, skip_conflicts: bool = False,
               audit: AuditHook | None = None) -> list[Conflict]:
        _note(*changes.appends, *changes.edits, *changes.deletes)
        return super().commit(changes, skip_conflicts=skip_conflicts, audit=audit)

    def assign_keys_by_row(self, tab_name: str, fills: Sequence[KeyFill], *,
                           audit: AuditHook | None = None) -> None:
        _note(tab_name)
        super().assign_keys_by_row(tab_name, fills, audit=audit)

    def ensure_schema(self) -> SchemaReport:
        _WRITTEN.set(None)  # headers of any tab: read everything again
        return super().ensure_schema()


def _note(*tabs: str) -> None:
    written = _WRITTEN.get()
    if written is not None:
        written.update(tabs)


def store() -> SignedInStore:
    """The store as the signed-in user may write to it; every write is audited."""
    return _NotingStore(backend(), session.user())


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


@dataclass
class _Snapshot:
    """The shared read: its workbook, replaced tab by tab after the app's own saves, until
    the cache's time to live ends and every tab is read again."""

    book: Workbook
    made: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reread(self, store: Store, tabs: set[str]) -> None:
        """Read `tabs` again (one read) and put them in place of what this snapshot held."""
        with self.lock:
            fresh = store.load(tuple(name for name in TABS if name in tabs))
            self.book = Workbook({**self.book.tabs, **fresh.tabs}, read_at=fresh.read_at)


@st.cache_resource(ttl=SHEET_TTL_S, show_spinner="Reading the data…")
def _workbook(_store: Store, store_id: str) -> _Snapshot:
    return _Snapshot(_store.load(tuple(TABS)))


def _snapshot() -> _Snapshot:
    current = backend()
    # Keyed on the store object, not its title: a Sheets store learns its title with its
    # first read, and a key that changed under that read would read every tab twice.
    return _workbook(current, f"{type(current).__name__}:{id(current)}")


def shared_workbook() -> Workbook:
    """Every tab, typed, from one read shared by all sessions, before any role is applied:
    only sign-in (the users tab) and this module use it."""
    return _snapshot().book


def workbook() -> Workbook:
    """What the signed-in user's role may read of the shared snapshot. Do not modify its
    frames."""
    user = session.user()
    return visible_workbook(shared_workbook(), user.role, user.person_id, user.email)


@st.cache_resource(max_entries=64, show_spinner=False)
def _derived(key: tuple[Any, ...], _compute: Callable[[], Any]) -> Any:
    return _compute()


def derived(name: str, compute: Callable[..., T], *args: Hashable) -> T:
    """`compute(workbook(), *args)`, worked out once per snapshot, role (and own person, for
    what a volunteer sees of themselves: their hours, their tasks) and arguments, and
    shared by every session: a dashboard's preparation (tens of milliseconds on 100,000
    gifts) then costs nothing on the next page run. `name` says what it is; `args` must be
    hashable (dates, numbers, strings)."""
    snapshot = shared_workbook()
    user = session.user()
    key = (name, snapshot.read_at, id(backend()), user.role, user.person_id, user.email,
           args)
    return cast(T, _derived(key, lambda: compute(workbook(), *args)))


def colleagues() -> dict[str, str]:
    """Who a task can be given to: every active user's email, with a label to show ("Sam
    Lee (sam@example.org)"); the signed-in user first. Only names and addresses leave the
    users tab, which only admins read whole."""
    me = session.user()
    users = shared_workbook().frame("users")
    active = users[users["active"].astype(bool)]
    found = {str(row["email"]).strip(): (f"{row['name']} ({row['email']})" if row["name"]
                                         else str(row["email"]))
             for _, row in active.iterrows() if str(row["email"]).strip()}
    return {me.email: f"Me ({me.email})", **{e: n for e, n in found.items() if e != me.email}}


def today() -> date:
    """Today where the organisation is (the settings' time zone), for every date a page
    offers or works from: an evening deposit in New York is dated that evening, not the
    server's (UTC) tomorrow."""
    return shared_workbook().settings.day_at(datetime.now(UTC))


def refresh(tabs: set[str] | None = None, since: float | None = None) -> None:
    """Forget the shared read (and what was derived from it) so the next page run reads the
    store again; with `tabs`, read only those again now, in place (a snapshot made after
    `since`, a `time.monotonic()`, already holds them)."""
    _derived.clear()
    if tabs is None:
        _workbook.clear()
        return
    snapshot = _snapshot()
    if since is None or snapshot.made < since:
        snapshot.reread(backend(), tabs)


@dataclass(frozen=True)
class Saved:
    """What one `save` came to. `ok`: it landed (the toast said so). `conflict`: someone
    changed a row meanwhile and nothing was written; the page shows both values (now, or
    on the run `rerun_after` starts). `error`: any other StoreError, already shown as the
    sentence it carries."""

    conflict: Conflict | None = None
    error: StoreError | None = None

    @property
    def ok(self) -> bool:
        return self.conflict is None and self.error is None


def save(action: Callable[[], None], done: str) -> Saved:
    """Run one write; on success drop the cache and say `done`, on failure say why.

    A Conflict is returned for the page to show both values; any other StoreError is shown
    as the sentence it carries (and returned). Nothing else is caught.

    After a write that landed, only the tabs it wrote (and the audit log) are read again:
    after a phone number, the people tab, not all 19 (0.15 s instead of 0.5 s of CPU at the
    demo size, 1.1 s instead of 5 s at 100,000 gifts). After a failure, or a write this
    module could not follow, everything is.
    """
    started, written = time.monotonic(), _WRITTEN.set(set())
    landed = False
    try:
        action()
        landed = True
    except Conflict as conflict:
        return Saved(conflict=conflict)
    except StoreError as error:
        st.error(plain(error))
        return Saved(error=error)
    finally:
        tabs = _WRITTEN.get()
        _WRITTEN.reset(written)
        refresh({*tabs, *_ALWAYS_WRITTEN} if landed and tabs else None, since=started)
    st.toast(plain(done))
    return Saved()


_CARRIED = "steward_conflict"


def rerun_after(saved: Saved) -> NoReturn:
    """Run the page again, so it shows the store as it is now; a conflict the save met is
    carried to that run, for `carried_conflict` to show."""
    if saved.conflict is not None:
        st.session_state[_CARRIED] = saved.conflict
    st.rerun()


def carried_conflict(tab: str | None = None) -> Conflict | None:
    """The conflict `rerun_after` carried from the last run (on `tab`, if given), once."""
    conflict = st.session_state.get(_CARRIED)
    if isinstance(conflict, Conflict) and (tab is None or conflict.tab == tab):
        del st.session_state[_CARRIED]
        return conflict
    return None


_DONE = "steward_done"


def done() -> None:
    """Say what the last `commit_form` saved (the page has rerun since)."""
    if _DONE in st.session_state:
        st.success(plain(st.session_state.pop(_DONE)))


def commit_form(changes: ChangeSet, said: str, clear: tuple[str, ...] = ()) -> None:
    """Land a form's `changes`; on success empty the form (`clear`: its widget keys, so a
    second click cannot record it twice) and rerun, and `done()` then says `said`. A row
    someone changed meanwhile is a warning and nothing is written."""
    saved = save(lambda: store().commit(changes), said)
    if saved.ok:
        st.session_state[_DONE] = said
        for key in clear:
            st.session_state.pop(key, None)
        st.rerun()
    if saved.conflict is not None:
        st.warning(plain(f"{saved.conflict} Nothing was saved; the page now shows the data as "
                         f"it is, so check and try again."))

"""Who is using the app: sign-in with `st.login`, the role from the `users` tab, and the
local mode that needs no sign-in but never listens beyond this computer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages.common.navigation import PAGES
from pages.common.safe import plain
from rules.roles import Role, User, user_for
from rules.volunteering import person_for_email
from sheets_schema.workbook import Workbook
from storage import Store
from storage.capacity import capacity

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Headers a reverse proxy adds: a request carrying one came from somewhere else.
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
                 "x-real-ip", "via")
LOCAL_ADMIN = User(email="local-admin", role=Role.ADMIN, name="Local admin")
_USER = "steward_user"


def auth_settings() -> Mapping[str, object] | None:
    """The `[auth]` section of secrets.toml, or None when sign-in is not configured."""
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None
    return section if isinstance(section, Mapping) and section else None


def _loopback_name(host: str) -> bool:
    """Whether a Host header (`name[:port]`) names this computer.

    >>> [_loopback_name(h) for h in ("127.0.0.1:8501", "[::1]", "localhost.evil.example")]
    [True, True, False]
    """
    try:
        parts = urlsplit(f"//{host.strip()}")
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    return (parts.hostname or "").rstrip(".") in LOOPBACK and not (
        parts.username or parts.password or parts.path or parts.query or parts.fragment)


def local_request_refusal(headers: Iterable[tuple[str, str]]) -> str | None:
    """Why this request may not have the local admin, or None if it came from this computer.

    `headers` are the (name, value) pairs of the browser's connection. A page that a
    DNS-rebinding site opens on 127.0.0.1 sends that site's name as `Host` and `Origin`; a
    reverse proxy adds forwarding headers. Only `localhost`, `127.0.0.1` and `[::1]` (any
    port) pass, in every `Host` and `Origin` sent. No headers at all means no browser
    connection (AppTest, bare mode): a real WebSocket handshake always has some."""
    named: dict[str, list[str]] = {}
    for key, value in headers:
        named.setdefault(key.lower(), []).append(str(value))
    if not named:
        return None
    if any(key in named for key in PROXY_HEADERS):
        why = "it came through a proxy"
    elif not all(_loopback_name(host) for host in named.get("host", [""])):
        why = "the address in the browser is not this computer's"
    elif not all(_loopback_name(urlsplit(origin).netloc) for origin in named.get("origin", [])):
        why = "it came from a page on another site"
    else:
        return None
    return (f"Sign-in is not configured, so Steward answers only a browser on this computer "
            f"at http://localhost or http://127.0.0.1, and this request was refused: {why}. "
            f"Open it on the computer it runs on, at the address `streamlit run` printed "
            f"(http://localhost:8501 unless another port was chosen), or configure sign-in "
            f"([auth] in secrets.toml, see the README).")


def user() -> User:
    """The signed-in user of this run (set by `gate`).

    Until app.py's `st.navigation` has run once in a server process, Streamlit serves a
    URL such as /fundraising the old way, running pages/fundraising.py by itself (because
    a pages/ folder exists), without app.py and its sign-in. Such a run is sent back
    through app.py instead of being served.
    """
    current = st.session_state.get(_USER)
    if isinstance(current, User):
        return current
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    raise RuntimeError("session.gate() must run before the pages ask for the user")


def no_pages() -> None:
    """List no page in the sidebar (before sign-in, on a refusal, on the first start).
    Without an `st.navigation` in the run, Streamlit lists the files of pages/ by their
    names; every page is declared here, hidden, so the address asked for still resolves."""
    st.navigation([st.Page(path, title=title, url_path=url_path or None, default=not url_path)
                   for _, path, title, _, url_path, _ in PAGES], position="hidden")


def stop() -> None:
    """End a run that shows no page (a sign-in screen, a refusal): no page is listed."""
    no_pages()
    st.stop()


def gate(workbook: Callable[[], Workbook]) -> User:
    """Sign the visitor in and find their role, or show why not and stop the run.

    `workbook` gives the shared snapshot (read only when someone signs in): the role comes
    from its `users` tab, and the user's own person record from `people`, by email."""
    auth = auth_settings()
    if auth is None:
        address = str(st.get_option("server.address") or "")
        if address not in LOOPBACK:
            st.error(
                f"Sign-in is not configured, so Steward refuses to run on "
                f"{plain(address or 'every network address')}: anyone who could reach it "
                f"would be an admin. Either set `server.address = \"127.0.0.1\"` in "
                f".streamlit/config.toml, or configure sign-in ([auth] in secrets.toml, see "
                f"the README)."
            )
            stop()
        sent = st.context.headers
        refusal = local_request_refusal((k, v) for k in sent for v in sent.get_all(k))
        if refusal is not None:
            st.session_state.pop(_USER, None)
            st.error(refusal)
            stop()
        st.session_state[_USER] = LOCAL_ADMIN
        return LOCAL_ADMIN
    if not st.user.is_logged_in:
        st.title("Steward")
        st.text("Sign in with your organisation account to continue.")
        providers = [name for name, value in auth.items() if isinstance(value, Mapping)]
        st.button("Sign in", type="primary", on_click=st.login,
                  args=(providers[0],) if providers else ())
        stop()
    book = workbook()
    found = user_for(book.frame("users"), str(st.user.get("email") or ""))
    if found is None:
        st.title("Steward")
        st.warning(
            f"You are signed in as {plain(st.user.get('email') or 'an unknown address')}, "
            f"but that address has no active role in Steward. Ask an admin to add you to "
            f"the users tab."
        )
        st.button("Sign out", on_click=st.logout)
        stop()
    found = replace(found, person_id=person_for_email(book.frame("people"), found.email) or "")
    st.session_state[_USER] = found
    return found


def sidebar(current: User) -> None:
    """Who is signed in, and the way out."""
    if current is LOCAL_ADMIN:
        st.caption("Local admin: sign-in is not configured.")
        return
    st.caption(f"{plain(current.name or current.email)} · {current.role.value}")
    st.button("Sign out", on_click=st.logout)


def capacity_notice(store: Store) -> None:
    """On Google Sheets, how full the spreadsheet is and how busy this app is against
    Google's limits, with a warning at 80% of either naming the command that moves the
    data. The numbers are what the store already knows: showing them sends nothing."""
    found = capacity(store)
    if found is None:
        return
    if found.cells is not None and found.cell_share is not None:
        st.caption(f"Sheet size: {found.cells:,} of {found.cell_limit:,} cells "
                   f"({found.cell_share:.0%})")
    st.caption(f"Last minute: {found.reads} reads and {found.writes} writes to Google, "
               f"of about {found.reads_limit} each")
    for warning in found.warnings:
        st.warning(warning, icon="📦")


LOCAL_MODE = (
    "Sign-in is not configured: whoever uses this computer is the admin, and the app "
    "listens on this computer only (127.0.0.1). To let volunteers and staff sign in, "
    "follow the README's \"Sign-in\" section."
)
DEMO_DATA = (
    "This is demo data in a local SQLite file, not your organisation's records. To use "
    "your own Google Sheet, add a service account to `.streamlit/secrets.toml` as the "
    'README\'s "Connect a Google Sheet" section shows, then restart the app.'
)


def notices(local_admin: bool, demo: bool) -> str:
    """Say in the sidebar what kind of run this is (the local admin, demo data), and return
    the one short line that says it above every page: on a phone, the two full notices took
    330 px before the page's title."""
    short = []
    with st.sidebar:
        if demo:
            st.info(DEMO_DATA, icon="🧪")
            short.append("🧪 Demo data")
        if local_admin:
            st.warning(LOCAL_MODE, icon="🔓")
            short.append("🔓 No sign-in")
    return " · ".join(short) + " (see the sidebar)" if short else ""


def deny(what: str) -> None:
    """Stop a page the user's role may not open (the navigation hides it too)."""
    st.error(f"As {user().role.value} you may not {what}. Ask an admin if you need to.")
    st.stop()


def require(action: str, what: str) -> None:
    if not user().can(action):
        deny(what)

"""Pages in AppTest (no browser) on a copy of the demo store.

`demo_store` is a fresh copy of one demo SQLite file made once per test session, so a test
may write to it. `open_page(store, path)` runs the app's entry script on that store and then
switches to the page, as a user clicking in the navigation would.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from demo import DEFAULT_AS_OF
from pages.common.data import STORE_OVERRIDE
from storage import Store
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore

APP = Path(__file__).resolve().parents[2] / "app.py"
OpenPage = Callable[..., AppTest]


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store = SQLiteStore(path)
    load_demo(store, as_of=DEFAULT_AS_OF)
    store.close()  # the last connection closing folds the WAL into the file
    return path


@pytest.fixture
def demo_store(demo_file: Path, tmp_path: Path) -> Iterator[SQLiteStore]:
    copy = tmp_path / "steward.sqlite3"
    shutil.copy(demo_file, copy)
    store = SQLiteStore(copy)
    yield store
    store.close()


@pytest.fixture
def open_page() -> Iterator[OpenPage]:
    """Run a page of the app on a store; the shared caches start empty for every test."""
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(store: Store, path: str, *, query: dict[str, str] | None = None,
            state: dict[str, Any] | None = None, user: str | None = None,
            secrets: dict[str, Any] | None = None) -> AppTest:
        app = AppTest.from_file(str(APP), default_timeout=60)
        app.session_state[STORE_OVERRIDE] = store
        for key, value in (secrets or {}).items():
            app.secrets[key] = value
        if user is not None:
            signed_in(app, user)
        app.run()
        for key, value in (query or {}).items():
            app.query_params[key] = value
        for key, value in (state or {}).items():
            app.session_state[key] = value
        app.switch_page(path).run()
        assert not app.exception, app.exception[0].message if app.exception else ""
        return app

    yield run
    st.cache_resource.clear()


#: An [auth] section as secrets.toml would hold it (never contacted: AppTest seeds st.user).
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test",
        "client_id": "steward", "client_secret": "test",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def signed_in(app: AppTest, email: str) -> AppTest:
    """Sign-in configured, and `email` signed in ("" for nobody signed in)."""
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": bool(email), "email": email} if email else {
        "is_logged_in": False}
    return app


def button(app: AppTest, label: str) -> Any:
    """The button (or form submit button) labelled `label`."""
    found = [b for b in app.button if b.label == label]
    assert found, f"no button {label!r}; there are {[b.label for b in app.button]}"
    return found[0]


def shown(value: object) -> str:
    """Text as a person reads it: Markdown escapes (`plain()` adds them) removed."""
    return re.sub(r"\\(.)", r"\1", str(value))


def texts(app: AppTest, *kinds: str) -> str:
    """Everything the page says (or only in elements of `kinds`, such as "error"), as a
    person reads it, in one string."""
    kinds = kinds or ("text", "markdown", "caption", "error", "warning", "info", "success",
                      "title", "header", "subheader")
    return "\n".join(shown(e.value) for kind in kinds for e in getattr(app, kind))

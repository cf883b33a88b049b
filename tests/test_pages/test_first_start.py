"""The first start on this computer (no data file yet): a choice between the demo and an
empty organisation; the demo banner only on demo data; every page of an empty organisation
says what to do first, not an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common.navigation import PAGES
from storage.sqlite_store import SQLiteStore
from tests.test_pages.conftest import APP, OpenPage, button, texts


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the local file will be: nothing configured and no file there yet."""
    import streamlit as st

    path = tmp_path / "data" / "steward.sqlite3"
    path.parent.mkdir()
    monkeypatch.setenv("STEWARD_SQLITE_PATH", str(path))
    monkeypatch.delenv("STEWARD_SPREADSHEET", raising=False)
    monkeypatch.delenv("STEWARD_DATABASE_URL", raising=False)
    st.cache_resource.clear()
    yield path
    st.cache_resource.clear()


def first_start() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    assert not app.exception, app.exception
    return app


def shown_everywhere(app: AppTest) -> str:
    return texts(app) + "\n".join(c.value for c in app.caption)


def test_the_first_start_asks_and_creates_nothing_yet(fresh: Path) -> None:
    app = first_start()
    assert [t.value for t in app.title] == ["Welcome to Steward"]
    assert {"Try the demo organisation", "Start empty"} <= {b.label for b in app.button}
    assert not fresh.exists()
    assert "demo data" not in texts(app).lower()


def test_trying_the_demo_fills_the_file_and_says_it_is_demo_data(fresh: Path) -> None:
    app = first_start()
    button(app, "Try the demo organisation").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Today"]
    assert "This is demo data" in texts(app, "info")
    assert "🧪 Demo data" in shown_everywhere(app)
    assert len(SQLiteStore(fresh).read(["people"])["people"]) > 1000


def test_starting_empty_makes_an_empty_file_without_the_demo_banner(fresh: Path) -> None:
    app = first_start()
    button(app, "Start empty").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Today"]
    assert "demo data" not in shown_everywhere(app).lower()
    assert "🔓 No sign-in" in shown_everywhere(app)
    assert "Nobody is here yet" in texts(app, "info")
    assert SQLiteStore(fresh).read(["people"])["people"].empty
    again = first_start()  # the file exists now: no question, no demo
    assert [t.value for t in again.title] == ["Today"]
    assert SQLiteStore(fresh).read(["people"])["people"].empty


def test_a_local_file_of_the_organisation_s_own_has_no_demo_banner(fresh: Path) -> None:
    store = SQLiteStore(fresh)
    store.ensure_schema()
    store.append("people", [{"id": "P1", "first_name": "Ann"}])
    store.append("settings", [{"key": "org_name", "value": "Our club"}])
    store.close()
    app = first_start()
    assert [t.value for t in app.title] == ["Today"]
    assert "demo data" not in shown_everywhere(app).lower()


@pytest.mark.parametrize("path", [path for _, path, *_ in PAGES])
def test_every_page_of_an_empty_organisation_says_what_to_do(
    open_page: OpenPage, tmp_path: Path, path: str
) -> None:
    store = SQLiteStore(tmp_path / "empty.sqlite3")
    store.ensure_schema()
    app = open_page(store, path)
    assert not app.error, texts(app, "error")
    assert app.title, "every page has its title"

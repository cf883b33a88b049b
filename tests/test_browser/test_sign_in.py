"""A real sign-in round trip: the app's `st.login` against a local OpenID Connect provider
(oidc-provider-mock, on loopback), in Debian's chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.sqlite_store import SQLiteStore
from tests.test_browser.conftest import free_port, serve, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_db(app_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo file in which the demo volunteer user (volunteer@example.org)
    has a person record of her own."""
    db = tmp_path_factory.mktemp("signed") / "steward.sqlite3"
    shutil.copy(app_db, db)
    store = SQLiteStore(db)
    store.append("people", [{"id": "P-GRACE", "first_name": "Grace", "last_name": "Lee",
                             "email": "volunteer@example.org"}])
    store.close()
    return db


@pytest.fixture(scope="module")
def signed_app(provider: str, signed_db: Path) -> Iterator[str]:
    """The app with sign-in configured against the local provider."""
    workdir = signed_db.parent
    port = free_port()
    (workdir / ".streamlit").mkdir()
    (workdir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-secret-that-is-long-enough"\n'
        'client_id = "steward"\n'
        'client_secret = "steward-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with serve(signed_db, workdir, port) as url:
        yield url


def sign_in(page, url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("input[name=sub]")
    page.fill("input[name=sub]", email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    wait_idle(page)


def test_a_volunteer_signs_in_sees_their_pages_and_signs_out(page, signed_app: str,
                                                             tmp_path: Path) -> None:
    sign_in(page, signed_app, "Volunteer@Example.org")
    assert page.get_by_role("heading", name="People").is_visible()
    assert page.get_by_text("Grace Lee · volunteer").is_visible()
    assert page.get_by_text("Sign-in is not configured").count() == 0
    assert page.get_by_role("link", name="Audit log").count() == 0
    shot = tmp_path / "signed-in-volunteer.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    page.get_by_role("button", name="Sign out").click()
    # Streamlit ends the session at the provider too (OpenID RP-initiated logout).
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signed_app}/**")
    wait_idle(page)
    assert page.get_by_role("button", name="Sign in").is_visible()


def test_an_address_without_a_role_is_asked_to_see_an_admin(page, signed_app: str) -> None:
    sign_in(page, signed_app, "stranger@example.org")
    assert page.get_by_text("has no active role in Steward").is_visible()
    assert page.get_by_role("heading", name="People").count() == 0


def test_a_volunteer_logs_hours_on_a_phone_and_sees_only_their_own(
    browser, signed_app: str, signed_db: Path, tmp_path: Path
) -> None:
    import sqlite3

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(60_000)
    sign_in(page, signed_app, "volunteer@example.org")
    page.goto(f"{signed_app}/log-hours")
    wait_idle(page)
    assert page.get_by_role("heading", name="Log hours").is_visible()
    page.get_by_role("textbox", name="Activity").fill("Food pantry")
    page.get_by_role("button", name="Log hours").click()
    wait_idle(page)
    shot = tmp_path / "volunteer-log-hours-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    with sqlite3.connect(signed_db) as con:
        rows = con.execute("SELECT person_id, activity, approved FROM volunteer_hours "
                           "WHERE activity = 'Food pantry'").fetchall()
    assert rows == [("P-GRACE", "Food pantry", "FALSE")]
    assert page.get_by_text("Your hours (2 logged)").is_visible()
    phone.close()

"""A real sign-in round trip: the app's `st.login` against a local OpenID Connect provider
(oidc-provider-mock, on loopback), in Debian's chromium."""

from __future__ import annotations

import pytest

from tests.test_browser.conftest import sign_in, wait_idle

pytestmark = pytest.mark.browser


def test_a_volunteer_signs_in_sees_their_pages_and_signs_out(page, signed_app: str,
                                                             shots) -> None:
    sign_in(page, signed_app, "Volunteer@Example.org")
    assert page.get_by_role("heading", name="Today").is_visible()
    assert page.get_by_text("Grace Lee · volunteer").is_visible()
    assert page.get_by_text("Sign-in is not configured").count() == 0
    assert page.get_by_role("link", name="Audit log").count() == 0
    shots(page, "signed-in-volunteer")
    page.get_by_role("button", name="Sign out").click()
    # Streamlit ends the session at the provider too (OpenID RP-initiated logout).
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signed_app}/**")
    wait_idle(page)
    assert page.get_by_role("button", name="Sign in").is_visible()


def test_an_address_without_a_role_is_asked_to_see_an_admin(page, signed_app: str) -> None:
    sign_in(page, signed_app, "stranger@example.org")
    assert page.get_by_text("has no active role in Steward").is_visible()
    assert page.get_by_role("heading", name="Today").count() == 0

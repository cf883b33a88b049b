"""Without sign-in, the local admin is only for a browser on this computer: a page that a
DNS-rebinding site opens on 127.0.0.1, or a request through a proxy, is refused."""

from __future__ import annotations

import pytest
from streamlit.runtime.context import ContextProxy, StreamlitHeaders
from streamlit.testing.v1 import AppTest

from pages.common.session import local_request_refusal
from storage import Store
from tests.test_pages.conftest import APP, texts

WS = [("Upgrade", "websocket"), ("Connection", "Upgrade")]


@pytest.mark.parametrize("host, origin", [
    ("localhost:8501", "http://localhost:8501"),
    ("127.0.0.1:8501", "http://127.0.0.1:8501"),
    ("[::1]:8502", "http://[::1]:8502"),
    ("LOCALHOST", None),
    ("127.0.0.1", "http://localhost:8501"),
])
def test_a_browser_on_this_computer_is_the_local_admin(host: str, origin: str | None) -> None:
    sent = [*WS, ("Host", host), *([("Origin", origin)] if origin else [])]
    assert local_request_refusal(sent) is None


@pytest.mark.parametrize("headers, why", [
    ([("Host", "evil.example:8501"), ("Origin", "http://evil.example:8501")], "not this"),
    ([("Host", "localhost.evil.example"), ("Origin", "http://localhost.evil.example")],
     "not this"),
    ([("Host", "127.0.0.1.nip.io:8501")], "not this"),
    ([("Host", "127.0.0.1:notaport")], "not this"),
    ([("Host", "user@127.0.0.1")], "not this"),
    ([("Host", "127.0.0.1"), ("Host", "evil.example")], "not this"),
    ([], "not this"),  # a handshake without Host
    ([("Host", "127.0.0.1:8501"), ("Origin", "http://evil.example")], "another site"),
    ([("Host", "127.0.0.1:8501"), ("Origin", "null")], "another site"),
    ([("Host", "127.0.0.1:8501"), ("X-Forwarded-For", "203.0.113.9")], "proxy"),
    ([("Host", "localhost"), ("Forwarded", "for=203.0.113.9")], "proxy"),
    ([("Host", "localhost"), ("X-Real-IP", "203.0.113.9")], "proxy"),
    ([("Host", "localhost"), ("x-forwarded-host", "steward.example.org")], "proxy"),
])
def test_another_site_or_a_proxy_is_refused_with_the_reason(
    headers: list[tuple[str, str]], why: str
) -> None:
    refusal = local_request_refusal([*WS, *headers])
    assert refusal is not None and why in refusal and "configure sign-in" in refusal


def test_a_rebound_page_gets_the_refusal_and_no_data(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AppTest has no browser connection, so the headers the page reads are put in place of
    st.context.headers, as a WebSocket from a rebound `evil.example` sends them."""
    from pages.common.data import STORE_OVERRIDE

    forged = StreamlitHeaders([*WS, ("Host", "evil.example:8501"),
                               ("Origin", "http://evil.example:8501")])
    monkeypatch.setattr(ContextProxy, "headers", property(lambda self: forged))
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.session_state[STORE_OVERRIDE] = demo_store
    app.run()
    assert not app.exception
    assert "this request was refused: the address in the browser is not this computer's" in (
        texts(app, "error"))
    assert not app.dataframe and not app.sidebar.children and not app.text_input
    assert len(app.main.children) == 1  # the sentence only

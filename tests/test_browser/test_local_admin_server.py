"""The served app without sign-in, reached over a raw WebSocket as a DNS-rebinding page or
a proxy would reach it: a forged Host, Origin or forwarding header gets one sentence and
no data; this computer's own address gets the Today page."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect


def first_run(app_url: str, host: str, headers: dict[str, str] | None = None) -> list[
        tuple[str, str]]:
    """(element kind, text) of everything the app sends on its first run to a WebSocket
    opened on the app's loopback port with `host` as Host and Origin (what a browser sends
    for a page of a domain whose DNS was rebound to 127.0.0.1)."""
    port = urlsplit(app_url).port
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    shown: list[tuple[str, str]] = []
    with connect(f"ws://{host}/_stcore/stream", sock=sock, origin=f"http://{host}",  # type: ignore[arg-type]
                 subprotocols=["streamlit"], additional_headers=headers or {},  # type: ignore[list-item]
                 open_timeout=30) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        ws.send(rerun.SerializeToString())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            message = ForwardMsg()
            message.ParseFromString(ws.recv(timeout=120))
            if message.WhichOneof("type") == "script_finished":
                break
            if message.WhichOneof("type") == "delta" and message.delta.HasField("new_element"):
                element = message.delta.new_element
                kind = str(element.WhichOneof("type"))
                shown.append((kind, str(getattr(getattr(element, kind), "body", ""))))
    return shown


def test_this_computers_address_gets_the_local_admin(app_url: str) -> None:
    shown = first_run(app_url, f"127.0.0.1:{urlsplit(app_url).port}")
    assert ("heading", "Today") in shown and any(kind == "page_link" for kind, _ in shown)


def test_a_rebound_domain_gets_one_sentence_and_no_data(app_url: str) -> None:
    shown = first_run(app_url, f"evil.example:{urlsplit(app_url).port}")
    assert len(shown) == 1 and shown[0][0] == "alert"
    assert "refused: the address in the browser is not this computer's" in shown[0][1]


def test_a_request_through_a_proxy_gets_one_sentence_and_no_data(app_url: str) -> None:
    shown = first_run(app_url, f"localhost:{urlsplit(app_url).port}",
                      {"X-Forwarded-For": "203.0.113.9"})
    assert len(shown) == 1 and "refused: it came through a proxy" in shown[0][1]

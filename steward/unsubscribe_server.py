"""The one-click unsubscribe endpoint (RFC 8058): mail providers POST to the link in the
`List-Unsubscribe` header, with no cookies and no sign-in, and expect it done.

Streamlit serves pages, not POST endpoints, so this small server answers that POST; put it
behind the same https address as the app's unsubscribe page (the reverse proxy sends POST
/unsubscribe here and everything else to Streamlit). A GET here shows a confirm button, so a
mail scanner opening the link changes nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from mailers import unsubscribe
from rules.privacy import email_hash
from rules.roles import Role, User
from storage import Store, StoreError
from storage.signed_in import SignedInStore

__all__ = ["LINK_USER", "MAX_BODY", "TIMEOUT_S", "opt_out", "serve"]

LINK_USER = User(email="recipient (unsubscribe link)", role=Role.STAFF)
#: The largest request body read. A one-click POST carries `List-Unsubscribe=One-Click`
#: (26 bytes); a longer body is not an unsubscribe and is answered 413 without reading it.
MAX_BODY = 1024
#: How long one read from a client may wait before its connection is closed, so a client
#: that connects and sends nothing (or stops half-way) holds a thread that long at most.
TIMEOUT_S = 10.0
_PAGE = ("<!doctype html><meta charset=utf-8><title>Unsubscribe</title>"
         "<body style='font-family:sans-serif;max-width:36em;margin:3em auto'>{}</body>")


def opt_out(store: Store, secret: str, mailing_id: str, person_id: str, token: str) -> bool:
    """Record the unsubscribe if the link is genuine; False (and nothing written) if not."""
    if not unsubscribe.verify(secret, mailing_id, person_id, token):
        return False
    book = store.load(["people", "suppressions"])
    person = book.row("people", person_id)
    if person is None:
        return True  # erased or removed: there is nobody left to mail
    suppressed = email_hash(str(person["email"])) in set(book.frame("suppressions")[
        "email_sha256"])
    changes = unsubscribe.opt_out_changes(person.to_dict(), suppressed, mailing_id,
                                          datetime.now())
    SignedInStore(store, LINK_USER).commit(changes)
    return True


def _body_length(header: str | None) -> int | None:
    """The body's length from a Content-Length header; None if it is not a count of bytes.

    >>> _body_length("26"), _body_length(None), _body_length("-1"), _body_length("abc")
    (26, 0, None, None)
    """
    text = (header or "0").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _handler(store: Store, secret: str, timeout: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def setup(self) -> None:
            # StreamRequestHandler puts this on the socket: a read that waits longer raises
            # TimeoutError, which http.server turns into closing the connection.
            self.timeout = timeout
            super().setup()

        def _ids(self) -> tuple[str, str, str]:
            return unsubscribe.parse(urlsplit(self.path).query)

        def _answer(self, status: HTTPStatus, body: str) -> None:
            data = _PAGE.format(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            mailing, person, token = self._ids()
            if not unsubscribe.verify(secret, mailing, person, token):
                self._answer(HTTPStatus.BAD_REQUEST, "<p>This unsubscribe link is not valid.")
                return
            action = html.escape(self.path, quote=True)
            self._answer(HTTPStatus.OK, f"<form method=post action='{action}'><button>"
                                        f"Unsubscribe me from these emails</button></form>")

        def do_POST(self) -> None:  # noqa: N802
            length = _body_length(self.headers.get("Content-Length"))
            if length is None:
                self.close_connection = True
                self._answer(HTTPStatus.BAD_REQUEST, "<p>Unexpected request.")
                return
            if length > MAX_BODY:
                self.close_connection = True  # the unread body must not be taken as a request
                self._answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "<p>Unexpected request.")
                return
            form = parse_qs(self.rfile.read(length).decode(errors="replace"))
            mailing, person, token = self._ids()
            if form and form.get("List-Unsubscribe") not in (None, ["One-Click"]):
                self._answer(HTTPStatus.BAD_REQUEST, "<p>Unexpected request.")
                return
            try:
                done = opt_out(store, secret, mailing, person, token)
            except StoreError:
                self._answer(HTTPStatus.SERVICE_UNAVAILABLE,
                             "<p>Please try again in a minute.")
                return
            if not done:
                self._answer(HTTPStatus.BAD_REQUEST, "<p>This unsubscribe link is not valid.")
                return
            self._answer(HTTPStatus.OK, "<p>You are unsubscribed.")

        def log_message(self, format: str, *args: object) -> None:
            return  # addresses in request lines stay out of the logs

    return Handler


def serve(store: Store, secret: str, host: str = "127.0.0.1", port: int = 8502,
          ready: Callable[[ThreadingHTTPServer], None] = lambda server: None,
          timeout: float = TIMEOUT_S) -> None:
    """Answer unsubscribe requests until interrupted; a client silent for `timeout`
    seconds in the middle of a request is disconnected."""
    if len(secret) < 16:
        raise ValueError("[email] unsubscribe_secret must be set (16 characters or more).")
    server = ThreadingHTTPServer((host, port), _handler(store, secret, timeout))
    ready(server)
    try:
        server.serve_forever()
    finally:
        server.server_close()

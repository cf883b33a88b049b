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
from sheets_schema.privacy import email_hash
from sheets_schema.roles import Role, User
from storage import Store, StoreError
from storage.signed_in import SignedInStore

__all__ = ["LINK_USER", "opt_out", "serve"]

LINK_USER = User(email="recipient (unsubscribe link)", role=Role.STAFF)
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


def _handler(store: Store, secret: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
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
            length = int(self.headers.get("Content-Length") or 0)
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
          ready: Callable[[ThreadingHTTPServer], None] = lambda server: None) -> None:
    """Answer unsubscribe requests until interrupted."""
    if len(secret) < 16:
        raise ValueError("[email] unsubscribe_secret must be set (16 characters or more).")
    server = ThreadingHTTPServer((host, port), _handler(store, secret))
    ready(server)
    try:
        server.serve_forever()
    finally:
        server.server_close()

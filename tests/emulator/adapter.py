"""The requests transport adapter: real gspread sends real HTTP requests into it.

Mounted on ``https://sheets.googleapis.com/`` and ``https://www.googleapis.com/`` of a
``requests.Session``; it answers with genuine ``requests.Response`` objects, so gspread's
own error handling (``APIError``, JSON decoding, ``response.ok``) runs unchanged.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

if TYPE_CHECKING:
    from .emulator import SheetsEmulator

REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable"}


def build_response(
    request: requests.PreparedRequest, status: int, content: bytes, content_type: str | None
) -> requests.Response:
    """A ``requests.Response`` as the network stack would have produced it."""
    response = requests.Response()
    response.status_code = status
    response.reason = REASONS.get(status, "")
    headers: dict[str, str] = {}
    if content_type:
        headers["Content-Type"] = content_type
    headers["Content-Length"] = str(len(content))
    response.headers = CaseInsensitiveDict(headers)
    response._content = content
    response.url = request.url or ""
    response.request = request
    response.encoding = "utf-8"
    return response


class EmulatorAdapter(BaseAdapter):
    """Hands every request to the emulator; never touches the network."""

    def __init__(self, emulator: SheetsEmulator) -> None:
        super().__init__()
        self.emulator = emulator

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        body: Any = None
        raw = request.body
        if raw:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            try:
                body = json.loads(text)
            except ValueError:
                body = None
        status, content, content_type = self.emulator.serve(
            request.method or "GET", request.url or "", body, request
        )
        return build_response(request, status, content, content_type)

    def close(self) -> None:
        """Nothing to release."""

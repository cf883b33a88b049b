"""Unsubscribe links that cannot be forged: an HMAC of the mailing and person ids.

The link identifies the recipient and the list by itself (RFC 8058 asks for that), and a
changed id or token verifies as False, so nobody can unsubscribe someone else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlencode, urlsplit

__all__ = ["link", "parse", "token", "verify"]


def token(secret: str, mailing_id: str, person_id: str) -> str:
    """``token("s", "ML-1", "P-1")`` is 22 URL-safe characters (128 bits of HMAC-SHA256)."""
    if not secret:
        raise ValueError("An unsubscribe secret is required ([email] unsubscribe_secret).")
    digest = hmac.new(secret.encode(), f"{mailing_id}\0{person_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip("=")


def verify(secret: str, mailing_id: str, person_id: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(token(secret, mailing_id, person_id), given)


def link(base_url: str, secret: str, mailing_id: str, person_id: str) -> str:
    """The unsubscribe URL for one recipient of one mailing."""
    query = urlencode({"m": mailing_id, "p": person_id, "t": token(secret, mailing_id,
                                                                    person_id)})
    return f"{base_url}{'&' if '?' in base_url else '?'}{query}"


def parse(url_or_query: str) -> tuple[str, str, str]:
    """(mailing id, person id, token) from an unsubscribe URL or its query string."""
    query = urlsplit(url_or_query).query if "?" in url_or_query else url_or_query
    values = parse_qs(query)
    return tuple(values.get(key, [""])[0] for key in ("m", "p", "t"))  # type: ignore[return-value]

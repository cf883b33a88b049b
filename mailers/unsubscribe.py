"""Unsubscribe links that cannot be forged: an HMAC of the mailing and person ids.

The link identifies the recipient and the list by itself (RFC 8058 asks for that), and a
changed id or token verifies as False, so nobody can unsubscribe someone else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from rules.privacy import email_hash
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import new_id

__all__ = ["link", "opt_out_changes", "parse", "token", "verify"]


def token(secret: str, mailing_id: str, person_id: str) -> str:
    """``token("s", "ML-1", "P-1")`` is 22 URL-safe characters (128 bits of HMAC-SHA256)."""
    if not secret:
        raise ValueError("An unsubscribe secret is required ([email] unsubscribe_secret).")
    digest = hmac.new(secret.encode(), f"{mailing_id}\0{person_id}".encode(errors="surrogatepass"),
                      hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:16]).decode().rstrip("=")


def verify(secret: str, mailing_id: str, person_id: str, given: str) -> bool:
    """Whether `given` is the token of this mailing and person. Compared as bytes, so a
    token with characters outside ASCII (anyone can type one into a link) is simply not
    genuine: `hmac.compare_digest` refuses to compare such `str` values and would raise."""
    return bool(given) and hmac.compare_digest(
        token(secret, mailing_id, person_id).encode(), given.encode(errors="replace"))


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


def opt_out_changes(person: Mapping[str, Any], already_suppressed: bool, mailing_id: str,
                    now: datetime) -> ChangeSet:
    """What a verified unsubscribe writes: `do_not_email` set on the person (with when),
    and the address kept as a hash in `suppressions` so an import cannot bring it back.
    Opening the link twice changes nothing the second time."""
    changes = ChangeSet(audit_summary=f"{person['id']} unsubscribed by the link in "
                        f"{mailing_id}", audit_action="unsubscribe")
    if not person.get("do_not_email"):
        changes.edit("people", str(person["id"]), {"do_not_email": True, "updated_at": now},
                     {"do_not_email": person.get("do_not_email", False)})
    email = str(person.get("email") or "").strip()
    if email and not already_suppressed:
        changes.append("suppressions", {"id": new_id("SUP"), "email_sha256": email_hash(email),
                                        "reason": "unsubscribed", "created_at": now})
    return changes

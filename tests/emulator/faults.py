"""Fault injection: the failures Google really produces, on demand.

Each rule matches requests by kind: None (any request), "read"/"write" (Google's quota
buckets) or an endpoint name such as "values.update", and fires for the next ``n``
matching requests (or forever). The app's retry and conflict handling is tested
against these instead of against luck.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_QUOTA = (
    "Quota exceeded for quota metric '{Bucket} requests' and limit '{Bucket} requests per "
    "minute per user' of service 'sheets.googleapis.com' for consumer "
    "'project_number:000000000000'."
)

STATUS_TEXT = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
}

MESSAGES = {
    500: "Internal error encountered.",
    502: "The service is currently unavailable.",
    503: "The service is currently unavailable.",
    403: "The caller does not have permission",
}


def error_body(status: int, bucket: str = "read") -> dict[str, Any]:
    """Google's JSON error body for a status, with Google's own message texts."""
    if status == 429:
        message = _QUOTA.format(Bucket="Write" if bucket == "write" else "Read")
        return {
            "error": {
                "code": 429,
                "message": message,
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "RATE_LIMIT_EXCEEDED",
                        "domain": "googleapis.com",
                        "metadata": {
                            "service": "sheets.googleapis.com",
                            "quota_metric": f"sheets.googleapis.com/{bucket}_requests",
                            "quota_limit": f"{bucket.capitalize()}RequestsPerMinutePerUser",
                            "consumer": "projects/000000000000",
                        },
                    }
                ],
            }
        }
    return {
        "error": {
            "code": status,
            "message": MESSAGES.get(status, "Request failed."),
            "status": STATUS_TEXT.get(status, "UNKNOWN"),
        }
    }


def html_error_page(status: int) -> str:
    """The bare HTML page Google's front end sometimes sends instead of JSON."""
    return (
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
        f"  <title>Error {status} (Server Error)!!1</title>\n"
        f"  <p><b>{status}.</b> <ins>That's an error.</ins>\n"
        "  <p>The server cannot process the request right now. "
        "<ins>That's all we know.</ins>\n"
    )


@dataclass
class Rule:
    """One armed fault. ``remaining`` None means until healed."""

    action: str  # "fail" | "timeout" | "timeout_applied" | "reset" | "before" | "after"
    kind: str | None = None
    remaining: int | None = 1
    status: int = 429
    html: bool = False
    callback: Callable[[Any], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def matches(self, endpoint: str, bucket: str | None) -> bool:
        return self.kind is None or self.kind == endpoint or self.kind == bucket


@dataclass
class Outcome:
    """What the rules decided for one request."""

    fail: Rule | None = None
    timeout: Rule | None = None
    callbacks: list[Rule] = field(default_factory=list)
    after: list[Rule] = field(default_factory=list)


class Faults:
    """The armed rules, consumed as matching requests arrive."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []

    def add(self, rule: Rule) -> None:
        self.rules.append(rule)

    def heal(self) -> None:
        self.rules.clear()

    def take(self, endpoint: str, bucket: str | None) -> Outcome:
        """Pick the rules that fire for this request and use up one shot of each."""
        outcome = Outcome()
        for rule in list(self.rules):
            if not rule.matches(endpoint, bucket):
                continue
            if rule.action == "before":
                outcome.callbacks.append(rule)
            elif rule.action == "after":
                outcome.after.append(rule)
            elif rule.action == "fail" and outcome.fail is None and outcome.timeout is None:
                outcome.fail = rule
            elif rule.action.startswith(("timeout", "reset")) and not (
                    outcome.fail or outcome.timeout):
                outcome.timeout = rule
            else:
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.rules.remove(rule)
        return outcome


def encode_error(status: int, bucket: str | None, html: bool) -> tuple[bytes, str]:
    """Body bytes and content type for an injected failure."""
    if html:
        return html_error_page(status).encode(), "text/html; charset=UTF-8"
    body = json.dumps(error_body(status, bucket or "read"), indent=2)
    return body.encode(), "application/json; charset=UTF-8"

"""Our own retry policy for Google's API: bounded, jittered, and honest about giving up.

gspread 6.2's `BackOffHTTPClient` never gives up, ignores `Retry-After`, has no jitter and
does not retry Google's HTML error pages. This module retries what is worth retrying (429,
5xx, timeouts, connection drops, non-JSON error pages) with capped exponential backoff and
full jitter, waits at most `max_total_s` in all, and then raises a typed `StoreError`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import requests
from gspread.exceptions import APIError

from .errors import NotFound, QuotaExceeded, SchemaMismatch, StoreError, Unavailable

T = TypeVar("T")

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}


@dataclass
class RetryPolicy:
    """Truncated exponential backoff with full jitter (Google's advice), bounded in total.

    The defaults ride out a burst of 429s and give up on a Google that stays down within
    about a minute: `max_total_s` of waiting plus at most one request timeout, never hanging.
    """

    base_s: float = 1.0
    cap_s: float = 16.0
    max_total_s: float = 45.0
    max_attempts: int = 10
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        ceiling = min(self.cap_s, self.base_s * 2**attempt)
        jittered = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        return max(jittered, retry_after or 0.0)


def _status(error: APIError) -> int:
    return int(getattr(error.response, "status_code", -1) or -1)


def _retry_after(error: APIError) -> float | None:
    value = getattr(error.response, "headers", {}).get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _is_html(error: APIError) -> bool:
    return error.code == -1


def classify(error: Exception, what: str) -> StoreError:
    """Turn an HTTP failure into the error a person reads, keeping the cause."""
    if isinstance(error, APIError):
        status = _status(error)
        message = str(error.error.get("message", ""))[:200] if not _is_html(error) else ""
        if status == 429:
            return QuotaExceeded(
                f"Google's request limit for this app is used up ({what}); nothing more was "
                f"saved. Wait a minute and try again."
            )
        if status == 404:
            return NotFound(
                "The Google Sheet was not found. Check the spreadsheet id or URL in "
                "secrets.toml, and that the sheet was not deleted."
            )
        if status == 403:
            return Unavailable(
                "The app may not open this Google Sheet. Share the sheet with the service "
                "account's email address (as Editor), then try again."
            )
        if status == 400 and "Unable to parse range" in message:
            return SchemaMismatch(
                f"A tab the app needs is missing from the Google Sheet ({message}). "
                f"Run `python -m steward init` to create missing tabs."
            )
        if status == 400:
            return StoreError(f"Google Sheets refused the request ({what}): {message}")
        return Unavailable(
            f"Google Sheets did not answer properly ({what}: HTTP {status}); nothing was "
            f"saved. Try again in a minute."
        )
    return Unavailable(
        f"Google Sheets did not answer in time ({what}); nothing was saved. Check the "
        f"connection and try again in a minute."
    )


def _retryable(error: Exception) -> bool:
    if isinstance(error, APIError):
        return _status(error) in RETRYABLE_STATUS or (_is_html(error) and _status(error) >= 500)
    return isinstance(error, (requests.Timeout, requests.ConnectionError))


def call_with_retry(
    policy: RetryPolicy,
    what: str,
    action: Callable[[], T],
    before_retry: Callable[[Exception], T | None] | None = None,
) -> T:
    """Run `action`, retrying transient failures under `policy`, else raise a StoreError.

    `before_retry(error)` runs before each retry; if it returns a value, that is the result
    (an append uses it to notice that a timed-out write did land, so rows are not doubled).
    """
    started = policy.clock()
    attempt = 0
    while True:
        try:
            return action()
        except (APIError, requests.RequestException) as error:
            if not _retryable(error) or attempt + 1 >= policy.max_attempts:
                raise classify(error, what) from error
            retry_after = _retry_after(error) if isinstance(error, APIError) else None
            wait = policy.delay(attempt, retry_after)
            if policy.clock() + wait - started > policy.max_total_s:
                raise classify(error, what) from error
            policy.sleep(wait)
            attempt += 1
            if before_retry is not None:
                try:
                    done = before_retry(error)
                except (APIError, requests.RequestException):
                    done = None
                if done is not None:
                    return done

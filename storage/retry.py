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
from functools import partial
from typing import TypeVar

import requests
from google.auth.exceptions import GoogleAuthError, TransportError
from gspread.exceptions import APIError

from .errors import NotFound, QuotaExceeded, SchemaMismatch, StoreError, Unavailable, Uncertain

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


#: What a call can fail with below the store: gspread's APIError, requests' errors (timeouts,
#: reset connections, an HTML page where JSON was due) and google-auth's (the token flow).
FAILURES = (APIError, requests.RequestException, GoogleAuthError)


def classify(error: Exception, what: str) -> StoreError:
    """Turn an HTTP failure into the error a person reads, keeping the cause."""
    if isinstance(error, GoogleAuthError):
        if _retryable(error):
            return Unavailable(
                f"Google's sign-in service did not answer ({what}), so nothing was sent to "
                f"the sheet and nothing was saved. Try again in a minute."
            )
        return Unavailable(
            f"Google refused the app's sign-in ({what}), so nothing was saved. Check the "
            f"service account key in secrets.toml (it may have been deleted or disabled)."
        )
    if isinstance(error, requests.exceptions.JSONDecodeError):
        return Unavailable(
            f"Something between the app and Google Sheets answered with a web page instead "
            f"of the sheet's data ({what}); nothing was saved. Check the connection (a proxy "
            f"or a sign-in page of the network) and try again in a minute."
        )
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
    if isinstance(error, GoogleAuthError):
        # A reset connection or a token endpoint 5xx passes; a refused key does not.
        return isinstance(error, TransportError) or bool(getattr(error, "retryable", False))
    if isinstance(error, requests.exceptions.JSONDecodeError):
        return True  # an HTML page with status 200: a proxy or Google's front end
    return isinstance(error, (requests.Timeout, requests.ConnectionError))


def not_applied(error: Exception) -> bool:
    """Whether a failed write certainly did not change the sheet: Google refused it before
    running it (429, 4xx), or it was never sent (the sign-in failed, no connection made).
    A timeout, a reset connection, a 5xx or a stray HTML page may have come after the
    write was applied."""
    if isinstance(error, GoogleAuthError | requests.ConnectTimeout):
        return True
    if isinstance(error, APIError):
        return _status(error) < 500 and not _is_html(error)
    return False


def uncertain(what: str) -> Uncertain:
    """The error for a write whose fate Google did not let the store learn."""
    return Uncertain(
        f"Google Sheets stopped answering while {what}, after the change was sent, so the "
        f"app cannot tell whether it was saved. Refresh in a minute (or open the Google "
        f"Sheet) and check whether it is there before entering it again."
    )


class Tries:
    """The tries of one operation under one time budget: every request (a read, a write,
    a check whether a write landed) starts only while the budget allows it, so the
    operation ends within `max_total_s` plus one request's timeout.

    `unsure` is set once a write failed in a way that may have been applied; from then on,
    giving up raises `Uncertain` rather than an error saying nothing was saved.
    """

    def __init__(self, policy: RetryPolicy, what: str) -> None:
        self.policy, self.what = policy, what
        self.started = policy.clock()
        self.attempt = 0
        self.unsure = False

    def give_up(self, error: Exception) -> StoreError:
        return uncertain(self.what) if self.unsure else classify(error, self.what)

    def wait_or_give_up(self, error: Exception) -> None:
        """Sleep before the next try, or raise the StoreError that ends the operation."""
        if not _retryable(error) or self.attempt + 1 >= self.policy.max_attempts:
            raise self.give_up(error) from error
        retry_after = _retry_after(error) if isinstance(error, APIError) else None
        wait = self.policy.delay(self.attempt, retry_after)
        if self.policy.clock() + wait - self.started > self.policy.max_total_s:
            raise self.give_up(error) from error
        self.policy.sleep(wait)
        self.attempt += 1

    def call(self, action: Callable[[], T]) -> T:
        """`action` (a read, or a write safe to repeat), retried under the budget."""
        while True:
            try:
                return action()
            except FAILURES as error:
                self.wait_or_give_up(error)

    def write_once(self, action: Callable[[], T]) -> T | None:
        """Send a write once. On a failure worth retrying, wait and return None: the caller
        reads again, learns whether the write landed, re-finds its rows and decides."""
        try:
            return action()
        except FAILURES as error:
            self.unsure = self.unsure or not not_applied(error)
            self.wait_or_give_up(error)
            return None


def call_with_retry(
    policy: RetryPolicy,
    what: str,
    action: Callable[[], T],
    before_retry: Callable[[Exception], T | None] | None = None,
) -> T:
    """Run `action`, retrying transient failures under `policy`, else raise a StoreError.

    `before_retry(error)` runs before each retry; if it returns a value, that is the result
    (an append uses it to notice that a timed-out write did land, so rows are not doubled).
    A check that cannot answer is retried under the same budget, never taken for "not
    landed"; if it never answers, the error is `Uncertain`.
    """
    tries = Tries(policy, what)
    while True:
        try:
            return action()
        except FAILURES as error:
            checking = before_retry is not None and not not_applied(error)
            tries.unsure = checking
            tries.wait_or_give_up(error)
            if checking and before_retry is not None:
                done = tries.call(partial(before_retry, error))
                if done is not None:
                    return done
                tries.unsure = False  # the check answered: the write did not land


def no_grid(error: StoreError) -> bool:
    """Whether Google refused a request for naming a tab that is not there (any more)."""
    cause = error.__cause__
    return isinstance(cause, APIError) and "No grid with id" in str(
        cause.error.get("message", ""))


def already_exists(error: StoreError) -> bool:
    """Whether Google refused an addSheet because that tab exists (a retried request)."""
    cause = error.__cause__
    return isinstance(cause, APIError) and "already exists" in str(
        cause.error.get("message", ""))

"""The store's errors: each names what went wrong in words a person can act on.

Pages catch `StoreError`, show `str(error)` and stop; nothing catches bare `Exception`.
"""

from __future__ import annotations

from dataclasses import dataclass


class StoreError(Exception):
    """Base of every error a store raises on purpose."""


class NotFound(StoreError):
    """The row (or the spreadsheet) is not there: deleted by someone, or never existed."""


class SchemaMismatch(StoreError):
    """The workbook's shape is wrong: a tab or a required column is missing."""


class NotAllowed(StoreError):
    """The signed-in user's role does not allow this read or write; nothing was written."""


class KeyInUse(StoreError):
    """A new row's key is one the tab already holds (two rows, one id); nothing was written."""


class QuotaExceeded(StoreError):
    """Google's request quota stayed exhausted for longer than the app waits."""


class Unavailable(StoreError):
    """The backend did not answer (timeouts, 5xx, no permission) within the time allowed."""


class Uncertain(Unavailable):
    """A write was sent, Google stopped answering, and the store could not learn whether it
    landed. The message says how to check; nothing is sent again blindly."""


@dataclass(frozen=True)
class CellConflict:
    """One cell that changed between the user's read and their write."""

    column: str
    seen: str
    current: str
    wanted: str | None = None


class Conflict(StoreError):
    """Someone else changed the row since this user saw it; nothing was written.

    `cells` holds both values of every cell that differs, so a page can show them and let the
    user choose which to keep.
    """

    def __init__(self, tab: str, key: str, cells: list[CellConflict], message: str = "") -> None:
        self.tab, self.key, self.cells = tab, key, cells
        if not message:
            changed = ", ".join(cell.column for cell in cells) or "the row"
            message = (
                f"Someone changed {changed} of {tab} {key} after you opened it, so nothing was "
                f"saved. Look at both values and choose which to keep."
            )
        super().__init__(message)

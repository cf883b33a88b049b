"""Knowing when to move: how near a store is to its backend's limits.

A Google Sheet holds at most 10,000,000 cells, and one service account may send about 60
reads and 60 writes a minute for the whole app. Long before either runs out, the sidebar
says so and names the command that moves the data to a database:

>>> c = capacity_of(Usage(cells=8_000_000, reads=12, writes=3, spec="sheets:abc"))
>>> c.cell_share, c.warnings[0][:28]
(0.8, 'The Google Sheet holds 8,000')

Nothing here sends a request: the cell count is the grid sizes the store already learned
with its metadata, and the request rate is the store's own count of what it sent.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Store

__all__ = [
    "CELL_LIMIT",
    "READS_PER_MINUTE",
    "WARN_AT",
    "WRITES_PER_MINUTE",
    "Capacity",
    "RequestLog",
    "Usage",
    "capacity",
    "capacity_of",
    "move_command",
]

CELL_LIMIT = 10_000_000  # Google's limit for one spreadsheet
READS_PER_MINUTE = 60  # per user (the one service account) per project
WRITES_PER_MINUTE = 60
WARN_AT = 0.8
WINDOW_S = 60.0


@dataclass(frozen=True)
class Usage:
    """What a store knows of its own load: cells in its grids (None until it has read its
    metadata), the requests it sent in the last minute, and how `copy` names it."""

    cells: int | None
    reads: int
    writes: int
    spec: str = "SOURCE"


@dataclass(frozen=True)
class Capacity:
    """Usage against the limits, and what to say about it."""

    cells: int | None
    reads: int
    writes: int
    cell_limit: int = CELL_LIMIT
    reads_limit: int = READS_PER_MINUTE
    writes_limit: int = WRITES_PER_MINUTE
    warnings: tuple[str, ...] = ()
    command: str = ""

    @property
    def cell_share(self) -> float | None:
        return None if self.cells is None else self.cells / self.cell_limit

    @property
    def read_share(self) -> float:
        return self.reads / self.reads_limit

    @property
    def write_share(self) -> float:
        return self.writes / self.writes_limit


def move_command(source_spec: str) -> str:
    """The command that copies this store's data into PostgreSQL."""
    return f"python -m steward copy --from {source_spec} --to postgresql://USER@HOST/DBNAME"


def capacity_of(usage: Usage, warn_at: float = WARN_AT) -> Capacity:
    """The shares of each limit in use, and a warning for each at `warn_at` or beyond.

    8,000,000 of 10,000,000 cells is 0.8 and warns; 47 reads in a minute is 0.78 and does
    not; 48 is 0.8 and does.
    """
    warnings = []
    command = move_command(usage.spec)
    if usage.cells is not None and usage.cells >= warn_at * CELL_LIMIT:
        warnings.append(
            f"The Google Sheet holds {usage.cells:,} cells of Google's limit of "
            f"{CELL_LIMIT:,} ({usage.cells / CELL_LIMIT:.0%}). When it is full nothing more "
            f"can be added: move the data to a database with `{command}`.")
    busy = [(what, n, limit) for what, n, limit in (
        ("reads", usage.reads, READS_PER_MINUTE), ("writes", usage.writes, WRITES_PER_MINUTE))
        if n >= warn_at * limit]
    for what, n, limit in busy:
        warnings.append(
            f"This app sent {n} {what} to Google in the last minute, of about {limit} a "
            f"minute allowed; past that, pages wait and saves fail. If this is usual, move "
            f"the data to a database with `{command}`.")
    return Capacity(usage.cells, usage.reads, usage.writes, warnings=tuple(warnings),
                    command=command)


def capacity(store: Store) -> Capacity | None:
    """The store's capacity, or None for a backend without such limits (SQLite)."""
    usage = store.usage()
    return None if usage is None else capacity_of(usage)


@dataclass
class RequestLog:
    """A rolling count of the requests one process sent, by quota bucket.

    Thread-safe: every Streamlit session runs in its own thread and shares one store.
    """

    clock: Callable[[], float] = time.monotonic
    window_s: float = WINDOW_S
    _sent: deque[tuple[float, str]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, bucket: str) -> None:
        """Note one request, "read" or "write"."""
        with self._lock:
            self._sent.append((self.clock(), bucket))
            self._forget()

    def recent(self) -> tuple[int, int]:
        """(reads, writes) sent within the last `window_s` seconds."""
        with self._lock:
            self._forget()
            reads = sum(1 for _, bucket in self._sent if bucket == "read")
            return reads, len(self._sent) - reads

    def _forget(self) -> None:
        cutoff = self.clock() - self.window_s
        while self._sent and self._sent[0][0] <= cutoff:
            self._sent.popleft()

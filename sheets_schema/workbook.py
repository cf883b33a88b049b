"""A typed snapshot of the workbook: every tab's frame and row problems, and when it was read.

This is what a notebook, the CLI and the app's pages work with. It is read-only by
convention: the app shares one snapshot across sessions, so code that wants to change a
frame takes a copy first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from .frames import ParsedTab, RowProblem
from .settings import Settings, settings_from
from .tabs import tab

__all__ = ["Workbook", "new_id"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


def new_id(prefix: str) -> str:
    """A fresh id for a new row, unique without asking the store (two volunteers adding people
    at once must not collide): ``new_id("P")`` gives something like ``'P-7K3M9Q2XA1'``."""
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


@dataclass(frozen=True)
class Workbook:
    """Parsed tabs from one read of the store."""

    tabs: dict[str, ParsedTab]
    read_at: datetime = field(default_factory=datetime.now)

    def frame(self, name: str) -> pd.DataFrame:
        """The typed frame of tab `name` (shared: copy it before changing it)."""
        tab(name)
        try:
            return self.tabs[name].frame
        except KeyError:
            raise KeyError(f"the {name} tab was not read into this snapshot") from None

    @property
    def problems(self) -> list[RowProblem]:
        """Every cell that could not be read, settings values included."""
        found = [problem for parsed in self.tabs.values() for problem in parsed.problems]
        if "settings" in self.tabs:
            found.extend(settings_from(self.tabs["settings"].frame)[1])
        return found

    @property
    def settings(self) -> Settings:
        """The organisation's settings (defaults for any key missing or unreadable)."""
        if "settings" not in self.tabs:
            return Settings()
        return settings_from(self.tabs["settings"].frame)[0]

    def row(self, name: str, key: str) -> pd.Series | None:
        """The row of tab `name` whose key is `key`, or None."""
        frame = self.frame(name)
        matches = frame[frame[tab(name).key] == key]
        return None if matches.empty else matches.iloc[0]

"""Moving the workbook between stores: a Google Sheet, a SQLite file, a PostgreSQL database.

`copy_store(source, target)` reads every tab of the source in one read, makes sure the
target has every tab and column, refuses a target that already holds data (unless told to
overwrite it, which empties its tabs first), writes each tab's rows in big batches, and
then reads the target back and compares each tab's row count and checksum with the
source's. The checksum is taken over canonical cell text (`storage.base.canonical`), so a
date typed `3/15/2024` in the sheet and stored `2024-03-15` in a database, or an amount
held as a number in one store and as text in another, agree.

A store is named by a spec, as the command line takes it:

>>> config_for("sqlite:data/steward.sqlite3").sqlite_path
'data/steward.sqlite3'
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from sheets_schema import TABS, Locale, tab
from sheets_schema.cells import is_blank

from .base import ChangeSet, Store, canonical
from .config import StoreConfig
from .errors import StoreError

__all__ = [
    "CopyReport",
    "TabCopy",
    "TargetNotEmpty",
    "config_for",
    "copy_store",
    "tab_checksum",
]

SPEC_HELP = ("a store is sqlite:PATH, sheets:SPREADSHEET_ID_OR_URL or "
             "postgresql://USER:PASSWORD@HOST/DBNAME")
Progress = Callable[[str], None]


class TargetNotEmpty(StoreError):
    """The target of a copy already holds rows; nothing was written to it."""


@dataclass(frozen=True)
class TabCopy:
    """One tab of a copy: rows and checksum in the source and, read back, in the target."""

    tab: str
    source_rows: int
    source_checksum: str
    target_rows: int = -1
    target_checksum: str = ""

    @property
    def ok(self) -> bool:
        return (self.source_rows, self.source_checksum) == (self.target_rows,
                                                            self.target_checksum)


@dataclass
class CopyReport:
    """What `copy_store` did, tab by tab, and whether the target now matches the source."""

    source: str
    target: str
    tabs: list[TabCopy] = field(default_factory=list)
    emptied: list[str] = field(default_factory=list)
    blank_rows_skipped: dict[str, int] = field(default_factory=dict)
    missing_in_source: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tabs)

    @property
    def rows(self) -> int:
        return sum(t.source_rows for t in self.tabs)

    def table(self) -> str:
        """The tab / rows / checksum / OK table the command line prints."""
        width = max(len(t.tab) for t in self.tabs) if self.tabs else 3
        lines = [f"{'tab':<{width}}  {'rows':>9}  {'checksum':<12}  OK"]
        for t in self.tabs:
            verdict = "OK" if t.ok else f"DIFFERS (target: {t.target_rows:,} rows, " \
                f"{t.target_checksum[:12]})"
            lines.append(f"{t.tab:<{width}}  {t.source_rows:>9,}  {t.source_checksum[:12]:<12}"
                         f"  {verdict}")
        return "\n".join(lines)

    def problem(self) -> str:
        """The sentence a person reads when the copy does not match; empty when it does."""
        bad = [t for t in self.tabs if not t.ok]
        if not bad:
            return ""
        named = ", ".join(f"{t.tab} ({t.source_rows:,} rows in the source, {t.target_rows:,} "
                          f"in the target)" for t in bad)
        return (f"The copy in {self.target} does not match {self.source} in {named}. Someone "
                f"may have changed either store during the copy. Run the copy again with "
                f"--overwrite.")


def _blank(value: Any) -> bool:
    return is_blank(value) or (isinstance(value, str) and not value.strip())


def canonical_rows(tab_name: str, frame: pd.DataFrame,
                   locale: Locale) -> tuple[list[dict[str, str]], int]:
    """The tab's rows as canonical text, each without its blank cells, and how many rows
    held nothing at all (a blank row in a sheet is no record; it is not copied).

    Worked column by column, each distinct value once: ids and names are mostly distinct,
    but dates, amounts, flags and statuses repeat, and this runs on every cell of a
    100,000-row workbook twice (the source, then the target read back).
    """
    columns = [str(c) for c in frame.columns if str(c).strip()]
    spec = tab(tab_name)
    texts: list[list[str]] = []
    for column in columns:
        memo: dict[Any, str] = {}
        out = []
        # What `canonical` does with text in a text column (or one staff added), without
        # its checks: mostly-distinct names, emails and ids need no memo.
        fast: Callable[[str], str] | None = str.strip
        if column in spec.column_names:
            kind = spec.column(column).kind
            fast = (lambda text, parse=kind.parse: parse(text, locale)) if (
                kind.name == "text") else None
        for value in frame[column].tolist():
            if value.__class__ is str:
                if not value:
                    out.append("")
                    continue
                if fast is not None:
                    out.append(fast(value))
                    continue
            # 1, 1.0 and True are equal keys in a dict but not the same cell
            key = value if value.__class__ is str else (value.__class__, value)
            try:
                text = memo.get(key)
            except TypeError:  # an unhashable value (a list from a typed backend)
                text = None
            if text is None:
                text = "" if _blank(value) else canonical(tab_name, column, value, locale)
                try:
                    memo[key] = text
                except TypeError:
                    pass
            out.append(text)
        texts.append(out)
    rows: list[dict[str, str]] = []
    blank = 0
    for cells in zip(*texts, strict=True) if texts else ():
        record = {column: text for column, text in zip(columns, cells, strict=True) if text}
        if record:
            rows.append(record)
        else:
            blank += 1
    if not texts:
        blank = len(frame)
    return rows, blank


def tab_checksum(rows: Sequence[Mapping[str, str]]) -> str:
    """A SHA-256 over canonical rows that ignores row order and blank cells, so stores that
    keep rows in another order or columns in another place still agree:
    ``tab_checksum([{"id": "1"}, {"id": "2"}]) == tab_checksum([{"id": "2"}, {"id": "1"}])``.
    """
    digests = sorted(
        hashlib.sha256("\x1e".join(f"{c}\x1f{row[c]}" for c in sorted(row)).encode()).digest()
        for row in rows)
    total = hashlib.sha256()
    for digest in digests:
        total.update(digest)
    return total.hexdigest()


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def _read_source(store: Store, tabs: Sequence[str]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every tab the source has (`Store.tabs`), in one read, and the tabs it does not have
    yet (a workbook from before a tab was added to Steward): those copy as empty.

    A Google Sheet's tab list and locale come first (1 request): the list says which tabs
    to ask for, and `3/4/2024` typed as text means March or April by the sheet's locale.
    """
    present = set(store.tabs())
    return (store.read([name for name in tabs if name in present]),
            [name for name in tabs if name not in present])


def copy_store(source: Store, target: Store, overwrite: bool = False,
               progress: Progress | None = None, tabs: Sequence[str] = tuple(TABS)) -> CopyReport:
    """Copy every tab of `source` into `target`, then check the target matches.

    The source is read first, in one read, so a failure there changes nothing. A target
    with rows raises `TargetNotEmpty` unless `overwrite`, which empties every tab first
    without reading it (two requests on Google Sheets). The rows go in one commit: on
    Google Sheets one request per ~2 MB of rows, never one per row. Text is written as
    text, never as a formula. The returned report says, per tab, whether the rows and
    checksum read back from the target equal the source's; a mismatch is reported, not
    raised.
    """
    started = time.perf_counter()
    report = CopyReport(source.name, target.name)
    _say(progress, f"reading {report.source}")
    raw, report.missing_in_source = _read_source(source, tabs)
    rows: dict[str, list[dict[str, str]]] = {name: [] for name in tabs}
    for name, frame in raw.items():
        rows[name], blank = canonical_rows(name, frame, source.locale)
        if blank:
            report.blank_rows_skipped[name] = blank
    del raw
    _say(progress, f"read {sum(len(r) for r in rows.values()):,} rows in {len(tabs)} tabs")

    target.ensure_schema()
    if overwrite:  # no need to read what is about to go
        _say(progress, f"emptying every tab of {report.target}")
        target.clear(list(tabs))
        report.emptied = list(tabs)
    else:
        holding = {name: len(frame) for name, frame in target.read(list(tabs)).items()
                   if len(frame)}
        if holding:
            listed = ", ".join(f"{name} ({n:,} rows)" for name, n in holding.items())
            raise TargetNotEmpty(f"{report.target} already holds data: {listed}. Nothing "
                                 f"was copied. Copy into an empty store, or add --overwrite "
                                 f"to delete what is there first.")
    extra = {name: [c for c in dict.fromkeys(c for r in rows[name] for c in r)
                    if c not in tab(name).column_names] for name in tabs}
    extra = {name: columns for name, columns in extra.items() if columns}
    if extra:  # columns staff added to the source's tabs
        target.add_columns(extra)

    changes = ChangeSet(as_given=True)
    for name in tabs:
        if rows[name]:
            changes.append(name, *rows[name])
    _say(progress, f"writing {sum(len(r) for r in rows.values()):,} rows to {report.target}")
    target.commit(changes)
    del changes

    _say(progress, f"checking {report.target}")
    written = target.read(list(tabs))
    for name in tabs:
        back, _ = canonical_rows(name, written[name], target.locale)
        report.tabs.append(TabCopy(name, len(rows[name]), tab_checksum(rows[name]),
                                   len(back), tab_checksum(back)))
    report.seconds = time.perf_counter() - started
    return report


def config_for(spec: str, secrets: Mapping[str, Any] | None = None,
               environ: Mapping[str, str] | None = None) -> StoreConfig:
    """The StoreConfig a spec names: `sqlite:PATH`, `sheets:ID_OR_URL` (the service
    account comes from `secrets` or the environment, as for the app), or a
    `postgresql://` URL."""
    text = spec.strip()
    kind, colon, rest = text.partition(":")
    kind = kind.lower()
    if kind in {"postgresql", "postgres"} and rest.startswith("//"):
        config = StoreConfig.from_sources({"postgres": {"url": text}}, {})
        if config == StoreConfig.from_sources({}, {}):
            raise StoreError(f"This Steward cannot open PostgreSQL yet ({_hidden(text)}); "
                             f"{SPEC_HELP}.")
        return config
    if not colon or not rest.strip():
        raise StoreError(f"{spec!r} does not name a store: {SPEC_HELP}.")
    if kind == "sqlite":
        return StoreConfig(sqlite_path=rest.strip())
    if kind in {"sheets", "gsheets"}:
        sheets = dict((secrets or {}).get("gsheets", {}) or {})
        sheets["spreadsheet"] = rest.strip()
        found = StoreConfig.from_sources({**(secrets or {}), "gsheets": sheets}, environ)
        return StoreConfig(spreadsheet=rest.strip(), service_account=found.service_account)
    raise StoreError(f"{spec!r} does not name a store: {SPEC_HELP}.")


def _hidden(url: str) -> str:
    """A database URL without its password, fit to print."""
    head, at, host = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


def same_store(a: StoreConfig, b: StoreConfig) -> bool:
    """True when two configs open the same data: copying a store onto itself with
    --overwrite would empty it first."""
    def identity(config: StoreConfig) -> tuple[Any, ...]:
        sheet = config.spreadsheet
        if sheet:
            from .sheets_store import spreadsheet_id_of

            sheet = spreadsheet_id_of(sheet)
        rest = tuple(getattr(config, f.name) for f in fields(config)
                     if f.name not in {"service_account", "spreadsheet", "sqlite_path"})
        return sheet, os.path.abspath(config.sqlite_path), rest

    return identity(a) == identity(b)

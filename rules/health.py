"""Data health: every row problem of the workbook, sorted into kinds a person can work through,
and the writes that fix one in place.

`parse_tab` already reports cells it cannot read, rows without a key and keys used twice;
this module adds links that point at nothing (a gift whose `person_id` is nobody, a term of
a level that does not exist), names the kind of each problem, and builds the fixes:

- a cell fix is one keyed edit whose `seen` is the row *as the sheet holds it*: a cell that
  could not be read is blank in the typed frame, so its typed text is put back, or the
  conflict check would see a change nobody made;
- a row without a key, or the later of two rows sharing one, cannot be found by key, so it
  gets a fresh key by its row number (`KeyFill`), checked against every cell as read.

    >>> kind_of(RowProblem("donations", 7, "date", "31/02/2024", "not a date"))
    'bad date'
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sheets_schema.cells import is_blank, python_value, to_text
from sheets_schema.changes import ChangeSet, KeyFill
from sheets_schema.frames import RowProblem, parse_tab, validate_changes
from sheets_schema.settings import settings_from
from sheets_schema.tabs import TABS, tab
from sheets_schema.workbook import Workbook, new_id

__all__ = [
    "ID_PREFIXES",
    "KINDS",
    "REFERENCES",
    "Finding",
    "FixRefused",
    "Reference",
    "cell_fix",
    "cell_text",
    "editable_columns",
    "findings",
    "findings_table",
    "key_fills",
    "keyless_rows",
    "kind_of",
    "reference_problems",
    "row_as_seen",
]

#: The kinds of problem, in the order the page lists them (the ones that stop the app from
#: addressing a row first).
KINDS = (
    "missing id",
    "duplicate id",
    "unknown person",
    "unknown reference",
    "bad date",
    "bad amount",
    "bad number",
    "required field empty",
    "not one of the choices",
    "row rule",
    "bad setting",
    "other",
)

#: The prefix of the ids the app gives new rows of each tab (`new_id(prefix)`), so an id
#: given to a row typed into the sheet looks like the ones around it. Tabs whose key means
#: something (a volunteer profile's id is its person's, a user's is an email, a setting's
#: its name) are not here: a made-up key would be wrong, so a person types it.
ID_PREFIXES: dict[str, str] = {
    "people": "P", "membership_levels": "L", "memberships": "M", "reminders": "RM",
    "donations": "D", "recurring_gifts": "R", "campaigns": "C", "volunteer_hours": "VH",
    "volunteer_shifts": "S", "segments": "SG", "mailings": "ML", "outbox": "O",
    "audit_log": "A", "suppressions": "SUP", "duplicate_dismissals": "DD",
    "interactions": "IN", "tasks": "T",
}


@dataclass(frozen=True)
class Reference:
    """Column `column` of tab `tab` holds ids of rows of `target` (blank means none, unless
    `required`); `many` columns hold several, comma-separated (a shift's `assigned`)."""

    tab: str
    column: str
    target: str
    required: bool = False
    many: bool = False


#: Every link by id between tabs. A person can be referred to once deleted or erased (their
#: row stays), so only an id that is in no row of `people` is broken.
REFERENCES: tuple[Reference, ...] = (
    Reference("donations", "person_id", "people", required=True),
    Reference("donations", "soft_credit_person_id", "people"),
    Reference("donations", "campaign_id", "campaigns"),
    Reference("donations", "recurring_gift_id", "recurring_gifts"),
    Reference("memberships", "person_id", "people", required=True),
    Reference("memberships", "level_id", "membership_levels", required=True),
    Reference("memberships", "donation_id", "donations"),
    Reference("reminders", "person_id", "people", required=True),
    Reference("reminders", "term_id", "memberships", required=True),
    Reference("recurring_gifts", "person_id", "people", required=True),
    Reference("recurring_gifts", "campaign_id", "campaigns"),
    Reference("volunteers", "id", "people", required=True),
    Reference("volunteer_hours", "person_id", "people", required=True),
    Reference("volunteer_hours", "campaign_id", "campaigns"),
    Reference("volunteer_shifts", "assigned", "people", many=True),
    Reference("volunteer_shifts", "campaign_id", "campaigns"),
    Reference("mailings", "segment_id", "segments"),
    Reference("outbox", "person_id", "people"),
    Reference("outbox", "mailing_id", "mailings", required=True),
    Reference("interactions", "person_id", "people", required=True),
    Reference("interactions", "campaign_id", "campaigns"),
    Reference("interactions", "task_id", "tasks"),
    Reference("tasks", "person_id", "people"),
    Reference("duplicate_dismissals", "person_id", "people", required=True),
    Reference("duplicate_dismissals", "other_person_id", "people", required=True),
)

_WHAT = {"people": "person", "campaigns": "campaign", "membership_levels": "membership level",
         "recurring_gifts": "standing gift", "donations": "gift", "memberships": "membership term",
         "segments": "segment", "mailings": "appeal", "tasks": "task"}


class FixRefused(ValueError):
    """A fix that would not make the row right (or writes nothing), and why."""


@dataclass(frozen=True)
class Finding:
    """One problem and its kind."""

    kind: str
    problem: RowProblem


def _ids(cell: Any) -> list[str]:
    if isinstance(cell, (tuple, list)):
        return [str(v).strip() for v in cell if str(v).strip()]
    text = "" if is_blank(cell) else str(cell)
    return [part.strip() for part in text.split(",") if part.strip()]


def reference_problems(book: Workbook, unreadable: Collection[str] = (),
                       tabs: Collection[str] | None = None) -> list[RowProblem]:
    """Every id in a linking column that no row of its target tab has.

    Only tabs in `book` are checked, and links into a tab in `unreadable` are not (a role
    that may not read gifts gets an empty donations tab, where every link would look
    broken). `tabs` limits the check to links from those tabs. A cell that could not be
    read at all is already a problem of its own.
    """
    problems = []
    known_ids: dict[str, set[str]] = {}
    for ref in REFERENCES:
        if (tabs is not None and ref.tab not in tabs) or ref.tab not in book.tabs or (
                ref.target not in book.tabs or ref.target in unreadable):
            continue
        frame = book.frame(ref.tab)
        if ref.column not in frame.columns or frame.empty:
            continue
        if ref.target not in known_ids:
            keys = book.frame(ref.target)[tab(ref.target).key]
            known_ids[ref.target] = set(keys.astype(str).tolist())
        known = known_ids[ref.target]
        what = _WHAT.get(ref.target, ref.target)
        cells = frame[ref.column]
        if not ref.many:  # one id a cell: find the few bad rows without a Python loop
            ids = cells.fillna("").astype(str).str.strip().tolist()
            cells = cells[np.fromiter((i != "" and i not in known for i in ids), bool,
                                      len(ids))]
        for row, cell in cells.items():
            for wanted in _ids(cell):
                if wanted not in known:
                    problems.append(RowProblem(
                        ref.tab, int(str(row)), ref.column, wanted,
                        f"{wanted} is not the id of any {what} in {ref.target}; type the "
                        f"right id (or clear the cell if there is none)"))
    return problems


def kind_of(problem: RowProblem) -> str:
    """Which of `KINDS` a problem is, from its tab, column and message."""
    if problem.tab not in TABS:
        return "other"
    spec = tab(problem.tab)
    if problem.tab == "settings" and problem.column == "value":
        return "bad setting"
    if problem.column == spec.key and problem.message.startswith("this row has no"):
        return "missing id"
    if problem.column == spec.key and " is also used on row " in problem.message:
        return "duplicate id"
    if " is not the id of any " in problem.message:
        return "unknown person" if " any person " in problem.message else "unknown reference"
    if not problem.column:
        return "row rule"
    if problem.message.startswith("this cell is required"):
        return "required field empty"
    if problem.column not in spec.column_names:
        return "other"
    kind = spec.column(problem.column).kind.name
    if kind in {"date", "datetime", "time"}:
        return "bad date"
    if kind == "money":
        return "bad amount"
    if kind in {"decimal", "integer"}:
        return "bad number"
    if kind == "choice":
        return "not one of the choices"
    return "other"


def findings(book: Workbook, unreadable: Collection[str] = ()) -> list[Finding]:
    """Every problem of `book` (cells, keys, row rules, settings) and every broken link,
    each with its kind, in `KINDS` order, then by tab and row."""
    found = [Finding(kind_of(p), p) for p in [*book.problems,
                                              *reference_problems(book, unreadable)]]
    order = {kind: at for at, kind in enumerate(KINDS)}
    found.sort(key=lambda f: (order[f.kind], f.problem.tab, f.problem.row, f.problem.column))
    return found


def findings_table(found: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a frame: kind, tab, row, column, value, message."""
    return pd.DataFrame(
        [{"kind": f.kind, **vars(f.problem)} for f in found],
        columns=["kind", "tab", "row", "column", "value", "message"],
    )


def _problems_of_row(book: Workbook, tab_name: str, row: int) -> list[RowProblem]:
    parsed = book.tabs.get(tab_name)
    return [p for p in parsed.problems if p.row == row] if parsed else []


def row_as_seen(book: Workbook, tab_name: str, row: int) -> dict[str, Any] | None:
    """The row at sheet row `row` as the sheet holds it: typed cells from the frame, and the
    typed text of each cell that could not be read (blank in the frame). None when the row
    is not in the frame (it has no key; see `keyless_rows`)."""
    frame = book.frame(tab_name)
    if row not in frame.index:
        return None
    seen = {str(c): python_value(v) for c, v in frame.loc[row].items()}
    for problem in _problems_of_row(book, tab_name, row):
        if problem.column and problem.column != tab(tab_name).key and problem.value:
            seen[problem.column] = problem.value
    return seen


def editable_columns(tab_name: str, problem: RowProblem) -> list[str]:
    """The columns a fix of `problem` offers: its own column, or for a rule about the whole
    row (a person needs a name) the model's columns other than the key."""
    spec = tab(tab_name)
    if problem.column:
        return [problem.column]
    return [c for c in spec.column_names if c != spec.key]


def cell_text(tab_name: str, column: str, value: Any) -> str:
    """A cell of a typed row as a person would type it: ``2024-03-15`` for a date (not the
    midnight Timestamp the frame holds), blank for a missing value."""
    if is_blank(value):
        return ""
    value = python_value(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
        spec = tab(tab_name)
        if column in spec.column_names and spec.column(column).kind.name == "date":
            value = value.date()
    return to_text(value)


def _remaining(book: Workbook, tab_name: str, row: int, cells: Mapping[str, Any],
               unreadable: Collection[str]) -> list[RowProblem]:
    """The problems the row would still have with `cells`, read the way the sheet is read."""
    raw = pd.DataFrame([{c: cell_text(tab_name, c, v) for c, v in cells.items()}],
                       index=[row])
    parsed = parse_tab(tab_name, raw)
    left = list(parsed.problems)
    if tab_name == "settings":
        left += settings_from(parsed.frame)[1]
    single = Workbook({**book.tabs, tab_name: parsed}, read_at=book.read_at)
    left += reference_problems(single, unreadable, tabs=[tab_name])
    return left


def cell_fix(book: Workbook, tab_name: str, row: int, typed: Mapping[str, str],
             unreadable: Collection[str] = ()) -> ChangeSet:
    """One edit of the row at sheet row `row`: the cells in `typed` (text as a person types
    it) that differ from the row as read, each checked by its column's own rules, with
    `seen` = the row as the sheet held it, so a change made meanwhile is a conflict.

    Raises FixRefused when nothing changed, a value is not valid for its column, or a
    problem of a changed cell (or a rule about the whole row) would remain.
    """
    spec = tab(tab_name)
    seen = row_as_seen(book, tab_name, row)
    if seen is None:
        raise FixRefused(f"Row {row} of {tab_name} has no {spec.key}; give it one first.")
    key = str(seen[spec.key])
    if sum(str(k) == key for k in book.frame(tab_name)[spec.key]) > 1:
        raise FixRefused(f"Row {row} shares its {spec.key} {key} with another row; give it a "
                         f"new {spec.key} first, so the app can tell the rows apart.")
    changed = {c: v.strip() for c, v in typed.items()
               if v.strip() != cell_text(tab_name, c, seen.get(c))}
    if not changed:
        raise FixRefused("Nothing was changed, so there is nothing to save.")
    try:
        values = validate_changes(tab_name, changed)
    except ValueError as error:
        raise FixRefused(str(error)) from None
    left = [p for p in _remaining(book, tab_name, row, {**seen, **changed}, unreadable)
            if not p.column or p.column in changed]
    if left:
        raise FixRefused("; ".join(f"{p.column or 'the row'}: {p.message}" for p in left))
    return ChangeSet().edit(tab_name, key, values, seen)


def keyless_rows(tab_name: str, raw: pd.DataFrame) -> pd.DataFrame:
    """The rows of a tab's text (as `Store.read` gives it) that have no key but are not
    blank: rows staff added in the sheet without an id, indexed by sheet row number."""
    key = tab(tab_name).key
    if raw.empty or key not in raw.columns:
        return raw.iloc[0:0]
    texts = raw.astype(str).apply(lambda column: column.str.strip())
    return raw[(texts[key] == "") & (texts != "").any(axis=1)]


def _later_duplicates(book: Workbook, tab_name: str) -> dict[int, dict[str, Any]]:
    """Every row whose key an earlier row already has, as seen, by sheet row number."""
    parsed = book.tabs.get(tab_name)
    rows = [p.row for p in (parsed.problems if parsed else []) if kind_of(p) == "duplicate id"]
    out = {}
    for row in rows:
        seen = row_as_seen(book, tab_name, row)
        if seen is not None:
            out[row] = seen
    return out


def key_fills(book: Workbook, tab_name: str, keyless: pd.DataFrame | None = None,
              rows: Iterable[int] | None = None) -> list[KeyFill]:
    """A fresh key (`new_id` with the tab's prefix) for every row of `tab_name` that needs
    one: each row of `keyless` (the text of rows with no key) and each later row of a key
    used twice (the first keeps it), or only those at `rows`. Each `seen` is the row as
    read, for the store's check by row number."""
    prefix = ID_PREFIXES.get(tab_name)
    if prefix is None:
        return []
    wanted = None if rows is None else set(rows)
    candidates: dict[int, dict[str, Any]] = {}
    if keyless is not None:
        for row, cells in keyless.iterrows():
            candidates[int(str(row))] = {str(c): v for c, v in cells.items()}
    candidates.update(_later_duplicates(book, tab_name))
    used = set(book.frame(tab_name)[tab(tab_name).key].astype(str)) if tab_name in book.tabs \
        else set()
    fills = []
    for row in sorted(candidates):
        if wanted is not None and row not in wanted:
            continue
        key = new_id(prefix)
        while key in used:
            key = new_id(prefix)
        used.add(key)
        fills.append(KeyFill(row, key, candidates[row]))
    return fills

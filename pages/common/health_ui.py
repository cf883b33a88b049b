"""The parts of the data-health page: the findings for this role, rows without ids, giving ids,
and the form that fixes one row in place."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from pages.common import data, session
from pages.common.safe import plain
from rules.health import (
    ID_PREFIXES,
    FixRefused,
    cell_fix,
    cell_text,
    editable_columns,
    findings,
    findings_table,
    key_fills,
    keyless_rows,
    row_as_seen,
)
from rules.roles import can, readable_columns, write_action
from sheets_schema import TABS
from sheets_schema.changes import KeyFill
from sheets_schema.frames import RowProblem
from sheets_schema.workbook import Workbook

_SAID = "health_said"


def unreadable() -> tuple[str, ...]:
    """The tabs the signed-in role may not read (their frames are empty, not broken)."""
    role = session.user().role
    return tuple(name for name in TABS if readable_columns(role, name, []) is None)


def table(book: Workbook, hidden: tuple[str, ...]) -> pd.DataFrame:
    """Every finding as a frame, for `data.derived`."""
    return findings_table(findings(book, hidden))


def _keyless(book: Workbook, tabs: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    raw = data.store().read(list(tabs)) if tabs else {}
    return {name: keyless_rows(name, frame) for name, frame in raw.items()}


def keyless(found: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The text of the rows without an id (the typed frames leave them out), read once per
    snapshot and only for tabs that have such rows."""
    tabs = tuple(sorted(set(found.loc[found["kind"] == "missing id", "tab"])))
    return data.derived("rows without ids", _keyless, tabs)


def may_change(tab_name: str) -> bool:
    action = write_action(tab_name, "change")
    return action is not None and can(session.user().role, action)


def said() -> None:
    """Say what the last id or fix saved (the page has rerun since)."""
    if _SAID in st.session_state:
        st.success(plain(st.session_state.pop(_SAID)))


def _land(tab_name: str, fills: Sequence[KeyFill], done: str) -> None:
    saved = data.save(lambda: data.store().assign_keys_by_row(tab_name, fills), done)
    if saved.ok:
        st.session_state[_SAID] = done
        st.rerun()
    if saved.conflict is not None:
        st.warning(plain(saved.conflict))


def give_ids(book: Workbook, found: pd.DataFrame) -> None:
    """Per tab, one button giving every row without an id, and every later row of an id
    used twice, a fresh id in one write checked row by row."""
    needing = found[found["kind"].isin(["missing id", "duplicate id"])]
    if needing.empty:
        return
    st.subheader("Rows the app cannot address")
    rows = keyless(found)
    for name in dict.fromkeys(needing["tab"]):
        count = int((needing["tab"] == name).sum())
        if name not in ID_PREFIXES:
            st.text(f"{name}: {count} row(s) need their {TABS[name].key} typed in the sheet "
                    f"(it means something there, so the app does not make one up).")
            continue
        if not may_change(name):
            continue
        fills = key_fills(book, name, rows.get(name))
        if st.button(f"Give {len(fills)} row(s) of {name} a new id", key=f"ids_{name}",
                     disabled=not fills):
            _land(name, fills, f"{len(fills)} row(s) of {name} got new ids.")


def _label(problem: RowProblem) -> str:
    where = f"{problem.tab} row {problem.row}" + (f", {problem.column}" if problem.column else "")
    return f"{where}: {problem.message}"


def fix_form(book: Workbook, found: pd.DataFrame, hidden: tuple[str, ...]) -> None:
    """Pick a problem, see its row, change its cell(s) and save them as one edit."""
    fixable = found[~found["kind"].isin(["missing id", "duplicate id"])]
    fixable = fixable[[may_change(name) for name in fixable["tab"]]]
    if fixable.empty:
        return
    st.subheader("Fix a row")
    problems = [RowProblem(r.tab, int(r.row), r.column, r.value, r.message)
                for r in fixable.itertuples()]
    at = st.selectbox("Problem", range(len(problems)), key="fix_pick",
                      format_func=lambda i: _label(problems[i]))
    problem = problems[at or 0]
    seen = row_as_seen(book, problem.tab, problem.row)
    if seen is None:
        st.text("This row has no id; give it one above first.")
        return
    link = data.store().row_link(problem.tab, problem.row)
    if link:
        st.link_button(f"Open row {problem.row} of {problem.tab} in the sheet", link)
    st.dataframe(pd.DataFrame([{c: cell_text(problem.tab, c, v) for c, v in seen.items()}]),
                 hide_index=True)
    options = editable_columns(problem.tab, problem)
    columns = options if problem.column else st.multiselect(
        "Cells to change", options, key=f"fix_cols_{problem.tab}_{problem.row}")
    saved = data.Saved()
    with st.form(f"fix_{problem.tab}_{problem.row}"):
        typed = {c: st.text_input(c, cell_text(problem.tab, c, seen.get(c)),
                                  key=f"fix_{problem.tab}_{problem.row}_{c}") for c in columns}
        if st.form_submit_button("Save the fix"):
            try:
                changes = cell_fix(book, problem.tab, problem.row, typed, hidden)
            except FixRefused as refused:
                st.error(plain(refused))
                return
            done = f"Saved row {problem.row} of {problem.tab}."
            saved = data.save(lambda: data.store().commit(changes), done)
            if saved.ok:
                st.session_state[_SAID] = done
                st.rerun()
    if saved.conflict is not None:
        st.warning(plain(f"{saved.conflict} Nothing was saved; the page now shows the row as "
                         f"it is, so check and try again."))

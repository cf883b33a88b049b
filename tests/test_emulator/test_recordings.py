"""Replay gspread's own recorded conversations with real Google against the emulator.

``/work/shared/sheets-api-recordings/interactions.jsonl`` holds what Google really answered
to gspread's test suite. For each recorded test we send the same requests, in order, to a
fresh emulator (recorded spreadsheet and sheet ids are mapped to the emulator's) and
compare the answers: status, and for JSON bodies the keys and the values that matter to
an app (values, ranges, update counts, table range, reply shapes, error code/status).

Tests that exercise features the emulator deliberately leaves out are listed in
``EXCLUDED`` with the reason; they are reported as skipped with that reason.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.emulator import SheetsEmulator

RECORDINGS = Path("/work/shared/sheets-api-recordings/interactions.jsonl")

# Recorded tests that use features out of the emulator's scope, with the reason.
EXCLUDED: dict[str, str] = {
    "CellTest.test_define_named_range": "named ranges",
    "CellTest.test_delete_named_range": "named ranges",
    "CellTest.test_merge_cells": "merged cells",
    "CellTest.test_update_named_range": "named ranges",
    "ClientTest.test_access_private_spreadsheet": "permissions (403 on a private file)",
    "ClientTest.test_client_export_spreadsheet": "Drive export",
    "ClientTest.test_copy": "Drive copy and comments",
    "ClientTest.test_import_csv": "Drive upload (CSV import)",
    "ClientTest.test_list_spreadsheet_files": "Drive file listing (q= search)",
    "ClientTest.test_no_found_exeption": "Drive file listing (q= search)",
    "ClientTest.test_open_all_has_metadata": "Drive file listing (q= search)",
    "ClientTest.test_open_by_name_has_metadata": "Drive file listing (q= search)",
    "ClientTest.test_openall": "Drive file listing (q= search)",
    "SpreadsheetTest.test_export_spreadsheet": "Drive export",
    "WorksheetTest.test_add_protected_range_normal": "protected ranges",
    "WorksheetTest.test_add_protected_range_warning": "protected ranges",
    "WorksheetTest.test_add_validation": "data validation",
    "WorksheetTest.test_auto_resize_columns": "column metadata (pixel sizes)",
    "WorksheetTest.test_basic_filters": "basic filters",
    "WorksheetTest.test_batch_merged_cells": "merged cells",
    "WorksheetTest.test_clear_tab_color": "tab colours (tabColorStyle)",
    "WorksheetTest.test_delete_protected_range": "protected ranges",
    "WorksheetTest.test_format": "cell formatting reads (includeGridData)",
    "WorksheetTest.test_get_merge_cells_and_unmerge_cells": "merged cells",
    "WorksheetTest.test_get_notes": "cell notes",
    "WorksheetTest.test_get_notes_2nd_sheet": "cell notes",
    "WorksheetTest.test_get_values_and_combine_merged_cells": "merged cells",
    "WorksheetTest.test_get_values_merge_cells_from_centre_of_sheet": "merged cells",
    "WorksheetTest.test_get_values_merge_cells_outside_of_range": "merged cells",
    "WorksheetTest.test_get_values_merge_cells_with_named_range": "merged cells, named ranges",
    "WorksheetTest.test_group_columns": "row/column groups",
    "WorksheetTest.test_group_rows": "row/column groups",
    "WorksheetTest.test_set_tab_color": "tab colours (tabColorStyle)",
    "WorksheetTest.test_update_tab_color": "tab colours (tabColorStyle)",
    "WorksheetTest.test_worksheet_notes": "cell notes",
}

# Keys whose values must match exactly (after id mapping).
EXACT_KEYS = (
    "values", "range", "majorDimension", "updates", "updatedRange", "updatedRows",
    "updatedColumns", "updatedCells", "tableRange", "clearedRange", "clearedRanges",
    "valueRanges", "totalUpdatedRows", "totalUpdatedColumns", "totalUpdatedCells",
    "totalUpdatedSheets", "responses", "spreadsheetId", "updatedData",
)
SHEET_PROPS = ("sheetId", "title", "index", "sheetType", "gridProperties", "hidden")


def load_recordings() -> dict[str, list[dict[str, Any]]]:
    tests: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if RECORDINGS.exists():
        with RECORDINGS.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                tests[row["test"]].append(row)
    for rows in tests.values():
        rows.sort(key=lambda r: r["seq"])
    return dict(sorted(tests.items()))


RECORDED = load_recordings()


class IdMap:
    """Recorded ids <-> emulator ids, for spreadsheets and sheets."""

    def __init__(self) -> None:
        self.books: dict[str, str] = {}
        self.sheets: dict[int, int] = {0: 0}

    def url(self, url: str) -> str:
        for recorded, ours in self.books.items():
            url = url.replace(recorded, ours)
        return url

    def request_body(self, body: Any) -> Any:
        if isinstance(body, dict):
            return {
                k: (self.sheets.get(v, v) if k == "sheetId" and isinstance(v, int)
                    else self.request_body(v))
                for k, v in body.items()
            }
        if isinstance(body, list):
            return [self.request_body(v) for v in body]
        return body

    def response(self, body: Any) -> Any:
        """Emulator answer with our ids replaced by the recorded ones."""
        text = json.dumps(body)
        for recorded, ours in self.books.items():
            text = text.replace(ours, recorded)
        data = json.loads(text)
        back = {ours: rec for rec, ours in self.sheets.items()}

        def fix(node: Any) -> Any:
            if isinstance(node, dict):
                return {
                    k: (back.get(v, v) if k == "sheetId" and isinstance(v, int) else fix(v))
                    for k, v in node.items()
                }
            if isinstance(node, list):
                return [fix(v) for v in node]
            return node

        return fix(data)


def compare(recorded: Any, ours: Any, where: str) -> list[str]:
    """Differences that matter between a recorded JSON answer and ours."""
    problems: list[str] = []
    if not isinstance(recorded, dict) or not isinstance(ours, dict):
        return [] if recorded == ours else [f"{where}: {ours!r} != recorded {recorded!r}"]
    if "error" in recorded:
        rec_err, our_err = recorded["error"], ours.get("error") or {}
        for key in ("code", "status"):
            if rec_err.get(key) != our_err.get(key):
                problems.append(
                    f"{where}: error.{key} {our_err.get(key)!r} != {rec_err.get(key)!r}"
                )
        return problems
    if "sheets" in recorded or "properties" in recorded:  # spreadsheets.get
        for key in ("spreadsheetId", "properties", "sheets"):
            if (key in recorded) != (key in ours):
                problems.append(f"{where}: key {key} presence differs")
        rec_props, our_props = recorded.get("properties", {}), ours.get("properties", {})
        for key in ("title", "locale", "timeZone"):
            if key in rec_props and rec_props.get(key) != our_props.get(key):
                problems.append(f"{where}: properties.{key} {our_props.get(key)!r} != "
                                f"{rec_props.get(key)!r}")
        rec_sheets = [_sheet_props(s) for s in recorded.get("sheets", [])]
        our_sheets = [_sheet_props(s) for s in ours.get("sheets", [])]
        if rec_sheets != our_sheets:
            problems.append(f"{where}: sheets {our_sheets} != recorded {rec_sheets}")
        return problems
    if set(recorded) != set(ours) and "kind" not in recorded and "createdTime" not in recorded:
        problems.append(f"{where}: keys {sorted(ours)} != recorded {sorted(recorded)}")
    for key in EXACT_KEYS:
        if key in recorded and recorded[key] != ours.get(key):
            problems.append(f"{where}: {key} {ours.get(key)!r} != recorded {recorded[key]!r}")
    if "replies" in recorded:
        rec_r, our_r = recorded["replies"], ours.get("replies") or []
        if [sorted(r) for r in rec_r] != [sorted(r) for r in our_r]:
            problems.append(f"{where}: replies shape {our_r} != {rec_r}")
        else:
            for rec, our in zip(rec_r, our_r, strict=True):
                if "addSheet" in rec:
                    a = _sheet_props(rec["addSheet"])
                    b = _sheet_props(our["addSheet"])
                    if a != b:
                        problems.append(f"{where}: addSheet reply {b} != {a}")
    if "name" in recorded and recorded.get("name") != ours.get("name"):
        problems.append(f"{where}: name {ours.get('name')!r} != {recorded['name']!r}")
    return problems


def _sheet_props(sheet: dict[str, Any]) -> dict[str, Any]:
    props = sheet.get("properties", {})
    return {k: props[k] for k in SHEET_PROPS if k in props}


def replay(rows: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Replay one recorded test; returns (interactions replayed, problems)."""
    emu = SheetsEmulator()
    ids = IdMap()
    problems: list[str] = []
    for row in rows:
        where = f"seq {row['seq']} {row['method']} {row['uri'][:110]}"
        body = json.loads(row["request_body"]) if row["request_body"] else None
        status, content, _ = emu.serve(row["method"], ids.url(row["uri"]),
                                       ids.request_body(body))
        recorded_text = row["response_body"] or ""
        ours: Any = json.loads(content) if content else None
        if row["method"] == "POST" and row["uri"].startswith(
            "https://www.googleapis.com/drive/v3/files?"
        ) and ours:
            ids.books[json.loads(recorded_text)["id"]] = ours["id"]
        if status == 200 and ours and row["status"] == 200 and '"addSheet"' in recorded_text:
            for rec, our in zip(json.loads(recorded_text)["replies"], ours.get("replies", []),
                                strict=False):
                if "addSheet" in rec and "addSheet" in our:
                    ids.sheets[rec["addSheet"]["properties"]["sheetId"]] = (
                        our["addSheet"]["properties"]["sheetId"]
                    )
        if status != row["status"]:
            problems.append(f"{where}: status {status} != recorded {row['status']} "
                            f"({content[:200]!r})")
            continue
        if recorded_text.strip().startswith("{"):
            problems += compare(json.loads(recorded_text), ids.response(ours), where)
    return len(rows), problems


def test_exclusions_name_recorded_tests() -> None:
    """The exclusion list must not rot: every entry is a recorded test."""
    if not RECORDED:
        pytest.skip(f"no recordings at {RECORDINGS}")
    assert set(EXCLUDED) <= set(RECORDED)


@pytest.mark.parametrize("name", list(RECORDED) or ["<no recordings>"])
def test_recorded(name: str) -> None:
    if name not in RECORDED:
        pytest.skip(f"no recordings at {RECORDINGS}")
    if name in EXCLUDED:
        pytest.skip(f"excluded: {EXCLUDED[name]}")
    _, problems = replay(RECORDED[name])
    assert not problems, "\n".join(problems[:10])


def summary() -> dict[str, Any]:
    """Numbers for the report: ``python -m tests.test_emulator.test_recordings``."""
    out: dict[str, Any] = {"tests": len(RECORDED), "excluded": len(EXCLUDED)}
    passed = interactions = failed_tests = 0
    for name, rows in RECORDED.items():
        if name in EXCLUDED:
            continue
        count, problems = replay(rows)
        interactions += count
        if problems:
            failed_tests += 1
        else:
            passed += count
    out.update(replayed_interactions=interactions, interactions_in_passing_tests=passed,
               failed_tests=failed_tests)
    reasons: dict[str, int] = defaultdict(int)
    for reason in EXCLUDED.values():
        reasons[reason] += 1
    out["exclusions_by_reason"] = dict(reasons)
    return out


if __name__ == "__main__":
    print(json.dumps(summary(), indent=2))



"""What keeps a page quick in the browser (docs/performance.md): no collection of the whole
heap after every run, a save that re-reads only the tabs it wrote, downloads made when
clicked."""

from __future__ import annotations

import ast
import io
import json
import tomllib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from pages.common import downloads
from reports.person_export import person_record, to_json, to_xlsx
from reports.workbook_export import tab_csv
from sheets_schema import TABS
from storage import Store
from tests.test_pages.conftest import OpenPage, button
from tests.test_pages.test_people_pages import some_person

ROOT = Path(__file__).resolve().parents[2]


def test_no_full_garbage_collection_after_every_run() -> None:
    """Streamlit's default collects the whole heap after every run (0.1-0.45 s measured at
    the demo size), which every click waits for."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False


def reads(store: Store) -> list[tuple[str, ...]]:
    """The tabs of every read of `store` from now on, in order."""
    seen: list[tuple[str, ...]] = []
    read = store.read

    def recording(tabs: Sequence[str]) -> dict[str, pd.DataFrame]:
        seen.append(tuple(tabs))
        return read(tabs)

    store.read = recording  # type: ignore[method-assign]
    return seen


def card(app: AppTest) -> str:
    """The person's card as one text."""
    return " | ".join(str(v) for v in app.dataframe[0].value["value"])


def test_a_save_reads_again_only_the_tabs_it_wrote_and_the_page_shows_it(
    open_page: OpenPage, demo_store: Store
) -> None:
    target = some_person(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    seen = reads(demo_store)
    app.text_input(key="edit_person_city").set_value("Somerville")
    button(app, "Save changes").click().run()
    assert [set(tabs) for tabs in seen if "people" in tabs or len(tabs) > 2] == [
        {"people", "audit_log"}]
    assert target["city"] != "Somerville"
    assert ", Somerville," in card(app)
    app.run()  # and on the next visit, from the shared snapshot
    assert ", Somerville," in card(app)


def test_a_save_that_did_not_land_reads_everything_again(open_page: OpenPage,
                                                         demo_store: Store) -> None:
    target = some_person(demo_store)
    app = open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    demo_store.update("people", target["id"], {"city": "Medford"}, target)  # staff, meanwhile
    seen = reads(demo_store)
    app.text_input(key="edit_person_city").set_value("Somerville")
    button(app, "Save changes").click().run()
    assert set(TABS) in [set(tabs) for tabs in seen]
    assert ", Medford," in card(app)


@pytest.fixture
def offered(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The data of every download button the pages offer from now on, by label."""
    found: dict[str, Any] = {}
    button = downloads.button

    def recording(label: str, data: Any, *args: Any, **kwargs: Any) -> bool:
        found[label] = data
        return button(label, data, *args, **kwargs)

    monkeypatch.setattr(downloads, "button", recording)
    return found


def test_a_persons_exports_are_made_when_clicked_and_hold_the_same(
    open_page: OpenPage, demo_store: Store, offered: dict[str, Any]
) -> None:
    """Made on every run they cost 0.1 s of a page whose own run is about as long."""
    target = some_person(demo_store)
    open_page(demo_store, "pages/person.py", query={"id": target["id"]})
    xlsx, as_json = offered["Export everything (xlsx)"], offered["Export everything (JSON)"]
    assert callable(xlsx) and callable(as_json)
    record = person_record(demo_store.load(), target["id"])
    assert load_workbook(io.BytesIO(xlsx())).sheetnames == load_workbook(
        io.BytesIO(to_xlsx(record))).sheetnames
    made = json.loads(as_json())
    assert target["email"] in json.dumps(made)
    assert made.keys() == json.loads(to_json(record, datetime.now())).keys()


def test_a_tabs_csv_is_made_when_clicked_and_holds_the_same(
    open_page: OpenPage, demo_store: Store, offered: dict[str, Any]
) -> None:
    """The donations tab at 100,000 gifts is 6 s of CPU: no page run pays it unasked."""
    app = open_page(demo_store, "pages/export.py")
    app.selectbox(key="export_tab").set_value("donations").run()
    [label] = [label for label in offered if label.startswith("Download donations")]
    assert callable(offered[label])
    assert offered[label]() == tab_csv(demo_store.load(), "donations")


def test_no_page_makes_a_download_before_it_is_clicked() -> None:
    """Every `downloads.button` in the pages is handed a function, never the file itself."""
    eager = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]:
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "button" and isinstance(call.func.value, ast.Name)
                    and call.func.value.id in {"downloads", "download_rules"}
                    and len(call.args) > 1 and not isinstance(call.args[1], ast.Lambda | ast.Name)):
                eager.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert eager == []

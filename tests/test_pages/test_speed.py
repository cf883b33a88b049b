"""What keeps a page quick in the browser (docs/performance.md): no collection of the whole
heap after every run, a save that re-reads only the tabs it wrote, downloads made when
clicked."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

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

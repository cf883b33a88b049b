"""Downloads follow the role matrix: a role without `download` (a volunteer) is offered no
download button and no chart image on any page, the grids' own export is off for every
role, and a role with `download` gets the app's own files."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common.navigation import PAGES
from rules.roles import Role, can
from storage import Store
from tests.test_pages.conftest import OpenPage

ROOT = Path(__file__).resolve().parents[2]
VOLUNTEER = "volunteer@example.org"
STAFF = "staff@example.org"
#: Streamlit calls that put data or a picture of it on the visitor's disk, or draw a chart
#: whose toolbar saves one (Vega-Lite charts always offer "Download as PNG").
EXPORTING = re.compile(r"\.(download_button|plotly_chart|bar_chart|line_chart|area_chart|"
                       r"scatter_chart|altair_chart|vega_lite_chart|pyplot|bokeh_chart|"
                       r"pydeck_chart|graphviz_chart)\(|\bst\.map\(")


def offered(app: AppTest) -> list[str]:
    """Every way the page lets data leave: download buttons, chart images, Vega charts."""
    found = [f"download button {b.label!r}" for b in app.get("download_button")]
    for chart in app.get("plotly_chart"):
        config = json.loads(chart.proto.config or "{}")
        if "toImage" not in config.get("modeBarButtonsToRemove", []):
            found.append("a chart's 'Download plot as a PNG'")
    found += ["a Vega-Lite chart ('Download as PNG')" for _ in app.get("arrow_vega_lite_chart")]
    found += ["a Vega-Lite chart ('Download as PNG')" for _ in app.get("vega_lite_chart")]
    return found


def test_the_grids_own_export_is_off_for_every_role() -> None:
    """Streamlit 1.67 switches a grid's CSV download and copy only for the whole server."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["disableDataExport"] is True


def test_no_page_offers_a_download_but_through_the_one_helper() -> None:
    """A new page that calls st.download_button or draws a chart itself fails here, so the
    role check in pages/common/downloads.py cannot be forgotten."""
    helper = ROOT / "pages" / "common" / "downloads.py"
    calls = [f"{path.relative_to(ROOT)}: {match.group(0)}"
             for path in [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py"))]
             if path != helper
             for match in EXPORTING.finditer(path.read_text(encoding="utf-8"))]
    assert calls == []


#: Every page a volunteer may open (the others refuse them: test_roles).
VOLUNTEER_PAGES = [page[1] for page in PAGES if can(Role.VOLUNTEER, page[5])]


@pytest.mark.parametrize("path", VOLUNTEER_PAGES)
def test_a_volunteer_is_offered_no_download_on_any_page(
    open_page: OpenPage, demo_store: Store, path: str
) -> None:
    person = demo_store.load(["people"]).frame("people").iloc[0]["id"]
    app = open_page(demo_store, path, query={"id": person}, user=VOLUNTEER)
    assert offered(app) == []


def test_staff_get_the_apps_own_downloads_and_charts_with_their_image(
    open_page: OpenPage, demo_store: Store
) -> None:
    people = open_page(demo_store, "pages/people.py", user=STAFF)
    assert [b.label for b in people.get("download_button")] == [
        f"Download these {len(people.dataframe[0].value):,} people (CSV)"]
    shifts = open_page(demo_store, "pages/shifts.py", user=STAFF)
    assert {"Roster CSV", "Printable roster"} <= {b.label for b in shifts.get("download_button")}
    report = open_page(demo_store, "pages/volunteer_report.py", user=STAFF)
    assert report.get("plotly_chart") and not [
        c for c in report.get("plotly_chart") if json.loads(c.proto.config or "{}")]


@pytest.mark.parametrize(("user", "most"), [(VOLUNTEER, 50), (STAFF, None)])
def test_an_editable_grid_holds_no_bulk_export_for_a_role_without_download(
        open_page: OpenPage, demo_store: Store, user: str, most: int | None) -> None:
    """Streamlit lets any editable grid be copied whole, so a volunteer's Edit many grid holds
    at most 50 people (narrowing reaches the others); staff, who may download, get them all."""
    people = len(demo_store.load(["people"]).frame("people"))
    app = open_page(demo_store, "pages/bulk_edit.py", user=user)
    assert not app.exception
    rows = len(app.dataframe[0].value)
    if most is None:
        assert rows > 1000
    else:
        assert rows == most < people
        assert any("narrow the list to reach the others" in c.value for c in app.caption)

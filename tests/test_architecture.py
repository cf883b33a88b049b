"""The design document is true to the code: every tab is in it, and imports point the way
docs/architecture.md says they do (parsed with `ast`, imports inside functions included)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sheets_schema import TABS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("pages", "reports", "mailers", "sheets_schema", "rules", "importing", "demo",
            "storage", "steward")
PROJECT = {*PACKAGES, "app"}


def modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every absolute module name `path` imports, anywhere in the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def top_level(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported(path)}


def importers(library: str) -> set[str]:
    """The project's modules (paths from the root) that import `library`."""
    return {str(p.relative_to(ROOT)) for p in [*modules(*PACKAGES), ROOT / "app.py"]
            if library in top_level(p)}


def test_every_tab_of_the_models_is_in_the_design_document() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, spec in TABS.items():
        assert f"| `{name}` | `{spec.model.__name__}` |" in text, name


def test_the_design_document_names_every_store_method() -> None:
    text = DOC.read_text(encoding="utf-8")
    for method in ("read", "load", "commit", "assign_keys_by_row", "ensure_schema", "clear",
                   "add_columns", "usage", "row_link"):
        assert f"`{method}(" in text, method


def test_nothing_below_the_pages_imports_streamlit() -> None:
    assert {p for p in importers("streamlit") if not p.startswith("pages/")} == {"app.py"}


@pytest.mark.parametrize("package, forbidden", [
    ("reports", {"storage", "pages", "mailers", "steward", "app", "importing", "demo"}),
    ("mailers", {"storage", "pages", "reports", "steward", "app", "importing", "demo"}),
    ("storage", PROJECT - {"storage", "sheets_schema", "rules", "demo"}),
    ("steward", {"pages", "app"}),
    ("sheets_schema", PROJECT - {"sheets_schema"}),
    ("rules", PROJECT - {"rules", "sheets_schema"}),
    ("importing", PROJECT - {"importing", "sheets_schema", "rules"}),
    ("demo", PROJECT - {"demo", "sheets_schema", "rules"}),
])
def test_imports_point_down(package: str, forbidden: set[str]) -> None:
    wrong = {str(p.relative_to(ROOT)): sorted(top_level(p) & forbidden)
             for p in modules(package) if top_level(p) & forbidden}
    assert wrong == {}


def test_only_the_sheets_backend_imports_gspread() -> None:
    assert importers("gspread") == {"storage/sheets_store.py", "storage/retry.py"}


def test_only_the_postgres_backend_imports_psycopg() -> None:
    # postgres_types.py composes the SQL that types cells (psycopg.sql), without a connection
    assert importers("psycopg") == {"storage/postgres_store.py", "storage/postgres_types.py"}


@pytest.mark.parametrize("module", ["sheets_cells", "sheets_plan", "sheets_requests",
                                    "commit"])
def test_request_building_and_the_commit_rule_do_no_io(module: str) -> None:
    path = ROOT / "storage" / f"{module}.py"
    assert top_level(path) & {"gspread", "requests", "google", "psycopg", "sqlite3"} == set()


def test_only_the_sender_imports_yagmail() -> None:
    assert importers("yagmail") == {"mailers/sender.py"}

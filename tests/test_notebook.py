"""The analyst's notebook runs top to bottom on a fresh machine's venv, and its numbers are
the library's own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from demo import DEFAULT_AS_OF
from reports.fundraising import giving, lybunt_ids, retention
from reports.membership import membership_health_of
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "analyst.ipynb"
KERNEL = "steward-test-venv"
PLOTLY = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """The notebook run by a kernel of this interpreter (the venv's), from notebooks/ as
    Jupyter would start it; a kernelspec of its own so no machine-wide python3 is used."""
    jupyter = tmp_path_factory.mktemp("jupyter")
    spec = jupyter / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Steward venv (tests)", "language": "python",
    }))
    patch = pytest.MonkeyPatch()
    patch.setenv("JUPYTER_PATH", str(jupyter))
    patch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, kernel_name=KERNEL, timeout=300,
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    finally:
        patch.undo()
    return nb


def _summary(nb: nbformat.NotebookNode) -> dict[str, Any]:
    cell = next(c for c in nb.cells if "summary" in c.metadata.get("tags", []))
    text = "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream")
    return dict(json.loads(text))


def test_the_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_every_cell_runs_without_an_error(executed: nbformat.NotebookNode) -> None:
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o["output_type"] == "error"]


def test_it_draws_two_plotly_charts(executed: nbformat.NotebookNode) -> None:
    charts = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if PLOTLY in o.get("data", {})]
    assert len(charts) == 2
    assert all(chart["data"][PLOTLY]["data"] for chart in charts)


def test_its_numbers_are_the_librarys(executed: nbformat.NotebookNode,
                                      tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "steward.sqlite3")
    load_demo(store, as_of=DEFAULT_AS_OF)
    book = store.load()
    g = giving(book.frame("donations"), as_of=DEFAULT_AS_OF,
               fiscal_year_start=book.settings.fiscal_year_start)
    summary = _summary(executed)
    assert summary["as_of"] == DEFAULT_AS_OF.isoformat()
    assert summary["donor_retention"] == str(retention(g).donor_rate)
    assert summary["lybunt_ids"] == lybunt_ids(g) and summary["lybunt_ids"]
    assert summary["renewal_rate"] == membership_health_of(book, DEFAULT_AS_OF).renewal_rate

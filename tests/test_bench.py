"""The bench still runs: `python -m bench report --quick` on small data writes a report with
every row. Numbers are not checked here; the bench reports them, it does not judge them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_quick_report_runs_and_has_every_row(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    subprocess.run([sys.executable, "-m", "bench", "report", "--quick", "--no-gsheets",
                    "--out", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=900)
    text = out.read_text()
    assert text.startswith("# Steward: performance report")
    for row in ("first page after the app starts", "cold load of each page",
                "warm load of each page", "save one record, 1 field", "import 1,000 gifts",
                "appeal to 100 recipients", "sessions browsing for a minute",
                "peak memory (RSS) of the app process"):
        assert row in text, row
    if shutil.which("chromium"):  # the browser rows need Debian's chromium
        for row in ("What the browser waits for", "first page after the app starts**",
                    "| Fundraising | ", "save a person's phone", "add a person",
                    "enter a gift", "record a renewal", "download the dashboard's CSV"):
            assert row in text, row
    assert "--quick --no-gsheets" in text

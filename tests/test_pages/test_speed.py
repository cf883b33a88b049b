"""What keeps a page quick in the browser (docs/performance.md): no collection of the whole
heap after every run, a save that re-reads only the tabs it wrote, downloads made when
clicked."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_full_garbage_collection_after_every_run() -> None:
    """Streamlit's default collects the whole heap after every run (0.1-0.45 s measured at
    the demo size), which every click waits for."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["runner"]["postScriptGC"] is False

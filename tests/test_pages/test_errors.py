"""No page shows a traceback: an error nobody foresaw reaches the browser as Streamlit's
generic sentence, and its details (file paths, values) go to the server's log only."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config
from streamlit.testing.v1 import AppTest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_apps_config_hides_error_details_with_a_value_streamlit_accepts() -> None:
    value = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["client"]["showErrorDetails"]
    assert value == config.ShowErrorDetailsConfigOptions.NONE


def test_an_uncaught_error_shows_no_traceback_path_or_message() -> None:
    def failing_page() -> None:
        raise ValueError("the donor's note, read from /srv/steward/pages/person.py")

    app = AppTest.from_function(failing_page).run()  # AppTest reads .streamlit/config.toml
    shown = app.exception[0]
    assert shown.stack_trace == []
    assert "person.py" not in shown.message and "donor" not in shown.message
    assert not shown.proto.type

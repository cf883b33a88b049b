"""Every way a page lets data leave the browser, in one place, so it follows the role
matrix: a role without `download` gets no download button and no chart image.

The grids' own toolbar export (CSV download and copying a read-only table) is off for
everyone (`client.disableDataExport` in .streamlit/config.toml): Streamlit 1.67 can switch it
only for the whole server, not per session, and its CSV does not neutralise formulas. Roles
with `download` get the app's own CSV files instead (`table_csv`), made by
`reports.export.to_safe_csv`. Copying from an editable grid (st.data_editor) stays possible:
Streamlit keeps it for editing, so for a role without `download` such a grid holds at most
50 rows (`editable_rows`). All of this only removes the buttons: what a page shows has
reached the browser, where a determined person can keep it; what a role may not read never
reaches its pages (`rules.roles.visible_workbook`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pages.common import session
from reports.export import to_safe_csv

#: An editable grid can be copied whatever the config, so a role without `download` gets at
#: most this many rows in one: enough to correct a few people, no bulk export.
EDITABLE_ROWS_WITHOUT_DOWNLOAD = 50

#: Plotly's mode bar without its "Download plot as a PNG" button.
NO_IMAGE = {"modeBarButtonsToRemove": ["toImage"], "displaylogo": False}


def allowed() -> bool:
    """Whether the signed-in role may take data away (the matrix's `download`)."""
    return session.user().can("download")


def button(label: str, data: Any, file_name: str, mime: str | None = None, *,
           where: DeltaGenerator | None = None, **kwargs: Any) -> bool:
    """`st.download_button` for a role with `download`; nothing at all for any other role
    (False, as an unpressed button)."""
    if not allowed():
        return False
    return bool((where or st).download_button(label, data, file_name, mime, **kwargs))


def table_csv(frame: pd.DataFrame, stem: str, *, label: str | None = None,
              key: str | None = None) -> None:
    """A download of the table shown, as the app's safe CSV, for a role with `download`."""
    button(label or f"Download these {len(frame):,} rows (CSV)", lambda: to_safe_csv(frame),
           f"{stem}.csv", "text/csv", key=key or f"{stem}_csv", on_click="ignore")


def chart(figure: go.Figure, *, where: DeltaGenerator | None = None, **kwargs: Any) -> None:
    """`st.plotly_chart`, whose mode bar has no image download for a role without
    `download`."""
    config = None if allowed() else NO_IMAGE
    (where or st).plotly_chart(figure, config=config, **kwargs)


def editable_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows an editable grid (st.data_editor) may hold for the signed-in role: all of
    them with `download`, else the first EDITABLE_ROWS_WITHOUT_DOWNLOAD, since Streamlit
    lets any editable grid be copied whole."""
    return frame if allowed() else frame.head(EDITABLE_ROWS_WITHOUT_DOWNLOAD)

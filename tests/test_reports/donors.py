"""The hand-worked organisation the fundraising report tests share, and gifts and people as
staff would type them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import count
from typing import Any

import pandas as pd

from sheets_schema import parse_tab, rows_to_raw

_ids: Iterator[int] = count(1)


def tab_frame(tab: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


def gift(person: str, day: str, amount: str, **more: str) -> dict[str, str]:
    """A donation row as staff would type it; completed unless `status` says otherwise."""
    return {"id": f"D{next(_ids)}", "person_id": person, "date": day, "amount": amount, **more}


def donations(*gifts: dict[str, str]) -> pd.DataFrame:
    return tab_frame("donations", list(gifts))


def people(*ids: str) -> pd.DataFrame:
    return tab_frame("people", [{"id": pid, "first_name": f"First{pid}", "last_name": "Last",
                              "email": f"{pid.lower()}@example.org"} for pid in ids])


# The hand-worked organisation: calendar years, as of 2025-06-30, so this year is 2025 (to
# date), last year 2024.
#
#   donor  2022  2023  2024  2025   first year  in 2025 they are
#   A       -     100   100   150     2023      retained, upgraded (+50); repeat (23 and 24)
#   B       -      -    200   200     2024      retained, same (0); new last year
#   C       -      -    300    -      2024      lapsed (-300): LYBUNT; new last year
#   D       -      50    80    30     2023      retained, downgraded (-50); repeat
#   E      500     -     -     -      2022      SYBUNT (gave before 2024, not 2024 nor 2025)
#   F       -      40    -     60     2023      recaptured (+60)
#   G       -      -     -     25     2025      new (+25)
#   H       -      70    90    -      2023      lapsed (-90): LYBUNT; repeat
#   I      (only a gift after the as-of date: not a donor at all)
#
# Noise that must not count: C's pending 500 and E's refunded 75 in 2025, G's 1,000 and I's
# 40 dated after the as-of date.
#
#   D(2024) = {A, B, C, D, H} (5), D(2025) = {A, B, D, F, G} (5), D(2023) = {A, D, F, H}
#   donor retention      |{A, B, D}| / |D(2024)|          = 3/5
#   new-donor retention  first gift in 2024: {B, C}; B gave  = 1/2
#   repeat retention     D(2023) ∩ D(2024) = {A, D, H}; A, D gave = 2/3
#   dollar retention     (150 + 200 + 30) / (100 + 200 + 300 + 80 + 90) = 380/770 = 38/77
#   totals               2025: 150 + 200 + 30 + 60 + 25 = 465; 2024: 770; change -305
#                        = +25 (new) + 60 (recaptured) + 50 (up) + 0 - 50 (down) - 390 (lapsed)


AS_OF = date(2025, 6, 30)


ORGANISATION = [
    gift("A", "2023-03-01", "100"), gift("A", "2024-03-01", "100"),
    gift("A", "2025-01-10", "100"), gift("A", "2025-05-01", "50"),
    gift("B", "2024-04-01", "200"), gift("B", "2025-04-01", "200"),
    gift("C", "2024-05-01", "300"), gift("C", "2025-05-01", "500", status="pending"),
    gift("D", "2023-06-01", "50"), gift("D", "2024-06-01", "80"), gift("D", "2025-06-01", "30"),
    gift("E", "2022-12-01", "500"), gift("E", "2025-02-01", "75", status="refunded"),
    gift("F", "2023-07-01", "40"), gift("F", "2025-06-30", "60"),
    gift("G", "2025-01-01", "25"), gift("G", "2025-07-01", "1000"),
    gift("H", "2023-08-01", "70"), gift("H", "2024-08-01", "90"),
    gift("I", "2025-08-01", "40"),
]

"""The small hand-built organisation the membership report tests share.

On 2025-06-01 with 30 days of grace, it has one person in each situation: P1 joined in
April (New), P2 has renewed twice (Current), P3 ended 2025-05-09 (Grace), P4 lapsed last
June and P5 in 2021 (Expired), P6 cancelled, P7 died, P8 paid for a term starting in July
(Pending), P9 renewed early (Current, paid ahead), P10 is a lifetime member, P11's term ends
2025-06-19, and P12's record was deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from sheets_schema import parse_tab, rows_to_raw

D = date
AS_OF = D(2025, 6, 1)
LEVELS = [{"id": "L1", "name": "Individual", "fee": "50", "duration": "12"},
          {"id": "L3", "name": "Lifetime", "fee": "1000", "duration": ""}]
TERMS = [  # id, person, level, join, start, end, override
    ("M01", "P1", "L1", "2025-04-01", "2025-04-01", "2026-03-31", ""),
    ("M02", "P2", "L1", "2023-01-10", "2023-01-10", "2024-01-09", ""),
    ("M03", "P2", "L1", "2023-01-10", "2024-01-10", "2025-01-09", ""),
    ("M04", "P2", "L1", "2023-01-10", "2025-01-10", "2026-01-09", ""),
    ("M05", "P3", "L1", "2024-05-10", "2024-05-10", "2025-05-09", ""),
    ("M06", "P4", "L1", "2023-06-01", "2023-06-01", "2024-05-31", ""),
    ("M07", "P5", "L1", "2020-01-01", "2020-01-01", "2020-12-31", ""),
    ("M08", "P6", "L1", "2024-09-01", "2024-09-01", "2025-08-31", "Cancelled"),
    ("M09", "P7", "L1", "2024-09-01", "2024-09-01", "2025-08-31", ""),
    ("M10", "P8", "L1", "2025-07-01", "2025-07-01", "2026-06-30", ""),
    ("M11", "P9", "L1", "2024-06-10", "2024-06-10", "2025-06-09", ""),
    ("M12", "P9", "L1", "2024-06-10", "2025-06-10", "2026-06-09", ""),
    ("M13", "P10", "L3", "2010-01-01", "2010-01-01", "", ""),
    ("M14", "P11", "L1", "2024-06-20", "2024-06-20", "2025-06-19", ""),
    ("M15", "P12", "L1", "2025-01-05", "2025-01-05", "2026-01-04", ""),
]
STATUSES = {"P1": "New", "P2": "Current", "P3": "Grace", "P4": "Expired", "P5": "Expired",
            "P6": "Cancelled", "P7": "Deceased", "P8": "Pending", "P9": "Current",
            "P10": "Current", "P11": "Current"}


def frame(tab: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


def term_rows(rows: list[tuple[str, ...]]) -> list[dict[str, Any]]:
    names = ("id", "person_id", "level_id", "join_date", "start_date", "end_date",
             "status_override")
    return [{**dict(zip(names, row, strict=True)), "amount": "50"} for row in rows]


def person(number: int, **more: Any) -> dict[str, Any]:
    return {"id": f"P{number}", "first_name": "Ann", "last_name": f"Lee{number}",
            "email": f"ann{number}@example.org", **more}


PEOPLE = [person(n) for n in range(1, 12) if n != 7] + [
    person(7, deceased="TRUE"), person(12, deleted_at="2025-05-01 10:00")]

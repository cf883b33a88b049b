"""The store every import test starts from: one person (Ann Lee), one membership level and
one gift already recorded (reference TX-OLD)."""

from __future__ import annotations

from datetime import date

import pytest

from storage.sqlite_store import SQLiteStore


@pytest.fixture
def store() -> SQLiteStore:
    store = SQLiteStore(":memory:")
    store.ensure_schema()
    store.append("people", [
        {"id": "P1", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.org",
         "postcode": "02134"},
    ])
    store.append("membership_levels", [
        {"id": "L1", "name": "Individual", "fee": "50.00", "duration": 12,
         "period_type": "rolling"},
    ])
    store.append("donations", [
        {"id": "D0", "person_id": "P1", "date": date(2025, 1, 1), "amount": "5.00",
         "reference": "TX-OLD"},
    ])
    return store

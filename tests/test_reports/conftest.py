"""The two organisations the report tests share, as frames: the small membership one
(`members.py`: its terms, people, levels and `latest_terms` on its day) and the hand-worked
fundraising one (`donors.py`: its `Giving` and its people)."""

from __future__ import annotations

import pandas as pd
import pytest

from reports import fundraising as fr
from reports.membership import latest_terms
from tests.test_reports import donors
from tests.test_reports.members import AS_OF, LEVELS, PEOPLE, TERMS, frame, term_rows


@pytest.fixture
def terms() -> pd.DataFrame:
    return frame("memberships", term_rows(TERMS))


@pytest.fixture
def people() -> pd.DataFrame:
    return frame("people", PEOPLE)


@pytest.fixture
def levels() -> pd.DataFrame:
    return frame("membership_levels", LEVELS)


@pytest.fixture
def latest(terms: pd.DataFrame, people: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    return latest_terms(terms, people, levels, AS_OF, 30)


@pytest.fixture
def org() -> fr.Giving:
    return fr.giving(donors.donations(*donors.ORGANISATION), donors.AS_OF)


@pytest.fixture
def org_people() -> pd.DataFrame:
    return donors.people(*"ABCDEFGHI")

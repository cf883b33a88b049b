"""One person's membership: every term with its own status, their standing, when they
joined and when the next renewal is due (on the small organisation of `members.py`)."""

from __future__ import annotations

import pandas as pd

from reports.member_summary import member_summary
from rules.membership_terms import Status
from tests.test_reports.members import AS_OF, D


def test_a_members_summary_lists_their_terms_and_next_renewal(
    terms: pd.DataFrame, levels: pd.DataFrame
) -> None:
    p2 = member_summary(terms, levels, "P2", False, AS_OF, 30)
    assert list(p2.terms["term_id"]) == ["M02", "M03", "M04"]
    assert list(p2.terms["status"]) == ["Expired", "Expired", "Current"]
    assert (p2.status, p2.member_since, p2.next_renewal) == (
        Status.CURRENT, D(2023, 1, 10), D(2026, 1, 10))
    assert list(p2.terms["level_name"]) == ["Individual"] * 3
    lapsed = member_summary(terms, levels, "P4", False, AS_OF, 30)
    assert (lapsed.status, lapsed.next_renewal) == (Status.EXPIRED, D(2024, 6, 1))
    for who, status in (("P6", Status.CANCELLED), ("P10", Status.CURRENT)):
        summary = member_summary(terms, levels, who, False, AS_OF, 30)
        assert (summary.status, summary.next_renewal) == (status, None)
    dead = member_summary(terms, levels, "P7", True, AS_OF, 30)
    assert dead.status == Status.DECEASED and set(dead.terms["status"]) == {"Deceased"}
    nobody = member_summary(terms, levels, "P99", False, AS_OF, 30)
    assert nobody.terms.empty and nobody.status is None

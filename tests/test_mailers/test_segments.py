"""Segments: criteria combined, and the people who must never get mail always left out."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from mailers.segments import Definition, Facts, SegmentError, audience
from sheets_schema import parse_tab, rows_to_raw

AS_OF = date(2026, 12, 1)


def people(*rows: dict) -> pd.DataFrame:
    base = {"first_name": "A", "last_name": "B"}
    return parse_tab("people", rows_to_raw("people", [{**base, **r} for r in rows])).frame


CROWD = people(
    {"id": "P1", "email": "ann@example.org", "tags": "donor, board", "city": "Boston"},
    {"id": "P2", "email": "bob@example.org", "tags": "donor"},
    {"id": "P3", "email": "cy@example.org", "do_not_email": "TRUE", "tags": "donor"},
    {"id": "P4", "email": "dee@example.org", "deceased": "TRUE", "tags": "donor"},
    {"id": "P5", "email": "not an address", "tags": "donor"},
    {"id": "P6", "email": "", "tags": "donor"},
    {"id": "P7", "email": "Ann@Example.org", "tags": "donor"},  # same household as P1
    {"id": "P8", "email": "gone@example.org", "tags": "donor",
     "deleted_at": "2025-01-01 09:00"},
    {"id": "P9", "email": "quit@example.org", "tags": "donor"},
    {"id": "PA", "email": "nope@example.org", "tags": "donor", "email_consent": "withdrawn"},
)
FACTS = Facts(as_of=AS_OF, lybunt=frozenset({"P2", "P3"}), lapsed_recurring=frozenset({"P1"}),
              volunteer_skills={"P2": ("Driving", "cooking")},
              volunteer_availability={"P1": "Weekends only", "P2": "weekday mornings"},
              volunteer_activities={"food pantry": frozenset({"P2"})},
              lapsed_volunteers=frozenset({"P1"}),
              suppressed=frozenset({hashlib.sha256(b"quit@example.org").hexdigest()}),
              year_totals={"P1": Decimal("600"), "P2": Decimal("50")},
              membership=pd.DataFrame({"person_id": ["P1", "P2"], "status": ["Current", "Grace"],
                                       "level_id": ["L1", "L2"],
                                       "end_date": [datetime(2026, 12, 20), datetime(2026, 11,
                                                                                       1)]}))


def test_everyone_who_must_not_be_emailed_is_left_out_with_the_reason() -> None:
    result = audience(CROWD, Definition(tags=("donor",)), FACTS)
    assert list(result.included["person_id"]) == ["P1", "P2"]
    assert dict(zip(result.excluded["person_id"], result.excluded["reason"], strict=True)) == {
        "P3": "asked not to be emailed", "P4": "deceased", "P5": "email address not valid",
        "P6": "no email address", "P7": "shares an address with another recipient",
        "P8": "deleted", "P9": "unsubscribed or suppressed", "PA": "withdrew consent to email"}


@pytest.mark.parametrize(("definition", "expected"), [
    (Definition(lybunt=True), ["P2"]),
    (Definition(lapsed_recurring=True), ["P1"]),
    (Definition(volunteer_skills=("driving",)), ["P2"]),
    (Definition(lapsed_volunteers=True), ["P1"]),
    (Definition(volunteer_availability="weekend"), ["P1"]),
    (Definition(volunteer_activities=("Food Pantry",)), ["P2"]),
    (Definition(statuses=("Current",)), ["P1"]),
    (Definition(due_within_days=30), ["P1"]),
    (Definition(gave_at_least=Decimal("100")), ["P1"]),
    (Definition(tags=("board",), lybunt=True), []),
    (Definition(tags=("board",), lybunt=True, match="any"), ["P1", "P2"]),
    (Definition(cities=("boston",)), ["P1"]),
])
def test_criteria_combine(definition: Definition, expected: list[str]) -> None:
    assert list(audience(CROWD, definition, FACTS).included["person_id"]) == expected


def test_a_definition_round_trips_as_json_and_a_bad_one_is_explained() -> None:
    d = Definition(tags=("donor",), gave_at_least=Decimal("250.50"), match="any")
    assert Definition.from_json(d.to_json()) == d
    with pytest.raises(SegmentError, match="'colour', which is not a criterion"):
        Definition.from_json('{"colour": "blue"}')

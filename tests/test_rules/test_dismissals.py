"""Pairs marked "not a duplicate": stored once in either order, left out of the pairs, and
listed again when the mark is removed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from rules.dismissals import (
    DismissalRefused,
    dismiss_changes,
    dismissed_pairs,
    pair_of,
    restore_changes,
    without_dismissed,
)
from sheets_schema import parse_tab
from sheets_schema.frames import rows_to_raw
from sheets_schema.workbook import Workbook

NOW = datetime(2026, 11, 1, 9, 30)
DISMISSED = [{"id": "DD1", "person_id": "P1", "other_person_id": "P2",
              "dismissed_by": "ann@example.org", "dismissed_at": "2026-10-01T10:00:00"}]


def book(rows: list[dict[str, str]]) -> Workbook:
    return Workbook({"duplicate_dismissals": parse_tab("duplicate_dismissals",
                                                       rows_to_raw("duplicate_dismissals", rows))})


def test_a_pair_is_the_same_pair_either_way_round() -> None:
    assert pair_of("P2", "P1") == pair_of("P1", "P2") == ("P1", "P2")
    frame = book([{**DISMISSED[0], "person_id": "P2", "other_person_id": "P1"}]).frame(
        "duplicate_dismissals")
    assert dismissed_pairs(frame) == {("P1", "P2")}


def test_dismissed_pairs_are_left_out_of_the_likely_pairs() -> None:
    found = pd.DataFrame({"score": [27, 22], "a": ["P2", "P3"], "b": ["P1", "P4"],
                          "reasons": ["email +10", "phone +8"]})
    kept = without_dismissed(found, book(DISMISSED).frame("duplicate_dismissals"))
    assert list(zip(kept["a"], kept["b"], strict=True)) == [("P3", "P4")]


def test_dismissing_adds_one_row_with_who_and_when() -> None:
    changes = dismiss_changes(book([]), "P7", "P3", "ann@example.org", NOW)
    (row,) = changes.appends["duplicate_dismissals"]
    assert (row["person_id"], row["other_person_id"]) == ("P3", "P7")
    assert (row["dismissed_by"], row["dismissed_at"]) == ("ann@example.org", NOW)


@pytest.mark.parametrize(("a", "b", "why"), [("P2", "P1", "already"), ("P1", "P1", "themselves")])
def test_a_pair_dismissed_already_or_one_person_is_refused(a: str, b: str, why: str) -> None:
    with pytest.raises(DismissalRefused, match=why):
        dismiss_changes(book(DISMISSED), a, b, "ann@example.org", NOW)


def test_restoring_deletes_the_row_as_seen() -> None:
    changes = restore_changes(book(DISMISSED), ["DD1"])
    (gone,) = changes.deletes["duplicate_dismissals"]
    assert gone.key == "DD1" and gone.seen["person_id"] == "P1"
    with pytest.raises(DismissalRefused, match="no dismissal DD9"):
        restore_changes(book(DISMISSED), ["DD9"])

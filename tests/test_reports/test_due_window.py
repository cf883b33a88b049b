"""The Renewals page's "due within" window from its address (`?within=7`, as the Today page's
renewals line opens it): only the windows the page offers, anything else a sentence."""

from __future__ import annotations

import pytest

from reports.membership import due_window
from reports.today import Line, work_lines
from rules.roles import Role
from tests.test_reports.test_today import AS_OF, organisation


@pytest.mark.parametrize(("asked", "window", "refused"), [
    (None, 30, False), ("", 30, False), ("7", 7, False), (" 60 ", 60, False),
    ("90", 90, False), ("45", 30, True), ("0", 30, True), ("-7", 30, True),
    ("seven", 30, True), ("7.0", 30, True), ("٧", 30, True), ("1e3", 30, True),
])
def test_the_window_asked_for(asked: str | None, window: int, refused: bool) -> None:
    got, sentence = due_window(asked)
    assert got == window
    assert (sentence is not None) == refused
    if sentence:
        assert "30 days" in sentence and "7, 30, 60 or 90" in sentence


def test_a_long_address_is_cut_in_the_sentence() -> None:
    _, sentence = due_window("9" * 500)
    assert sentence is not None and len(sentence) < 250


def test_the_today_line_for_renewals_this_week_asks_for_seven_days() -> None:
    [line] = [line for line in work_lines(organisation(), AS_OF, Role.STAFF)
              if "within" in line.text]
    assert line == Line("1 membership ends within 7 days", 1, "pages/renewals.py",
                        (("within", "7"),))

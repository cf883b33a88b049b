"""The settings tab: typed values with defaults, and a bad value reported, not fatal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sheets_schema import parse_tab, rows_to_raw
from sheets_schema.settings import Settings, settings_from


def _settings(**values: str) -> tuple[Settings, list]:
    frame = parse_tab("settings", rows_to_raw(
        "settings", [{"key": k, "value": v} for k, v in values.items()])).frame
    return settings_from(frame)


def test_an_empty_tab_gives_every_default() -> None:
    settings, problems = _settings()
    assert settings == Settings()
    assert settings.grace_days == 30 and settings.fiscal_year_start == 1
    assert problems == []


@pytest.mark.parametrize(("key", "typed", "expected"), [
    ("fiscal_year_start", "7", 7),
    ("grace_days", " 45 ", 45),
    ("giving_levels", "250, 1000, 10000", (Decimal(250), Decimal(1000), Decimal(10000))),
    ("volunteer_hour_value", "31.80", Decimal("31.80")),
    ("time_zone", "Asia/Seoul", "Asia/Seoul"),
    ("org_name", "Riverside", "Riverside"),
])
def test_typed_values_are_read(key: str, typed: str, expected: object) -> None:
    settings, problems = _settings(**{key: typed})
    assert getattr(settings, key) == expected
    assert problems == []


@pytest.mark.parametrize(("key", "typed"), [
    ("fiscal_year_start", "13"),
    ("grace_days", "thirty"),
    ("giving_levels", "500, 100"),
    ("time_zone", "Mars/Olympus"),
])
def test_a_bad_value_keeps_the_default_and_is_reported_with_its_row(key: str,
                                                                     typed: str) -> None:
    settings, problems = _settings(org_name="Riverside", **{key: typed})
    assert getattr(settings, key) == getattr(Settings(), key)
    assert settings.org_name == "Riverside"
    [problem] = problems
    assert (problem.tab, problem.row, problem.value) == ("settings", 3, typed)
    assert key in problem.message


def test_unknown_keys_and_blank_values_are_left_alone() -> None:
    settings, problems = _settings(board_chair="Ann", grace_days="")
    assert settings.grace_days == 30 and problems == []


def test_today_is_the_organisations_day_not_the_servers() -> None:
    evening_in_new_york = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)  # 21:30 on the 3rd there
    assert Settings(time_zone="America/New_York").day_at(evening_in_new_york) == date(2026, 12, 3)
    assert Settings(time_zone="Asia/Seoul").day_at(evening_in_new_york) == date(2026, 12, 4)

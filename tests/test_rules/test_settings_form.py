"""The settings page's rules: every key offered, each bad value a sentence, only changed keys
written (an edit for a key the tab holds, a new row for one it lacks)."""

from __future__ import annotations

from dataclasses import fields

import pandas as pd
import pytest

from rules.settings_form import (
    FIELDS,
    SettingsInvalid,
    check_setting,
    check_settings,
    settings_changes,
    shown_values,
)
from sheets_schema import parse_tab, rows_to_raw
from sheets_schema.settings import Settings, settings_from


def _tab(**values: str) -> pd.DataFrame:
    return parse_tab("settings", rows_to_raw(
        "settings", [{"key": k, "value": v} for k, v in values.items()])).frame


def test_the_page_offers_every_key_the_settings_tab_holds_once() -> None:
    assert sorted(f.key for f in FIELDS) == sorted(f.name for f in fields(Settings))
    assert all(f.help.endswith(".") for f in FIELDS)


def test_the_page_shows_the_tabs_text_and_the_default_for_a_missing_key() -> None:
    shown = shown_values(_tab(grace_days="45", giving_levels="oops"))
    assert shown["grace_days"] == "45" and shown["giving_levels"] == "oops"
    assert shown["reminder_offsets"] == "30, 7, -7"
    assert shown["giving_levels"] != shown_values(_tab())["giving_levels"] == \
        "100, 500, 5000, 50000"


@pytest.mark.parametrize(("key", "typed", "said"), [
    ("org_name", " ", "organisation's name"),
    ("org_address", "", "every appeal must carry it"),
    ("currency", "usd", "three capital letters"),
    ("currency", "$", "not a currency code"),
    ("time_zone", "Mars/Olympus", "not a time zone"),
    ("fiscal_year_start", "13", "from 1 to 12"),
    ("grace_days", "-3", "from 0 to 3650"),
    ("grace_days", "a month", "is not a whole number from 0 to 3650"),  # not "an amount"
    ("reminder_offsets", "30, 30", "different whole numbers"),
    ("giving_levels", "500, 100", "rising amounts"),
    ("volunteer_hour_value", "lots", "not an amount"),
    ("send_per_day", "0", "from 1 to 1000000"),
])
def test_a_bad_value_gets_a_sentence(key: str, typed: str, said: str) -> None:
    sentence = check_setting(key, typed)
    assert sentence is not None and said in sentence and sentence.endswith(".")


@pytest.mark.parametrize(("key", "typed"), [
    ("currency", "KRW"), ("time_zone", "Asia/Seoul"), ("fiscal_year_start", "7"),
    ("reminder_offsets", "60, 14, -3"), ("giving_levels", "1000, 10000"),
    ("sender_name", ""), ("grace_days", ""),  # blank: the default
])
def test_what_the_page_accepts_the_tab_reads_without_a_problem(key: str, typed: str) -> None:
    assert check_setting(key, typed) is None
    assert settings_from(_tab(**{key: typed}))[1] == []


def test_only_changed_keys_are_written_an_edit_or_a_new_row() -> None:
    frame = _tab(org_name="Riverside", grace_days="30")
    shown = shown_values(frame)
    typed = shown | {"grace_days": "45", "currency": "KRW", "org_address": "1 Main St"}
    changes = settings_changes(frame, shown, typed)
    [edit] = changes.edits["settings"]
    assert edit.key == "grace_days" and edit.changes == {"value": "45"}
    assert edit.seen["value"] == "30"
    assert changes.appends["settings"] == [{"key": "org_address", "value": "1 Main St"},
                                           {"key": "currency", "value": "KRW"}]


def test_nothing_is_built_while_any_value_is_bad() -> None:
    frame = _tab(org_address="1 Main St")
    shown = shown_values(frame)
    with pytest.raises(SettingsInvalid) as raised:
        settings_changes(frame, shown, shown | {"grace_days": "x", "currency": "won"})
    assert set(raised.value.errors) == {"grace_days", "currency"}
    assert check_settings(shown) == {}

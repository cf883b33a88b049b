"""The settings page's rules: what each key means, what a typed value must be, and the one
change set that saves only the keys that changed.

A value is checked by the same reader `settings_from` uses when the tab is read
(`settings.read_setting`), so the page can never accept what reading would then refuse; the
page adds only what reading cannot insist on: an organisation name, a postal address
(every appeal carries it) and a currency code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from sheets_schema.cells import CellError, to_text
from sheets_schema.changes import ChangeSet
from sheets_schema.settings import Settings, read_setting

__all__ = ["FIELDS", "SettingField", "SettingsInvalid", "check_settings", "settings_changes",
           "shown_values"]


@dataclass(frozen=True)
class SettingField:
    """One key of the settings tab as the page offers it."""

    key: str
    label: str
    help: str
    #: A text area rather than one line.
    long: bool = False


#: Every key of `Settings`, in the order the page shows them.
FIELDS: tuple[SettingField, ...] = (
    SettingField("org_name", "Organisation name", "Used in emails, statements and exports."),
    SettingField("org_address", "Postal address", "Every appeal carries it (CAN-SPAM); "
                 "appeals cannot be sent without it.", long=True),
    SettingField("sender_name", "Appeals are sent from", "The name recipients see."),
    SettingField("currency", "Currency", "A three-letter code such as USD or KRW: the "
                 "currency of every amount."),
    SettingField("phone_region", "Phones are in", "A two-letter country code such as KR or "
                 "US: the country of a phone number typed without +country (010-2345-6789). "
                 "Blank: the currency's country."),
    SettingField("time_zone", "Time zone", "An IANA time zone such as America/New_York or "
                 "Asia/Seoul: what 'today' means for dates the app offers."),
    SettingField("fiscal_year_start", "Fiscal year starts in month", "1 to 12; 1 means "
                 "calendar years, 7 a July-to-June year."),
    SettingField("grace_days", "Grace days", "Days after a term ends that a person still "
                 "counts as a member."),
    SettingField("reminder_offsets", "Reminder days", "Days before a term ends that each "
                 "renewal reminder is due, negative for after it, e.g. 30, 7, -7."),
    SettingField("reminder_days", "Reminder days (old setting)", "Superseded by the reminder "
                 "days above; kept so older sheets still read."),
    SettingField("reminder_subject", "Reminder subject", "The renewal reminder's subject, "
                 "with fields like {{ org_name }}."),
    SettingField("reminder_body", "Reminder message", "The renewal reminder's text, with "
                 "fields like {{ first_name }} and {{ membership_end_date }}.", long=True),
    SettingField("send_per_minute", "Messages a minute", "Most appeal messages sent in one "
                 "minute."),
    SettingField("send_per_day", "Messages a day", "Most appeal messages sent in one day "
                 "(Gmail allows about 500)."),
    SettingField("giving_levels", "Giving levels", "Tops of the giving bands, rising, "
                 "without thousands separators, e.g. 100, 500, 5000, 50000."),
    SettingField("recurring_lapse_days", "Standing gift lapses after", "Days past a standing "
                 "gift's due date before it shows as lapsed."),
    SettingField("recurring_close_days", "Standing gift closes after", "Days past its due "
                 "date before a standing gift is closed."),
    SettingField("volunteer_hour_value", "Value of a volunteer hour", "What one hour is "
                 "worth, e.g. 34.79."),
    SettingField("background_check_months", "Background check valid for", "Months after "
                 "which a volunteer's background check is due again."),
)

_REQUIRED = {
    "org_name": "Type the organisation's name.",
    "org_address": "Type the organisation's postal address: every appeal must carry it.",
}
_CURRENCY = re.compile(r"[A-Z]{3}")


class SettingsInvalid(ValueError):
    """Some typed values cannot be saved; `errors` holds a sentence for each key."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(f"{len(errors)} settings need fixing; nothing was saved.")


def _text(value: Any) -> str:
    """A typed setting as the tab holds it: ``(30, 7, -7)`` is ``"30, 7, -7"``."""
    if isinstance(value, tuple):
        return ", ".join(str(part) for part in value)
    return str(value)


def shown_values(frame: pd.DataFrame) -> dict[str, str]:
    """What the page shows for each key: the tab's text where it has the key (even a value
    that cannot be read, so it can be fixed), else the default."""
    stored = {str(k).strip(): to_text(v) for k, v in zip(frame["key"], frame["value"],
                                                          strict=True)}
    defaults = Settings()
    return {f.key: stored[f.key] if stored.get(f.key, "").strip()
            else _text(getattr(defaults, f.key)) for f in FIELDS}


def check_setting(key: str, text: str, currency: str = "") -> str | None:
    """The sentence saying why `text` cannot be `key`'s value, or None when it can; amounts
    are checked in `currency`, the one being saved with them.

    >>> check_setting("grace_days", "-3")
    "'-3' is not a whole number from 0 to 3650."
    """
    text = text.strip()
    if not text:
        return _REQUIRED.get(key)
    if key == "currency" and not _CURRENCY.fullmatch(text):
        return f"{text!r} is not a currency code; type three capital letters like USD or KRW."
    try:
        read_setting(key, text, currency if _CURRENCY.fullmatch(currency) else "")
    except CellError as error:
        return str(error).rstrip(".") + "."
    return None


def check_settings(typed: Mapping[str, str]) -> dict[str, str]:
    """A sentence for every key of `typed` whose value cannot be saved."""
    currency = typed.get("currency", "").strip()
    found = {key: check_setting(key, text, currency) for key, text in typed.items()}
    return {key: sentence for key, sentence in found.items() if sentence}


def settings_changes(frame: pd.DataFrame, shown: Mapping[str, str],
                     typed: Mapping[str, str]) -> ChangeSet:
    """The keys whose typed value differs from what the page showed: an edit of the key's
    row (with the row as read, so a change made in the sheet meanwhile is a conflict), or a
    new row for a key the tab lacks. Raises SettingsInvalid, writing nothing, when any
    typed value cannot be saved."""
    errors = check_settings(typed)
    if errors:
        raise SettingsInvalid(errors)
    known = {f.name for f in fields(Settings)}
    rows = {str(record["key"]).strip(): {str(k): v for k, v in record.items()}
            for record in frame.to_dict("records")}
    changes = ChangeSet()
    for key, text in typed.items():
        value = text.strip()
        if key not in known or value == shown.get(key, "").strip():
            continue
        if key in rows:
            seen = rows[key]
            changes.edit("settings", str(seen["key"]), {"value": value}, seen)
        else:
            changes.append("settings", {"key": key, "value": value})
    return changes

"""How every table reads: headers in words, money in the organisation's currency, dates
without a time of day, names instead of ids (a person's name opens their page), emails and
phones as links.

One helper for every page's `st.dataframe`: `screen(frame)` returns the frame as drawn and
its `column_config`, built from the models' fields (`sheets_schema.TABS` knows each column's
kind by its name) and, for columns a report made, from their values. Downloads take the
frame as it was (ids and plain numbers); only the screen changes. Editable grids get
`editor_config`: the same headers and formats, their values untouched, so what is typed
still goes through the page's write path and its checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
import streamlit as st

from pages.common import data
from pages.common.safe import plain
from rules import money
from rules.people import display_name
from sheets_schema import TABS
from sheets_schema.cells import is_blank
from sheets_schema.workbook import Workbook

Config = dict[str, Any]

#: Each column name of the models and its kind ("money", "date", ...): one name, one kind.
KINDS: dict[str, str] = {column.name: column.kind.name
                         for spec in TABS.values() for column in spec.columns}

#: An id column, the page that opens its row (its url path) and the tab naming its rows.
LINKED = {"person_id": ("person", "people"), "other_person_id": ("person", "people"),
          "campaign_id": ("campaign", "campaigns"), "mailing_id": ("appeal", "mailings")}
#: Id columns shown by the name of what they point at, without a page of their own.
NAMED = {"level_id": "membership_levels", "segment_id": "segments"}
#: Words for headers that the field name alone says badly.
WORDS = {"id": "Id", "level_name": "Level", "offset": "Days before the end"}
DAY = "YYYY-MM-DD"
MOMENT = "YYYY-MM-DD HH:mm"


def label(name: str) -> str:
    """A column's header in words: ``label("background_check_date") == "Background check
    date"``, ``label("person_id") == "Person"``."""
    if name in WORDS:
        return WORDS[name]
    words = name.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name


def currency() -> str:
    """The organisation's currency code (the settings' `currency`)."""
    return data.shared_workbook().settings.currency


def _names_of(book: Workbook, tab: str) -> dict[str, str]:
    rows = book.frame(tab)
    if rows.empty:
        return {}
    if tab == "people":
        return {str(p["id"]): display_name(p) for p in rows.to_dict("records")}
    return dict(zip(rows["id"].astype(str), rows["name"].astype(str), strict=True))


def names(tab: str) -> dict[str, str]:
    """Id to name for the rows of `tab` the role may read, once per snapshot."""
    return data.derived("names by id", _names_of, tab)


def link(page: str, key: str, name: str) -> str:
    """The address of a row's page that a LinkColumn shows as `name` (`display_text` reads
    it back from ``name=``):
    ``link("person", "P1", "Ann Lee") == "person?id=P1&name=Ann%20Lee"``."""
    return f"{page}?id={quote(key, safe='')}&name={quote(name or key, safe='')}"


SHOWS_NAME = r"&name=(.*)$"


def mailto(email: str) -> str:
    """A table cell's link that writes to `email` and shows it (``mailto:(.*)`` reads it
    back, percent-decoded: a ``+`` must travel as %2B)."""
    return f"mailto:{quote(email.strip(), safe='@')}"


def tel(phone: str) -> str:
    """A table cell's link that calls `phone` and shows it as typed."""
    return f"tel:{quote(phone.strip(), safe='')}"


def dial(phone: str) -> str:
    """The link a phone dials: ``dial("+1 (617) 555-0100") == "tel:+16175550100"``."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


def contact_links(email: str, phone: str, where: Any = st) -> None:
    """Buttons that write to and call a person (their mail program, their phone)."""
    left, right = where.columns(2)
    if email:
        left.link_button(f"✉️ {plain(email)}", mailto(email))
    if phone and re.search(r"\d", phone):
        right.link_button(f"📞 {plain(phone)}", dial(phone))


def _blank(value: Any) -> bool:
    """Nothing to show: a blank cell (`is_blank`) or empty text."""
    return is_blank(value) or (isinstance(value, str) and not value)


def _values(column: pd.Series) -> list[Any]:
    return [v for v in column.head(50) if not _blank(v)]


def _all(values: list[Any], kind: type | tuple[type, ...]) -> bool:
    return bool(values) and all(isinstance(v, kind) for v in values)


def _floats(column: pd.Series) -> np.ndarray:
    return np.array([np.nan if _blank(v) else float(v) for v in column], dtype=float)


def _found(column: pd.Series) -> str:
    """What a column's values are."""
    if pd.api.types.is_bool_dtype(column):
        return "flag"
    if pd.api.types.is_datetime64_any_dtype(column):
        days = column.dropna()
        return "date" if (days == days.dt.normalize()).all() else "datetime"
    if pd.api.types.is_numeric_dtype(column):
        return "number"
    values = _values(column)
    if _all(values, Fraction):
        return "share"
    if _all(values, Decimal):
        return "money"
    if _all(values, (int, np.integer, float)):
        return "number"
    if _all(values, (Decimal, Fraction, int, np.integer)):
        return "mixed"
    if _all(values, datetime):
        return "datetime"
    if _all(values, date):
        return "date"
    return "text"


def _kind(name: str, column: pd.Series) -> str:
    """What a column holds: what its values are, told apart by its model field where the
    values alone cannot say (an amount or hours; a day or a moment)."""
    found, field = _found(column), KINDS.get(name)
    if field == "money" and found in {"money", "number"}:
        return "money"
    if found == "money" and field is not None:
        return "number"  # exact but not money: hours
    if field == "date" and found == "datetime":
        return "date"
    return found


def _mixed_text(value: Any, code: str) -> str:
    if _blank(value):
        return ""
    if isinstance(value, Fraction):
        return f"{float(value):.1%}"
    if isinstance(value, Decimal):
        return money.money_text(value, code)
    return f"{value:,}"


def _formatted(kind: str, name: str, code: str) -> Any:
    words = label(name)
    if kind == "money":
        return st.column_config.NumberColumn(words, format=money.column_format(code))
    if kind == "share":
        return st.column_config.NumberColumn(words, format="percent")
    if kind == "date":
        return st.column_config.DateColumn(words, format=DAY)
    if kind == "datetime":
        return st.column_config.DatetimeColumn(words, format=MOMENT)
    if kind == "flag":
        return st.column_config.CheckboxColumn(words)
    return st.column_config.Column(words)


def _link_column(shown: pd.DataFrame, frame: pd.DataFrame, id_column: str, page: str,
                 tab: str, name_column: str | None) -> str:
    """Put the row's link where its name (or else its id) is; the id column stays, hidden,
    so a selection or a test still reads the id."""
    known = names(tab)
    ids = frame[id_column]
    own = frame[name_column] if name_column else None
    links = ["" if _blank(key) else link(page, str(key), str(own.iloc[i]) if own is not None
                                           and not _blank(own.iloc[i])
                                           else known.get(str(key), str(key)))
             for i, key in enumerate(ids)]
    where = name_column or f"{id_column}_link"
    shown[where] = links
    if not name_column:
        shown.insert(list(frame.columns).index(id_column), where, shown.pop(where))
    return where


def screen(frame: pd.DataFrame, person: str = "person_id", named: str | None = None,
           money_columns: tuple[str, ...] = ()) -> tuple[pd.DataFrame, Config]:
    """`frame` as a table draws it, and the `column_config` that draws it.

    `person` is the column holding people's ids (``"id"`` on a list of people). The frame's
    ``name`` column is the name of the first linked id column present, or of `named`.
    `money_columns`: columns of plain numbers a report made that are amounts."""
    code = currency()
    shown, config = frame.copy(), {}
    linked = {person: LINKED["person_id"], **{c: LINKED[c] for c in LINKED if c != person}}
    present = [c for c in linked if c in frame.columns]
    owner = named or (present[0] if present else None)
    for id_column in present:
        page, tab = linked[id_column]
        name_column = "name" if id_column == owner and "name" in frame.columns else None
        where = _link_column(shown, frame, id_column, page, tab, name_column)
        config[where] = st.column_config.LinkColumn(
            label(name_column or id_column), display_text=SHOWS_NAME)
        config[id_column] = None
    for name in frame.columns:
        if name in config:
            continue
        column = frame[name]
        if name in NAMED:
            config[name] = None  # hidden; its name is shown beside it
            named_as = name.removesuffix("_id")
            if not {named_as, f"{named_as}_name"} & set(frame.columns):
                known = names(NAMED[name])
                shown.insert(list(shown.columns).index(name), named_as,
                             [None if _blank(v) else known.get(str(v), str(v)) for v in column])
                config[named_as] = st.column_config.TextColumn(label(named_as))
        elif name == "email":
            shown[name] = ["" if _blank(v) else mailto(str(v)) for v in column]
            config[name] = st.column_config.LinkColumn(label(name), display_text="mailto:(.*)")
        elif name == "phone":
            shown[name] = ["" if _blank(v) else tel(str(v)) for v in column]
            config[name] = st.column_config.LinkColumn(label(name), display_text="tel:(.*)")
        else:
            kind = "money" if name in money_columns else _kind(name, column)
            if kind in {"money", "share"} or (kind == "number" and column.dtype == object):
                shown[name] = _floats(column)
            elif kind == "mixed":
                shown[name] = [_mixed_text(v, code) for v in column]
            config[name] = _formatted(kind, name, code)
    return shown, config


def editor_config(frame: pd.DataFrame, given: Mapping[str, Any] | None = None) -> Config:
    """Headers and formats for an editable grid of `frame`: its values stay as they are (no
    links, no names for ids), so the page's write path reads them unchanged. `given`
    (a page's own settings for some columns) wins."""
    code = currency()
    config: Config = {name: _formatted(_kind(name, frame[name]), name, code)
                      for name in frame.columns}
    return {**config, **(given or {})}


def table(frame: pd.DataFrame, key: str | None = None, *, person: str = "person_id",
          named: str | None = None, money_columns: tuple[str, ...] = (),
          config: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """`st.dataframe` of `frame` as `screen` draws it (`config`: a page's own settings for
    some columns, which win); returns what st.dataframe returns (a selection event when
    `on_select` is given)."""
    shown, built = screen(frame, person, named, money_columns)
    return st.dataframe(shown, hide_index=True, width="stretch", key=key,
                        column_config={**built, **(config or {})}, **options)

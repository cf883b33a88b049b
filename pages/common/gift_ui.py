"""Widgets the giving pages share: the gift form, tables with their downloads, charts with
their numbers, and the cached giving ledger and dashboard.

Donors are picked with `people_ui.person_picker`, which shows names, emails and ids only,
never anything about giving: a volunteer entering a batch uses it too. Amounts stay exact
(`Decimal`) in every download; only the on-screen tables turn them into floats, to sort
and align.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.common import columns, data, people_ui
from pages.common import downloads as download_rules
from pages.common.safe import plain
from reports import charts, fundraising_dashboard
from reports import fundraising as fr
from reports import statements as rs
from reports.campaigns import campaign_donors, campaign_gifts, campaign_progress
from reports.export import to_safe_csv, to_xlsx, xlsx_value
from reports.ledger import Giving
from rules import money as money_rule
from rules.gifts import (
    CAMPAIGN_KINDS,
    CAMPAIGN_STATUSES,
    GIFT_KINDS,
    GIFT_METHODS,
    TRIBUTES,
    BatchCheck,
    ScheduleChange,
)
from rules.people import display_name
from sheets_schema.cells import is_blank
from sheets_schema.workbook import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NONE = "(none)"
Config = dict[str, Any]


# ---------------------------------------------------------------------- cached ledger


def _giving(book: Workbook, as_of: date, fiscal_year_start: int) -> Giving:
    return fr.giving(book.frame("donations"), as_of, fiscal_year_start)


def giving(as_of: date, fiscal_year_start: int) -> Giving:
    """The completed-gift ledger of this run's snapshot, built once per snapshot, role and
    arguments and shared by every page and session."""
    return data.derived("giving", _giving, as_of, fiscal_year_start)


def giving_of(book: Workbook, as_of: date, fiscal_year_start: int) -> Giving:
    """`giving`, for a `book` a caller hands in: cached when it is this run's snapshot."""
    if book.read_at == data.shared_workbook().read_at:
        return giving(as_of, fiscal_year_start)
    return _giving(book, as_of, fiscal_year_start)


def _symbol(book: Workbook) -> str:
    return money_rule.symbol(book.settings.currency)


def symbol() -> str:
    """The organisation's currency sign ("$"), worked out once per snapshot."""
    return data.derived("currency_symbol", _symbol)


def money(amount: Decimal | None, code: str | None = None) -> str:
    """``"$1,234.50"``, ``"₩50,000"``: in the organisation's currency (or `code`), by
    `rules.money`; "–" for none."""
    if is_blank(amount):
        return "–"
    return money_rule.money_text(amount, columns.currency() if code is None else code)


def rate(share: Fraction | None) -> str:
    return "–" if share is None else f"{float(share):.1%}"


# ------------------------------------------------------------------------ the tables


def screen(frame: pd.DataFrame) -> tuple[pd.DataFrame, Config]:
    """The frame as st.dataframe shows it, with the column settings that draw it
    (`columns.screen`: money in the currency, shares as percentages, names for ids)."""
    return columns.screen(frame)


def change(now: Decimal | None, before: Decimal | None) -> str | None:
    """``"+12.5%"``: how much `now` is above (or below) `before`; None without both."""
    if now is None or not before:
        return None
    return f"{float((now - before) / before):+.1%}"


def points(now: Fraction | None, before: Fraction | None) -> str | None:
    """A rate's change in percentage points: ``"+2.1 pts"``."""
    if now is None or before is None:
        return None
    return f"{float(now - before) * 100:+.1f} pts"


def table(frame: pd.DataFrame, key: str, height: int | str = "auto") -> None:
    """`frame` on screen, money and shares drawn as such."""
    columns.table(frame, key, height=height)


def to_csv(frame: pd.DataFrame) -> str:
    """The table as CSV text: exact amounts, shares as decimals, no cell runs as a formula."""
    return to_safe_csv(frame.map(lambda v: "" if xlsx_value(v) is None else xlsx_value(v)))


def downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, key: str) -> None:
    """CSV and xlsx downloads of a table (made only when clicked), for roles that may
    download."""
    if not download_rules.allowed():
        return

    def get() -> pd.DataFrame:
        return frame() if callable(frame) else frame

    left, right = st.columns(2)
    download_rules.button("Download CSV", lambda: to_csv(get()), f"{stem}.csv", "text/csv",
                          where=left, key=f"{key}_csv", on_click="ignore")
    download_rules.button("Download xlsx", lambda: to_xlsx({stem: get()}), f"{stem}.xlsx",
                          XLSX, where=right, key=f"{key}_xlsx", on_click="ignore")


def chart(figure: go.Figure, frame: pd.DataFrame, stem: str, key: str) -> None:
    """A chart, and under it the numbers it draws, as a table and as downloads."""
    download_rules.chart(figure, key=f"{key}_chart")
    with st.expander("The numbers"):
        table(frame, f"{key}_table")
        downloads(frame, stem, key)


# -------------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class DashboardView:
    board: fundraising_dashboard.Dashboard
    figures: dict[str, go.Figure]


def _dashboard(book: Workbook, as_of: date, start: int, tops: tuple[Decimal, ...],
               code: str) -> DashboardView:
    g = giving(as_of, start)
    board = fundraising_dashboard.dashboard(g, book.frame("people"), book.frame("campaigns"),
                                            tops, money_rule.symbol(code))
    return DashboardView(board, charts.dashboard_figures(board, code))


def dashboard(as_of: date, fiscal_year_start: int) -> DashboardView:
    """The dashboard's tables and figures, worked out once per snapshot, role, as-of date
    and kind of year."""
    settings = data.workbook().settings
    return data.derived("fundraising_dashboard", _dashboard, as_of, fiscal_year_start,
                        tuple(settings.giving_levels), settings.currency)


def year_options(fiscal_year_start: int) -> dict[str, int]:
    """The kinds of year the dashboard offers, the settings' own first: with calendar years
    in the settings, July-to-June is offered beside them (the usual US nonprofit year)."""
    def fiscal(start: int) -> str:
        return (f"Fiscal years ({calendar.month_name[start]} to "
                f"{calendar.month_name[(start - 2) % 12 + 1]})")

    if fiscal_year_start == 1:
        return {"Calendar years": 1, fiscal(7): 7}
    return {fiscal(fiscal_year_start): fiscal_year_start, "Calendar years": 1}


def _campaign(book: Workbook, as_of: date, start: int,
              campaign_id: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    g, people = giving(as_of, start), book.frame("people")
    campaigns = book.frame("campaigns")
    return (campaign_progress(g, campaigns[campaigns["id"] == campaign_id]),
            campaign_donors(g, people, campaign_id), campaign_gifts(g, people, campaign_id))


def campaign_tables(as_of: date, fiscal_year_start: int,
                    campaign_id: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One campaign's progress (one row), donors and gifts, worked out once per snapshot."""
    return data.derived("campaign", _campaign, as_of, fiscal_year_start, campaign_id)


def statement_years() -> list[int]:
    """The calendar years with completed gifts, newest first (once per snapshot)."""
    return data.derived("statement_years",
                        lambda book: rs.statement_years(book.frame("donations")))


def statement_donors(year: int) -> list[str]:
    """Who gets a statement for `year` (once per snapshot)."""
    return data.derived("statement_donors",
                        lambda book, y: rs.statement_donors(book.frame("donations"), y), year)


def field_error(errors: Mapping[str, str], name: str, where: Any = st) -> None:
    if name in errors:
        where.error(plain(errors[name]))


def conflict_notice(tab_name: str) -> None:
    """Say so when the last save on `tab_name` met someone else's change (nothing was
    written; the page now shows the row as it is)."""
    conflict = data.carried_conflict(tab_name)
    if conflict is not None:
        st.warning(plain(conflict) + " The page now shows the row as it is; try again.")


def campaign_options(campaigns: pd.DataFrame) -> dict[str, str]:
    """Campaign id to name, running and planned campaigns first; "" for no campaign."""
    order = campaigns.assign(rank=campaigns["status"].map(
        {"active": 0, "planned": 1}).fillna(2)).sort_values(["rank", "start_date"],
                                                            ascending=[True, False])
    return {"": NONE, **{str(c["id"]): str(c["name"]) for c in order.to_dict("records")}}


def fund_options(book: Workbook) -> list[str]:
    """The funds already in use (what the role may see), General first."""
    seen = [*book.frame("donations")["fund"], *book.frame("recurring_gifts")["fund"]]
    counts = pd.Series([f for f in seen if f], dtype=object).value_counts()
    return list(dict.fromkeys(["General", *counts.index]))


# ----------------------------------------------------------------------- one gift


def gift_fields(key: str, book: Workbook, errors: Mapping[str, str]) -> dict[str, Any]:
    """The fields of one gift, each with the message from the last save beside it."""
    people = book.frame("people")
    values: dict[str, Any] = {
        "person_id": people_ui.person_picker(f"{key}_person", people, "Donor")}
    field_error(errors, "person_id")
    left, right = st.columns(2)
    values["amount"] = left.text_input("Amount", key=f"{key}_amount", placeholder="25.00")
    field_error(errors, "amount", left)
    values["date"] = right.date_input("Date", value=data.today(), max_value=data.today(),
                                      key=f"{key}_date")
    field_error(errors, "date", right)
    values["kind"] = left.selectbox("Kind", GIFT_KINDS, key=f"{key}_kind")
    values["method"] = right.selectbox("Method", GIFT_METHODS, key=f"{key}_method",
                                       index=GIFT_METHODS.index("cheque"))
    if values["kind"] == "in-kind" or values["method"] == "in-kind":
        values["in_kind_description"] = st.text_input(
            "What was given", key=f"{key}_in_kind",
            help="An in-kind gift's value is the amount above.")
    field_error(errors, "in_kind_description")
    campaigns = campaign_options(book.frame("campaigns"))
    values["campaign_id"] = left.selectbox("Campaign", list(campaigns),
                                           format_func=campaigns.get, key=f"{key}_campaign")
    field_error(errors, "campaign_id", left)
    values["fund"] = right.selectbox("Fund", fund_options(book), key=f"{key}_fund",
                                     accept_new_options=True)
    values["reference"] = left.text_input("Reference", key=f"{key}_reference",
                                          help="Cheque number or transaction id")
    values["thank"] = right.checkbox("Send a thank-you", value=True, key=f"{key}_thank")
    extra = {"soft_credit_person_id", "tribute_type", "tribute_name"} & set(errors)
    with st.expander("Soft credit and tribute", expanded=bool(extra)):
        values["soft_credit_person_id"] = people_ui.person_picker(
            f"{key}_credit", people, "Soft credit",
            help="Someone else to credit, e.g. the spouse or the company that matched it")
        field_error(errors, "soft_credit_person_id")
        tribute = st.radio("Tribute", [NONE, *TRIBUTES], horizontal=True,
                           key=f"{key}_tribute")
        values["tribute_type"] = "" if tribute == NONE else tribute
        field_error(errors, "tribute_type")
        values["tribute_name"] = st.text_input("In honour or memory of", key=f"{key}_honoured")
        field_error(errors, "tribute_name")
    values["note"] = st.text_area("Note", key=f"{key}_note", height=68)
    return values


def now() -> datetime:
    return datetime.now()


# ----------------------------------------------------------------------- a batch

BATCH_COLUMNS = ["person_id", "amount", "method", "reference", "date"]


def empty_batch() -> pd.DataFrame:
    """The batch grid's first input: no rows, a column of each kind."""
    return pd.DataFrame({"person_id": pd.Series([], dtype=object),
                         "amount": pd.Series([], dtype=object),
                         "method": pd.Series([], dtype=object),
                         "reference": pd.Series([], dtype=object),
                         "date": pd.Series([], dtype=object)})


def with_row(grid: pd.DataFrame, person_id: str) -> pd.DataFrame:
    """The grid as it is now, with one more row for `person_id`: the next input."""
    row = pd.DataFrame({"person_id": [person_id], "amount": [""], "method": ["cheque"],
                        "reference": [""], "date": pd.Series([None], dtype=object)})
    current = grid[BATCH_COLUMNS].astype(object)
    days = pd.to_datetime(current["date"], errors="coerce")
    current["date"] = [None if pd.isna(d) else d.date() for d in days]
    return pd.concat([current, row], ignore_index=True)


def _typed(value: Any) -> str:
    """What a grid cell holds, as the text typed; "" for a blank."""
    if is_blank(value):
        return ""
    return str(value).strip()


def batch_review(grid: pd.DataFrame, check: BatchCheck, people: pd.DataFrame) -> pd.DataFrame:
    """Each filled row of the grid as it will be saved: who it is (name and email only) and
    what is wrong with it."""
    labels = {str(p["id"]): people_ui.person_label(p) for p in people[people["id"].isin(
        set(grid["person_id"].dropna().astype(str)))].to_dict("records")}
    records = grid.to_dict("records")
    rows = []
    for number, problem in check.rows:
        row = {k: _typed(v) for k, v in records[number - 1].items()}
        person = row["person_id"]
        rows.append({"row": number, "person": labels.get(person, "unknown id" if person else ""),
                     "amount": row["amount"], "method": row["method"],
                     "reference": row["reference"], "problem": problem or "ok"})
    return pd.DataFrame(rows, columns=["row", "person", "amount", "method", "reference",
                                       "problem"])


# ------------------------------------------------------------------ standing gifts


def _names(people: pd.DataFrame, ids: Any) -> dict[str, str]:
    wanted = set(ids)
    return {str(p["id"]): display_name(p)
            for p in people[people["id"].isin(wanted)].to_dict("records")}


def status_change_table(changes: list[ScheduleChange], people: pd.DataFrame) -> pd.DataFrame:
    names = _names(people, [c.person_id for c in changes])
    return pd.DataFrame([{"id": c.id, "donor": names.get(c.person_id, f"({c.person_id})"),
                          "status": c.status, "becomes": c.becomes,
                          "days_past_due": c.days_late} for c in changes])


def schedule_options(schedules: pd.DataFrame, people: pd.DataFrame) -> dict[str, str]:
    """Schedule id to "Ann Lee · $20.00 monthly · due 2026-11-20 · R001"."""
    names, code = _names(people, schedules["person_id"]), columns.currency()
    options = {}
    for r in schedules.to_dict("records"):
        due = f" · due {r['next_date']:%Y-%m-%d}" if pd.notna(r["next_date"]) else ""
        options[str(r["id"])] = (f"{names.get(r['person_id'], r['person_id'])} · "
                                 f"{money(r['amount'], code)} {r['frequency']}{due} · {r['id']}")
    return options


# ------------------------------------------------------------------------- campaigns



def _date_or_none(value: Any) -> date | None:
    return None if is_blank(value) else pd.Timestamp(value).date()


def campaign_fields(key: str, campaign: Mapping[str, Any],
                    errors: Mapping[str, str]) -> dict[str, Any]:
    """A campaign's fields, filled from `campaign` (empty for a new one), with the messages
    from the last save beside them."""
    values: dict[str, Any] = {"name": st.text_input("Name", value=str(campaign.get("name", "")),
                                                    key=f"{key}_name")}
    field_error(errors, "name")
    left, middle, right = st.columns(3)
    kind = str(campaign.get("kind") or "appeal")
    values["kind"] = left.selectbox("Kind", CAMPAIGN_KINDS, key=f"{key}_kind",
                                    index=CAMPAIGN_KINDS.index(kind))
    status = str(campaign.get("status") or "active")
    values["status"] = middle.selectbox("Status", CAMPAIGN_STATUSES, key=f"{key}_status",
                                        index=CAMPAIGN_STATUSES.index(status))
    goal = campaign.get("goal")
    values["goal"] = right.text_input("Goal", value="" if is_blank(goal)
                                      else f"{goal}", key=f"{key}_goal",
                                      placeholder="blank: no goal")
    field_error(errors, "goal", right)
    values["start_date"] = left.date_input("Starts", value=_date_or_none(
        campaign.get("start_date")), key=f"{key}_start")
    values["end_date"] = middle.date_input("Ends", value=_date_or_none(
        campaign.get("end_date")), key=f"{key}_end")
    field_error(errors, "end_date", middle)
    values["description"] = st.text_area("Description",
                                         value=str(campaign.get("description", "")),
                                         key=f"{key}_description", height=68)
    return values

"""Volunteer reports: approved hours by month and activity, active volunteers, retention,
the value of volunteer time, mailing segments and shift rosters.

Only approved hours count in a report (an unapproved row is a claim, not yet a fact). Hours
and money stay Decimal, retention a Fraction, so a table and its download sum exactly;
floats appear only in the figures. Years are calendar years. Every function takes the
frames and an `as_of` date; nothing reads "today".

    value = volunteer_value(hours, book.settings.volunteer_hour_value)
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from rules.membership_terms import add_months
from rules.people import display_name
from sheets_schema.cells import is_blank

from .charts import chart_text

__all__ = [
    "active_volunteers",
    "approved_hours",
    "hours_by_activity",
    "hours_by_month",
    "hours_by_year",
    "activity_figure",
    "month_figure",
    "retention",
    "retention_by_year",
    "roster",
    "roster_html",
    "segment_ids",
    "volunteer_value",
]

_NO_ACTIVITY = "(no activity)"


def _total(values: pd.Series) -> Decimal:
    return sum((Decimal(v) for v in values), Decimal(0))


def approved_hours(hours: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The approved rows of `hours` (in `year` when given)."""
    rows = hours[hours["approved"].fillna(False).astype(bool) & hours["date"].notna()]
    if year is not None:
        rows = rows[pd.to_datetime(rows["date"]).dt.year == year]
    return rows


def _grouped(rows: pd.DataFrame, keys: pd.Series, name: str) -> pd.DataFrame:
    totals: dict[Any, Decimal] = {}
    counts: dict[Any, set[str]] = {}
    for key, hours, person in zip(keys, rows["hours"], rows["person_id"], strict=True):
        totals[key] = totals.get(key, Decimal(0)) + Decimal(hours)
        counts.setdefault(key, set()).add(str(person))
    return pd.DataFrame({name: list(totals), "hours": list(totals.values()),
                         "volunteers": [len(counts[k]) for k in totals]})


def hours_by_month(hours: pd.DataFrame, year: int) -> pd.DataFrame:
    """Approved hours and distinct volunteers in each month (1-12) of `year`; a month with
    none is a zero row, so the table always has twelve."""
    rows = approved_hours(hours, year)
    found = _grouped(rows, pd.to_datetime(rows["date"]).dt.month, "month")
    months = pd.DataFrame({"month": range(1, 13)})
    out = months.merge(found, on="month", how="left")
    out["hours"] = pd.Series([Decimal(0) if pd.isna(v) else v for v in out["hours"]],
                             index=out.index, dtype=object)
    out["volunteers"] = out["volunteers"].fillna(0).astype(int)
    return out


def hours_by_activity(hours: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Approved hours and distinct volunteers by activity, most hours first."""
    rows = approved_hours(hours, year)
    keys = rows["activity"].fillna("").astype(str).str.strip().replace("", _NO_ACTIVITY)
    out = _grouped(rows, keys, "activity")
    if out.empty:
        return out
    return out.sort_values(["hours", "activity"], ascending=[False, True],
                           kind="stable", ignore_index=True)


def hours_by_year(hours: pd.DataFrame, hour_value: Decimal) -> pd.DataFrame:
    """Approved hours, volunteers and their value (hours × `hour_value`) by calendar year."""
    rows = approved_hours(hours)
    out = _grouped(rows, pd.to_datetime(rows["date"]).dt.year, "year")
    if out.empty:
        return out.assign(value=[])
    out["value"] = [h * hour_value for h in out["hours"]]
    return out.sort_values("year", ignore_index=True)


def volunteer_value(hours: pd.DataFrame, hour_value: Decimal, year: int | None = None) -> Decimal:
    """What the approved hours are worth: their exact sum times `hour_value`."""
    return _total(approved_hours(hours, year)["hours"]) * hour_value


def _givers(hours: pd.DataFrame, year: int) -> set[str]:
    return set(approved_hours(hours, year)["person_id"].astype(str))


def retention(hours: pd.DataFrame, year: int) -> Fraction | None:
    """|V(y-1) ∩ V(y)| / |V(y-1)|, V(y) the people with approved hours in year y; None
    when nobody gave time in y-1."""
    before = _givers(hours, year - 1)
    if not before:
        return None
    return Fraction(len(before & _givers(hours, year)), len(before))


def retention_by_year(hours: pd.DataFrame) -> pd.DataFrame:
    """For each year after the first with approved hours: last year's volunteers, how many
    gave time again, and the share (a Fraction)."""
    years = sorted(set(pd.to_datetime(approved_hours(hours)["date"]).dt.year))
    rows = []
    for year in years[1:]:
        before, now = _givers(hours, year - 1), _givers(hours, year)
        rows.append({"year": year, "last_year": len(before), "retained": len(before & now),
                     "retention": Fraction(len(before & now), len(before)) if before else None})
    counts = {"year": "int64", "last_year": "int64", "retained": "int64"}  # even with no rows
    return pd.DataFrame(rows, columns=["year", "last_year", "retained", "retention"]).astype(
        counts)


def _names(people: pd.DataFrame) -> dict[str, str]:
    return {str(p["id"]): display_name({str(k): v for k, v in p.items()})
            for p in people.to_dict("records")}


def active_volunteers(volunteers: pd.DataFrame, hours: pd.DataFrame, people: pd.DataFrame,
                      as_of: date, months: int = 12) -> pd.DataFrame:
    """Profiles with status active, with their approved hours in the `months` before
    `as_of` and the day they last gave time."""
    since = pd.Timestamp(add_months(as_of, -months))
    rows = approved_hours(hours)
    rows = rows[(rows["date"] > since) & (rows["date"] <= pd.Timestamp(as_of))]
    names = _names(people)
    active = volunteers[volunteers["status"] == "active"]
    out = []
    for person_id in active["id"].astype(str):
        mine = rows[rows["person_id"] == person_id]
        out.append({"person_id": person_id, "name": names.get(person_id, f"({person_id})"),
                    "hours": _total(mine["hours"]),
                    "last_day": mine["date"].max() if not mine.empty else pd.NaT})
    return pd.DataFrame(out, columns=["person_id", "name", "hours", "last_day"])


def segment_ids(volunteers: pd.DataFrame, hours: pd.DataFrame, as_of: date, *,
                skill: str = "", availability: str = "", activity: str = "",
                lapsed: bool = False) -> list[str]:
    """The person ids of volunteers matching every criterion given (case-insensitive):
    a `skill` among their skills, `availability` text within theirs, any logged hours (approved
    or not) in `activity`, and with `lapsed` no hours at all in the 12 months before `as_of`
    (who did give time once). Sorted; the mail pages turn them into recipients."""
    chosen = volunteers
    if skill:
        wanted = skill.strip().casefold()
        chosen = chosen[[wanted in {s.casefold() for s in (skills or ())}
                         for skills in chosen["skills"]]]
    if availability:
        chosen = chosen[chosen["availability"].fillna("").astype(str).str.casefold()
                        .str.contains(availability.strip().casefold(), regex=False)]
    ids = set(chosen["id"].astype(str))
    logged = hours[hours["date"].notna()]
    if activity:
        wanted = activity.strip().casefold()
        ids &= set(logged[logged["activity"].fillna("").astype(str).str.strip().str.casefold()
                          == wanted]["person_id"].astype(str))
    if lapsed:
        since = pd.Timestamp(add_months(as_of, -12))
        recent = set(logged[(logged["date"] > since)
                            & (logged["date"] <= pd.Timestamp(as_of))]["person_id"].astype(str))
        ids &= set(logged["person_id"].astype(str)) - recent
    return sorted(ids)


def roster(shift: Mapping[str, Any], people: pd.DataFrame) -> pd.DataFrame:
    """Who works `shift`, in sign-up order, with the phone and email to reach them."""
    by_id = {str(p["id"]): p for p in people.to_dict("records")}
    rows = []
    for number, person_id in enumerate(shift.get("assigned") or (), start=1):
        person = by_id.get(person_id, {"id": person_id})
        rows.append({"place": number, "person_id": person_id, "name": display_name(person),
                     "phone": person.get("phone") or "", "email": person.get("email") or ""})
    return pd.DataFrame(rows, columns=["place", "person_id", "name", "phone", "email"])


def _when(shift: Mapping[str, Any]) -> str:
    day = pd.Timestamp(shift["date"]).date().isoformat()
    times = [t.strftime("%H:%M") for t in (shift.get("start"), shift.get("end")) if t]
    return f"{day} {'–'.join(times)}".strip()


def roster_html(shift: Mapping[str, Any], people_on: pd.DataFrame, title: str = "") -> str:
    """A plain printable page of the roster (every value escaped: names come from the
    sheet), with an empty row for each open place to write a name in."""
    e = html.escape
    places = shift.get("places")
    open_places = 0 if is_blank(places) else max(
        0, int(places) - len(people_on))
    rows = "".join(f"<tr><td>{e(str(r['place']))}</td><td>{e(str(r['name']))}</td>"
                   f"<td>{e(str(r['phone']))}</td><td>{e(str(r['email']))}</td>"
                   f"<td></td></tr>" for r in people_on.to_dict("records"))
    rows += "<tr><td></td><td></td><td></td><td></td><td></td></tr>" * open_places
    heading = e(f"{shift.get('activity') or 'Shift'} · {_when(shift)}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{heading}</title>"
            f"<style>body{{font-family:sans-serif}}table{{border-collapse:collapse;"
            f"width:100%}}td,th{{border:1px solid #444;padding:6px;text-align:left}}</style>"
            f"</head><body><h1>{heading}</h1><p>{e(title)}</p><table><tr><th>#</th>"
            f"<th>Name</th><th>Phone</th><th>Email</th><th>Signed in</th></tr>{rows}</table>"
            f"</body></html>")


def month_figure(by_month: pd.DataFrame, year: int) -> go.Figure:
    """Approved hours in each month of `year`, as bars."""
    labels = [date(year, int(m), 1).strftime("%b") for m in by_month["month"]]
    return go.Figure({"data": [{"type": "bar", "x": labels,
                                "y": [float(h) for h in by_month["hours"]], "name": "hours"}],
                      "layout": {"title": {"text": f"Approved volunteer hours by month, {year}"},
                                 "yaxis": {"title": {"text": "hours"}}}})


def activity_figure(by_activity: pd.DataFrame) -> go.Figure:
    """Approved hours by activity, as horizontal bars (labels from the sheet, escaped)."""
    return go.Figure({"data": [{"type": "bar", "orientation": "h",
                                "y": [chart_text(a) for a in by_activity["activity"]],
                                "x": [float(h) for h in by_activity["hours"]], "name": "hours"}],
                      "layout": {"title": {"text": "Approved volunteer hours by activity"},
                                 "xaxis": {"title": {"text": "hours"}},
                                 "yaxis": {"autorange": "reversed"}}})

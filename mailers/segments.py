"""Segments: saved, named filters over people, and who an appeal may actually reach.

A segment's definition is stored as JSON in the `segments` tab. What reports know about
people (membership status, LYBUNT, campaign donors, totals) is handed in as `Facts` by the
page or the command that computed it: mailers do not run reports themselves. Whatever the
definition says, people who must not get mail are always left out, each with the reason.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
from email_validator import EmailNotValidError, validate_email

__all__ = ["Audience", "Definition", "Facts", "SegmentError", "audience"]


class SegmentError(ValueError):
    """A segment definition that cannot be read, with what to fix."""


def _unset(value: Any) -> bool:
    """True for a criterion left as it was; 0 days and an amount of 0 are set (``0 in
    (False,)`` is true in Python, so this does not use `in`)."""
    return value is None or value is False or value == () or value == ""


@dataclass(frozen=True)
class Definition:
    """Which people a segment holds; `match` says whether a person must meet all the
    criteria given or any one of them. A definition without criteria filters nobody out, so
    an appeal may start from one only when `everyone` says that was meant (and confirmed:
    `mailers.starting.check_audience`): an empty form is never everyone by accident."""

    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # membership statuses: New, Current, Grace, Expired...
    levels: tuple[str, ...] = ()  # membership level ids
    due_within_days: int | None = None  # membership ends within this many days
    lybunt: bool = False
    sybunt: bool = False
    lapsed_recurring: bool = False  # a standing gift that has lapsed
    campaigns: tuple[str, ...] = ()  # gave to any of these campaigns
    gave_at_least: Decimal | None = None  # this year's total
    gave_below: Decimal | None = None
    volunteers: bool = False
    volunteer_skills: tuple[str, ...] = ()  # volunteers with any of these skills
    volunteer_availability: str = ""  # text within their availability ("weekends")
    volunteer_activities: tuple[str, ...] = ()  # logged hours in any of these activities
    lapsed_volunteers: bool = False  # gave time once, none in the last 12 months
    cities: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    match: str = "all"
    everyone: bool = False  # deliberately everyone who may be mailed, with no criteria

    @property
    def has_criteria(self) -> bool:
        """True when at least one criterion narrows who the segment holds."""
        return any(not _unset(getattr(self, f.name))
                   for f in fields(self) if f.name not in {"match", "everyone"})

    def to_json(self) -> str:
        values = {k: (str(v) if isinstance(v, Decimal) else list(v) if isinstance(v, tuple)
                      else v) for k, v in asdict(self).items() if not _unset(v)}
        return json.dumps(values, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Definition:
        try:
            raw = json.loads(text or "{}")
        except json.JSONDecodeError as error:
            raise SegmentError(f"The segment definition is not valid JSON ({error.msg}); "
                               f"edit the segment on the Appeals page.") from None
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise SegmentError(f"The segment definition names {unknown[0]!r}, which is not a "
                               f"criterion; the criteria are {', '.join(known)}.")
        values: dict[str, Any] = {}
        for key, value in raw.items():
            default = known[key].default
            if isinstance(default, tuple):
                values[key] = tuple(str(v) for v in value)
            elif key.startswith("gave_"):
                values[key] = Decimal(str(value))
            else:
                values[key] = value
        if values.get("match", "all") not in {"all", "any"}:
            raise SegmentError('A segment matches "all" of its criteria or "any" of them.')
        return cls(**values)


@dataclass(frozen=True)
class Facts:
    """What the reports say about people, as of one day."""

    as_of: date
    membership: pd.DataFrame = field(default_factory=pd.DataFrame)  # person_id, status,
    # level_id, end_date (latest term per person)
    lybunt: frozenset[str] = frozenset()
    sybunt: frozenset[str] = frozenset()
    lapsed_recurring: frozenset[str] = frozenset()
    campaign_donors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    year_totals: Mapping[str, Decimal] = field(default_factory=dict)
    volunteers: frozenset[str] = frozenset()
    volunteer_skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    volunteer_availability: Mapping[str, str] = field(default_factory=dict)
    volunteer_activities: Mapping[str, frozenset[str]] = field(default_factory=dict)
    lapsed_volunteers: frozenset[str] = frozenset()
    suppressed: frozenset[str] = frozenset()  # sha256 of addresses never to mail


@dataclass(frozen=True)
class Audience:
    """Who will get the appeal, and who is left out and why (the page shows both)."""

    included: pd.DataFrame
    excluded: pd.DataFrame

    @property
    def reasons(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.excluded["reason"].value_counts().items()}


def _criteria(people: pd.DataFrame, d: Definition, facts: Facts) -> list[pd.Series]:
    ids = people["id"]
    tests: list[pd.Series] = []
    if d.tags:
        wanted = {t.casefold() for t in d.tags}
        tests.append(people["tags"].map(lambda have: bool(wanted & {h.casefold()
                                                                    for h in have})))
    member = facts.membership.set_index("person_id") if not facts.membership.empty else None
    if d.statuses:
        status = member["status"].astype(str) if member is not None else pd.Series(dtype=str)
        tests.append(ids.map(status).isin(d.statuses))
    if d.levels:
        level = member["level_id"] if member is not None else pd.Series(dtype=str)
        tests.append(ids.map(level).isin(d.levels))
    if d.due_within_days is not None:
        ends = pd.to_datetime(ids.map(member["end_date"])) if member is not None else None
        first, last = pd.Timestamp(facts.as_of), pd.Timestamp(
            facts.as_of + timedelta(days=d.due_within_days))
        tests.append(pd.Series(False, index=people.index) if ends is None
                     else (ends >= first) & (ends <= last))
    if d.lybunt:
        tests.append(ids.isin(facts.lybunt))
    if d.sybunt:
        tests.append(ids.isin(facts.sybunt))
    if d.lapsed_recurring:
        tests.append(ids.isin(facts.lapsed_recurring))
    if d.campaigns:
        donors = set().union(*(facts.campaign_donors.get(c, frozenset()) for c in d.campaigns))
        tests.append(ids.isin(donors))
    if d.gave_at_least is not None or d.gave_below is not None:
        totals = ids.map(lambda i: facts.year_totals.get(i, Decimal(0)))
        test = pd.Series(True, index=people.index)
        if d.gave_at_least is not None:
            test &= totals.map(lambda t: t >= d.gave_at_least)
        if d.gave_below is not None:
            test &= totals.map(lambda t: t < d.gave_below)
        tests.append(test)
    if d.volunteers:
        tests.append(ids.isin(facts.volunteers))
    if d.volunteer_skills:
        wanted_skills = {k.casefold() for k in d.volunteer_skills}
        tests.append(ids.map(lambda i: bool(wanted_skills & {
            k.casefold() for k in facts.volunteer_skills.get(i, ())})).astype(bool))
    if d.volunteer_availability.strip():
        wanted_time = d.volunteer_availability.strip().casefold()
        tests.append(ids.map(lambda i: wanted_time in facts.volunteer_availability.get(
            i, "").casefold()).astype(bool))
    if d.volunteer_activities:
        doers = set().union(*(facts.volunteer_activities.get(a.strip().casefold(), frozenset())
                              for a in d.volunteer_activities))
        tests.append(ids.isin(doers))
    if d.lapsed_volunteers:
        tests.append(ids.isin(facts.lapsed_volunteers))
    if d.cities:
        tests.append(people["city"].str.casefold().isin({c.casefold() for c in d.cities}))
    if d.regions:
        tests.append(people["region"].str.casefold().isin({r.casefold() for r in d.regions}))
    return tests


def _address(email: str) -> str | None:
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _why_not(person: Mapping[Any, Any], suppressed: frozenset[str]) -> str:
    """Why a person must not be emailed, or "" when they may be."""
    if pd.notna(person.get("deleted_at")):
        return "deleted"
    if pd.notna(person.get("erased_at")):
        return "erased at their request"
    if person.get("deceased"):
        return "deceased"
    if person.get("do_not_email"):
        return "asked not to be emailed"
    if person.get("email_consent") == "withdrawn":
        return "withdrew consent to email"
    email = str(person.get("email") or "").strip()
    if not email:
        return "no email address"
    address = _address(email)
    if address is None:
        return "email address not valid"
    if hashlib.sha256(address.casefold().encode()).hexdigest() in suppressed:
        return "unsubscribed or suppressed"
    return ""


def audience(people: pd.DataFrame, definition: Definition, facts: Facts) -> Audience:
    """The people `definition` selects, minus everyone who must not be emailed; two people
    sharing one address (a household) get one message."""
    tests = _criteria(people, definition, facts)
    if tests:
        frame = pd.concat(tests, axis=1)
        chosen = frame.all(axis=1) if definition.match == "all" else frame.any(axis=1)
        selected = people[chosen.to_numpy()]
    else:
        selected = people
    rows, left_out, seen = [], [], set()
    for person in selected.to_dict("records"):
        name = " ".join(p for p in (person["first_name"], person["last_name"]) if p) or \
            person["organization"]
        reason = _why_not(person, facts.suppressed)
        address = _address(str(person["email"]).strip()) if not reason else None
        if address is not None and address.casefold() in seen:
            reason = "shares an address with another recipient"
        record = {"person_id": person["id"], "name": name, "email": person["email"]}
        if reason:
            left_out.append({**record, "reason": reason})
            continue
        seen.add(str(address).casefold())
        rows.append({**record, "email": address, "first_name": person["first_name"],
                     "last_name": person["last_name"]})
    columns = ["person_id", "name", "email", "first_name", "last_name"]
    return Audience(pd.DataFrame(rows, columns=columns),
                    pd.DataFrame(left_out, columns=["person_id", "name", "email", "reason"]))

"""The segment form, who an appeal reaches, blank merge fields, and starting a mailing
(the appeals page's parts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import streamlit as st

from mailers.blanks import blank_fields
from mailers.outbox import sync_outbox
from mailers.segments import Audience, Definition, Facts, SegmentError, audience
from mailers.starting import (
    EVERYONE,
    CannotStart,
    check_audience,
    check_can_send,
    confirmation,
)
from mailers.templates import TemplateProblem
from pages.common import appeal_ui, data, session
from pages.common.safe import plain
from reports.mail_merge import merge_fields, segment_facts
from rules.membership_terms import Status
from sheets_schema.changes import ChangeSet
from sheets_schema.workbook import Workbook, new_id

#: Who a segment may pick by membership status (a deceased person is never mailed).
STATUSES = [status.value for status in Status if status is not Status.DECEASED]


def definition_form(book: Workbook, start: Definition) -> Definition:
    """The criteria of a segment, as widgets."""
    people = book.frame("people")
    tags = sorted({t for have in people["tags"] for t in have}, key=str.casefold)
    levels = dict(zip(book.frame("membership_levels")["id"],
                      book.frame("membership_levels")["name"], strict=True))
    campaigns = dict(zip(book.frame("campaigns")["id"], book.frame("campaigns")["name"],
                         strict=True))
    left, right = st.columns(2)
    chosen_tags = left.multiselect("Tags", tags, default=[t for t in start.tags if t in tags])
    statuses = left.multiselect("Membership status", STATUSES, default=list(start.statuses))
    chosen_levels = left.multiselect("Membership level", list(levels), format_func=levels.get,
                                     default=[lv for lv in start.levels if lv in levels])
    due = left.number_input("Membership ends within (days)", min_value=0, step=30,
                            value=start.due_within_days)
    chosen_campaigns = right.multiselect("Gave to campaign", list(campaigns),
                                         format_func=campaigns.get,
                                         default=[c for c in start.campaigns if c in campaigns])
    lybunt = right.checkbox("LYBUNT (gave last year, not yet this year)", value=start.lybunt)
    sybunt = right.checkbox("SYBUNT (gave before, not last year or this)", value=start.sybunt)
    lapsed_recurring = right.checkbox("Standing gift lapsed", value=start.lapsed_recurring)
    volunteers = right.checkbox("Volunteers", value=start.volunteers)
    skills = sorted({k for have in book.frame("volunteers")["skills"] for k in have},
                    key=str.casefold)
    chosen_skills = right.multiselect("Volunteers with skills", skills,
                                      default=[k for k in start.volunteer_skills if k in skills])
    availability = right.text_input("Volunteers available (e.g. weekends)",
                                    value=start.volunteer_availability)
    activities = sorted({a.strip() for a in book.frame("volunteer_hours")["activity"]
                         if a.strip()}, key=str.casefold)
    chosen_activities = right.multiselect(
        "Volunteered in", activities,
        default=[a for a in start.volunteer_activities if a in activities])
    lapsed_volunteers = right.checkbox("Lapsed volunteers (no hours in 12 months)",
                                       value=start.lapsed_volunteers)
    at_least = right.number_input("Gave at least this year", min_value=0.0, value=float(
        start.gave_at_least) if start.gave_at_least is not None else None)
    cities = right.text_input("Cities (comma-separated)", value=", ".join(start.cities))
    match = st.radio("People must match", ["all", "any"], horizontal=True,
                     index=0 if start.match == "all" else 1,
                     format_func=lambda m: f"{m} of the criteria")
    chosen = Definition(
        tags=tuple(chosen_tags), statuses=tuple(statuses), levels=tuple(chosen_levels),
        due_within_days=int(due) if due is not None else None,
        campaigns=tuple(chosen_campaigns), lybunt=lybunt, sybunt=sybunt,
        lapsed_recurring=lapsed_recurring, volunteers=volunteers,
        volunteer_skills=tuple(chosen_skills), volunteer_availability=availability.strip(),
        volunteer_activities=tuple(chosen_activities), lapsed_volunteers=lapsed_volunteers,
        gave_at_least=Decimal(str(at_least)) if at_least is not None else None,
        cities=tuple(c.strip() for c in cities.split(",") if c.strip()), match=match)
    return replace(chosen, everyone=start.everyone and not chosen.has_criteria)


def reach(definition: Definition, as_of: date) -> Audience:
    """Who `definition` reaches on `as_of` (worked out once per snapshot; a definition
    without criteria reaches what everyone does, so it shares that work)."""
    key = definition if definition.has_criteria else Definition(everyone=True)
    return data.derived("audience", lambda b, d, day: audience(
        b.frame("people"), Definition.from_json(d), Facts(**segment_facts(b, day))),
        key.to_json(), as_of)


def who(book: Workbook, as_of: date) -> tuple[Definition, str, int | None]:
    """The appeal's segment (a saved one's id, or ""), and the number of people the person
    confirmed sending to when it is everyone who may be mailed (None otherwise): everyone is
    a choice of its own, with its count, never an empty form."""
    everyone = len(reach(Definition(everyone=True), as_of).included)
    choice = st.radio("Who gets this appeal", ["segment", "everyone"], horizontal=True,
                      key="appeal_who", format_func={
                          "segment": "People in a segment",
                          "everyone": f"{EVERYONE} ({everyone:,} people)"}.get)
    definition, saved = Definition(everyone=True), ""
    if choice == "segment":
        segments = book.frame("segments")
        names = {row["id"]: row["name"] for row in segments.to_dict("records")}
        saved = st.selectbox("Start from a saved segment", ["", *names], key="appeal_segment",
                             format_func=lambda i: names.get(i, "A new segment"))
        try:
            start = Definition.from_json(segments.set_index("id").loc[saved, "definition"]) \
                if saved else Definition()
        except SegmentError as error:
            st.error(plain(error))
            start = Definition()
        definition = definition_form(book, start)
    confirmed = None
    if definition.everyone and st.checkbox(confirmation(everyone),
                                           key=f"appeal_everyone_{everyone}"):
        confirmed = everyone
    return definition, saved, confirmed


def audience_problem(definition: Definition, chosen: Audience, confirmed: int | None) -> str:
    """Why this audience cannot be sent to, said beside it, or "" (the rule start_mailing
    enforces)."""
    try:
        check_audience(definition, len(chosen.included), confirmed)
    except CannotStart as error:
        st.info(plain(error))
        return str(error)
    return ""


def recipient_fields(ids: tuple[str, ...], as_of: date) -> dict[str, dict[str, str]]:
    """The merge fields of these recipients (worked out once per snapshot)."""
    return data.derived("merge", lambda b, i, day: merge_fields(b, list(i), day), ids, as_of)


def blank_notes(subject: str, body: str, chosen: Audience, as_of: date) -> str:
    """How many recipients have each field the template uses blank, and what they read; or
    why the template cannot be filled in for one of them (said, and returned)."""
    fields = recipient_fields(tuple(chosen.included["person_id"]), as_of)
    try:
        gaps = blank_fields(subject, body, fields)
    except TemplateProblem as error:
        st.error(plain(error))
        return str(error)
    for gap in gaps:
        said = (f"{gap.people:,} of {gap.of:,} recipients have no {gap.field}: they will "
                f"read “{gap.reads}”.")
        if gap.covered:
            st.caption(plain(said))
        else:
            st.warning(plain(f"{said} Give a fallback, such as {{{{ {gap.field} or "
                             f"\"…\" }}}} or {{{{ {gap.field}|default(\"…\") }}}}."))
    return ""


def start_mailing(book: Workbook, name: str, subject: str, body: str,
                  definition: Definition | None, segment_id: str, chosen: Audience,
                  confirmed: int | None = None) -> str | None:
    """Save the segment (a new one unless `segment_id` is given; none when `definition` is
    None, as for a shift's roster) and the mailing, queue everyone once, write the outbox.
    Refused with a sentence, before anything is saved, when the segment would reach
    everyone unconfirmed or mail cannot be sent (`mailers.starting`)."""
    try:
        check_audience(definition, len(chosen.included), confirmed)
        check_can_send(data.secrets(), book.settings.org_address)
    except CannotStart as error:
        st.error(plain(f"{error} Nothing was queued."))
        return None
    now, me = datetime.now(), session.user().email
    mailing_id = new_id("ML")
    changes = ChangeSet()
    if not segment_id and definition is not None:
        segment_id = new_id("SG")
        changes.append("segments", {"id": segment_id, "name": f"{name.strip()} audience",
                                    "definition": definition.to_json(), "created_by": me,
                                    "created_at": now})
    changes.append("mailings", {"id": mailing_id, "name": name.strip(), "subject": subject,
                                "body_template": body, "segment_id": segment_id,
                                "status": "sending", "created_by": me})
    if not data.save(lambda: data.store().commit(changes), "Appeal saved.").ok:
        return None
    log = appeal_ui.journal()
    log.enqueue(mailing_id,
                [(r["person_id"], r["email"], r["name"]) for r in
                 chosen.included.to_dict("records")],
                [(r["person_id"], str(r["email"]), r["name"], r["reason"]) for r in
                 chosen.excluded.to_dict("records")])

    def write_outbox() -> None:
        sync_outbox(log, mailing_id, data.store())

    data.save(write_outbox, "Outbox written.")
    st.session_state["sending"] = mailing_id
    return mailing_id

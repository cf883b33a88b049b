"""One pydantic model per tab of the workbook; the field order is the tab's column order.

These models are the single source of truth for the workbook: `tabs.TABS` derives every
tab's header from them, `frames` parses a tab with them, forms validate with them, and
`ensure_schema` writes their headers. docs/architecture.md's table of tabs
mirrors this file.
Blank cells read as "" for text, None for dates and amounts, False for flags.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .fields import (
    INTEGER,
    Amount,
    Day,
    Flag,
    Hours,
    Key,
    Moment,
    Money,
    SheetDate,
    SheetDateTime,
    SheetTime,
    Tags,
    Whole,
    choice,
)


class Record(BaseModel):
    """Common settings: trim text, ignore columns staff added, validate assignments."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", validate_assignment=True)


class Person(Record):
    id: Key
    first_name: str = ""
    last_name: str = ""
    organization: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    tags: Tags = ()
    do_not_email: Flag = False
    do_not_mail: Flag = False
    do_not_phone: Flag = False
    deceased: Flag = False
    household_id: str = ""
    notes: str = ""
    #: Consent to email (GDPR-style): granted or withdrawn, when, and where it came from
    #: ("web form", "paper form at the gala"...). Blank means never asked.
    email_consent: Annotated[str, choice("granted", "withdrawn")] = ""
    email_consent_date: SheetDate = None
    email_consent_source: str = ""
    #: The import that added this row, and a check of the row as it was imported, so the
    #: import can be undone while its rows are untouched (see `importing.plan`).
    import_id: str = ""
    import_check: str = ""
    created_at: SheetDateTime = None
    updated_at: SheetDateTime = None
    deleted_at: SheetDateTime = None
    #: When the person was erased at their request: their personal fields are blank since.
    erased_at: SheetDateTime = None

    @model_validator(mode="after")
    def _has_a_name(self) -> "Person":
        if self.erased_at is None and not (self.first_name or self.last_name or
                                           self.organization):
            raise ValueError("a person needs a first name, a last name or an organization")
        return self


class MembershipLevel(Record):
    id: Key
    name: str = Field(min_length=1)
    fee: Money = None
    duration: Whole = Field(default=12, description="months; blank means lifetime")
    period_type: Annotated[str, choice("rolling", "fixed", default="rolling")] = "rolling"
    fixed_start: str = Field(default="", pattern=r"^(|\d{2}-\d{2})$", description="MM-DD")
    rollover: str = Field(default="", pattern=r"^(|\d{2}-\d{2})$", description="MM-DD")
    active: Flag = True


class Membership(Record):
    id: Key
    person_id: Key
    level_id: Key
    join_date: SheetDate = None
    start_date: SheetDate = None
    end_date: SheetDate = None
    amount: Money = None
    donation_id: str = ""
    status_override: Annotated[str, choice("Pending", "Cancelled", "Deceased")] = ""
    auto_renew: Flag = False
    #: The import that added this row, and a check of the row as it was imported, so the
    #: import can be undone while its rows are untouched (see `importing.plan`).
    import_id: str = ""
    import_check: str = ""
    created_at: SheetDateTime = None


class Reminder(Record):
    """One renewal reminder for one term at one offset, recorded when it was handed out
    (listed) or sent, so no run gives the same reminder twice."""

    id: Key
    term_id: Key
    person_id: Key
    offset: Annotated[int, INTEGER, Field(ge=-3650, le=3650,
                                          description="days before the term's end")]
    due_date: SheetDate = None
    status: Annotated[str, choice("listed", "sent", default="listed")] = "listed"
    created_at: SheetDateTime = None
    created_by: str = ""


class Donation(Record):
    id: Key
    person_id: Key
    date: Day
    amount: Amount
    currency: str = ""
    campaign_id: str = ""
    fund: str = ""
    method: Annotated[
        str,
        choice("cash", "cheque", "card", "bank transfer", "online", "stock", "in-kind", "other"),
    ] = ""
    kind: Annotated[
        str, choice("gift", "membership", "pledge payment", "in-kind", default="gift")
    ] = "gift"
    status: Annotated[str, choice("completed", "pending", "refunded", default="completed")] = (
        "completed"
    )
    soft_credit_person_id: str = ""
    tribute_type: Annotated[str, choice("in honour", "in memory")] = ""
    tribute_name: str = ""
    in_kind_description: str = ""
    receipt_status: Annotated[str, choice("not needed", "to send", "sent")] = ""
    receipt_date: SheetDate = None
    reference: str = ""
    batch_id: str = ""
    recurring_gift_id: str = ""
    note: str = ""
    #: The import that added this row, and a check of the row as it was imported, so the
    #: import can be undone while its rows are untouched (see `importing.plan`).
    import_id: str = ""
    import_check: str = ""
    created_at: SheetDateTime = None


class RecurringGift(Record):
    id: Key
    person_id: Key
    amount: Amount
    frequency: Annotated[
        str, choice("weekly", "monthly", "quarterly", "yearly", default="monthly")
    ] = "monthly"
    start_date: SheetDate = None
    next_date: SheetDate = None
    status: Annotated[str, choice("active", "lapsed", "closed", "paused", default="active")] = (
        "active"
    )
    campaign_id: str = ""
    fund: str = ""


class Campaign(Record):
    id: Key
    name: str = Field(min_length=1)
    kind: Annotated[str, choice("appeal", "event", "drive", "grant", "other", default="appeal")] = (
        "appeal"
    )
    goal: Money = None
    start_date: SheetDate = None
    end_date: SheetDate = None
    status: Annotated[
        str, choice("planned", "active", "completed", "cancelled", default="active")
    ] = "active"
    description: str = ""


class Volunteer(Record):
    id: Key = Field(description="the person's id")
    status: Annotated[str, choice("prospect", "active", "inactive", default="prospect")] = (
        "prospect"
    )
    skills: Tags = ()
    availability: str = ""
    background_check_date: SheetDate = None
    emergency_contact: str = ""
    notes: str = ""


class VolunteerHours(Record):
    id: Key
    person_id: Key
    date: Day
    hours: Hours
    activity: str = ""
    campaign_id: str = ""
    approved: Flag = False
    note: str = ""
    #: The import that added this row, and a check of the row as it was imported, so the
    #: import can be undone while its rows are untouched (see `importing.plan`).
    import_id: str = ""
    import_check: str = ""


class VolunteerShift(Record):
    id: Key
    date: Day
    start: SheetTime = None
    end: SheetTime = None
    activity: str = ""
    campaign_id: str = ""
    places: Whole = None
    assigned: Tags = Field(default=(), description="person ids")


class Segment(Record):
    id: Key
    name: str = Field(min_length=1)
    definition: str = ""
    created_by: str = ""
    created_at: SheetDateTime = None


class Mailing(Record):
    id: Key
    name: str = Field(min_length=1)
    subject: str = ""
    body_template: str = ""
    segment_id: str = ""
    status: Annotated[str, choice("draft", "sending", "sent", default="draft")] = "draft"
    created_by: str = ""
    sent_at: SheetDateTime = None


class OutboxMessage(Record):
    id: Key
    mailing_id: Key
    person_id: str = ""
    email: str = ""
    status: Annotated[
        str, choice("queued", "sending", "sent", "failed", "skipped", "uncertain", default="queued")
    ] = "queued"
    attempts: Whole = 0
    sent_at: SheetDateTime = None
    message_id: str = ""
    error: str = ""


#: How a contact with a person happened; the same words head a task that asks for one.
CONTACT_KINDS = ("call", "meeting", "visit", "email", "letter", "text message", "event",
                 "note")


class Interaction(Record):
    """One contact with a person (a call, a visit, a note of a conversation): who, when,
    what was said and what happens next. Staff type rows in the sheet too."""

    id: Key
    person_id: Key
    when: Moment
    kind: Annotated[str, choice(*CONTACT_KINDS, default="note")] = "note"
    direction: Annotated[str, choice("outbound", "inbound")] = ""
    #: The user (an email) who made the contact.
    by: str = ""
    summary: str = ""
    outcome: str = ""
    next_step: str = ""
    campaign_id: str = ""
    #: Seen only by roles that may read confidential contacts (staff, admins).
    confidential: Flag = False
    #: The task this contact closed, when it closed one.
    task_id: str = ""
    created_at: SheetDateTime = None


class Task(Record):
    """Something someone must do, about a person or not, by a day."""

    id: Key
    title: str = Field(min_length=1)
    person_id: str = ""
    #: The user (an email) whose task it is.
    assignee: str = ""
    due_date: SheetDate = None
    #: A task of a contact kind (a call, a meeting) logs that contact when it is done.
    kind: Annotated[str, choice("to do", *CONTACT_KINDS, default="to do")] = "to do"
    priority: Annotated[str, choice("high", "normal", "low", default="normal")] = "normal"
    status: Annotated[str, choice("open", "done", "cancelled", default="open")] = "open"
    done_by: str = ""
    done_at: SheetDateTime = None
    #: Where it came from: typed by someone, or the engagement plan step that made it.
    source: str = ""
    note: str = ""
    created_by: str = ""
    created_at: SheetDateTime = None


class User(Record):
    email: Key
    role: Annotated[str, choice("volunteer", "staff", "director", "admin", default="volunteer")] = (
        "volunteer"
    )
    name: str = ""
    active: Flag = True


class AuditEntry(Record):
    id: Key
    at: Moment
    user: str = ""
    action: str = ""
    tab: str = ""
    record_id: str = ""
    before: str = ""
    after: str = ""


class Suppression(Record):
    """An address that must never be mailed again, kept after its person was erased: only a
    hash of the address, so the erased data is not kept."""

    id: Key
    email_sha256: str = Field(min_length=64, max_length=64, pattern=r"^[0-9a-f]{64}$")
    reason: Annotated[str, choice("erased", "unsubscribed", "bounced", "complaint",
                                  default="erased")] = "erased"
    created_at: SheetDateTime = None


class ImportBatch(Record):
    """One file imported through the app: what it added, by whom, and whether it was undone."""

    id: Key
    kind: Annotated[str, choice("people", "donations", "memberships", "volunteer_hours")]
    file_name: str = ""
    rows: Whole = 0
    people_added: Whole = 0
    imported_at: SheetDateTime = None
    imported_by: str = ""
    status: Annotated[str, choice("imported", "undone", default="imported")] = "imported"
    undone_at: SheetDateTime = None
    undone_by: str = ""


class DuplicateDismissal(Record):
    """Two people staff judged not to be the same person, so the Duplicates page stops
    listing the pair (deleting the row lists it again)."""

    id: Key
    person_id: Key
    other_person_id: Key
    dismissed_by: str = ""
    dismissed_at: SheetDateTime = None


class Setting(Record):
    key: Key
    value: str = ""

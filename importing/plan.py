"""An import: a read file and its column mapping turned into rows to add, as one batch that
can be undone while its rows are untouched.

`plan_import` is pure: it reads every row with the same column rules as a cell typed into
the sheet, says for each what will happen (added, already there, a repeat, or not imported
and why), and finds the person each gift, term or hour belongs to. `ImportPlan.changes`
is one ChangeSet, so the valid rows land together or not at all and an invalid row is never
half-written. Every row added carries the import's id and a check of its cells
(`import_check`), which is how `undo_import` tells that a row is still as imported, whether
it was changed through the app or typed over in the sheet (`importing.undo`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import pandas as pd
from pydantic import ValidationError

from rules.membership_terms import term_dates
from rules.people import (
    FieldErrors,
    international_phone,
    normalise_contact,
    people_to_offer,
    split_full_name,
)
from sheets_schema.cells import (
    MAX_CELL_CHARS,
    CellError,
    Locale,
    check_length,
    parse_datetime,
    to_text,
)
from sheets_schema.changes import ChangeSet
from sheets_schema.money import parse_money
from sheets_schema.tabs import tab
from sheets_schema.workbook import Workbook, new_id

from .files import SourceTable
from .mapping import FULL_NAME, PERSON_FIELDS, ImportKind
from .row_check import row_check

__all__ = [
    "MATCH_RULES",
    "OUTCOMES",
    "ImportOptions",
    "ImportPlan",
    "PlannedRow",
    "mapping_problems",
    "plan_import",
]

#: How a row finds a person already in Steward.
MATCH_RULES = {
    "email": "the same email address",
    "name_postcode": "the same first and last name and postcode",
}
#: What happens to a row, as the preview says it.
OUTCOMES = {
    "add": "will be added",
    "exists": "already in Steward: left as it is",
    "repeat": "repeats an earlier row of this file: left out",
    "invalid": "not imported: fix the file and import it again",
}
#: Payment statuses exports use, as the donations tab records them. A payment that did not
#: happen ("failed", "canceled") is no gift: such a row is not imported.
_STATUS_WORDS = {
    "paid": "completed", "succeeded": "completed", "success": "completed",
    "complete": "completed", "completed": "completed", "cleared": "completed",
    "pending": "pending", "processing": "pending", "unclaimed": "pending",
    "refunded": "refunded", "reversed": "refunded", "partially refunded": "refunded",
}
_NOT_PAID = {"failed", "canceled", "cancelled", "denied", "declined", "voided", "void",
             "incomplete", "requires_payment_method", "blocked", "expired"}
_METHOD_WORDS = {
    "paypal": "online", "stripe": "online", "web": "online", "website": "online",
    "credit card": "card", "debit card": "card", "visa": "card", "mastercard": "card",
    "amex": "card", "american express": "card", "check": "cheque", "ach": "bank transfer",
    "wire": "bank transfer", "direct debit": "bank transfer", "eft": "bank transfer",
    "sepa": "bank transfer", "bank": "bank transfer", "계좌이체": "bank transfer",
    "현금": "cash", "카드": "card", "신용카드": "card",
}
#: Columns an import never fills from a file: the app sets them.
_SET_BY_APP = {"id", "person_id", "created_at", "updated_at", "deleted_at", "erased_at",
               "import_id", "import_check", "batch_id", "recurring_gift_id", "donation_id"}
_PROGRESS_EVERY = 500


@dataclass(frozen=True)
class ImportOptions:
    """How to read and match: `match_by` is a key of MATCH_RULES; `add_people` adds a person
    for a gift, term or hour whose person is not found; `locale` reads 03/04/2024 and
    1.234,50 the way the file's author typed them; `default_region` is the country of a
    phone without +country (the settings' `phone_region_or_default`); `currency` the
    organisation's, in which a row's amounts are read unless its currency column says
    otherwise (another currency's sign is refused, `sheets_schema.money`)."""

    match_by: str = "email"
    add_people: bool = True
    locale: Locale = Locale()
    default_region: str = "US"
    currency: str = ""


@dataclass
class PlannedRow:
    """One row of the file and what the import does with it."""

    line: int
    outcome: str
    problems: list[str] = field(default_factory=list)
    #: What to check in a row that is imported all the same (a phone that cannot be read,
    #: kept as typed).
    warnings: list[str] = field(default_factory=list)
    record: dict[str, Any] | None = None
    new_person: dict[str, Any] | None = None
    person_id: str = ""
    note: str = ""


@dataclass
class ImportPlan:
    """Every row's outcome; `changes` adds the valid ones as one batch."""

    kind: ImportKind
    import_id: str
    file_name: str
    rows: list[PlannedRow]

    def counts(self) -> Counter[str]:
        return Counter(row.outcome for row in self.rows)

    @property
    def to_add(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.outcome == "add"]

    @property
    def invalid(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.outcome == "invalid"]

    @property
    def people_added(self) -> int:
        """People this import adds besides its own rows (a gift's new donor)."""
        return sum(1 for row in self.to_add if row.new_person is not None)

    def changes(self, now: datetime, user: str) -> ChangeSet:
        """The valid rows (and the people they add), the `imports` row that records the
        batch, and one audit sentence for the lot; empty when nothing is valid."""
        rows = self.to_add
        changes = ChangeSet(audit_action="import")
        if not rows:
            return changes
        people = [row.new_person for row in rows if row.new_person is not None]
        records = [row.record for row in rows if row.record is not None]
        if self.kind.tab == "people":
            people = records
        elif people:
            changes.append("people", *people)
        changes.append(self.kind.tab, *records)
        changes.append("imports", {
            "id": self.import_id, "kind": self.kind.name, "file_name": self.file_name,
            "rows": len(records), "people_added": 0 if self.kind.tab == "people" else len(people),
            "imported_at": now,
            "imported_by": user, "status": "imported",
        })
        extra = f" and {len(people):,} new people" if people and self.kind.tab != "people" \
            else ""
        changes.audit_summary = (f"Imported {len(rows):,} {self.kind.label}{extra} from "
                                 f"{self.file_name} as {self.import_id}")
        return changes

    def table(self, source: SourceTable) -> pd.DataFrame:
        """The preview: each row of the file with its outcome and problems (or its note and
        warnings, for a row that is imported), then its cells."""
        ours = {"line", "outcome", "problems"}
        frame = pd.DataFrame(source.rows, columns=[f"{h} (in the file)" if h in ours else h
                                                   for h in source.headers])
        frame.insert(0, "line", [row.line for row in self.rows])
        frame.insert(1, "outcome", [OUTCOMES[row.outcome].split(":")[0] for row in self.rows])
        frame.insert(2, "problems", ["; ".join(row.problems or [n for n in [row.note] if n]
                                               + row.warnings) for row in self.rows])
        return frame

    @property
    def warned(self) -> list[PlannedRow]:
        """Rows imported with something to check (see `PlannedRow.warnings`)."""
        return [row for row in self.rows if row.warnings and row.outcome != "invalid"]

    def rejected(self, source: SourceTable) -> pd.DataFrame:
        """The rows not imported, as in the file plus a "problems" column: fix and re-import."""
        frame = self.table(source)
        mask = [row.outcome == "invalid" for row in self.rows]
        return frame.loc[mask].drop(columns="outcome")


def mapping_problems(kind: ImportKind, mapping: Mapping[str, str]) -> list[str]:
    """What stops a mapping from importing anything: a field chosen twice, or a field the
    rows cannot do without left unmapped."""
    chosen = [f for f in mapping.values() if f]
    problems = [f"{kind.target(f).label} is chosen for {n} columns; choose it once."
                for f, n in Counter(chosen).items() if n > 1]
    fields = set(chosen)
    names = {"first_name", "last_name", FULL_NAME, "organization"}
    if kind.tab == "people":
        if not fields & names:
            problems.append("Choose a column for a name (first, last, full name or "
                            "organization): a person needs one.")
        return problems
    if not fields & (names | {"email", "person_id"}):
        problems.append("Choose a column that says who each row is about: an email, a name "
                        "or a Steward person id.")
    required = {"donations": ("date", "amount"), "memberships": ("level_id",),
                "volunteer_hours": ("date", "hours")}[kind.tab]
    problems.extend(f"Choose the column that holds the {kind.target(f).label.lower()}."
                    for f in required if f not in fields)
    if kind.tab == "memberships" and not fields & {"start_date", "join_date"}:
        problems.append("Choose the column with each term's start date (or join date).")
    return problems


# ------------------------------------------------------------------------------ people


def _email_key(email: str) -> str:
    return email.strip().casefold()


def _name_key(first: str, last: str, postcode: str) -> str:
    postcode = "".join(postcode.split()).upper()
    if not postcode or not (first.strip() or last.strip()):
        return ""
    return "|".join((" ".join(first.split()).casefold(), " ".join(last.split()).casefold(),
                     postcode))


class _People:
    """The people a row may belong to: those in Steward and those this file adds."""

    def __init__(self, people: pd.DataFrame, match_by: str) -> None:
        self.match_by = match_by
        self.ids = set(people["id"].astype(str))
        live = people_to_offer(people)
        self.by_key: dict[str, tuple[str, str]] = {}
        keys = self._keys(live)
        for key, person_id in zip(keys, live["id"].astype(str), strict=True):
            if key:
                self.by_key.setdefault(key, (person_id, ""))

    def _keys(self, live: pd.DataFrame) -> Iterable[str]:
        if self.match_by == "email":
            return (_email_key(str(e)) for e in live["email"])
        return (_name_key(str(f), str(la), str(p)) for f, la, p in
                zip(live["first_name"], live["last_name"], live["postcode"], strict=True))

    def key(self, person: Mapping[str, Any]) -> str:
        if self.match_by == "email":
            return _email_key(str(person.get("email", "")))
        return _name_key(str(person.get("first_name", "")), str(person.get("last_name", "")),
                         str(person.get("postcode", "")))

    def find(self, person: Mapping[str, Any]) -> tuple[str, str]:
        """(person id, "" if in Steward or the file line that adds them) or ("", "")."""
        return self.by_key.get(self.key(person), ("", ""))

    def add(self, person: Mapping[str, Any], line: int) -> None:
        key = self.key(person)
        if key:
            self.by_key.setdefault(key, (str(person["id"]), str(line)))


def _person_values(values: Mapping[str, str]) -> dict[str, str]:
    person = {t.name: values[t.name] for t in PERSON_FIELDS
              if t.name in values and t.name != FULL_NAME}
    full = values.get(FULL_NAME, "")
    if full and not (person.get("first_name") or person.get("last_name")):
        person["first_name"], person["last_name"] = split_full_name(full)
    return person


# ------------------------------------------------------------------------------ cells


def _choice_text(tab_name: str, column: str, text: str) -> str:
    if tab_name == "donations" and column == "status":
        return _STATUS_WORDS.get(text.casefold(), text)
    if tab_name == "donations" and column == "method":
        return _METHOD_WORDS.get(text.casefold(), text)
    return text


def _parse_cells(tab_name: str, values: Mapping[str, str], locale: Locale,
                 problems: list[str], currency: str = "") -> dict[str, Any]:
    """The tab's own cells of a row, each read by its column's rules; a cell that does not
    read is a problem naming the column and what to type. Amounts are read in the row's
    own currency column, else in `currency` (the organisation's)."""
    spec = tab(tab_name)
    currency = values.get("currency", "").strip() or currency
    out: dict[str, Any] = {}
    for column, text in values.items():
        if column not in spec.column_names or column in _SET_BY_APP or not text:
            continue
        kind = spec.column(column).kind
        if tab_name == "donations" and column == "status" and text.casefold() in _NOT_PAID:
            problems.append(f"status: {text!r} means the payment did not happen, so it is "
                            f"not a gift")
            continue
        text = _choice_text(tab_name, column, text)
        try:
            check_length(text)
            out[column] = (parse_money(text, currency, locale) if kind.name == "money"
                           else kind.parse(text, locale))
        except CellError as error:
            # a timestamp, as Stripe and Mailchimp write dates
            if kind.name == "date" and len(text) <= MAX_CELL_CHARS:
                try:
                    moment = parse_datetime(text, locale)
                except CellError:
                    moment = None
                if moment is not None:
                    out[column] = moment.date()
                    continue
            problems.append(f"{column}: {error}")
    return out


def _validated(tab_name: str, record: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    """The whole row checked by its tab's model (required cells, ranges, lists of values)."""
    model = tab(tab_name).model
    try:
        return model.model_validate(record).model_dump()
    except ValidationError as error:
        for detail in error.errors():
            where = str(detail["loc"][0]) if detail["loc"] else "row"
            problems.append(f"{where}: {str(detail['msg']).removeprefix('Value error, ')}")
        return record


# ------------------------------------------------------------------------------ planning


@dataclass
class _Context:
    kind: ImportKind
    book: Workbook
    options: ImportOptions
    now: datetime
    import_id: str
    people: _People
    references: dict[str, str] = field(default_factory=dict)
    levels: dict[str, Mapping[str, Any]] = field(default_factory=dict)


def plan_import(
    source: SourceTable,
    kind: ImportKind,
    mapping: Mapping[str, str],
    book: Workbook,
    options: ImportOptions = ImportOptions(),
    *,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """What importing `source` with `mapping` would do, row by row; nothing is written.

    Raises ValueError when the mapping itself cannot work (see `mapping_problems`).
    """
    problems = mapping_problems(kind, mapping)
    if problems:
        raise ValueError(" ".join(problems))
    if options.match_by not in MATCH_RULES:
        raise ValueError(f"match_by must be one of {', '.join(MATCH_RULES)}")
    context = _Context(kind, book, options, now, new_id("I"),
                       _People(book.frame("people"), options.match_by))
    if kind.tab == "donations":
        donations = book.frame("donations")
        context.references = {str(r): str(i) for r, i in
                              zip(donations["reference"], donations["id"], strict=True) if r}
    if kind.tab == "memberships":
        for level in _records(book.frame("membership_levels")):
            context.levels.setdefault(str(level["id"]).casefold(), level)
            context.levels.setdefault(str(level["name"]).strip().casefold(), level)
    columns = [(index, mapping.get(header, "")) for index, header in enumerate(source.headers)]
    columns = [(index, name) for index, name in columns if name]
    planned = []
    total = len(source.rows)
    for number, (line, cells) in enumerate(zip(source.line_numbers, source.rows, strict=True)):
        values = {name: cells[index].strip() for index, name in columns}
        planned.append(_plan_row(context, line, values))
        if progress is not None and (number + 1) % _PROGRESS_EVERY == 0:
            progress(number + 1, total)
    if progress is not None:
        progress(total, total)
    return ImportPlan(kind, context.import_id, source.file_name, planned)


def _plan_row(context: _Context, line: int, values: Mapping[str, str]) -> PlannedRow:
    if not any(values.values()):
        return PlannedRow(line, "invalid", ["every mapped cell of this row is blank"])
    if context.kind.tab == "people":
        return _plan_person_row(context, line, values)
    row = PlannedRow(line, "add")
    person_id = _whose(context, row, values)
    cells = _parse_cells(context.kind.tab, values, context.options.locale, row.problems,
                         context.options.currency)
    record = _record(context, row, cells)
    if person_id:
        record["person_id"] = person_id
    if row.problems:
        row.outcome = "invalid"
        return row
    record = _validated(context.kind.tab, record, row.problems)
    if row.problems:
        row.outcome = "invalid"
        return row
    if row.outcome == "add":
        record["import_check"] = row_check(context.kind.tab, record)
        row.record = record
        if record.get("reference") and context.kind.tab == "donations":
            context.references[str(record["reference"])] = f"line {line}"
        if row.new_person is not None:
            row.new_person["import_check"] = row_check("people", row.new_person)
            context.people.add(row.new_person, line)
    return row


def _contact(context: _Context, person: Mapping[str, Any], problems: list[str],
             warnings: list[str]) -> dict[str, Any] | None:
    """`person` with email and phone tidied (`normalise_contact`), or None with the problems
    said. A phone that cannot be read never drops the row: it is kept as typed, with a
    warning to check it."""
    phone = str(person.get("phone") or "").strip()
    region = context.options.default_region
    unread = bool(phone) and international_phone(phone, person.get("country"), region) is None
    try:
        tidy = normalise_contact({**person, "phone": ""} if unread else person, region)
    except FieldErrors as errors:
        problems.extend(f"{name}: {message}" for name, message in errors.errors.items())
        return None
    if unread:
        tidy["phone"] = phone
        warnings.append(f"phone: {phone!r} could not be read as a phone number (a number "
                        f"without +country is read as {region}); it is imported as typed: "
                        f"check it")
    return tidy


def _new_person(context: _Context, person: Mapping[str, Any],
                problems: list[str], warnings: list[str]) -> dict[str, Any] | None:
    """A valid people row for `person`'s fields, or None with the problems said."""
    tidy = _contact(context, person, problems, warnings)
    if tidy is None:
        return None
    parse_problems: list[str] = []
    cells = _parse_cells("people", tidy, context.options.locale, parse_problems)
    problems.extend(parse_problems)
    if parse_problems:
        return None
    record = {**cells, "id": new_id("P"), "created_at": context.now,
              "updated_at": context.now, "import_id": context.import_id}
    before = len(problems)
    validated = _validated("people", record, problems)
    return validated if len(problems) == before else None


def _plan_person_row(context: _Context, line: int, values: Mapping[str, str]) -> PlannedRow:
    row = PlannedRow(line, "add")
    fields = _person_values(values)
    fields.update({k: v for k, v in values.items()
                   if k not in fields and k != FULL_NAME and v})
    person = _new_person(context, fields, row.problems, row.warnings)
    if person is None:
        row.outcome = "invalid"
        return row
    found, from_line = context.people.find(person)
    if found:
        row.outcome = "repeat" if from_line else "exists"
        row.person_id, row.warnings = found, []  # nothing of this row is imported
        row.note = (f"the same person as line {from_line}" if from_line else
                    f"already in Steward as {found} ({MATCH_RULES[context.options.match_by]})")
        return row
    person["import_check"] = row_check("people", person)
    row.record, row.person_id = person, str(person["id"])
    context.people.add(person, line)
    return row


def _whose(context: _Context, row: PlannedRow, values: Mapping[str, str]) -> str:
    """The person a gift, term or hour belongs to: by id, by the match rule, or someone new
    (when allowed and the row names them well enough)."""
    given = values.get("person_id", "")
    if given:
        if given not in context.people.ids:
            row.problems.append(f"person_id: there is no person {given!r} in Steward")
            return ""
        row.note = f"for {given}"
        return given
    person = _person_values(values)
    tidy = _contact(context, person, row.problems, [])  # warned once, if a person is added
    if tidy is None:
        return ""
    found, from_line = context.people.find(tidy)
    if found:
        row.note = f"for {found}" + (f" (added by line {from_line})" if from_line else "")
        return found
    rule = MATCH_RULES[context.options.match_by]
    if not context.options.add_people:
        row.problems.append(f"no person in Steward has {rule}; add them first, or let the "
                            f"import add people who are not found")
        return ""
    if not any(person.get(n) for n in ("first_name", "last_name", "organization")):
        row.problems.append(f"no person in Steward has {rule}, and the row has no name to "
                            f"add them with")
        return ""
    new = _new_person(context, person, row.problems, row.warnings)
    if new is None:
        return ""
    row.new_person, row.note = new, f"adds a new person {new['id']}"
    return str(new["id"])


def _record(context: _Context, row: PlannedRow, cells: dict[str, Any]) -> dict[str, Any]:
    """The tab's new row: the file's cells, the app's own columns and the kind's rules."""
    name = context.kind.tab
    record: dict[str, Any] = {**cells, "id": new_id(context.kind.id_prefix),
                              "import_id": context.import_id}
    if "created_at" in tab(name).column_names:
        record["created_at"] = context.now
    if name == "donations":
        _gift_rules(context, row, record)
    elif name == "memberships":
        _term_rules(context, row, record)
    return record


def _gift_rules(context: _Context, row: PlannedRow, record: dict[str, Any]) -> None:
    amount = record.get("amount")
    if isinstance(amount, Decimal) and amount <= 0:
        row.problems.append(f"amount: {to_text(amount)} is not a gift (a refund or a fee?); "
                            f"record a refund by marking the original gift refunded")
    reference = str(record.get("reference", ""))
    if reference and not row.problems:
        earlier = context.references.get(reference)
        if earlier is not None:
            row.outcome = "exists" if not earlier.startswith("line ") else "repeat"
            row.note = (f"already recorded as {earlier} (reference {reference})"
                        if row.outcome == "exists" else f"the same reference as {earlier}")
            row.new_person = None


def _term_rules(context: _Context, row: PlannedRow, record: dict[str, Any]) -> None:
    wanted = str(record.get("level_id", "")).strip()
    level = context.levels.get(wanted.casefold())
    if level is None:
        names = sorted({str(v["name"]) for v in context.levels.values()})
        row.problems.append(f"level_id: there is no membership level {wanted!r}; the levels "
                            f"are {', '.join(names) or 'none yet (add one first)'}")
        return
    record["level_id"] = str(level["id"])
    start = record.get("start_date") or record.get("join_date")
    if isinstance(start, date):
        record.setdefault("start_date", start)
        if record.get("end_date") is None:
            _, end = term_dates(level, record["start_date"])
            record["end_date"] = end
        record.setdefault("join_date", start)
    if record.get("amount") is None and level.get("fee") is not None:
        record["amount"] = level["fee"]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))

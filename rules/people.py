"""Rules about people: names, finding someone, adding and correcting a record.

Pure functions over the typed `people` frame, so the same search works in the app, a notebook
and a test. Validation goes through `models.Person`, and contact details through
email-validator and phonenumbers, so a volunteer gets a sentence beside the field rather than
a bad row in the sheet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import ValidationError

from sheets_schema.cells import cell_text, to_text
from sheets_schema.models import Person
from sheets_schema.workbook import new_id

__all__ = [
    "EDITABLE_FIELDS",
    "contact_card",
    "FieldErrors",
    "changed_fields",
    "international_phone",
    "display_name",
    "new_person",
    "normalise_contact",
    "people_to_offer",
    "search_people",
    "soft_delete_changes",
    "split_full_name",
]

#: The fields a person's form edits, in the order the form shows them.
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "organization",
    "email",
    "phone",
    "address",
    "city",
    "region",
    "postcode",
    "country",
    "tags",
    "do_not_email",
    "do_not_mail",
    "do_not_phone",
    "deceased",
    "household_id",
    "notes",
)
SEARCHED = ("first_name", "last_name", "organization", "email", "phone", "city", "postcode", "id")


class FieldErrors(ValueError):
    """What is wrong with a form, field by field, so each message can stand beside its field."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))


def display_name(person: Mapping[str, Any]) -> str:
    """How a person is named on screen: "Ann Lee", "김민준" (Korean order, no space), or the
    organization; never blank."""
    first, last = str(person.get("first_name") or ""), str(person.get("last_name") or "")
    if _is_hangul(first + last) and first and last:
        name = last + first
    else:
        name = " ".join(part for part in (first, last) if part)
    return name or str(person.get("organization") or "") or f"({person.get('id', 'no name')})"


def contact_card(person: Mapping[str, Any]) -> dict[str, str]:
    """A person's contact details as labelled lines, the way a volunteer reads them: the
    address on one line, and the contact rules (no email, no post...) spelled out."""
    address_parts = ("address", "city", "region", "postcode", "country")
    rules = {"do_not_email": "no email", "do_not_mail": "no post",
             "do_not_phone": "no calls", "deceased": "deceased"}
    return {
        "Email": cell_text(person.get("email")),
        "Phone": cell_text(person.get("phone")),
        "Organization": cell_text(person.get("organization")),
        "Address": ", ".join(t for t in (cell_text(person.get(p)) for p in address_parts) if t),
        "Tags": cell_text(person.get("tags")),
        "Household": cell_text(person.get("household_id")),
        "Contact rules": ", ".join(label for flag, label in rules.items() if person.get(flag))
        or "none",
        "Notes": cell_text(person.get("notes")),
        "Id": cell_text(person.get("id")),
    }


def _is_hangul(text: str) -> bool:
    return any("HANGUL" in unicodedata.name(ch, "") for ch in text)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for search: "José" finds "jose"; Hangul is kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) or _is_hangul(ch))


def people_to_offer(people: pd.DataFrame, *, deceased: bool = True) -> pd.DataFrame:
    """The people a picker may offer (to give a gift, a term, hours or a shift to, to open,
    or to edit in a grid): not deleted, which leaves out the dropped side of a merge too
    (it is soft-deleted, "merged into" the kept person), and not erased (their personal
    cells are blank; what stays is for the accounts). With ``deceased=False``, not deceased
    either.

    Their rows stay in the workbook and in the lists of history; only offering them to be
    picked is wrong. A frame without those columns (an import's) offers every row.
    """
    mask = pd.Series(True, index=people.index)
    for column in ("deleted_at", "erased_at"):
        if column in people:
            mask &= people[column].isna()
    if not deceased and "deceased" in people:
        mask &= ~people["deceased"].fillna(False).astype(bool)
    return people[mask]


def search_people(
    people: pd.DataFrame,
    query: str = "",
    *,
    tags: Iterable[str] = (),
    city: str = "",
    include_deleted: bool = False,
) -> pd.DataFrame:
    """The people matching every word of `query` (in any name, email, phone, city, postcode
    or id field), carrying all of `tags`, in `city`; soft-deleted people only on request.

    Phone numbers match on digits alone, so "555 0100" finds "(555) 010-0". Korean names
    match with or without the space between family and given name.
    """
    mask = pd.Series(True, index=people.index)
    if not include_deleted and "deleted_at" in people:
        mask &= people["deleted_at"].isna()
    words = [_fold(w) for w in query.split() if w.strip()]
    if words:
        haystack = people[list(SEARCHED)].astype(str).agg(" ".join, axis=1).map(_fold)
        names = (people["last_name"].astype(str) + people["first_name"].astype(str)).map(_fold)
        digits = people["phone"].astype(str).str.replace(r"\D", "", regex=True)
        for word in words:
            word_digits = "".join(ch for ch in word if ch.isdigit())
            hit = haystack.str.contains(word, regex=False) | names.str.contains(word, regex=False)
            if len(word_digits) >= 4:
                hit |= digits.str.contains(word_digits, regex=False)
            mask &= hit
    wanted = [t.casefold() for t in tags]
    if wanted:
        mask &= people["tags"].map(
            lambda have: all(t in {h.casefold() for h in have} for t in wanted)
        )
    if city.strip():
        mask &= people["city"].astype(str).str.casefold() == city.strip().casefold()
    return people[mask]


_KOREA = {"KR", "KOREA", "SOUTH KOREA", "REPUBLIC OF KOREA", "대한민국", "한국"}


def international_phone(phone: str, country: Any = "", default_region: str = "US") -> str | None:
    """`phone` in international format, or None when it cannot be read as a phone number.

    A number without +country is read in the row's `country` (a two-letter code, or Korea
    by name) else in `default_region` (the settings' `phone_region_or_default`):
    ``international_phone("010-2345-6789", "", "KR") == "+82 10-2345-6789"``."""
    named = str(country or "").strip().upper()
    region = "KR" if named in _KOREA else named if named in phonenumbers.SUPPORTED_REGIONS \
        else default_region
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_contact(values: Mapping[str, Any], default_region: str = "US") -> dict[str, Any]:
    """Check and tidy an email address and phone number as typed into a form.

    Returns the values with the email normalised (domain lower-cased) and the phone in
    international format; raises FieldErrors naming the field and what to type. Deliverability
    is not checked (no network); syntax is.
    """
    out = dict(values)
    errors: dict[str, str] = {}
    email = str(values.get("email") or "").strip()
    if email:
        try:
            out["email"] = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as error:
            errors["email"] = f"{error} Type an address like name@example.org."
    phone = str(values.get("phone") or "").strip()
    if phone:
        international = international_phone(phone, values.get("country"), default_region)
        if international is None:
            errors["phone"] = (
                "This does not look like a phone number. Type it with its area "
                "code, e.g. 617-555-0100 or +82 10-1234-5678."
            )
        else:
            out["phone"] = international
    if errors:
        raise FieldErrors(errors)
    return out


def _validated(data: Mapping[str, Any]) -> Person:
    try:
        return Person.model_validate(data)
    except ValidationError as error:
        errors = {}
        for detail in error.errors():
            field = str(detail["loc"][0]) if detail["loc"] else ""
            errors[field] = str(detail["msg"]).removeprefix("Value error, ")
        raise FieldErrors(errors) from None


def new_person(values: Mapping[str, Any], now: datetime,
               phone_region: str = "US") -> dict[str, Any]:
    """A complete, validated `people` row for what a form collected, with a fresh id and
    timestamps; a phone without +country is read in `phone_region`. Raises FieldErrors."""
    tidy = normalise_contact(values, phone_region)
    person = _validated({**tidy, "id": new_id("P"), "created_at": now, "updated_at": now})
    return person.model_dump()


def changed_fields(
    before: Mapping[str, Any], values: Mapping[str, Any], now: datetime,
    phone_region: str = "US",
) -> dict[str, Any]:
    """Only the fields whose value the user actually changed (so an edit touches no other
    cell), validated as a whole person, plus `updated_at`; empty when nothing changed.

    A field left as it was is not re-normalised: opening and saving a form never rewrites a
    phone number staff typed their own way.
    """
    touched = {
        name: value
        for name, value in values.items()
        if name in Person.model_fields and _form_text(value) != cell_text(before.get(name))
    }
    country = touched.get("country", before.get("country"))  # where a new phone is read
    tidy = {name: value for name, value in normalise_contact(
        {**touched, "country": country}, phone_region).items() if name in touched}
    merged = {**{k: v for k, v in before.items() if k in Person.model_fields}, **tidy}
    person = _validated(merged)
    changes = {
        name: getattr(person, name)
        for name in tidy
        if to_text(getattr(person, name)) != cell_text(before.get(name))
    }
    if changes:
        changes["updated_at"] = now
    return changes


def _form_text(value: Any) -> str:
    """What a form field holds, in the canonical text of a stored value ("a, b" for tags)."""
    if isinstance(value, str):
        return ", ".join(t.strip() for t in value.split(",")) if "," in value else value.strip()
    return cell_text(value)


#: Korean family names of two syllables; every other Korean family name is one syllable.
_TWO_SYLLABLE_FAMILY = {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방"}


def split_full_name(name: str) -> tuple[str, str]:
    """(first, last) of a name typed in one cell, as an export gives it.

    "Smith, Jane" -> ("Jane", "Smith"); "Jane Q. Smith" -> ("Jane Q.", "Smith"); a Korean
    name written without a space puts the family name first: "김민준" -> ("민준", "김"),
    "남궁민수" -> ("민수", "남궁"); "김 민준" likewise. One word is a first name.
    """
    text = " ".join(name.split())
    if not text:
        return "", ""
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    words = text.split(" ")
    if all(_is_hangul(word) for word in words):
        joined = "".join(words)
        if len(words) == 2:
            return words[1], words[0]
        if len(joined) >= 3 or len(words) == 1 and len(joined) == 2:
            family = 2 if joined[:2] in _TWO_SYLLABLE_FAMILY and len(joined) >= 4 else 1
            return joined[family:], joined[:family]
    if len(words) == 1:
        return text, ""
    return " ".join(words[:-1]), words[-1]


def soft_delete_changes(now: datetime) -> dict[str, Any]:
    """Deleting a person only stamps `deleted_at`: their gifts and history keep pointing at
    them, and the row can be restored."""
    return {"deleted_at": now, "updated_at": now}

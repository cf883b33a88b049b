"""What an import can fill in, and which column of someone's file goes where.

Each kind of import writes one tab (people, donations, memberships, volunteer hours); the
last three also name the person each row belongs to, by the same fields as a people import
(email, name, postcode...), so a PayPal report with a name and an address can be imported
as gifts without preparing people first. Suggestions come from the header names that
Mailchimp audience exports, PayPal activity downloads, Stripe payment exports and ordinary
spreadsheets (English or Korean) use, then from a fuzzy match for the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

__all__ = ["FULL_NAME", "IMPORT_KINDS", "PERSON_FIELDS", "ImportKind", "Target",
           "suggest_mapping"]

#: A pseudo-field: one "Name" column split into first and last name.
FULL_NAME = "full_name"


@dataclass(frozen=True)
class Target:
    """A field a file's column can fill; `synonyms` are header names that mean it."""

    name: str
    label: str
    synonyms: tuple[str, ...] = ()


def _t(name: str, label: str, *synonyms: str) -> Target:
    return Target(name, label, synonyms)


#: Who a row is about. In a people import they are the person; elsewhere they find the
#: person (or describe the one to add).
PERSON_FIELDS: tuple[Target, ...] = (
    _t("first_name", "First name", "first name", "firstname", "fname", "given name",
       "forename", "first", "customer first name"),
    _t("last_name", "Last name", "last name", "lastname", "lname", "surname", "family name",
       "last", "customer last name", "성"),
    _t(FULL_NAME, "Full name (split into first and last)", "name", "full name",
       "donor name", "contact name", "customer name", "card name", "member name",
       "volunteer name", "donor", "이름", "성명", "후원자", "후원자명", "회원명", "봉사자"),
    _t("organization", "Organization", "organization", "organisation", "company",
       "company name", "employer", "business name", "단체", "단체명", "회사", "회사명"),
    _t("email", "Email", "email", "email address", "e-mail", "e-mail address",
       "from email address", "customer email", "donor email", "member email", "이메일",
       "메일", "전자우편"),
    _t("phone", "Phone", "phone", "phone number", "contact phone number", "telephone",
       "tel", "mobile", "mobile phone", "cell", "cell phone", "customer phone", "전화",
       "전화번호", "연락처", "휴대폰", "핸드폰", "휴대전화"),
    _t("address", "Street address", "address", "street", "street address",
       "address line 1", "address 1", "address1", "card address line1", "mailing address",
       "주소"),
    _t("city", "City", "city", "town", "town/city", "card address city", "locality",
       "도시", "시군구"),
    _t("region", "State or region", "state", "province", "region", "county",
       "state/province/region/county/territory/prefecture/republic", "card address state",
       "시도"),
    _t("postcode", "Postcode", "zip", "zip code", "zipcode", "postal code", "postcode",
       "post code", "zip/postal code", "card address zip", "우편번호"),
    _t("country", "Country", "country", "country code", "card address country", "국가"),
)

_PEOPLE_ONLY: tuple[Target, ...] = (
    _t("tags", "Tags", "tags", "groups", "labels", "categories", "태그", "분류"),
    _t("do_not_email", "Do not email", "do not email", "no email", "email opt out"),
    _t("do_not_mail", "Do not mail", "do not mail", "no mail"),
    _t("do_not_phone", "Do not phone", "do not phone", "do not call", "no calls"),
    _t("deceased", "Deceased", "deceased"),
    _t("household_id", "Household id", "household", "household id"),
    _t("notes", "Notes", "notes", "note", "comments", "comment", "메모", "비고"),
    _t("email_consent", "Email consent (granted/withdrawn)", "email consent", "consent",
       "gdpr consent"),
    _t("email_consent_date", "Email consent date", "consent date", "optin time",
       "confirm time", "opt in date", "subscribed on", "수신동의일"),
    _t("email_consent_source", "Email consent source", "consent source", "source",
       "signup source"),
)

_PERSON_ID = _t("person_id", "Person id (an existing Steward id)", "person id",
                "steward id", "contact id", "constituent id")

_DONATION: tuple[Target, ...] = (
    _PERSON_ID,
    _t("date", "Date", "date", "created (utc)", "created date (utc)", "created", "gift date",
       "donation date", "payment date", "transaction date", "received", "날짜", "일자",
       "후원일", "입금일", "결제일"),
    _t("amount", "Amount", "amount", "gross", "total", "gift amount", "donation amount",
       "amount paid", "금액", "후원금", "후원금액", "결제금액", "입금액"),
    _t("currency", "Currency", "currency", "통화"),
    _t("reference", "Reference (transaction id)", "transaction id", "reference", "id",
       "payment id", "charge id", "paymentintent id", "receipt id", "invoice number",
       "cheque number", "check number", "거래번호", "승인번호"),
    _t("status", "Status", "status", "payment status", "상태"),
    _t("method", "Method", "method", "payment method", "payment type", "tender",
       "결제수단", "결제방법"),
    _t("kind", "Kind (gift, membership...)", "kind", "gift type", "donation type"),
    _t("campaign_id", "Campaign id", "campaign", "campaign id", "appeal", "캠페인"),
    _t("fund", "Fund", "fund", "designation", "item title", "purpose", "기금", "후원분야"),
    _t("tribute_type", "Tribute (in honour / in memory)", "tribute type", "tribute"),
    _t("tribute_name", "Tribute name", "tribute name", "honoree", "in memory of",
       "in honor of"),
    _t("in_kind_description", "In-kind description", "in-kind description",
       "in kind description"),
    _t("receipt_status", "Receipt status", "receipt status"),
    _t("receipt_date", "Receipt date", "receipt date", "receipt sent"),
    _t("note", "Note", "note", "description", "memo", "message", "comment", "comments",
       "메모", "비고"),
)

_MEMBERSHIP: tuple[Target, ...] = (
    _PERSON_ID,
    _t("level_id", "Membership level (its name or id)", "level", "membership level",
       "membership type", "membership", "level id", "회원등급", "등급"),
    _t("join_date", "Join date", "join date", "joined", "member since", "가입일"),
    _t("start_date", "Start date", "start date", "start", "membership start", "시작일"),
    _t("end_date", "End date", "end date", "end", "expiry", "expires", "expiration",
       "expiration date", "expiry date", "renewal due", "종료일", "만료일"),
    _t("amount", "Amount paid", "amount", "fee", "dues", "amount paid", "회비", "금액"),
    _t("auto_renew", "Renews automatically", "auto renew", "auto-renew", "autorenew"),
    _t("status_override", "Status (pending/cancelled/deceased)", "status override"),
)

_HOURS: tuple[Target, ...] = (
    _PERSON_ID,
    _t("date", "Date", "date", "shift date", "날짜", "일자", "봉사일"),
    _t("hours", "Hours", "hours", "hours worked", "volunteer hours", "duration", "시간",
       "봉사시간"),
    _t("activity", "Activity", "activity", "task", "role", "shift", "event", "활동",
       "봉사내용"),
    _t("campaign_id", "Campaign id", "campaign", "campaign id"),
    _t("approved", "Approved", "approved", "verified", "승인"),
    _t("note", "Note", "note", "notes", "comment", "comments", "메모", "비고"),
)


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: the tab it adds rows to and the fields a column can fill."""

    name: str
    tab: str
    label: str
    own: tuple[Target, ...]
    id_prefix: str

    @property
    def targets(self) -> tuple[Target, ...]:
        if self.tab == "people":
            return PERSON_FIELDS + self.own
        return self.own[:1] + PERSON_FIELDS + self.own[1:]

    @property
    def about_someone(self) -> bool:
        """Whether each row must belong to a person (everything but a people import)."""
        return self.tab != "people"

    def target(self, name: str) -> Target:
        for target in self.targets:
            if target.name == name:
                return target
        raise KeyError(f"a {self.label} import has no field {name!r}")


IMPORT_KINDS: dict[str, ImportKind] = {
    kind.name: kind
    for kind in (
        ImportKind("people", "people", "people", _PEOPLE_ONLY, "P"),
        ImportKind("donations", "donations", "gifts", _DONATION, "D"),
        ImportKind("memberships", "memberships", "membership terms", _MEMBERSHIP, "M"),
        ImportKind("volunteer_hours", "volunteer_hours", "volunteer hours", _HOURS, "VH"),
    )
}


def _normal(header: str) -> str:
    """A header as comparable text: case, accents, spaces and punctuation ignored
    ("E-mail Address" and "email_address" agree); Hangul kept."""
    text = unicodedata.normalize("NFKC", header).casefold()
    return re.sub(r"[\W_]+", "", text)


def suggest_mapping(kind: ImportKind, headers: Sequence[str]) -> dict[str, str]:
    """Each header's suggested field ("" to leave the column out), each field used once.

    A header naming a field exactly (by a known synonym) wins; the rest are matched fuzzily
    (typos, "Emial"), and only when the match is close.
    """
    known: dict[str, str] = {}
    for target in kind.targets:
        for word in (target.name, target.label, *target.synonyms):
            known.setdefault(_normal(word), target.name)
    mapping = {header: "" for header in headers}
    used: set[str] = set()
    for header in headers:
        field = known.get(_normal(header), "")
        if field and field not in used:
            mapping[header], used = field, used | {field}
    for header in headers:
        if mapping[header] or not _normal(header):
            continue
        word = _normal(header)
        if len(word) < 4:
            continue  # "CC", "id2": too short to guess from
        candidates = {w: field for w, field in known.items() if field not in used}
        # A typo is a letter or two wrong, missing, extra or swapped ("Phnoe", "Frist").
        best = process.extractOne(word, list(candidates), scorer=DamerauLevenshtein.distance,
                                  score_cutoff=1 if len(word) <= 8 else 2)
        if best is not None:
            mapping[header] = candidates[best[0]]
            used.add(mapping[header])
    return _name_parts_win(mapping)


def _name_parts_win(mapping: Mapping[str, str]) -> dict[str, str]:
    """With first and last name columns both there, a "Name" column is not split too."""
    fields = set(mapping.values())
    if {"first_name", "last_name"} <= fields and FULL_NAME in fields:
        return {h: ("" if f == FULL_NAME else f) for h, f in mapping.items()}
    return dict(mapping)

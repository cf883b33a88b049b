"""Year-end giving statements: one printable HTML page per donor listing their gifts of a
calendar (tax) year, for their records and their tax return.

What the statement says follows the IRS's rules for written acknowledgments (Publication
1771): the organisation's name and address, each gift's date and amount, a description but
no value for gifts of goods (the donor values those), and the sentence about goods and
services. A single gift of $250 or more cannot be deducted without such a written
acknowledgment, so those gifts are marked and the note says why.

Only completed gifts count, credited to the donor who gave (`person_id`), never to a soft
credit. Names, addresses and descriptions come from people and the sheet, so the HTML is
rendered by jinja2 with autoescaping on: a donor named ``<script>`` is printed, not run.

    statement = year_end_statement(book.frame("donations"), book.frame("people"),
                                   book.frame("campaigns"), "P00042", 2025, book.settings,
                                   issued=date(2026, 1, 15))
    html = statement_html(statement)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, cast

import jinja2
import pandas as pd
from markupsafe import Markup

from rules import money
from rules.people import display_name
from sheets_schema.settings import Settings

__all__ = [
    "ACKNOWLEDGMENT_THRESHOLD",
    "Statement",
    "StatementGift",
    "currency_symbol",
    "statement_donors",
    "statement_html",
    "statement_years",
    "statements_html",
    "year_end_statement",
    "year_end_statements",
]

#: A single gift of at least this much needs the organisation's written acknowledgment
#: before the donor may deduct it (IRS, 26 U.S.C. 170(f)(8)).
ACKNOWLEDGMENT_THRESHOLD = Decimal(250)


def currency_symbol(code: str) -> str:
    """How an amount is prefixed: ``currency_symbol("USD") == "$"`` (`rules.money.symbol`,
    the one rule for how money is written)."""
    return money.symbol(code)


class StatementGift(NamedTuple):
    """One line of a statement: `amount` is None for an in-kind gift (described, not
    valued); `needs_acknowledgment` marks a gift of `ACKNOWLEDGMENT_THRESHOLD` or more."""

    date: date
    amount: Decimal | None
    description: str
    campaign: str
    needs_acknowledgment: bool


@dataclass(frozen=True)
class Statement:
    """One donor's completed gifts of `year`, oldest first; `total` adds the gifts of money
    only, `in_kind` counts the gifts of goods or services."""

    person_id: str
    name: str
    address: tuple[str, ...]
    year: int
    gifts: tuple[StatementGift, ...]
    total: Decimal
    in_kind: int
    org_name: str
    org_address: str
    currency: str
    issued: date

    def table(self) -> pd.DataFrame:
        """The gifts as a frame with the columns of `StatementGift`."""
        return pd.DataFrame(self.gifts, columns=list(StatementGift._fields))


def _completed_in(donations: pd.DataFrame, year: int) -> pd.DataFrame:
    dates = donations["date"]
    return donations[(donations["status"] == "completed") & donations["amount"].notna()
                     & (dates >= pd.Timestamp(year, 1, 1)) & (dates < pd.Timestamp(year + 1, 1, 1))]


def statement_years(donations: pd.DataFrame) -> list[int]:
    """The calendar years with at least one completed gift, newest first."""
    done = donations[(donations["status"] == "completed") & donations["date"].notna()]
    return sorted({int(y) for y in done["date"].dt.year}, reverse=True)


def statement_donors(donations: pd.DataFrame, year: int) -> list[str]:
    """The people who made a completed gift in calendar `year`, sorted: who gets a
    statement."""
    return sorted(set(_completed_in(donations, year)["person_id"]) - {""})


def _description(gift: Mapping[str, Any]) -> str:
    if gift["kind"] == "in-kind":
        return f"In-kind: {gift['in_kind_description'] or 'goods or services'}"
    text = str(gift["kind"] or "gift").capitalize()
    if gift["tribute_type"] and gift["tribute_name"]:
        text += f" {gift['tribute_type']} of {gift['tribute_name']}"
    return f"{text} ({gift['method']})" if gift["method"] else text


def _statement(person: Mapping[str, Any], mine: Sequence[Mapping[str, Any]],
               names: Mapping[str, str], year: int, settings: Settings,
               issued: date) -> Statement:
    gifts = []
    for gift in mine:
        in_kind = gift["kind"] == "in-kind"
        gifts.append(StatementGift(
            pd.Timestamp(gift["date"]).date(), None if in_kind else gift["amount"],
            _description(gift), names.get(gift["campaign_id"], ""),
            not in_kind and gift["amount"] >= ACKNOWLEDGMENT_THRESHOLD))
    total = sum((g.amount for g in gifts if g.amount is not None), Decimal(0))

    def part(name: str) -> str:
        return str(person.get(name) or "").strip()

    town = " ".join(part(c) for c in ("city", "region", "postcode") if part(c))
    address = tuple(line for line in (part("address"), town, part("country")) if line)
    return Statement(
        person_id=part("id"), name=display_name(person), address=address, year=year,
        gifts=tuple(gifts), total=total, in_kind=sum(g.amount is None for g in gifts),
        org_name=settings.org_name, org_address=settings.org_address,
        currency=currency_symbol(settings.currency), issued=issued)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def _campaign_names(campaigns: pd.DataFrame) -> dict[str, str]:
    return dict(zip(campaigns["id"], campaigns["name"], strict=False))


def year_end_statement(
    donations: pd.DataFrame,
    people: pd.DataFrame,
    campaigns: pd.DataFrame,
    person_id: str,
    year: int,
    settings: Settings,
    issued: date,
) -> Statement:
    """`person_id`'s statement for calendar `year`, issued on `issued`. Raises ValueError
    for someone who is not in the people tab."""
    found = people[people["id"] == person_id]
    if found.empty:
        raise ValueError(f"There is no person with id {person_id!r}.")
    mine = _completed_in(donations, year)
    mine = mine[mine["person_id"] == person_id].sort_values(["date", "id"], kind="stable")
    person = _records(found)[0]
    return _statement(person, _records(mine), _campaign_names(campaigns), year, settings,
                      issued)


def year_end_statements(
    donations: pd.DataFrame,
    people: pd.DataFrame,
    campaigns: pd.DataFrame,
    year: int,
    settings: Settings,
    issued: date,
) -> list[Statement]:
    """The statement of every donor of calendar `year` (`statement_donors`) who is in the
    people tab, in person_id order; the gifts are grouped once, not searched per donor."""
    done = _completed_in(donations, year).sort_values(["person_id", "date", "id"],
                                                      kind="stable")
    wanted = set(done["person_id"])
    known = {str(p["id"]): p for p in _records(people[people["id"].isin(wanted)])}
    names = _campaign_names(campaigns)
    by_person: dict[str, list[dict[str, Any]]] = {}
    for gift in _records(done):
        by_person.setdefault(str(gift["person_id"]), []).append(gift)
    return [_statement(known[pid], mine, names, year, settings, issued)
            for pid, mine in by_person.items() if pid in known]


_ENVIRONMENT = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True)
_PAGE = _ENVIRONMENT.from_string("""\
<section class="statement">
  <header>
    <h1>{{ s.org_name }}</h1>
    {% if s.org_address %}<p class="org">{{ s.org_address }}</p>{% endif %}
  </header>
  <p class="issued">{{ s.issued.isoformat() }}</p>
  <address>{{ s.name }}{% for line in s.address %}<br>{{ line }}{% endfor %}</address>
  <h2>Your giving in {{ s.year }}</h2>
  <p>Thank you for your support. These are the gifts we received from you between
  1 January and 31 December {{ s.year }}.</p>
  <table>
    <thead><tr><th>Date</th><th>Gift</th><th>Campaign</th><th class="n">Amount</th></tr></thead>
    <tbody>
    {% for g in gifts %}
      <tr><td>{{ g.date }}</td><td>{{ g.description }}</td><td>{{ g.campaign }}</td>
        <td class="n">{{ g.amount }}{% if g.needs_acknowledgment %} *{% endif %}</td></tr>
    {% else %}
      <tr><td colspan="4">No gifts in {{ s.year }}.</td></tr>
    {% endfor %}
    </tbody>
    <tfoot>
      <tr><th colspan="3">Total of gifts of money</th><th class="n">{{ total }}</th></tr>
    </tfoot>
  </table>
  {% if s.in_kind %}
  <p>Gifts of goods or services are described, not valued: their value is yours to
  determine for your tax return.</p>
  {% endif %}
  <p class="note">* A single gift of {{ threshold }} or more needs this written acknowledgment
  from us before you can deduct it (IRS Publication 1771). No goods or services were provided
  in exchange for these gifts{% if s.in_kind %}, other than as described{% endif %}.</p>
  <p class="sign">{{ s.org_name }}</p>
</section>
""")
_DOCUMENT = _ENVIRONMENT.from_string("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
  body { font-family: Georgia, serif; margin: 2cm; color: #111; }
  h1 { font-size: 1.4em; margin: 0; } h2 { font-size: 1.1em; margin-top: 2em; }
  .org, .issued { margin: 0.2em 0; } address { font-style: normal; margin: 2em 0; }
  table { width: 100%; border-collapse: collapse; margin: 1em 0; }
  th, td { text-align: left; padding: 0.3em; border-bottom: 1px solid #ccc; }
  .n { text-align: right; white-space: nowrap; } .note { font-size: 0.9em; }
  .statement { page-break-after: always; break-after: page; }
  .statement:last-child { page-break-after: auto; break-after: auto; }
  @media print { body { margin: 1.5cm; } }
</style>
</head>
<body>
{% for page in pages %}{{ page }}{% endfor %}
</body>
</html>
""")


def _money(amount: Decimal | None, symbol: str) -> str:
    if amount is None:
        return "in kind"
    return f"{symbol}{amount:,.2f}"


def _page(statement: Statement) -> Markup:
    gifts = [{**g._asdict(), "amount": _money(g.amount, statement.currency)}
             for g in statement.gifts]
    html = _PAGE.render(s=statement, gifts=gifts,
                        total=_money(statement.total, statement.currency),
                        threshold=_money(ACKNOWLEDGMENT_THRESHOLD, statement.currency))
    return Markup(html)  # already rendered with every value escaped


def statement_html(statement: Statement) -> str:
    """The statement as a complete printable HTML document."""
    title = f"{statement.org_name}: giving statement {statement.year} for {statement.name}"
    return _DOCUMENT.render(title=title, pages=[_page(statement)])


def statements_html(statements: Sequence[Statement], title: str) -> str:
    """Many statements in one printable document, each on its own page."""
    return _DOCUMENT.render(title=title, pages=[_page(s) for s in statements])

"""Every amount typed into a form is read in the organisation's currency: a gift, a deposit
batch (its rows and its control total), a standing gift, a campaign's goal and the settings
page's amounts. `50,000원` in a US organisation is refused beside its field instead of being
saved as $50,000.00; a phone typed into a form is read in the settings' region (issue 18)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from rules.gifts import FieldErrors, check_batch, new_campaign, new_gift, new_schedule
from rules.people import changed_fields, new_person
from rules.settings_form import check_settings

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 10, 0)
PEOPLE = {"P1", "P2"}
WON_IN_USD = ("'50,000원' is in Korean won (KRW), but this organisation's amounts are in US "
              "dollars (USD): type the amount in USD (a number alone, like 1234.50, is USD), "
              "or change the currency in Settings")


def gift(amount: str, currency: str) -> dict[str, Any]:
    return new_gift({"person_id": "P1", "amount": amount, "date": TODAY}, today=TODAY,
                    now=NOW, people_ids=PEOPLE, currency=currency)


def test_won_typed_in_a_us_organisation_is_refused_beside_the_amount() -> None:
    with pytest.raises(FieldErrors) as refused:
        gift("50,000원", "USD")
    assert refused.value.errors == {"amount": WON_IN_USD}


def test_dollars_typed_in_a_korean_organisation_are_refused() -> None:
    with pytest.raises(FieldErrors) as refused:
        gift("$20", "KRW")
    assert "'$20' is in dollars" in refused.value.errors["amount"]


@pytest.mark.parametrize(("typed", "amount"), [
    ("50000", 50000), ("₩50,000", 50000), ("50,000원", 50000), ("￦20,000", 20000),
    ("5만원", 50000), ("1만5천원", 15000),
])
def test_a_korean_organisation_types_won_its_own_way(typed: str, amount: int) -> None:
    row = gift(typed, "KRW")
    assert (row["amount"], row["currency"]) == (Decimal(amount), "KRW")


def test_a_bare_number_is_the_organisations_currency() -> None:
    row = gift("50,000", "USD")
    assert (row["amount"], row["currency"]) == (Decimal(50000), "USD")


def test_a_batch_refuses_another_currency_in_a_row_and_in_the_control_total() -> None:
    rows = [{"person_id": "P1", "amount": "₩20,000", "method": "cash"},
            {"person_id": "P2", "amount": "30", "method": "cash"}]
    checked = check_batch(rows, "50,000원", deposit_date=TODAY, today=TODAY, now=NOW,
                          people_ids=PEOPLE, batch_id="B-1", currency="USD")
    assert not checked.ready
    assert "is in Korean won (KRW)" in checked.errors[1] and 2 not in checked.errors
    assert checked.control_error.startswith(WON_IN_USD)


def test_a_korean_batch_adds_up_in_won() -> None:
    rows = [{"person_id": "P1", "amount": "2만원", "method": "cash"},
            {"person_id": "P2", "amount": "₩30,000", "method": "cash"}]
    checked = check_batch(rows, "5만원", deposit_date=TODAY, today=TODAY, now=NOW,
                          people_ids=PEOPLE, batch_id="B-1", currency="KRW")
    assert checked.ready and checked.total == Decimal(50000)


def test_a_standing_gift_and_a_campaign_goal_are_read_in_the_currency() -> None:
    with pytest.raises(FieldErrors) as refused:
        new_schedule({"person_id": "P1", "amount": "50,000원", "start_date": TODAY}, PEOPLE,
                     "USD")
    assert refused.value.errors == {"amount": WON_IN_USD}
    with pytest.raises(FieldErrors) as refused:
        new_campaign({"name": "Spring", "goal": "50,000원"}, "USD")
    assert refused.value.errors == {"goal": WON_IN_USD}
    assert new_campaign({"name": "봄", "goal": "500만원"}, "KRW")["goal"] == Decimal(5_000_000)


def test_the_settings_page_checks_amounts_in_the_currency_being_saved() -> None:
    errors = check_settings({"currency": "USD", "volunteer_hour_value": "₩30,000",
                             "giving_levels": "100, 500"})
    assert list(errors) == ["volunteer_hour_value"]
    assert check_settings({"currency": "KRW", "volunteer_hour_value": "₩30,000"}) == {}
    assert "two letters like KR or US" in check_settings({"phone_region": "Korea"})[
        "phone_region"]


def test_a_form_reads_a_phone_without_a_country_in_the_settings_region() -> None:
    person = new_person({"first_name": "민준", "phone": "010-2345-6789"}, NOW, "KR")
    assert person["phone"] == "+82 10-2345-6789"
    before = {"id": "P1", "first_name": "Ann", "phone": "", "country": ""}
    assert changed_fields(before, {"phone": "010-2345-6789"}, NOW, "KR")["phone"] == \
        "+82 10-2345-6789"
    abroad = {**before, "country": "US"}  # the person's own country wins
    assert changed_fields(abroad, {"phone": "617-555-0100"}, NOW, "KR")["phone"] == \
        "+1 617-555-0100"
    with pytest.raises(FieldErrors):  # a form still says so: the person is there to fix it
        new_person({"first_name": "민준", "phone": "010-2345-6789"}, NOW, "US")

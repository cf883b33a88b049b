"""People rules: how a person is named, found, added and corrected."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from rules.people import (
    FieldErrors,
    changed_fields,
    contact_card,
    display_name,
    new_person,
    people_to_offer,
    search_people,
    soft_delete_changes,
)
from sheets_schema import parse_tab, rows_to_raw

NOW = datetime(2026, 11, 1, 9, 30)


@pytest.fixture
def people() -> pd.DataFrame:
    rows = [
        {"id": "P1", "first_name": "José", "last_name": "García", "email": "jose@example.org",
         "phone": "(617) 555-0100", "city": "Boston", "tags": "donor, board"},
        {"id": "P2", "first_name": "민준", "last_name": "김", "email": "minjun@example.org",
         "phone": "010-1234-5678", "city": "Seoul", "tags": "volunteer"},
        {"id": "P3", "organization": "Acme Foundation", "city": "boston", "tags": "donor"},
        {"id": "P4", "first_name": "Gone", "last_name": "Away", "deleted_at": "2025-01-01"},
    ]
    return parse_tab("people", rows_to_raw("people", rows)).frame


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ({"first_name": "Ann", "last_name": "Lee"}, "Ann Lee"),
        ({"first_name": "민준", "last_name": "김"}, "김민준"),
        ({"organization": "Acme Foundation"}, "Acme Foundation"),
        ({"first_name": "Cher"}, "Cher"),
        ({"id": "P9"}, "(P9)"),
    ],
)
def test_display_name(person: dict, expected: str) -> None:
    assert display_name(person) == expected


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("", ["P1", "P2", "P3"]),
        ("jose", ["P1"]),  # accents do not matter
        ("GARCÍA", ["P1"]),
        ("김민준", ["P2"]),  # Korean name written family-name first, no space
        ("민준", ["P2"]),
        ("555 0100", ["P1"]),  # phone digits, whatever the punctuation
        ("boston", ["P1", "P3"]),
        ("acme boston", ["P3"]),  # every word must match
        ("nobody", []),
    ],
)
def test_search_finds_by_any_part(people: pd.DataFrame, query: str, ids: list[str]) -> None:
    assert list(search_people(people, query)["id"]) == ids


def test_search_by_tags_and_city_and_deleted(people: pd.DataFrame) -> None:
    assert list(search_people(people, tags=["DONOR"])["id"]) == ["P1", "P3"]
    assert list(search_people(people, tags=["donor", "board"])["id"]) == ["P1"]
    assert list(search_people(people, city="Boston")["id"]) == ["P1", "P3"]
    assert "P4" in list(search_people(people, include_deleted=True)["id"])


def test_new_person_is_validated_and_stamped() -> None:
    person = new_person({"first_name": "Ann", "email": "Ann@Example.ORG", "tags": "a, b, a",
                         "phone": "617 555 0100"}, NOW)
    assert person["id"].startswith("P-")
    assert person["email"] == "Ann@example.org"
    assert person["tags"] == ("a", "b")
    assert person["phone"] == "+1 617-555-0100"
    assert person["created_at"] == person["updated_at"] == NOW


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"first_name": "Ann", "email": "not-an-address"}, "email"),
        ({"first_name": "Ann", "phone": "12"}, "phone"),
        ({"email": "nameless@example.org"}, ""),  # a person needs some name
    ],
)
def test_bad_form_values_name_their_field(values: dict, field: str) -> None:
    with pytest.raises(FieldErrors) as caught:
        new_person(values, NOW)
    assert field in caught.value.errors


def test_changed_fields_holds_only_what_changed(people: pd.DataFrame) -> None:
    before = people.iloc[0].to_dict()
    form = {"first_name": "José", "last_name": "García", "city": "Cambridge",
            "tags": "donor, board", "phone": "(617) 555-0100", "do_not_email": False}
    changes = changed_fields(before, form, NOW)
    assert changes == {"city": "Cambridge", "updated_at": NOW}  # phone left as staff typed it
    assert changed_fields(before, {"city": "Boston"}, NOW) == {}


def test_formula_looking_text_is_kept_as_typed(people: pd.DataFrame) -> None:
    before = people.iloc[0].to_dict()
    changes = changed_fields(before, {"notes": "=HYPERLINK(\"http://x\")"}, NOW)
    assert changes["notes"] == "=HYPERLINK(\"http://x\")"


def test_soft_delete_only_stamps() -> None:
    assert soft_delete_changes(NOW) == {"deleted_at": NOW, "updated_at": NOW}


def test_contact_card_spells_out_address_and_rules(people: pd.DataFrame) -> None:
    card = contact_card({**people.iloc[0].to_dict(), "do_not_mail": True, "postcode": "02134"})
    assert card["Address"] == "Boston, 02134"
    assert card["Contact rules"] == "no post"
    assert card["Tags"] == "donor, board"
    assert contact_card({"id": "P9"})["Contact rules"] == "none"


def test_a_picker_offers_neither_the_merged_nor_the_erased_and_the_dead_only_on_request(
) -> None:
    rows = [
        {"id": "P1", "first_name": "Ann", "last_name": "Lee"},
        {"id": "P2", "first_name": "Ann", "last_name": "Lee", "notes": "merged into P1",
         "deleted_at": "2026-10-01 10:00"},
        {"id": "P3", "erased_at": "2026-10-02 10:00"},
        {"id": "P4", "first_name": "Bo", "last_name": "Kim", "deceased": "TRUE"},
    ]
    people = parse_tab("people", rows_to_raw("people", rows)).frame
    assert list(people_to_offer(people)["id"]) == ["P1", "P4"]
    assert list(people_to_offer(people, deceased=False)["id"]) == ["P1"]

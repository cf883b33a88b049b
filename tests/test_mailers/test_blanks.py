"""Blank merge fields: the preview counts the recipients who would read a gap, and shows
what they would read."""

from __future__ import annotations

from mailers.blanks import blank_fields

BODY = "Dear {{ first_name }},\n\nYour last gift was {{ last_gift_amount }}.\n\nThank you."
FIELDS = {
    "P1": {"first_name": "Ann", "last_gift_amount": "50.00"},
    "P2": {"first_name": "Bo", "last_gift_amount": ""},
    "P3": {"first_name": "Cy", "last_gift_amount": "  "},
    "P4": {"first_name": "Dee", "last_gift_amount": "12.00"},
}


def test_recipients_with_a_blank_field_are_counted_with_what_they_will_read() -> None:
    [gap] = blank_fields("A note", BODY, FIELDS)
    assert (gap.field, gap.people, gap.of, gap.person_id) == ("last_gift_amount", 2, 4, "P2")
    assert gap.reads == "Your last gift was ." and not gap.covered


def test_a_fallback_covers_the_gap_and_says_what_they_read_instead() -> None:
    for body in ('Your last gift was {{ last_gift_amount or "a great help" }}.',
                 'Your last gift was {{ last_gift_amount|default("a great help") }}.'):
        [gap] = blank_fields("A note", body, FIELDS)
        assert gap.covered and gap.reads == "Your last gift was a great help."
    [gap] = blank_fields("A note", "{% if last_gift_amount %}You gave {{ last_gift_amount }}."
                         "{% endif %}Thanks", FIELDS)
    assert gap.covered and gap.reads == "Thanks"


def test_a_blank_field_in_the_subject_is_counted_too() -> None:
    fields = {"P1": {"first_name": ""}, "P2": {"first_name": "Bo"}}
    [gap] = blank_fields("Hello {{ first_name }}", "Body", fields)
    assert gap.people == 1 and gap.reads == "Subject: Hello" and not gap.covered


def test_fields_nobody_lacks_and_fields_not_used_say_nothing() -> None:
    assert blank_fields("Hi", "Dear {{ first_name }}", FIELDS) == []

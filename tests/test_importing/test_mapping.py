"""Column suggestions: the exports people bring map with few clicks."""

from __future__ import annotations

from importing.mapping import IMPORT_KINDS, suggest_mapping

MAILCHIMP = ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday",
             "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP",
             "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION",
             "LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS"]
PAYPAL = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee",
          "Net", "From Email Address", "To Email Address", "Transaction ID",
          "Shipping Address", "Address Status", "Item Title", "Item ID", "Reference Txn ID",
          "Receipt ID", "Balance", "Address Line 1", "Address Line 2/District/Neighborhood",
          "Town/City", "State/Province/Region/County/Territory/Prefecture/Republic",
          "Zip/Postal Code", "Country", "Contact Phone Number", "Subject", "Note",
          "Country Code", "Balance Impact"]
STRIPE = ["id", "Description", "Seller Message", "Created date (UTC)", "Amount",
          "Amount Refunded", "Currency", "Converted Amount", "Converted Amount Refunded", "Fee",
          "Taxes On Fee", "Converted Currency", "Status", "Statement Descriptor", "Customer ID",
          "Customer Description", "Customer Email", "Captured", "Card ID", "Card Name",
          "Card Address Line1", "Card Address City", "Card Address State",
          "Card Address Zip", "Card Address Country"]


def _chosen(mapping: dict[str, str]) -> dict[str, str]:
    return {header: field for header, field in mapping.items() if field}


def test_a_mailchimp_audience_maps_its_people_fields() -> None:
    mapping = _chosen(suggest_mapping(IMPORT_KINDS["people"], MAILCHIMP))
    assert mapping == {
        "Email Address": "email", "First Name": "first_name", "Last Name": "last_name",
        "Address": "address", "Phone Number": "phone", "OPTIN_TIME": "email_consent_date",
        "REGION": "region", "NOTES": "notes", "TAGS": "tags",
    }


def test_a_paypal_activity_download_maps_as_gifts_with_their_donor() -> None:
    mapping = _chosen(suggest_mapping(IMPORT_KINDS["donations"], PAYPAL))
    assert mapping == {
        "Date": "date", "Name": "full_name", "Status": "status", "Currency": "currency",
        "Gross": "amount", "From Email Address": "email", "Transaction ID": "reference",
        "Item Title": "fund", "Address Line 1": "address", "Town/City": "city",
        "State/Province/Region/County/Territory/Prefecture/Republic": "region",
        "Zip/Postal Code": "postcode", "Country": "country",
        "Contact Phone Number": "phone", "Note": "note",
    }


def test_a_stripe_payments_export_maps_as_gifts_with_their_donor() -> None:
    mapping = _chosen(suggest_mapping(IMPORT_KINDS["donations"], STRIPE))
    assert mapping == {
        "id": "reference", "Description": "note", "Created date (UTC)": "date",
        "Amount": "amount", "Currency": "currency", "Status": "status",
        "Customer Email": "email", "Card Name": "full_name", "Card Address Line1": "address",
        "Card Address City": "city", "Card Address State": "region",
        "Card Address Zip": "postcode", "Card Address Country": "country",
    }


def test_a_korean_spreadsheet_maps_too() -> None:
    mapping = _chosen(suggest_mapping(IMPORT_KINDS["donations"],
                                      ["성명", "이메일", "연락처", "후원금액", "입금일", "메모"]))
    assert mapping == {"성명": "full_name", "이메일": "email", "연락처": "phone",
                       "후원금액": "amount", "입금일": "date", "메모": "note"}


def test_spelling_case_and_punctuation_do_not_matter_and_each_field_is_used_once() -> None:
    mapping = suggest_mapping(IMPORT_KINDS["people"],
                              ["E-MAIL", "first_name", "Surname", "Emial", "Postal code"])
    assert mapping == {"E-MAIL": "email", "first_name": "first_name", "Surname": "last_name",
                       "Emial": "", "Postal code": "postcode"}


def test_a_typo_in_a_header_is_still_matched_when_close() -> None:
    assert suggest_mapping(IMPORT_KINDS["people"], ["Frist Name", "Lastname", "Phnoe"]) == {
        "Frist Name": "first_name", "Lastname": "last_name", "Phnoe": "phone"}


def test_a_name_column_is_not_split_when_first_and_last_are_there() -> None:
    mapping = suggest_mapping(IMPORT_KINDS["people"], ["Name", "First Name", "Last Name"])
    assert mapping == {"Name": "", "First Name": "first_name", "Last Name": "last_name"}


def test_volunteer_hours_and_memberships_map_their_own_fields() -> None:
    hours = _chosen(suggest_mapping(IMPORT_KINDS["volunteer_hours"],
                                    ["Volunteer Name", "Email", "Date", "Hours", "Task"]))
    assert hours == {"Volunteer Name": "full_name", "Email": "email", "Date": "date",
                     "Hours": "hours", "Task": "activity"}
    terms = _chosen(suggest_mapping(IMPORT_KINDS["memberships"],
                                    ["Email", "Membership Level", "Start Date", "Expiry",
                                     "Dues"]))
    assert terms == {"Email": "email", "Membership Level": "level_id",
                     "Start Date": "start_date", "Expiry": "end_date", "Dues": "amount"}

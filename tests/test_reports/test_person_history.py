"""A person's history: only their rows, newest first, totals exact and completed-only."""

from __future__ import annotations

from decimal import Decimal

from reports.person_history import person_history
from sheets_schema import parse_tab, rows_to_raw


def _frame(tab: str, rows: list[dict]) -> object:
    return parse_tab(tab, rows_to_raw(tab, rows)).frame


def test_history_totals_completed_gifts_exactly_and_orders_newest_first() -> None:
    donations = _frame("donations", [
        {"id": "D1", "person_id": "P1", "date": "2024-01-05", "amount": "0.10"},
        {"id": "D2", "person_id": "P1", "date": "2024-06-01", "amount": "0.20"},
        {"id": "D3", "person_id": "P1", "date": "2024-07-01", "amount": "100",
         "status": "refunded"},
        {"id": "D4", "person_id": "P2", "date": "2024-02-01", "amount": "50"},
    ])
    memberships = _frame("memberships", [
        {"id": "M1", "person_id": "P1", "level_id": "L1", "start_date": "2023-01-01"},
        {"id": "M2", "person_id": "P1", "level_id": "L1", "start_date": "2024-01-01"},
    ])
    hours = _frame("volunteer_hours", [
        {"id": "H1", "person_id": "P1", "date": "2024-03-01", "hours": "2.5"},
        {"id": "H2", "person_id": "P1", "date": "2024-04-01", "hours": "1.25"},
    ])
    history = person_history(donations, memberships, hours, "P1")
    assert history.given == Decimal("0.30")  # exact, and the refund is not money given
    assert history.completed_gifts == 2
    assert len(history.gifts) == 3
    assert list(history.gifts["amount"]) == [Decimal("100"), Decimal("0.20"), Decimal("0.10")]
    assert list(history.terms["start_date"].dt.year) == [2024, 2023]
    assert history.hours_given == Decimal("3.75")


def test_someone_with_no_history_has_zero_totals() -> None:
    empty = {t: _frame(t, []) for t in ("donations", "memberships", "volunteer_hours")}
    history = person_history(empty["donations"], empty["memberships"],
                             empty["volunteer_hours"], "P9")
    assert history.given == 0 and history.completed_gifts == 0 and history.hours.empty


def test_mail_history_names_the_appeal_and_says_what_happened() -> None:
    from reports.person_history import mail_history
    from sheets_schema import parse_tab, rows_to_raw

    outbox = parse_tab("outbox", rows_to_raw("outbox", [
        {"id": "O1", "mailing_id": "ML1", "person_id": "P1", "email": "a@x.org",
         "status": "sent", "sent_at": "2026-11-02 09:00"},
        {"id": "O2", "mailing_id": "ML2", "person_id": "P1", "email": "a@x.org",
         "status": "skipped", "error": "asked not to be emailed"},
        {"id": "O3", "mailing_id": "ML1", "person_id": "P2", "email": "b@x.org",
         "status": "sent"}])).frame
    mailings = parse_tab("mailings", rows_to_raw("mailings", [
        {"id": "ML1", "name": "Winter appeal"}, {"id": "ML2", "name": "Gala"}])).frame
    history = mail_history(outbox, mailings, "P1")
    assert list(history["appeal"]) == ["Winter appeal", "Gala"]
    assert list(history["status"]) == ["sent", "skipped"]

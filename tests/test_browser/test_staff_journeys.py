"""Staff at work, signed in through the OpenID mock as the demo's staff user
(staff@example.org, Sam Park): a membership renewal, a deposit of gifts, an appeal."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.smtp_server import Inbox
from tests.test_browser.conftest import cell, edit_cell, open_from_sidebar, wait_idle

pytestmark = pytest.mark.browser
STAFF = "staff@example.org"


def _rows(db: Path, sql: str, *args: object) -> list[dict[str, str]]:
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        return [dict(row) for row in con.execute(sql, args)]


def _member_in_grace(db: Path) -> tuple[str, str]:
    """Id and name of a member whose Individual (rolling) term has ended but who is still in
    grace today, in the organisation's time zone."""
    from reports.membership import latest_terms_of
    from storage.sqlite_store import SQLiteStore

    store = SQLiteStore(db)
    book = store.load(["people", "memberships", "membership_levels", "donations", "settings"])
    store.close()
    today = datetime.now(ZoneInfo(book.settings.time_zone)).date()
    latest = latest_terms_of(book, today)
    grace = latest[(latest["status"] == "Grace") & (latest["level_id"] == "L1")]
    unique = grace[~grace["name"].isin(latest["name"][latest["name"].duplicated()])]
    first = unique.sort_values("person_id").iloc[0]
    return str(first["person_id"]), str(first["name"])


def _pick(page, label: str, typed: str, option: str | re.Pattern[str]) -> None:  # type: ignore[no-untyped-def]
    """Choose in a select box by typing part of the option, as one does with a long list."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option).click()
    wait_idle(page)


def test_staff_record_a_renewal_and_see_the_status_change(signed_in, signed_app: str,
                                                          signed_db: Path, shots) -> None:
    """A member in grace renews by cheque at the level's fee: the term and its payment are
    saved together, and the member is Current from then on (signed in as staff)."""
    from playwright.sync_api import expect

    person_id, name = _member_in_grace(signed_db)
    terms_before = _rows(signed_db, "SELECT id FROM memberships WHERE person_id = ?", person_id)
    page = signed_in(STAFF)
    open_from_sidebar(page, "Renewals")
    expect(page.get_by_role("heading", name="Renewals")).to_be_visible()
    in_grace = page.get_by_role("tab", name=re.compile(r"^In grace \((\d+)\)$"))
    grace_count = int(re.findall(r"\d+", in_grace.inner_text())[0])
    in_grace.click()
    expect(cell(page.locator("[data-testid=stDataFrame]:visible"),  # the name, a link by id
                re.compile(f"^person\\?id={re.escape(person_id)}&name="))).to_have_count(1)
    shots(page, "renewals-in-grace")

    _pick(page, "Member", name, f"{name} ({person_id}) · Grace")
    preview = page.get_by_text(re.compile(r"^The new term runs from "))
    start, end = re.findall(r"\d{4}-\d\d-\d\d", preview.inner_text())
    shots(page, "renewal-form")
    page.get_by_role("button", name="Record renewal").click()
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text(
        f"Renewal recorded: {start} to {end}.")
    expect(page.get_by_role("tab", name=f"In grace ({grace_count - 1})")).to_be_visible()
    member = page.get_by_role("combobox", name="Member")
    expect(member).to_have_value("")  # emptied, not still showing "· Grace"
    shots(page, "renewal-recorded")
    member.click()
    page.keyboard.type(name)
    expect(page.get_by_role("option", name=f"{name} ({person_id}) · Current")).to_be_visible()
    shots(page, "member-now-current")
    page.keyboard.press("Escape")

    terms = _rows(signed_db, "SELECT * FROM memberships WHERE person_id = ?", person_id)
    new = [t for t in terms if t["id"] not in {b["id"] for b in terms_before}]
    assert len(new) == 1
    assert (new[0]["level_id"], new[0]["start_date"][:10], new[0]["end_date"][:10]) == (
        "L1", start, end)
    payment = _rows(signed_db, "SELECT * FROM donations WHERE id = ?", new[0]["donation_id"])
    assert [(p["person_id"], p["kind"], p["method"], p["status"], Decimal(p["amount"]))
            for p in payment] == [(person_id, "membership", "cheque", "completed",
                                   Decimal("50"))]

    page.goto(f"{signed_app}/person?id={person_id}")  # as from a link to the person
    wait_idle(page)
    page.get_by_role("tab", name="Memberships").click()
    status = page.get_by_test_id("stMetric").filter(has_text="Status")
    expect(status.get_by_test_id("stMetricValue")).to_have_text("Current")
    shots(page, "person-memberships")


def test_staff_enter_a_batch_that_must_match_the_deposit_slip(signed_in, signed_db: Path,
                                                              shots) -> None:
    """Three cheques against a slip typed as 110.50: the batch is refused, and nothing saved,
    until the slip's total is corrected to the 100.50 the cheques add up to; then all three
    are saved with one batch id (signed in as staff; volunteers may do the same)."""
    from playwright.sync_api import expect

    cheques = [("Andrew Nelson", "andrew.nelson@example.org", "25.00", "5001"),
               ("", "P00059", "40.00", "5002"),
               ("", "P00060", "35.50", "5003")]
    page = signed_in(STAFF)
    open_from_sidebar(page, "Batch entry")
    expect(page.get_by_role("heading", name="Batch entry")).to_be_visible()
    control = page.get_by_role("textbox", name="Control total")
    control.fill("110.50")
    control.press("Enter")
    wait_idle(page)
    page.get_by_text("Find a person's id").click()
    for name, who, _, _ in cheques:
        finder = page.get_by_role("textbox", name="Find the person")
        finder.fill(name or who)
        finder.press("Enter")
        wait_idle(page)
        if name:  # two people share this name: pick the one by their email
            _pick(page, "Person", "", re.compile(re.escape(who)))
        page.get_by_role("button", name="Add a row for this person").click()
        wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first
    for row, (_, _, amount, cheque) in enumerate(cheques):
        edit_cell(grid, row, 1, amount, row_markers=True)
        edit_cell(grid, row, 3, cheque, row_markers=True)
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Gifts").get_by_test_id("stMetricValue")).to_have_text(
        "3 of 3 rows")
    expect(metrics.filter(has_text="Grid total").get_by_test_id("stMetricValue")).to_have_text(
        "$100.50")
    expect(metrics.filter(has_text="Control total").get_by_test_id("stMetricDelta")
           ).to_contain_text("10.00 off")
    shots(page, "batch-filled")

    page.get_by_role("button", name="Save batch").click()
    wait_idle(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_text(
        "The gifts add up to 100.50 but the deposit slip says 110.50 (a difference of "
        "10.00). Find the row that differs; nothing was saved.")
    shots(page, "batch-refused")
    references = [c[3] for c in cheques]
    marks = ",".join("?" * len(references))
    sql = f"SELECT * FROM donations WHERE reference IN ({marks})"  # noqa: S608
    assert _rows(signed_db, sql, *references) == []

    deposit_date = page.get_by_test_id("stDateInput").filter(has_text="Deposit date").locator(
        "input").input_value()
    control.fill("100.50")
    control.press("Enter")
    wait_idle(page)
    expect(metrics.filter(has_text="Control total").get_by_test_id("stMetricDelta")
           ).to_have_count(0)
    page.get_by_role("button", name="Save batch").click()
    wait_idle(page)
    saved = page.get_by_test_id("stAlertContentSuccess")
    expect(saved).to_have_text(re.compile(r"^Saved batch B\S+: 3 gifts, \$100\.50 in all\.$"))
    expect(control).to_have_value("")
    shots(page, "batch-saved")
    batch_id = re.findall(r"Saved batch (\S+):", saved.inner_text())[0]
    gifts = _rows(signed_db, sql, *references)
    assert sorted((g["person_id"], Decimal(g["amount"]), g["method"], g["reference"],
                   g["batch_id"], g["status"]) for g in gifts) == [
        ("P00056", Decimal("25.00"), "cheque", "5001", batch_id, "completed"),
        ("P00059", Decimal("40.00"), "cheque", "5002", batch_id, "completed"),
        ("P00060", Decimal("35.50"), "cheque", "5003", batch_id, "completed")]
    assert {g["date"][:10] for g in gifts} == {deposit_date.replace("/", "-")}  # no dates typed


def test_staff_send_an_appeal_and_watch_it_finish(signed_in, signed_db: Path,
                                                  mail_inbox: Inbox, shots) -> None:
    """An appeal to the board (the people tagged "board" who may be emailed) goes through
    the local SMTP server; the progress bar reaches the end, every recipient is in the inbox
    once, and the outbox says so (signed in as staff: directors may not send)."""
    from playwright.sync_api import expect

    page = signed_in(STAFF)
    open_from_sidebar(page, "Appeals")
    expect(page.get_by_role("heading", name="Appeals")).to_be_visible()
    page.get_by_role("combobox", name="Tags").click()
    page.keyboard.type("board")
    page.get_by_role("option", name="board", exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    audience = page.get_by_text(re.compile(r"^\d+ people will get this appeal; \d+ are left"))
    included, excluded = map(int, re.findall(r"\d+", audience.inner_text()))
    assert 0 < included < 20
    page.get_by_role("textbox", name="Appeal name").fill("Board thank-you")
    page.get_by_role("textbox", name="Appeal name").press("Enter")
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Subject: A note from "))).to_be_visible()
    shots(page, "appeal-written")

    page.get_by_role("button", name="Start sending").click()
    page.wait_for_url(re.compile(r"/appeal\?id=ML-"))
    mailing_id = page.url.split("id=")[1]
    expect(page.get_by_role("heading", name="Board thank-you")).to_be_visible()
    bar = page.get_by_test_id("stProgress")
    shots(page, "appeal-sending", settled=False)
    expect(bar).to_contain_text(f"{included} sent · 0 failed · 0 uncertain · 0 left · "
                                f"{excluded} left out", timeout=90_000)
    expect(bar.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    # The page then lists who was sent what (its "Appeal sent." toast lasts a few seconds,
    # which a busy machine can take to get here).
    expect(page.get_by_role("heading", name="Recipients")).to_be_visible()
    shots(page, "appeal-sent")

    outbox = _rows(signed_db, "SELECT * FROM outbox WHERE mailing_id = ?", mailing_id)
    sent_to = sorted(o["email"] for o in outbox if o["status"] == "sent")
    assert len(sent_to) == included
    mine = [m for m in mail_inbox.messages if f"<{mailing_id}." in str(m["Message-ID"])]
    assert sorted(str(m["To"]).rsplit("<", 1)[-1].rstrip(">") for m in mine) == sent_to
    assert {str(m["Subject"]) for m in mine} == {"A note from Riverside Community Association"}
    assert all(m["List-Unsubscribe"] for m in mine)
    first_names = {p["email"]: p["first_name"] for p in _rows(
        signed_db, "SELECT email, first_name FROM people WHERE email != ''")}
    for message in mine:
        to = str(message["To"]).rsplit("<", 1)[-1].rstrip(">")
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert text.splitlines()[0] == f"Dear {first_names[to]},"
        assert "To stop receiving these emails: http://127.0.0.1:" in text
    board = {p["email"] for p in _rows(signed_db, "SELECT email FROM people WHERE "
                                       "(', ' || tags || ', ') LIKE '%, board, %'")}
    assert set(sent_to) <= board
    assert _rows(signed_db, "SELECT status FROM mailings WHERE id = ?", mailing_id) == [
        {"status": "sent"}]

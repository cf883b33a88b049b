"""One message: the headers providers require, both parts, the footer, unsubscribe."""

from __future__ import annotations

from datetime import datetime

import pytest

from mailers import unsubscribe
from mailers.config import MailConfig, MailConfigError
from mailers.messages import Footer, build_message
from mailers.templates import render

FOOTER = Footer("Riverside Community Association", "12 River Street, Cambridge, MA 02139")
CONFIG = MailConfig(host="smtp.example.org", port=587, sender="appeals@riverside.org",
                    unsubscribe_url="https://steward.riverside.org/unsubscribe",
                    unsubscribe_secret="0123456789abcdef0123")


def message(to_name: str = "Mina Cho", **kw: str):  # type: ignore[no-untyped-def]
    return build_message(render("Thanks {{ n }}", "Dear {{ n }}", {"n": "Mina"}),
                         to_name=to_name, to_email="mina@example.org", mailing_id="ML-1",
                         person_id="P-7", config=CONFIG, footer=FOOTER,
                         now=datetime(2026, 12, 1, 9, 30), **kw)


def test_a_message_has_every_header_once_and_one_click_unsubscribe() -> None:
    m = message()
    for name in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe",
                 "List-Unsubscribe-Post"):
        assert len(m.get_all(name)) == 1, name
    assert m["Message-ID"] == "<ML-1.P-7@riverside.org>"
    assert m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = m["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://steward.riverside.org/unsubscribe?")
    assert unsubscribe.verify(CONFIG.unsubscribe_secret, *unsubscribe.parse(url))


def test_both_parts_carry_the_postal_address_and_a_visible_unsubscribe_link() -> None:
    m = message()
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    assert "Dear Mina" in text and "12 River Street" in text and "unsubscribe?" in text
    assert "<p>Dear Mina</p>" in html and "12 River Street" in html and ">Unsubscribe</a>" in html


def test_a_merged_name_cannot_add_a_header() -> None:
    m = message(to_name="Mina\r\nBcc: everyone@example.org")
    assert m.get_all("Bcc") is None and "\n" not in str(m["To"])


def test_an_appeal_without_a_postal_address_is_refused() -> None:
    with pytest.raises(ValueError, match="postal address"):
        build_message(render("s", "b", {}), to_name="", to_email="a@b.org", mailing_id="M",
                      person_id="P", config=CONFIG, footer=Footer("Org", " "),
                      now=datetime(2026, 12, 1))


@pytest.mark.parametrize(("changes", "complaint"), [
    ({"host": ""}, "No mail server"),
    ({"security": "none"}, "only allowed for a relay on this machine"),
    ({"unsubscribe_url": "http://steward.org/u"}, "https"),
    ({"unsubscribe_secret": "short"}, "at least 16"),
])
def test_settings_that_cannot_work_are_refused(changes: dict[str, str], complaint: str) -> None:
    values = {"host": "smtp.example.org", "port": "587", "sender": "a@riverside.org",
              "unsubscribe_url": "https://s.org/u", "unsubscribe_secret": "x" * 20, **changes}
    with pytest.raises(MailConfigError, match=complaint):
        MailConfig.from_sources({"email": values}, environ={})


@pytest.mark.parametrize("tamper", ["mailing", "person", "token", "non-ascii token",
                                    "non-ascii ids"])
def test_an_altered_unsubscribe_link_does_not_verify(tamper: str) -> None:
    mailing, person, token = unsubscribe.parse(unsubscribe.link(
        "https://s.org/u", "secret-secret-secret", "ML-1", "P-7"))
    mailing, person, token = {"mailing": ("ML-2", person, token),
                              "person": (mailing, "P-8", token),
                              "token": (mailing, person, token[:-1] + "A"),
                              "non-ascii token": (mailing, person, token[:-1] + "é"),
                              "non-ascii ids": ("ML-é", "P-\udcff", "ü" * 22)}[tamper]
    assert not unsubscribe.verify("secret-secret-secret", mailing, person, token)


def test_html_in_a_body_or_a_field_reaches_the_html_part_as_text() -> None:
    typed = render("Hi", "Dear <b>{{ n }}</b> <img src='http://e.example/p.png'>\n\n"
                         "{{ '<script>x</script>'|safe }}", {"n": "<a href='http://e'>M</a>"})
    m = build_message(typed, to_name="Mina", to_email="mina@example.org", mailing_id="ML-1",
                      person_id="P-7", config=CONFIG, footer=FOOTER,
                      now=datetime(2026, 12, 1, 9, 30))
    body = m.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<b>" not in body and "<img" not in body and "<script>" not in body
    assert "<a href='http://e'>" not in body and "&lt;img src=" in body

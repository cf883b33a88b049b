"""Templates: merge fields, escaping, and a missing field refused before anything is sent."""

from __future__ import annotations

import pytest

from mailers.templates import TemplateProblem, check_template, render


def test_fields_are_merged_into_subject_text_and_html() -> None:
    out = render("Thank you, {{ first_name }}", "Dear {{ first_name }},\n\nYou gave "
                 "{{ last_gift }}.", {"first_name": "Mina", "last_gift": "$50.00"})
    assert out.subject == "Thank you, Mina"
    assert out.text == "Dear Mina,\n\nYou gave $50.00."
    assert out.html == "<p>Dear Mina,</p>\n<p>You gave $50.00.</p>"


def test_a_name_that_looks_like_markup_stays_text_in_the_html() -> None:
    out = render("Hi", "Dear {{ first_name }}", {"first_name": "<script>alert(1)</script>"})
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert out.text == "Dear <script>alert(1)</script>"


def test_a_field_that_does_not_exist_is_refused_with_the_fields_there_are() -> None:
    with pytest.raises(TemplateProblem, match="'frist_name' does not exist.*first_name"):
        check_template("Hi {{ frist_name }}", "Body", ["first_name", "last_name"])


def test_a_broken_template_says_where() -> None:
    with pytest.raises(TemplateProblem, match="line 1"):
        check_template("Hi {{ first_name", "Body", ["first_name"])


def test_rendering_a_missing_field_is_an_error_not_a_blank() -> None:
    with pytest.raises(TemplateProblem, match="nothing was sent"):
        render("Hi", "Dear {{ first_name }}", {})


def test_the_sandbox_keeps_templates_away_from_python() -> None:
    with pytest.raises(Exception, match="unsafe|not safely|access"):
        render("Hi", "{{ first_name.__class__.__mro__ }}", {"first_name": "x"})


def test_a_subject_never_holds_a_line_break() -> None:
    out = render("Hello {{ first_name }}", "x", {"first_name": "Ann\r\nBcc: all@x.org"})
    assert "\n" not in out.subject and "\r" not in out.subject

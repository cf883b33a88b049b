"""Templates: merge fields, escaping, and a missing field refused before anything is sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mailers.templates import TemplateProblem, check_template, literal, render


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


# A template that could exhaust memory or time runs in its own Python, with 512 MB of address
# space and a timeout, so a regression fails in seconds instead of taking the test run down.
_WORKER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))
from mailers.templates import TemplateProblem, render
try:
    render("Hi", sys.argv[1], {"first_name": "Mina"})
except TemplateProblem as problem:
    print("problem:", problem)
else:
    print("rendered")
"""

HOSTILE = {
    "python objects": "{{ first_name.__class__ }}",
    "a billion characters": "{{ 'x'*10**9 }}",
    "a literal billion": "{{ 'x' * 1000000000 }}",
    "nested loops": "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}"
                    "{% endfor %}{% endfor %}",
    "a macro that doubles": "{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}"
                            "{% endmacro %}{{ f(40) }}",
    "text that doubles": "{% macro f(s, n) %}{% if n %}{{ f(s ~ s, n-1) }}{% else %}"
                         "{{ s|length }}{% endif %}{% endmacro %}{{ f('x', 60) }}",
    "endless recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "a format width": "{{ '{:>999999999}'.format(1) }}",
    "a padding method": "{{ first_name.center(999999999) }}",
    "a padding filter": "{{ first_name|center(999999999) }}",
    "percent formatting": "{{ '%0999999999d' % 1 }}",
    "a huge power": "{{ 10 ** 100000000 }}",
    "a printed list": "{{ [first_name * 50000] * 100000 }}",
    "a joined list": "{{ [first_name * 50000] * 100000 | join }}",
    "a replacement": "{{ ('x' * 90000)|replace('', 'y' * 90000) }}",
    "literal text in a loop": "{% for i in range(100000) %}" + "L" * 40000 + "{% endfor %}",
    "a list that grows": "{% set l = [1] %}{% for i in range(60) %}{{ l.extend(l) }}{% endfor %}",
    "a recursive loop": "{% for x in [1, 2] recursive %}{{ loop([1, 2]) }}{% endfor %}",
    "a sum of lists": "{{ [[0] * 100000] * 100000 | sum(start=[]) }}",
    "a huge range": "{{ range(10**12)|list }}",
    "a division by zero": "{{ 1 / 0 }}",
}


@pytest.mark.parametrize("template", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_template_can_exhaust_memory_or_time_and_each_says_why(template: str) -> None:
    done = subprocess.run([sys.executable, "-c", _WORKER, template], capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).parents[2], check=False)
    assert done.stdout.startswith("problem: "), done.stderr[-2000:]
    sentence = done.stdout.removeprefix("problem: ").strip()
    assert sentence.startswith(("The template", "A macro")) and sentence.endswith(".")
    assert "Traceback" not in sentence and "File " not in sentence


def test_the_limits_say_what_was_too_big() -> None:
    with pytest.raises(TemplateProblem, match="longer than 100,000 characters"):
        render("Hi", "{{ 'x' * 200000 }}", {})
    with pytest.raises(TemplateProblem, match="more than 50,000 loop steps"):
        render("Hi", "{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}"
                     "{% endfor %}", {})
    with pytest.raises(TemplateProblem, match="'center' is not available|No filter named"):
        render("Hi", "{{ first_name|center(9) }}", {"first_name": "Mina"})


def test_a_template_that_cannot_be_filled_in_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(TemplateProblem, match="cannot.*'__class__'.*nothing was sent"):
        check_template("Hi", "Dear {{ first_name.__class__ }}", ["first_name"])
    with pytest.raises(TemplateProblem, match="division by zero"):
        check_template("Hi {{ 1 / 0 }}", "Body", ["first_name"])


def test_ordinary_templates_still_work_within_the_limits() -> None:
    body = ("{% if first_name %}Dear {{ first_name|title }}{% else %}Dear friend{% endif %},"
            "\n\n{% for n in range(3) %}{{ loop.index }}{% endfor %} {{ nick|default('-') }} "
            "{{ first_name ~ '!' }} {{ first_name.upper() }} {{ [3, 1, 2]|sort|join(',') }} "
            "{{ 'x' * 5 }}")
    out = render("Thanks", body, {"first_name": "mina cho"})
    assert out.text == "Dear Mina Cho,\n\n123 - mina cho! MINA CHO 1,2,3 xxxxx"


def test_a_long_ordinary_letter_renders_whole() -> None:
    letter = "\n\n".join(f"Paragraph {i} for {{{{ first_name }}}}." for i in range(1200))
    out = render("Hi", letter, {"first_name": "Mina"})
    assert out.text.count("Mina") == 1200 and out.html.count("<p>") == 1200


def test_html_typed_in_a_body_and_safe_stay_text_in_the_html_part() -> None:
    out = render("Hi", "Dear <b>{{ first_name }}</b>, <a href='http://e.example'>go</a>\n\n"
                       "{{ '<img src=http://e.example/p.png>'|safe }}",
                 {"first_name": "<i>Mina</i>"})
    assert "<b>" not in out.html and "<a " not in out.html and "<img" not in out.html
    assert "<i>" not in out.html
    assert "&lt;b&gt;&lt;i&gt;Mina&lt;/i&gt;&lt;/b&gt;" in out.html
    assert out.html.count("<p>") == 2
    assert out.text.startswith("Dear <b><i>Mina</i></b>")


def test_a_condition_may_span_paragraphs() -> None:
    out = render("Hi", "{% if vip %}Dear friend,\n\nThank you.{% endif %}", {"vip": "yes"})
    assert out.html == "<p>Dear friend,</p>\n<p>Thank you.</p>"


@pytest.mark.parametrize("typed", ["Gala set-up {% endraw %}{{ x.__class__ }}", 'a "quoted" \\ '
                                   "back}}slash", "Café 청소 {# not a comment #}", ""])
def test_a_literal_prints_its_text_exactly_and_runs_none_of_it(typed: str) -> None:
    out = render("Your shift: " + literal(typed), "On " + literal(typed) + ".", {})
    assert out.text == f"On {typed}." and out.subject == " ".join(f"Your shift: {typed}".split())


@pytest.mark.parametrize("body", ['{{ last_gift_amount|default("your gift") }}',
                                  '{{ last_gift_amount|d("your gift") }}',
                                  '{{ last_gift_amount or "your gift" }}'])
def test_a_blank_field_can_be_given_a_fallback(body: str) -> None:
    assert render("s", body, {"last_gift_amount": ""}).text == "your gift"
    assert render("s", body, {"last_gift_amount": "   "}).text.strip() in {"your gift", ""}
    assert render("s", body, {"last_gift_amount": "50.00"}).text == "50.00"


def test_default_counts_a_blank_as_missing_unless_told_otherwise() -> None:
    fields = {"last_gift_amount": "  "}
    assert render("s", '{{ last_gift_amount|default("your gift") }}', fields).text == \
        "your gift"
    assert render("s", '[{{ last_gift_amount|default("x", false) }}]', fields).text == "[  ]"


@pytest.mark.parametrize("body", ["{{ ''|default(first_name.__class__) }}",
                                  "{{ ''|default(first_name.center(99)) }}",
                                  "{{ ''|default(range(3)) }}",
                                  "{{ ''|default([first_name] * 3) }}"])
def test_a_fallback_reaches_no_further_than_the_sandbox_did(body: str) -> None:
    with pytest.raises(TemplateProblem):
        render("s", body, {"first_name": "Mina"})
    # As in Jinja, a name the sandbox refuses counts as missing: the fallback, never Python.
    assert render("s", "{{ first_name.__class__|default('x') }}", {"first_name": "M"}).text \
        == "x"


def test_a_fallback_is_held_to_the_size_limits() -> None:
    with pytest.raises(TemplateProblem, match="longer than 100,000 characters"):
        render("s", "{{ ''|default('x' * 200000) }}", {})

"""Appeal templates: merge fields rendered by a sandboxed Jinja2, as plain text and HTML.

Staff write one body in plain text with fields like ``{{ first_name }}``; the HTML part is
the same text, escaped, in paragraphs. The sandbox keeps a template from reaching Python
objects, autoescaping keeps a donor's name from becoming markup, and a field that does not
exist is an error before anything is sent, never a blank in an email.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["Rendered", "TemplateProblem", "check_template", "render"]

_TEXT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                             keep_trailing_newline=True)
_HTML = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


class TemplateProblem(ValueError):
    """A template that cannot be sent as written, with what to change."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def fields_used(template: str) -> set[str]:
    """The merge fields a template names: ``fields_used("Dear {{ first_name }}")``."""
    try:
        return set(meta.find_undeclared_variables(_TEXT.parse(template)))
    except TemplateSyntaxError as error:
        raise TemplateProblem(f"The template has a mistake on line {error.lineno}: "
                              f"{error.message}. Check the {{{{ }}}} around each field.") from None


def check_template(subject: str, body: str, available: Iterable[str]) -> None:
    """Refuse a subject or body that names a field no recipient has."""
    known = set(available)
    unknown = sorted((fields_used(subject) | fields_used(body)) - known)
    if unknown:
        raise TemplateProblem(
            f"The field {unknown[0]!r} does not exist, so nothing was sent. The fields are: "
            f"{', '.join(sorted(known))}."
        )


def _paragraphs_html(body: str, fields: Mapping[str, Any]) -> str:
    parts = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    rendered = []
    for part in parts:
        html = _HTML.from_string(part).render(fields)
        rendered.append("<p>" + html.replace("\n", "<br>\n") + "</p>")
    return "\n".join(rendered)


def render(subject: str, body: str, fields: Mapping[str, Any]) -> Rendered:
    """The subject, text and HTML of one message. A subject never holds a line break (it
    would start a new header)."""
    try:
        title = _TEXT.from_string(subject).render(fields)
        text = _TEXT.from_string(body).render(fields)
        html = _paragraphs_html(body, fields)
    except UndefinedError as error:
        raise TemplateProblem(f"{error.message}; nothing was sent.") from None
    return Rendered(" ".join(title.split()), text, html)

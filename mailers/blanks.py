"""Merge fields that are blank for some recipients, and what those recipients will read.

"Your last gift was {{ last_gift_amount }} on {{ last_gift_date }}." reads "Your last gift
was  on ." to someone who never gave. Before an appeal starts, the preview says how many
recipients have each field the template uses blank, shows the line they will read, and
whether the template already gives them something else (a `default`, an `or` or an `if`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from .templates import fields_used, is_blank, render

__all__ = ["Blank", "blank_fields"]

#: Stands in for a blank field to find where it prints (unchanged by upper, title, trim).
_MARK = "\u2060\u2060"


@dataclass(frozen=True)
class Blank:
    """One merge field the template uses that is blank for `people` of `of` recipients."""

    field: str
    people: int
    of: int
    person_id: str  # the first of them, whose message is shown
    reads: str  # the lines of that message where the field would have been
    covered: bool  # the template gives them other words (a fallback), not a gap


def _lines(subject: str, text: str) -> list[str]:
    return [f"Subject: {subject}", *text.splitlines()]


def _where(subject: str, body: str, values: Mapping[str, str], field: str
           ) -> tuple[str, bool]:
    """The lines a recipient whose `field` is blank reads where it prints, and whether the
    template fills the gap (their text is not just the text with the field left out)."""
    real = render(subject, body, values)
    marked = render(subject, body, {**values, field: _MARK})
    real_lines, marked_lines = _lines(real.subject, real.text), \
        _lines(marked.subject, marked.text)
    covered = [" ".join(line.replace(_MARK, "").split()) for line in marked_lines] != \
        [" ".join(line.split()) for line in real_lines]
    changed = [real_lines[i] for tag, i1, i2, _, _ in difflib.SequenceMatcher(
        a=real_lines, b=marked_lines, autojunk=False).get_opcodes() if tag != "equal"
               for i in range(i1, i2)]
    return " / ".join(line.strip() for line in changed if line.strip()), covered


def blank_fields(subject: str, body: str, fields: Mapping[str, Mapping[str, str]]
                 ) -> list[Blank]:
    """Each field the subject or body uses that is blank for some recipients in `fields`
    (person id -> merge values), in the order of the template's fields' names. A template
    that cannot be filled in raises TemplateProblem, as `render` does."""
    used = sorted(fields_used(subject) | fields_used(body))
    out = []
    for field in used:
        empty = [pid for pid, values in fields.items()
                 if field in values and is_blank(values[field])]
        if not empty:
            continue
        reads, covered = _where(subject, body, fields[empty[0]], field)
        out.append(Blank(field, len(empty), len(fields), empty[0], reads, covered))
    return out

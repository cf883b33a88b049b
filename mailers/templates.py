"""Appeal templates: merge fields rendered by a sandboxed, bounded Jinja2, as plain text and HTML.

Staff write one body in plain text with fields like ``{{ first_name }}``; the HTML part is
that rendered text, escaped, in paragraphs, so nothing typed in a body (nor ``|safe``) ever
becomes markup. The sandbox keeps a template from reaching Python objects (only the string
methods and filters listed below exist), and a field that does not exist is an error before
anything is sent, never a blank in an email.

A template is written by a person with the `send_mail` permission but runs inside the app
(every preview) and the sender, so no template may exhaust memory or time: every loop step,
call and filter is counted, every value built (repeated text, joined lists, powers) is
measured before it is made, literal text counts like printed text, and rendering stops with
a sentence at the first limit:

- a message (subject or body) of at most MAX_OUTPUT characters, and no value larger;
- at most MAX_STEPS loop steps, calls and filters, and MAX_WORK characters handled in all;
- at most MAX_SECONDS of rendering, a last resort the counts above reach long before.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext, Undefined
from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.visitor import NodeTransformer

__all__ = ["MAX_OUTPUT", "Rendered", "TemplateProblem", "check_template", "fields_used",
           "is_blank", "literal", "render"]

#: Characters in a rendered subject or body, and in any one value a template builds (Gmail
#: clips a message at about 102 KB, so a longer appeal is a mistake).
MAX_OUTPUT = 100_000
#: Loop steps, calls (macros, string methods) and filters in one rendering.
MAX_STEPS = 50_000
#: Characters printed, built or handed to a filter in one rendering, literal text included.
MAX_WORK = 5_000_000
#: Characters in a template's source.
MAX_SOURCE = 50_000
#: Seconds one rendering may take; the counts above stop any template long before.
MAX_SECONDS = 5.0
#: Bits in a whole number a template computes (about 1,200 digits).
MAX_INT_BITS = 4_096

_SCALARS = (str, int, float, bool, type(None))
_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "isalnum", "isalpha", "isdigit",
    "islower", "isnumeric", "isspace", "istitle", "isupper", "lower", "lstrip", "rfind",
    "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
    "upper",
})
#: Filters that take one text (or number) and return one of about the same size.
_TEXT_FILTERS = ("abs", "capitalize", "e", "escape", "float", "int", "lower",
                 "round", "safe", "striptags", "title", "trim", "truncate", "upper",
                 "wordcount")
#: Filters that take a list (or a text as a list of characters) of texts or numbers.
_LIST_FILTERS = ("count", "first", "last", "length", "list", "max", "min", "reverse", "sort",
                 "unique")


class TemplateProblem(ValueError):
    """A template that cannot be sent as written, with what to change."""


class _Limit(Exception):
    """A template reached one of the limits above (the message says which)."""


class _NotNow(Exception):
    """A guarded operation met at compile time: Jinja then leaves it for the rendering."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class _Budget:
    """What one rendering may still do."""

    def __init__(self) -> None:
        self.steps = 0
        self.work = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self, work: int = 0, steps: int = 1) -> None:
        self.steps += steps
        self.work += work
        if self.steps > MAX_STEPS:
            raise _Limit(f"it takes more than {MAX_STEPS:,} loop steps, calls and filters")
        if self.work > MAX_WORK:
            raise _Limit(f"it handles more than {MAX_WORK:,} characters in all")
        if time.monotonic() > self.deadline:
            raise _Limit(f"it takes more than {MAX_SECONDS:g} seconds")


_budget: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def _spend(work: int = 0, steps: int = 1) -> None:
    budget = _budget.get()
    if budget is None:
        raise _NotNow
    budget.step(work, steps)


def _sized(size: int, what: str = "a value") -> None:
    if size > MAX_OUTPUT:
        raise _Limit(f"{what} would be longer than {MAX_OUTPUT:,} characters")


def _text(value: Any) -> str:
    """`value` as printed text, refusing what has no short text form (a list printed whole
    could be any size)."""
    if isinstance(value, Undefined):
        return str(value)  # StrictUndefined: the "is undefined" error
    if not isinstance(value, _SCALARS):
        raise SecurityError(f"a {type(value).__name__} cannot be printed, only text and "
                            f"numbers")
    out = str(value)
    _sized(len(out))
    return out


def _printed(value: Any) -> str:
    """Jinja's `finalize`: every printed value, and every piece of literal text, is counted."""
    out = _text(value)
    _spend(len(out), steps=0)
    return out


def _measured(value: Any) -> Any:
    """`value` unchanged, once it is known to be short text or a number."""
    _spend(len(_text(value)))
    return value


def _items(value: Any) -> list[Any] | str:
    """A filter's list of texts or numbers, measured (sorting or summing nested lists could
    take any time)."""
    if isinstance(value, str | Undefined):
        _spend(len(str(value)))
        return str(value)
    try:
        items = list(value) if len(value) <= MAX_OUTPUT else None
    except TypeError:
        raise SecurityError(f"a filter was given a {type(value).__name__}, not a list") from None
    if items is None:
        raise _Limit(f"a list would hold more than {MAX_OUTPUT:,} items")
    if not all(isinstance(i, _SCALARS) for i in items):
        raise SecurityError("a filter was given a list of lists")
    _spend(len(items) + sum(len(i) for i in items if isinstance(i, str)))
    return items


def _guarded(name: str, measure: Callable[[Any], Any]) -> Callable[..., Any]:
    """Jinja's filter `name`, its input measured first (after the environment or context
    Jinja hands some filters)."""
    original = FILTERS[name]
    mark = getattr(original, "jinja_pass_arg", None)
    at = 0 if mark is None else 1

    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = list(args)
        if not isinstance(values[at], Undefined):  # `default` is given Undefined
            values[at] = measure(values[at])
        return original(*values, **kwargs)

    if mark is not None:
        guarded.jinja_pass_arg = mark  # type: ignore[attr-defined]
    return guarded


def is_blank(value: Any) -> bool:
    """True for a merge value a reader would see as nothing: empty or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _default(value: Any, default_value: Any = "", boolean: bool = True) -> Any:
    """Jinja's `default`, with a blank field counting as missing (Jinja's `boolean=True`
    by default): every merge field exists, so ``{{ last_gift_amount|default("your gift") }}``
    is how a template speaks to a recipient who has none. ``default(x, false)`` keeps Jinja's
    own meaning (only a missing name)."""
    missing = isinstance(value, Undefined) or (boolean and (is_blank(value) or not value))
    chosen = default_value if missing else value
    return chosen if isinstance(chosen, Undefined) else _measured(chosen)


def _join(value: Any, d: str = "") -> str:
    pieces = [_text(i) for i in _items(value)]
    _sized(sum(map(len, pieces)) + len(str(d)) * max(0, len(pieces) - 1), "joined text")
    return str(d).join(pieces)


def _replace(value: Any, old: Any, new: Any, count: int | None = None) -> str:
    value, old, new = _text(value), _text(old), _text(new)
    times = value.count(old) if count is None else min(max(count, 0), value.count(old))
    _sized(len(value) + times * (len(new) - len(old)), "the replaced text")
    _spend(len(value) + times * len(new))
    return value.replace(old, new, -1 if count is None else count)


def _string(value: Any) -> str:
    out = _text(value)
    _spend(len(out))
    return out


def _sum(value: Any, start: int | float = 0) -> int | float:
    items = _items(value)
    if isinstance(items, str) or not all(isinstance(i, int | float) for i in items):
        raise SecurityError("sum adds numbers only")
    return sum(items, start)


def _loop(iterable: Any) -> Iterator[Any]:
    """Every `for` loop's items, one step each."""
    for item in iterable:
        _spend()
        yield item


def _concat(pieces: list[Any]) -> str:
    """The `~` operator, measured before the text is made."""
    texts = [_text(p) for p in pieces]
    _sized(sum(map(len, texts)), "joined text")
    out = "".join(texts)
    _spend(len(out))
    return out


def _literal(text: str) -> str:
    return text


def _number_size(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) else 0


class _Measured(NodeTransformer):
    """Routes loops, `~` and literal text through the counted functions above."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        if node.recursive:
            raise TemplateSyntaxError("loops cannot be recursive in an appeal", node.lineno)
        node.iter = nodes.Filter(node.iter, "_steward_loop", [], [], None, None,
                                 lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "_steward_concat",
                            [], [], None, None, lineno=node.lineno)

    def visit_TemplateData(self, node: nodes.TemplateData) -> nodes.Node:
        return nodes.Filter(nodes.Const(node.data, lineno=node.lineno), "_steward_literal",
                            [], [], None, None, lineno=node.lineno)


class _MeasuredCode(CodeGenerator):
    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        super().visit_Template(_Measured().visit(node), frame)


class _BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with an allow-list of attributes and filters and every operator that
    can build a large value measured first."""

    code_generator_class = _MeasuredCode
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, str):
            return attr in _STR_METHODS
        return isinstance(obj, LoopContext) and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format``: a width such as ``{:>999999999}`` allocates before any check."""
        return None

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805
             **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        _spend(len(owner) if isinstance(owner, str) else 0)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("text cannot be formatted with %")
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right > 0 and right * _number_size(left) > MAX_INT_BITS:
                raise _Limit(f"a number would have more than {MAX_INT_BITS:,} bits")
        if operator == "*":
            for many, times in ((left, right), (right, left)):
                if isinstance(many, str | list | tuple) and isinstance(times, int):
                    _sized(len(many) * times)
            if isinstance(left, int) and isinstance(right, int):
                if _number_size(left) + _number_size(right) > MAX_INT_BITS:
                    raise _Limit(f"a number would have more than {MAX_INT_BITS:,} bits")
        if operator == "+" and isinstance(left, str | list | tuple) and \
                isinstance(right, str | list | tuple):
            _sized(len(left) + len(right))
        result = super().call_binop(context, operator, left, right)
        _spend(len(result) if isinstance(result, str | list | tuple) else 0)
        return result


def _environment() -> _BoundedEnvironment:
    env = _BoundedEnvironment(undefined=StrictUndefined, autoescape=False,
                              keep_trailing_newline=True, finalize=_printed)
    env.globals = {"range": safe_range}
    env.filters = {
        **{name: _guarded(name, _measured) for name in _TEXT_FILTERS},
        **{name: _guarded(name, _items) for name in _LIST_FILTERS},
        "default": _default, "d": _default,
        "join": _join, "replace": _replace, "string": _string, "sum": _sum,
        "_steward_loop": _loop, "_steward_concat": _concat, "_steward_literal": _literal,
    }
    return env


_ENV = _environment()
FILTER_NAMES = sorted(n for n in _ENV.filters if not n.startswith("_"))


def _syntax_problem(error: TemplateSyntaxError) -> TemplateProblem:
    if error.message and error.message.startswith("No filter named"):
        return TemplateProblem(f"The template has a mistake on line {error.lineno}: "
                               f"{error.message} The filters are: {', '.join(FILTER_NAMES)}.")
    return TemplateProblem(f"The template has a mistake on line {error.lineno}: "
                           f"{error.message}. Check the {{{{ }}}} around each field.")


def _source(template: str) -> str:
    if len(template) > MAX_SOURCE:
        raise TemplateProblem(f"The template is {len(template):,} characters long; an appeal "
                              f"can have at most {MAX_SOURCE:,}.")
    return template


def fields_used(template: str) -> set[str]:
    """The merge fields a template names: ``fields_used("Dear {{ first_name }}")``."""
    try:
        return set(meta.find_undeclared_variables(_ENV.parse(_source(template))))
    except TemplateSyntaxError as error:
        raise _syntax_problem(error) from None


@lru_cache(maxsize=64)
def _compiled(template: str) -> Template:
    try:
        return _ENV.from_string(_source(template))
    except TemplateSyntaxError as error:
        raise _syntax_problem(error) from None


def _fill(template: str, fields: Mapping[str, Any]) -> str:
    """One template rendered within the limits, or the sentence saying why not."""
    compiled = _compiled(template)
    token = _budget.set(_Budget())
    try:
        pieces, length = [], 0
        for piece in compiled.generate(fields):
            length += len(piece)
            _sized(length, "the message")
            pieces.append(piece)
        return "".join(pieces)
    except UndefinedError as error:
        raise TemplateProblem(f"{error.message}; nothing was sent.") from None
    except SecurityError as error:
        raise TemplateProblem(f"The template uses something an appeal cannot "
                              f"({str(error).rstrip('.')}). Use "
                              f"only the fields and filters listed; nothing was sent.") from None
    except _Limit as error:
        raise TemplateProblem(f"The template is too big to fill in: {error}. Appeals are "
                              f"limited to {MAX_OUTPUT:,} characters and short loops; "
                              f"nothing was sent.") from None
    except RecursionError:
        raise TemplateProblem("A macro in the template calls itself without end; nothing "
                              "was sent.") from None
    # A template is a small program: these are its run-time mistakes (1/0, 'a' - 1, ...).
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError,
            AttributeError) as error:
        raise TemplateProblem(f"The template could not be filled in ({error}); nothing was "
                              f"sent.") from None
    finally:
        _budget.reset(token)


def check_template(subject: str, body: str, available: Iterable[str]) -> None:
    """Refuse a subject or body that names a field no recipient has, or that cannot be
    filled in (tried with each field holding its own name)."""
    known = set(available)
    unknown = sorted((fields_used(subject) | fields_used(body)) - known)
    if unknown:
        raise TemplateProblem(
            f"The field {unknown[0]!r} does not exist, so nothing was sent. The fields are: "
            f"{', '.join(sorted(known))}."
        )
    render(subject, body, {field: field for field in known})


def literal(text: str) -> str:
    """A piece of template that prints `text` exactly, whatever it holds (a shift's activity
    typed as ``{% endraw %}{{ x }}`` must not become template code):
    ``render("s", literal("{{ a }}"), {}).text == "{{ a }}"``."""
    return "{{ " + json.dumps(text) + " }}"


def _paragraphs_html(text: str) -> str:
    parts = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "\n".join("<p>" + html.escape(p.strip("\n")).replace("\n", "<br>\n") + "</p>"
                     for p in parts)


def render(subject: str, body: str, fields: Mapping[str, Any]) -> Rendered:
    """The subject, text and HTML of one message. A subject never holds a line break (it
    would start a new header); the HTML is the text escaped, so it holds no markup but ours."""
    title = _fill(subject, fields)
    text = _fill(body, fields)
    return Rendered(" ".join(title.split()), text, _paragraphs_html(text))

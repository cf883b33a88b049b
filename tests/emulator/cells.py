"""Cell values: how Google types what is written and renders what is read.

A cell keeps a typed value (text, number, boolean, or formula) plus an optional number
format. Typing depends on the write mode (RAW keeps JSON types; USER_ENTERED parses text
like a person typing it), rendering on the read mode (FORMATTED_VALUE strings,
UNFORMATTED_VALUE numbers, FORMULA formula text). Getting these right is what makes the
app's ZIP codes, ids and dates survive a round trip, so the rules are kept in one place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

EPOCH = dt.date(1899, 12, 30)  # Google (and Lotus) day 0


@dataclass(frozen=True)
class Formula:
    """A formula as typed (``=SUM(A1:A3)``); evaluated when read."""

    text: str


@dataclass(frozen=True)
class NumberFormat:
    """Google's CellFormat.numberFormat: type (DATE, NUMBER, PERCENT...) and pattern."""

    type: str
    pattern: str = ""

    @property
    def is_datetime(self) -> bool:
        return self.type in ("DATE", "TIME", "DATE_TIME")

    def to_json(self) -> dict[str, str]:
        out = {"type": self.type}
        if self.pattern:
            out["pattern"] = self.pattern
        return out


@dataclass
class Cell:
    """One stored cell. ``value`` None means empty (a format may still be set)."""

    value: Any = None
    fmt: NumberFormat | None = None


class FormulaError(Exception):
    """A formula result that renders as an error code such as ``#NAME?``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


Scalar = str | int | float | bool

# --------------------------------------------------------------------------- typing input

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?$")
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def to_serial(value: dt.date | dt.datetime) -> int | float:
    """Days since 1899-12-30, with the time of day as a fraction."""
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return (value - EPOCH).days


def from_serial(serial: float) -> dt.datetime:
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=serial)


def _parse_number(text: str) -> tuple[float | int, NumberFormat | None] | None:
    s = text.strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    currency = s.lstrip("+-").startswith("$")
    if currency:
        s = s.replace("$", "", 1)
    if not s or not any(ch.isdigit() for ch in s) or not _NUMBER.match(s):
        return None
    grouped = "," in s
    number: float | int = float(s.replace(",", ""))
    if number.is_integer() and "e" not in s.lower() and "." not in s:
        number = int(number)
    decimals = len(s.split(".", 1)[1]) if "." in s and "e" not in s.lower() else 0
    frac = "." + "0" * decimals if decimals else ""
    if percent:
        number = number / 100
        return number, NumberFormat("PERCENT", f"0{frac}%")
    if currency:
        return number, NumberFormat("CURRENCY", f'"$"#,##0{frac or ".00"}')
    if grouped:
        return number, NumberFormat("NUMBER", f"#,##0{frac}")
    return number, None


def _parse_date(text: str) -> tuple[int | float, NumberFormat] | None:
    s = text.strip()
    m = _ISO_DATE.match(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        date_pattern = "yyyy-mm-dd"
    else:
        m = _US_DATE.match(s)
        if not m:
            return None
        mo, d, y = int(m[1]), int(m[2]), int(m[3])
        date_pattern = "M/d/yyyy"
    try:
        if m[4] is not None:
            moment = dt.datetime(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0))
            return to_serial(moment), NumberFormat("DATE_TIME", date_pattern + " H:mm:ss")
        return to_serial(dt.date(y, mo, d)), NumberFormat("DATE", date_pattern)
    except ValueError:
        return None


def parse_user_entered(value: Any) -> tuple[Any, NumberFormat | None]:
    """Type a value the way the Sheets UI types what a person enters.

    Returns (stored value, number format implied by the input or None).
    """
    if value is None or isinstance(value, bool):
        return value, None
    if isinstance(value, int | float):
        return value, None
    text = str(value)
    if text == "":
        return None, None
    if text.startswith("'"):
        return text[1:], None
    if text.startswith("=") and len(text) > 1:
        return Formula(text), None
    if text.strip().upper() in ("TRUE", "FALSE"):
        return text.strip().upper() == "TRUE", None
    parsed = _parse_number(text)
    if parsed is not None:
        return parsed
    date = _parse_date(text)
    if date is not None:
        return date
    return text, None


def parse_raw(value: Any) -> Any:
    """RAW input: JSON types are kept exactly; strings are never formulas or numbers."""
    if value == "":
        return None
    return value


def parse_input(value: Any, option: str) -> tuple[Any, NumberFormat | None]:
    if option == "USER_ENTERED":
        return parse_user_entered(value)
    return parse_raw(value), None


# --------------------------------------------------------------------------- formulas

Resolver = Callable[[str], list[list[Any]]]
"""Looks up an A1 reference inside a formula and returns evaluated values (rows)."""

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
      | (?P<str>"(?:[^"]|"")*")
      | (?P<ref>(?:'(?:[^']|'')+'!|[A-Za-z_][A-Za-z0-9_]*!)?\$?[A-Za-z]{1,3}\$?\d+
                (?::\$?[A-Za-z]{1,3}\$?\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
      | (?P<op><>|<=|>=|[-+*/^&(),=<>:%])
    )""",
    re.VERBOSE,
)


class _Parser:
    """A tiny recursive-descent evaluator: literals, arithmetic, &, comparisons, SUM."""

    def __init__(self, text: str, resolve: Resolver) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise FormulaError("#ERROR!")
            kind = m.lastgroup or ""
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0
        self.resolve = resolve

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            raise FormulaError("#ERROR!")
        self.i += 1
        return tok

    def parse(self) -> Any:
        result = self.comparison()
        if self.peek() is not None:
            raise FormulaError("#ERROR!")
        return result

    def comparison(self) -> Any:
        left = self.concat()
        while (tok := self.peek()) and tok[1] in ("=", "<>", "<", ">", "<=", ">="):
            self.take()
            right = self.concat()
            a, b = _scalar(left), _scalar(right)
            ops: dict[str, Callable[[Any, Any], bool]] = {
                "=": lambda x, y: x == y,
                "<>": lambda x, y: x != y,
                "<": lambda x, y: x < y,
                ">": lambda x, y: x > y,
                "<=": lambda x, y: x <= y,
                ">=": lambda x, y: x >= y,
            }
            try:
                left = ops[tok[1]](a, b)
            except TypeError as exc:
                raise FormulaError("#VALUE!") from exc
        return left

    def concat(self) -> Any:
        left = self.additive()
        while (tok := self.peek()) and tok[1] == "&":
            self.take()
            right = self.additive()
            left = render_formatted(_scalar(left), None) + render_formatted(_scalar(right), None)
        return left

    def additive(self) -> Any:
        left = self.term()
        while (tok := self.peek()) and tok[1] in ("+", "-"):
            self.take()
            right = self.term()
            a, b = _num(left), _num(right)
            left = a + b if tok[1] == "+" else a - b
        return left

    def term(self) -> Any:
        left = self.power()
        while (tok := self.peek()) and tok[1] in ("*", "/"):
            self.take()
            right = self.power()
            a, b = _num(left), _num(right)
            if tok[1] == "*":
                left = a * b
            elif b == 0:
                raise FormulaError("#DIV/0!")
            else:
                left = a / b
        return left

    def power(self) -> Any:
        left = self.unary()
        while (tok := self.peek()) and tok[1] == "^":
            self.take()
            left = _num(left) ** _num(self.unary())
        return left

    def unary(self) -> Any:
        tok = self.peek()
        if tok and tok[1] in ("-", "+"):
            self.take()
            value = _num(self.unary())
            return -value if tok[1] == "-" else value
        value = self.primary()
        if (nxt := self.peek()) and nxt[1] == "%":
            self.take()
            value = _num(value) / 100
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            rows = self.resolve(text)
            return rows if ":" in text else (rows[0][0] if rows and rows[0] else None)
        if kind == "name":
            upper = text.upper()
            if (nxt := self.peek()) and nxt[1] == "(":
                return self.call(upper)
            if upper in ("TRUE", "FALSE"):
                return upper == "TRUE"
            raise FormulaError("#NAME?")
        if text == "(":
            value = self.comparison()
            self.take(")")
            return value
        raise FormulaError("#ERROR!")

    def call(self, name: str) -> Any:
        self.take("(")
        args: list[Any] = []
        if (tok := self.peek()) and tok[1] != ")":
            args.append(self.comparison())
            while (tok := self.peek()) and tok[1] == ",":
                self.take()
                args.append(self.comparison())
        self.take(")")
        if name == "SUM":
            total: int | float = 0
            for arg in args:
                for v in _flatten(arg):
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        total += v
            return total
        if name in ("TRUE", "FALSE") and not args:
            return name == "TRUE"
        raise FormulaError("#NAME?")


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [v for row in value for v in (row if isinstance(row, list) else [row])]
    return [value]


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        flat = _flatten(value)
        return flat[0] if flat else None
    return value


def _num(value: Any) -> int | float:
    value = _scalar(value)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    parsed = _parse_number(str(value))
    if parsed is None:
        raise FormulaError("#VALUE!")
    return parsed[0]


def evaluate(formula: Formula, resolve: Resolver) -> Any:
    """Evaluate a formula; unknown functions give ``#NAME?`` like Google."""
    try:
        result = _Parser(formula.text[1:], resolve).parse()
    except FormulaError as err:
        return err
    except RecursionError:
        return FormulaError("#REF!")
    result = _scalar(result)
    if isinstance(result, float) and (math.isinf(result) or math.isnan(result)):
        return FormulaError("#NUM!")
    return result


# --------------------------------------------------------------------------- rendering

_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|.',
    re.IGNORECASE,
)


def format_datetime(serial: float, pattern: str) -> str:
    """Render a serial date/time with a Sheets pattern (``yyyy-mm-dd``, ``M/d/yyyy``...)."""
    moment = from_serial(serial + 1e-9)  # guard against 0.9999999 seconds
    tokens = _DATE_TOKEN.findall(pattern)
    out: list[str] = []
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    for i, tok in enumerate(tokens):
        low = tok.lower()
        prev = next((t.lower() for t in reversed(tokens[:i]) if t.strip(" :/-.,")), "")
        nxt = next((t.lower() for t in tokens[i + 1 :] if t.strip(" :/-.,")), "")
        minute = low in ("m", "mm") and (prev.startswith("h") or nxt.startswith("s"))
        hour = moment.hour % 12 or 12 if twelve_hour else moment.hour
        table = {
            "yyyy": f"{moment.year:04d}",
            "yy": f"{moment.year % 100:02d}",
            "mmmm": moment.strftime("%B"),
            "mmm": moment.strftime("%b"),
            "mm": f"{moment.minute:02d}" if minute else f"{moment.month:02d}",
            "m": str(moment.minute) if minute else str(moment.month),
            "dddd": moment.strftime("%A"),
            "ddd": moment.strftime("%a"),
            "dd": f"{moment.day:02d}",
            "d": str(moment.day),
            "hh": f"{hour:02d}",
            "h": str(hour),
            "ss": f"{moment.second:02d}",
            "s": str(moment.second),
            "am/pm": "AM" if moment.hour < 12 else "PM",
            "a/p": "a" if moment.hour < 12 else "p",
        }
        if low in table:
            out.append(table[low])
        elif tok.startswith('"'):
            out.append(tok[1:-1])
        elif tok.startswith("\\"):
            out.append(tok[1:])
        else:
            out.append(tok)
    return "".join(out)


def format_general(number: int | float) -> str:
    """Sheets' automatic number format: integers plainly, up to 10 decimals otherwise."""
    if isinstance(number, bool):
        return "TRUE" if number else "FALSE"
    if isinstance(number, int):
        return str(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    if abs(number) >= 1e15 or (0 < abs(number) < 1e-10):
        mantissa, exp = f"{number:.2E}".split("E")
        return f"{mantissa}E{'+' if int(exp) >= 0 else '-'}{abs(int(exp)):02d}"
    text = f"{float(f'{number:.15g}'):.10f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def format_number(number: float, pattern: str) -> str:
    """Render with a simple numeric pattern: grouping, fixed decimals, percent, literals."""
    m = re.search(r"[#0?][#0?,]*(?:\.[#0?]+)?", pattern)
    if not m:
        return format_general(number)
    body = m.group(0)
    prefix = pattern[: m.start()].replace('"', "")
    suffix = pattern[m.end() :].replace('"', "")
    if "%" in suffix:
        number = number * 100
    decimals_part = body.split(".", 1)[1] if "." in body else ""
    min_dec = decimals_part.count("0")
    max_dec = len(decimals_part)
    text = f"{abs(number):,.{max_dec}f}" if "," in body else f"{abs(number):.{max_dec}f}"
    if max_dec > min_dec and "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        frac = frac + "0" * max(0, min_dec - len(frac))
        text = f"{whole}.{frac}" if frac else whole
    sign = "-" if number < 0 and float(text.replace(",", "") or 0) != 0 else ""
    return f"{sign}{prefix}{text}{suffix}"


def render_formatted(value: Any, fmt: NumberFormat | None) -> str:
    """FORMATTED_VALUE: the string a person sees in the cell."""
    if value is None:
        return ""
    if isinstance(value, FormulaError):
        return value.code
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if fmt is not None and fmt.pattern:
            if fmt.is_datetime:
                return format_datetime(value, fmt.pattern)
            if fmt.type != "TEXT":
                return format_number(value, fmt.pattern)
        if fmt is not None and fmt.is_datetime:
            default = {"DATE": "M/d/yyyy", "TIME": "h:mm:ss am/pm"}
            return format_datetime(value, default.get(fmt.type, "M/d/yyyy H:mm:ss"))
        return format_general(value)
    return str(value)


def json_number(value: int | float) -> int | float:
    """Google sends integral numbers as JSON integers (2, not 2.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def render(
    cell: Cell | None,
    value_render: str,
    datetime_render: str,
    resolve: Resolver,
) -> Any:
    """Render one cell for a values read; returns None for an empty cell."""
    if cell is None or cell.value is None:
        return None
    raw = cell.value
    if isinstance(raw, Formula):
        if value_render == "FORMULA":
            return raw.text
        value = evaluate(raw, resolve)
    else:
        value = raw
    if value_render == "FORMATTED_VALUE":
        return render_formatted(value, cell.fmt)
    if isinstance(value, FormulaError):
        return value.code
    if isinstance(value, int | float) and not isinstance(value, bool):
        if cell.fmt is not None and cell.fmt.is_datetime and datetime_render == "FORMATTED_STRING":
            return render_formatted(value, cell.fmt)
        return json_number(value)
    return value


def sort_key(value: Any) -> tuple[int, Any]:
    """Sheets' sort order: numbers, then text (case-insensitive), then booleans."""
    if isinstance(value, FormulaError):
        return (3, value.code)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).lower())


def trim(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Drop trailing empty cells of each row and trailing empty rows, as Google does."""
    out: list[list[Any]] = []
    for row in rows:
        cells = list(row)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(["" if v is None else v for v in cells])
    while out and not out[-1]:
        out.pop()
    return out

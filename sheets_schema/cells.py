"""Turning what a person typed into a cell into a typed value, and back.

Staff type into the Google Sheet by hand, in their own locale, so every parser here accepts
the forms people really type and raises `CellError` with a sentence a person can act on for
anything else. The reverse direction, `to_text`, gives the one canonical text of a value:
what the SQLite backend stores and what conflict checks compare.

The parsers are pure and cheap; `sheets_schema.frames` memoises them per distinct value so
a 100,000-row tab parses in well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from pandas.api.typing import NaTType, NAType
    from typing_extensions import TypeIs

__all__ = [
    "MAX_CELL_CHARS",
    "CellError",
    "Locale",
    "cell_text",
    "check_length",
    "is_blank",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_int",
    "parse_tags",
    "parse_time",
    "python_value",
    "serial_from_date",
    "serial_from_datetime",
    "to_text",
]

# Google Sheets (like Lotus 1-2-3 and Excel) counts days from 1899-12-30.
SHEETS_EPOCH = date(1899, 12, 30)
#: Google Sheets holds at most 50,000 characters in one cell and refuses a longer value.
MAX_CELL_CHARS = 50_000
_MAX_SERIAL = 2_958_465  # 9999-12-31


class CellError(ValueError):
    """A cell value that cannot be read as its column's type; the message says what to type."""


def check_length(raw: str) -> None:
    """Refuse text no Google Sheets cell can hold, saying so (and without repeating it all)."""
    if len(raw) > MAX_CELL_CHARS:
        raise CellError(f"{raw[:20]!r}... is {len(raw):,} characters long; a Google Sheets "
                        f"cell holds at most {MAX_CELL_CHARS:,}. Shorten it, or keep the "
                        f"long text in a document and put its link here")


@dataclass(frozen=True)
class Locale:
    """How to read the ambiguous forms people type: 03/04/2024 and 1,234.

    `day_first` reads 03/04/2024 as 3 April (most of the world); `decimal_comma` reads
    1,234 as one point two three four (most of Europe). Unambiguous forms (ISO dates,
    15/03/2024, 1,234.50) are read the same under any locale.
    """

    day_first: bool = False
    decimal_comma: bool = False

    @classmethod
    def from_code(cls, code: str | None) -> Locale:
        """The reading rules for a Google Sheets locale code such as ``en_US`` or ``de_DE``."""
        if not code:
            return cls()
        lang, _, country = code.replace("-", "_").partition("_")
        month_first = {"US", "PH", "CA", "FM", "MH", "PW"}
        # Korea, China, Japan, Hungary and Lithuania write year first, which is unambiguous.
        day_first = country.upper() not in month_first
        comma_langs = {"de", "fr", "es", "it", "nl", "pt", "ru", "pl", "sv", "da", "nb", "fi",
                       "cs", "tr", "id", "vi", "uk", "ro", "hu", "el", "sk", "sl", "hr", "lt",
                       "lv", "et", "bg", "sr"}
        return cls(day_first=day_first, decimal_comma=lang.lower() in comma_langs)


def _blank(value: str) -> bool:
    return value.strip() == ""


# ---------------------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# A date may carry the time of day a timestamp cell adds (2024-03-15 14:30, ...T14:30:00Z),
# but nothing else: "2024-03-15 or 16" is not silently read as the 15th.
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?|Z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_YMD = re.compile(r"(\d{4})\s*[./년]\s*(\d{1,2})\s*[./월]\s*(\d{1,2})\s*[.일]?")
_NUMERIC = re.compile(r"(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})\.?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})")
_SERIAL = re.compile(r"\d+(?:\.\d+)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")

_DATE_HELP = "type a date like 2024-03-15"


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"{raw!r} is not a real date; {_DATE_HELP}") from None


def _full_year(digits: str) -> int:
    """Two-digit years as spreadsheets read them: 00-29 are 2000s, 30-99 are 1900s.

    Only a year written with two digits is widened: 0099 is the year 99, not 1999.
    """
    year = int(digits)
    if len(digits) != 2:
        return year
    return 2000 + year if year < 30 else 1900 + year


def date_from_serial(serial: float) -> date:
    """Google Sheets' day number to a date: ``date_from_serial(45366) == date(2024, 3, 15)``."""
    return SHEETS_EPOCH + timedelta(days=int(serial))


def serial_from_date(value: date) -> int:
    """A date as the day number Google Sheets stores: ``serial_from_date(date(2024, 3, 15))``
    is 45366."""
    return (value - SHEETS_EPOCH).days


def serial_from_datetime(value: datetime) -> float:
    """A naive datetime as Google Sheets' fractional day number (seconds precision)."""
    delta = value - datetime.combine(SHEETS_EPOCH, time())
    return round(delta.total_seconds() / 86400, 8)


def parse_date(raw: str, locale: Locale = Locale()) -> date | None:
    """Read a date as people type it; blank gives None.

    Accepts ISO (2024-03-15), Google serial day numbers (45366), US and European numeric
    forms (3/15/2024, 15.03.2024, 15/03/2024), Korean (2024. 3. 15. and 2024년 3월 15일),
    compact 20240315, and month names (15 Mar 2024, March 15, 2024). Ambiguous numeric forms
    such as 03/04/2024 follow `locale`.
    """
    text = raw.strip()
    if not text:
        return None
    lowered = text.lower()
    if m := _ISO.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _YMD.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _COMPACT.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    if _SERIAL.fullmatch(text):
        serial = float(text)
        if 1 <= serial <= _MAX_SERIAL:
            return date_from_serial(serial)
        raise CellError(f"{raw!r} is a number, not a date; {_DATE_HELP}")
    if m := _NUMERIC.fullmatch(text):
        first, second, year = int(m[1]), int(m[3]), _full_year(m[4])
        separator = m[2]
        if first > 12 and second <= 12:
            day, month = first, second
        elif second > 12 and first <= 12:
            month, day = first, second
        elif separator == "." or locale.day_first:
            day, month = first, second  # 15.03.2024 is day-first everywhere it is written
        else:
            month, day = first, second
        return _make_date(year, month, day, raw)
    for pattern, order in ((_DAY_MONTH_NAME, "dmy"), (_MONTH_NAME_DAY, "mdy")):
        if m := pattern.fullmatch(lowered):
            day_s, month_s = (m[1], m[2]) if order == "dmy" else (m[2], m[1])
            if month_s in _MONTHS:
                return _make_date(int(m[3]), _MONTHS[month_s], int(day_s), raw)
    raise CellError(f"{raw!r} is not a date this app can read; {_DATE_HELP}")


_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?")


def parse_time(raw: str, locale: Locale = Locale()) -> time | None:
    """Read a time of day: 09:00, 9:30 pm, 21:30:00, or a sheet's day fraction (0.375)."""
    text = raw.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"0?\.\d+", text):
        seconds = round(float(text) * 86400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    m = _TIME.fullmatch(text)
    if not m or (m[2] is None and m[4] is None):
        raise CellError(f"{raw!r} is not a time; type a time like 09:30 or 2:15 pm")
    hour, minute, second = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            raise CellError(f"{raw!r} is not a time; with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if m[4].startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f"{raw!r} is not a time; type a time like 09:30 or 2:15 pm")
    return time(hour, minute, second)


def parse_datetime(raw: str, locale: Locale = Locale()) -> datetime | None:
    """Read a timestamp: ISO 8601 (with T or a space), a serial day number with a fraction,
    or any date `parse_date` reads followed by a time. A timezone suffix is dropped after
    conversion to UTC, since the app stores naive UTC times."""
    text = raw.strip()
    if not text:
        return None
    help_text = "type a date and time like 2024-03-15 14:30"
    too_far = f"{raw!r} is outside the dates this app can read; {help_text}"
    if _SERIAL.fullmatch(text):
        serial = float(text)
        if not 1 <= serial <= _MAX_SERIAL:
            raise CellError(f"{raw!r} is a number, not a date and time")
        try:  # the last fraction of 9999-12-31 rounds into the year 10000
            return datetime.combine(SHEETS_EPOCH, time()) + timedelta(
                seconds=round(serial * 86400)
            )
        except OverflowError:
            raise CellError(too_far) from None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        offset = parsed.utcoffset()
        if offset is not None:
            try:  # 0001-01-01T00:00+01:00 is a moment before the first day datetime holds
                parsed = (parsed - offset).replace(tzinfo=None)
            except OverflowError:
                raise CellError(too_far) from None
        return parsed
    # "15.03.2024 14:30" or "3/15/2024 2:30 pm": try each space as the date/time boundary.
    for split_at in (i for i in range(len(text) - 1, 0, -1) if text[i] == " "):
        try:
            day = parse_date(text[:split_at], locale)
            moment = parse_time(text[split_at + 1 :], locale)
        except CellError:
            continue
        if day is not None and moment is not None:
            return datetime.combine(day, moment)
    try:
        day = parse_date(text, locale)
    except CellError:  # say what was typed, untrimmed, and what a timestamp looks like
        raise CellError(f"{raw!r} is not a date and time this app can read; {help_text}") from None
    return datetime.combine(day, time()) if day else None


# -------------------------------------------------------------------------------- numbers

_CURRENCY = re.compile(
    r"^(?:[A-Z]{3}\s*)|(?:\s*[A-Z]{3})$|[A-Z]{1,2}\$|[$€£¥￥₩￦₹₽₪₫฿₱₴₦]|원|円|元"
)
_GROUPED = {",": re.compile(r"\d{1,3}(?:,\d{3})+"), ".": re.compile(r"\d{1,3}(?:\.\d{3})+")}
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_PLAIN_ASCII = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_decimal(raw: str, locale: Locale = Locale()) -> Decimal | None:
    """Read an amount exactly, as people type money: 1,234.50, $1,234.50, ₩50,000,
    1.234,50 €, 1 234,50, (25.00) and -25 all work; blank gives None.

    Exact means `Decimal`: totals of many gifts never drift by a cent the way floats do.
    A lone separator followed by exactly three digits (1,234 or 1.234) is a thousands
    separator unless `locale.decimal_comma` says the comma is the decimal mark.
    """
    if _PLAIN_ASCII.fullmatch(raw) and not (locale.decimal_comma and "." in raw):
        return Decimal(raw)  # what the sheet hands over for a number: no work to do
    text = raw.strip()
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _CURRENCY.sub("", text).strip()
    if text.startswith(("-", "−")):
        negative, text = not negative, text[1:].strip()
    elif text.startswith("+"):
        text = text[1:].strip()
    text = re.sub(r"[\s\u00a0\u202f']", "", text)
    text = _CURRENCY.sub("", text)
    normalised = _normalise_separators(text, locale)
    if normalised is None or not _PLAIN.fullmatch(normalised):
        raise CellError(f"{raw!r} is not an amount; type a number like 1234.50")
    try:
        value = Decimal(normalised)
    except InvalidOperation:  # pragma: no cover - the pattern above rules this out
        raise CellError(f"{raw!r} is not an amount; type a number like 1234.50") from None
    # copy_negate, not unary minus: minus rounds to the context's 28 digits, and exact means
    # exact. Zero stays unsigned so (0.00) and -0 read as 0.00, not -0.00.
    return value.copy_negate() if negative and value else value


def _normalise_separators(text: str, locale: Locale) -> str | None:
    """Rewrite a number with grouping and decimal marks into plain 1234.50 form."""
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, fraction = text.rpartition(decimal_mark)
        if not _GROUPED[group_mark].fullmatch(whole):
            return None
        return whole.replace(group_mark, "") + "." + fraction
    if has_comma or has_dot:
        mark = "," if has_comma else "."
        whole, _, fraction = text.rpartition(mark)
        grouped = _GROUPED[mark].fullmatch(text)
        if text.count(mark) > 1:
            return text.replace(mark, "") if grouped else None
        comma_is_decimal = mark == "," and locale.decimal_comma
        dot_is_group = mark == "." and locale.decimal_comma
        if grouped and (mark == "," and not comma_is_decimal or dot_is_group):
            return text.replace(mark, "")
        return whole + "." + fraction
    return text


def parse_int(raw: str, locale: Locale = Locale()) -> int | None:
    """Read a whole number (1,000 and 12.0 too); blank gives None."""
    value = parse_decimal(raw, locale)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(f"{raw!r} is not a whole number; type a whole number like 12")
    return int(value)


# ---------------------------------------------------------------------- flags and tags

_TRUE = {"true", "yes", "y", "1", "x", "✓", "✔", "on", "예", "네", "o"}
_FALSE = {"false", "no", "n", "0", "", "off", "아니오", "아니요", "-"}


def parse_bool(raw: str, locale: Locale = Locale()) -> bool:
    """Read a yes/no cell: TRUE, yes, y, 1, x or a tick are yes; blank, FALSE, no, 0 are no."""
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{raw!r} is not yes or no; type TRUE or FALSE")


def parse_tags(raw: str, locale: Locale = Locale()) -> tuple[str, ...]:
    """Split a tags cell on commas (or semicolons), trimming blanks and repeats, keeping order."""
    seen: dict[str, None] = {}
    for part in re.split(r"[,;]", raw):
        tag = part.strip()
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen[tag] = None
    return tuple(seen)


# ---------------------------------------------------------------------------- to text


def to_text(value: object) -> str:
    """The canonical text of a typed value: what SQLite stores and what conflicts compare.

    >>> to_text(Decimal("1234.50")), to_text(date(2024, 3, 15)), to_text(True)
    ('1234.50', '2024-03-15', 'TRUE')
    """
    if value is None:
        return ""
    # pandas' blanks and Timestamps first: NaT and Timestamp are datetimes too, so the
    # datetime branch would write "NaT" and give a date column's midnight a time of day.
    if type(value).__name__ in {"NaTType", "NAType"}:
        return ""
    if isinstance(value, datetime) and hasattr(value, "to_pydatetime"):  # pandas Timestamp
        moment = value.to_pydatetime(warn=False)
        return to_text(moment.date() if moment.time() == time() else moment)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M") if value.second == 0 else value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        if value != value:  # NaN: pandas' blank
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


def is_blank(value: object) -> TypeIs[NaTType | NAType | None]:
    """True for a cell that holds no value: None, or pandas' NaN, NaT or NA, which is how a
    typed frame holds a blank amount, date or number. Text and tags are values here even
    when empty (a blank text cell reads as ""), so ``is_blank("")`` is False.

    >>> is_blank(None), is_blank(float("nan")), is_blank(pd.NaT), is_blank(""), is_blank(())
    (True, True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, (str, tuple, list)):
        return False
    return bool(pd.isna(value))  # type: ignore[call-overload]  # any scalar a cell holds


def python_value(value: object) -> object:
    """A numpy scalar as the Python value it holds; anything else unchanged.

    A row taken from a typed frame (`frame.loc[row]`, a data_editor's edits) holds
    `numpy.bool_`, `numpy.int64` and `numpy.float64`, whose text (`True`, `np.float64(2.5)`)
    is not the sheet's (`TRUE`, `2.5`): unwrapped, they compare and write like the values
    a form gives.

    >>> python_value(np.True_) is True
    True
    """
    return value.item() if isinstance(value, np.generic) else value


def cell_text(value: object) -> str:
    """The canonical text (`to_text`) of a cell however it arrived, from a typed frame row,
    a form or a dict: blank (`is_blank`) is "", and numpy scalars read as their values.

    >>> cell_text(np.float64(2.5)), cell_text(pd.NaT), cell_text(("a", "b"))
    ('2.5', '', 'a, b')
    """
    return "" if is_blank(value) else to_text(python_value(value))

"""A believable demo organisation: every tab of the workbook, generated from a seed.

The app, the reports, the data-health page and the benchmarks all need data that behaves like
a real community association's: a December giving peak and a smaller June one, many one-time
donors and a loyal core (so LYBUNT, SYBUNT and retention say something), memberships renewed
the day after they end, Latin and Korean names, ZIP codes with leading zeros. It must also be
the same on every machine and every day, so everything here is pure: one `random.Random` per
tab seeded from `seed` (a change to how gifts are made does not reshuffle the people), an
explicit `as_of` date instead of today, no I/O. `storage.seed.load_demo` writes it to a store.

With `DemoSize.bad_rows`, a handful of cells hold what people really type into a sheet (an
amount with a letter O, the 31st of February, ...). `PLANTED_PROBLEMS` lists them, so tests
and the data-health page know exactly what they should find.

    >>> rows = demo_workbook(seed=7, size=DemoSize(people=200, donations=1000, memberships=80,
    ...                      volunteers=16))
    >>> len(rows["donations"]), rows["people"][0]["id"]
    (1000, 'P00001')
"""

from __future__ import annotations

import bisect
import calendar
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, pairwise
from random import Random
from typing import Any, NamedTuple

from rules.membership_terms import next_term, term_end
from sheets_schema.settings import Settings

__all__ = [
    "BAD_AMOUNT",
    "BAD_DATE",
    "BAD_HOURS",
    "BAD_START",
    "DEFAULT_AS_OF",
    "DEMO_KEY",
    "FORMULA_NOTE",
    "TIME_ZONE",
    "PLANTED_LOOKALIKES",
    "PLANTED_PROBLEMS",
    "UNKNOWN_PERSON",
    "DemoSize",
    "PlantedProblem",
    "demo_workbook",
]

Record = dict[str, Any]

#: The day tests, the bench and the notebook pin the demo to, so what they count never moves.
#: The app and `python -m steward demo` build it for the day they fill a store instead.
DEFAULT_AS_OF = date(2026, 11, 1)
#: The settings key that marks a workbook as the demo organisation (its value is the day the
#: demo was built for): the app's "demo data" banner shows only on such a workbook.
DEMO_KEY = "demo_as_of"
TIME_ZONE = "America/New_York"
ORG_NAME = "Riverside Community Association"
ORG_ADDRESS = "12 River Street, Cambridge, MA 02139"
GRACE_DAYS = 30
_DAY = timedelta(days=1)
_EIGHT = time(8)


# ------------------------------------------------------------------------------------ size


@dataclass(frozen=True)
class DemoSize:
    """How big the demo organisation is.

    The default is a mid-sized community association; `scaled` grows people, memberships and
    volunteers with the number of donations (keeping campaigns and years) for benchmarks.
    Recurring gifts, volunteer hours and shifts follow people and volunteers (see the
    properties), so one number sets the size of everything.
    """

    people: int = 1500
    donations: int = 8000
    memberships: int = 600
    campaigns: int = 12
    volunteers: int = 120
    years: int = 6
    bad_rows: bool = True

    @classmethod
    def scaled(cls, donations: int, **overrides: Any) -> DemoSize:
        """The default organisation grown (or shrunk) to `donations` donations:
        ``DemoSize.scaled(donations=100_000).people == 18750``."""
        base = cls()
        ratio = donations / base.donations
        values: dict[str, Any] = {
            "people": max(1, round(base.people * ratio)),
            "donations": donations,
            "memberships": round(base.memberships * ratio),
            "volunteers": round(base.volunteers * ratio),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def recurring_gifts(self) -> int:
        """About one person in 37 gives monthly (40 standing gifts for 1,500 people)."""
        return round(self.people * 40 / 1500)

    @property
    def volunteer_hours(self) -> int:
        """About 17 logged days per volunteer over the years (2,000 rows for 120)."""
        return round(self.volunteers * 2000 / 120)

    @property
    def volunteer_shifts(self) -> int:
        """About one shift in the last four months or the next two for every 4 volunteers."""
        return round(self.volunteers / 4)


# --------------------------------------------------------------------- planted problems


class PlantedProblem(NamedTuple):
    """One deliberately bad (or deliberately odd) row: which tab, which id, and what is wrong."""

    tab: str
    id: str
    what: str


#: What a person typed, cell by cell (bad cells are strings, as a sheet would hold them).
BAD_AMOUNT = "12,34O"
BAD_DATE = "31/02/2024"
BAD_START = "next tuesday"
BAD_HOURS = "-3"
UNKNOWN_PERSON = "P00000"
FORMULA_NOTE = '=HYPERLINK("https://example.org/scans/cheque-2291.pdf","scan of the cheque")'

_NO_NAME = "P00029"
_TYPO_PAIR = ("P00017", "P00018")
_HANGUL_PAIR = ("P00043", "P00044")
_AMOUNT_TYPO = "D000042"
_FORMULA_DONATION = "D000064"
_IMPOSSIBLE_DATE = "D000077"
_ORPHAN_DONATION = "D000105"
_DOUBLE_ENTRY = ("D000119", "D000120")  # the second row is overwritten by a copy of the first
_VAGUE_START = "M0015"
_NEGATIVE_HOURS = "VH00023"

PLANTED_PROBLEMS: list[PlantedProblem] = [
    PlantedProblem("donations", _AMOUNT_TYPO,
                   f"amount typed as {BAD_AMOUNT!r}: a letter O where a zero belongs"),
    PlantedProblem("donations", _IMPOSSIBLE_DATE,
                   f"date typed as {BAD_DATE!r}: February has no 31st"),
    PlantedProblem("donations", _ORPHAN_DONATION,
                   f"person_id {UNKNOWN_PERSON} is nobody (people ids start at P00001)"),
    PlantedProblem("donations", _DOUBLE_ENTRY[0],
                   f"the same gift entered twice: two rows have id {_DOUBLE_ENTRY[0]} "
                   f"(and {_DOUBLE_ENTRY[1]} is missing)"),
    PlantedProblem("memberships", _VAGUE_START,
                   f"start_date typed as {BAD_START!r}, which is not a date"),
    PlantedProblem("people", _NO_NAME, "no first name, last name or organization"),
    PlantedProblem("people", _TYPO_PAIR[1],
                   f'likely duplicate of {_TYPO_PAIR[0]}: "Jon Smith" and "John Smith", the same '
                   f"email address in another case, the same address"),
    PlantedProblem("people", _HANGUL_PAIR[1],
                   f'likely duplicate of {_HANGUL_PAIR[0]}: "Minjun Kim" romanises 김민준, and '
                   f"the phone number is the same"),
    PlantedProblem("volunteer_hours", _NEGATIVE_HOURS, f"hours typed as {BAD_HOURS!r}"),
]

#: Rows that look wrong but are valid and must load unchanged (never reported as problems).
PLANTED_LOOKALIKES: list[PlantedProblem] = [
    PlantedProblem("donations", _FORMULA_DONATION,
                   "note starts with '=HYPERLINK(': text that looks like a formula; it must be "
                   "stored and shown as exactly this text, never run"),
]

_PLANTED_PEOPLE: dict[str, Record] = {
    _TYPO_PAIR[0]: {"first_name": "John", "last_name": "Smith", "organization": "",
                    "email": "john.smith@example.org", "phone": "(617) 555-0117",
                    "address": "48 Elm Street", "city": "Somerville", "region": "MA",
                    "postcode": "02144", "country": "US"},
    _TYPO_PAIR[1]: {"first_name": "Jon", "last_name": "Smith", "organization": "",
                    "email": "John.Smith@example.org", "phone": "",
                    "address": "48 Elm Street", "city": "Somerville", "region": "MA",
                    "postcode": "02144", "country": "US"},
    _HANGUL_PAIR[0]: {"first_name": "민준", "last_name": "김", "organization": "",
                      "email": "minjun.kim@example.com", "phone": "010-2468-1357",
                      "address": "세종대로 175", "city": "종로구", "region": "서울특별시",
                      "postcode": "03154", "country": "KR"},
    _HANGUL_PAIR[1]: {"first_name": "Minjun", "last_name": "Kim", "organization": "",
                      "email": "", "phone": "010-2468-1357", "address": "", "city": "Seoul",
                      "region": "", "postcode": "", "country": "KR"},
}


def _number(key: str) -> int:
    """The sequence number in a readable id: ``_number("D000042") == 42``."""
    return int(key.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


# ---------------------------------------------------------------------------- name lists

LATIN_FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Margaret", "Mark",
    "Sandra", "Andrew", "Ashley", "José", "María", "Luis", "Ana", "Carlos", "Sofía", "Juan",
    "Lucía", "Miguel", "Camila", "Ahmed", "Fatima", "Omar", "Aisha", "Priya", "Arjun", "Wei",
    "Mei", "Siobhán", "Seán", "Chloé", "François", "Zoë", "Björn", "Ingrid", "Olumide", "Chidi",
    "Linh", "Minh", "Aaliyah", "DeShawn", "Grace", "Noah", "Emma", "Liam", "Olivia", "Ava",
    "Ethan", "Ruth", "Walter", "Dolores", "Harold", "Beatriz", "Kwame", "Yusuf", "Leah",
)
LATIN_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
    "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "O'Connor", "Müller", "Kowalski",
    "Novak", "Okafor", "Adeyemi", "Patel", "Shah", "Khan", "Cohen", "Goldberg", "Rossi", "Russo",
    "Dubois", "Lefèvre", "Van der Berg", "MacDonald", "Fitzgerald", "Sullivan", "Murphy",
    "Kelly", "Chen", "Wang", "Tanaka", "Sato", "Singh", "da Silva", "Santos", "Ferreira",
)
#: Korean family names with their rough share of the population, and a common romanisation.
KOREAN_FAMILY_NAMES = (
    ("김", "Kim", 21.5), ("이", "Lee", 14.7), ("박", "Park", 8.4), ("최", "Choi", 4.7),
    ("정", "Jung", 4.4), ("강", "Kang", 2.3), ("조", "Cho", 2.1), ("윤", "Yoon", 2.1),
    ("장", "Jang", 2.0), ("임", "Lim", 1.7), ("한", "Han", 1.5), ("오", "Oh", 1.5),
    ("서", "Seo", 1.5), ("신", "Shin", 1.5), ("권", "Kwon", 1.4), ("황", "Hwang", 1.4),
    ("안", "Ahn", 1.3), ("송", "Song", 1.3), ("류", "Ryu", 1.2), ("홍", "Hong", 1.1),
)
KOREAN_GIVEN_NAMES = (
    ("민준", "Minjun"), ("서준", "Seojun"), ("도윤", "Doyun"), ("예준", "Yejun"), ("시우", "Siwoo"),
    ("하준", "Hajun"), ("지호", "Jiho"), ("주원", "Juwon"), ("지훈", "Jihoon"), ("준서", "Junseo"),
    ("현우", "Hyunwoo"), ("동현", "Donghyun"), ("성민", "Sungmin"), ("영호", "Youngho"),
    ("정훈", "Junghoon"), ("상철", "Sangchul"), ("재석", "Jaeseok"), ("서연", "Seoyeon"),
    ("서윤", "Seoyun"), ("지우", "Jiwoo"), ("하은", "Haeun"), ("민서", "Minseo"), ("지민", "Jimin"),
    ("수빈", "Subin"), ("예은", "Yeeun"), ("지현", "Jihyun"), ("수진", "Sujin"), ("은지", "Eunji"),
    ("미영", "Miyoung"), ("영희", "Younghee"), ("혜진", "Hyejin"), ("순자", "Sunja"),
    ("경희", "Kyunghee"), ("미경", "Mikyung"), ("다은", "Daeun"), ("유진", "Yujin"),
)
ORGANIZATION_WORDS = (
    "Maple Street", "Riverside", "Harbor Light", "Oak Hill", "Cedar & Pine", "Northside",
    "Blue Heron", "Summit", "Greenway", "Lakeside", "Hanmi", "Seoul Garden", "Golden Elm",
    "Willow Creek", "Granite", "Bayview", "Pioneer", "Han River",
)
ORGANIZATION_KINDS = (
    "Bakery", "Hardware", "Foundation", "Dental Group", "Rotary Club", "Credit Union", "Books",
    "Law Offices", "Engineering Inc.", "Market", "Family Fund", "Church", "Lions Club",
    "Auto Repair", "Insurance Agency", "Realty", "Pharmacy",
)
US_STREETS = (
    "Main Street", "Elm Street", "Oak Avenue", "Maple Avenue", "Washington Street",
    "Beacon Street", "Harvard Avenue", "Commonwealth Avenue", "River Road", "Park Place",
    "Broad Street", "Center Street", "Highland Avenue", "School Street", "Pleasant Street",
    "Summer Street", "Cedar Lane", "Linden Street", "Anderson Avenue", "Broad Avenue",
)
#: (city, state, ZIP, area codes, weight); New England ZIPs keep their leading zero.
US_PLACES = (
    ("Cambridge", "MA", "02139", ("617", "857"), 14), ("Boston", "MA", "02134", ("617",), 10),
    ("Boston", "MA", "02118", ("617", "857"), 6), ("Somerville", "MA", "02144", ("617",), 8),
    ("Brookline", "MA", "02446", ("617",), 6), ("Newton", "MA", "02458", ("617", "781"), 5),
    ("Quincy", "MA", "02169", ("617",), 4), ("Worcester", "MA", "01609", ("508",), 2),
    ("Amherst", "MA", "01002", ("413",), 1), ("Providence", "RI", "02906", ("401",), 2),
    ("Hartford", "CT", "06105", ("860",), 1), ("New Haven", "CT", "06511", ("203",), 1),
    ("Fort Lee", "NJ", "07024", ("201", "551"), 2), ("Palisades Park", "NJ", "07650", ("201",), 2),
    ("Hoboken", "NJ", "07030", ("201",), 1), ("Flushing", "NY", "11354", ("718", "917"), 2),
    ("New York", "NY", "10001", ("212", "917"), 1), ("Burlington", "VT", "05401", ("802",), 1),
    ("Portland", "ME", "04101", ("207",), 1), ("Nashua", "NH", "03060", ("603",), 1),
)
#: Korean-Americans in the demo live more often where Korean communities are.
_KOREAN_US_WEIGHTS = (8, 5, 3, 5, 4, 3, 2, 1, 1, 1, 1, 1, 8, 8, 1, 8, 3, 1, 1, 1)
_US_ODDS = tuple((place, place[4]) for place in US_PLACES)
_KOREAN_US_ODDS = tuple(zip(US_PLACES, _KOREAN_US_WEIGHTS, strict=True))
_KOREAN_FAMILY_ODDS = tuple(((hangul, latin), share)
                            for hangul, latin, share in KOREAN_FAMILY_NAMES)
#: (district or city, province, 5-digit postcode, road names)
KOREAN_PLACES = (
    ("강남구", "서울특별시", "06236", ("테헤란로", "강남대로")),
    ("종로구", "서울특별시", "03154", ("세종대로", "종로")),
    ("마포구", "서울특별시", "04038", ("월드컵북로", "양화로")),
    ("해운대구", "부산광역시", "48094", ("해운대로", "달맞이길")),
    ("수원시", "경기도", "16489", ("광교중앙로", "월드컵로")),
    ("성남시", "경기도", "13494", ("판교역로", "분당로")),
    ("연수구", "인천광역시", "21984", ("컨벤시아대로", "센트럴로")),
    ("수성구", "대구광역시", "42180", ("동대구로", "달구벌대로")),
    ("유성구", "대전광역시", "34141", ("대학로", "엑스포로")),
)
PERSON_NOTES = (
    "Prefers phone calls to email.", "Met at the spring gala.", "Spouse also volunteers.",
    "한국어로 연락 선호 (prefers Korean).", "Asked not to be thanked publicly.",
    "Employer matches gifts.", "Former board member.", "Needs ground-floor venues.",
    "Sends cheques by post every December.", "Introduced by the youth program.",
)
TAG_ORDER = ("donor", "major donor", "member", "volunteer", "board", "newsletter")


# ------------------------------------------------------------------------ money and time

#: How gifts cluster in the year: a December peak, a June appeal, a quiet August.
MONTH_WEIGHTS = (0.75, 0.6, 0.7, 0.8, 0.85, 1.6, 0.6, 0.5, 0.7, 0.85, 1.3, 3.2)
ROUND_AMOUNTS = (10, 25, 50, 100, 250, 500, 1000, 2500)
ALL_AMOUNTS = (5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 75, 100, 120, 150, 200, 250, 300, 400,
               500, 750, 1000, 1500, 2000, 2500, 3000)
MAJOR_AMOUNTS = ((5000, 30), (7500, 15), (10000, 20), (15000, 10), (20000, 8), (25000, 10),
                 (50000, 3))
IN_KIND = (
    ("Two laptops for the homework club", 900), ("Catering for the gala", 1200),
    ("Forty winter coats", 800), ("Printing of the spring newsletter", 350),
    ("Books for the library corner", 250), ("Folding tables and chairs", 400),
    ("Garden tools and seeds", 150), ("김치 for the community dinner", 200),
)
METHODS = (("cash", 8), ("cheque", 30), ("card", 22), ("bank transfer", 10), ("online", 30))
FUNDS = (("General", 70), ("Food Pantry", 12), ("Youth Programs", 10), ("Scholarship", 8))
#: Who gives how: never, once, now and then, every year, every year and a lot.
GIVERS = (("none", 22), ("once", 33), ("sometimes", 25), ("loyal", 17), ("major", 3))
BUSINESS_GIVERS = (("none", 30), ("once", 25), ("sometimes", 30), ("loyal", 15))


def _add_months(day: date, months: int) -> date:
    """Month arithmetic clamped to the month's end (Jan 31 + 1 = Feb 28), as the terms do."""
    zero_based = day.month - 1 + months
    year, month = day.year + zero_based // 12, zero_based % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _term_end(start: date, months: int) -> date:
    """A rolling term's last day, by the membership rules (2024-03-15 -> 2025-03-14, and
    2024-01-31 -> 2024-02-29 for one month: never a day short)."""
    end = term_end({"duration": months, "period_type": "rolling"}, start)
    if end is None:
        raise ValueError("a rolling term needs a duration of at least one month")
    return end


def _below(rng: Random, n: int) -> int:
    """A whole number in [0, n): `rng.randrange(n)` at a third of the cost, which matters at
    100,000 gifts; the bias (under 1e-12 for the ranges here) is of no account in demo data."""
    return int(rng.random() * n)


def _day_between(rng: Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=_below(rng, (hi - lo).days + 1))


def _office_time(rng: Random, day: date) -> datetime:
    """When someone at the office typed a row in: between 8:00 and 18:00 on `day`."""
    return datetime.combine(day, _EIGHT) + timedelta(seconds=_below(rng, 10 * 3600))


def _pick(rng: Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    """One item of ``((item, weight), ...)``, as `rng.choices` would pick it, but with the
    cumulative weights worked out once per table (this runs a million times at 100k gifts)."""
    items, cumulative = _odds(weighted)
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


@lru_cache(maxsize=64)
def _odds(weighted: tuple[tuple[Any, float], ...]) -> tuple[tuple[Any, ...], list[float]]:
    return tuple(item for item, _ in weighted), list(accumulate(w for _, w in weighted))


@lru_cache(maxsize=4096)
def _month_odds(lo: date, hi: date) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """The months between lo and hi (one calendar year) and their cumulative gift weights."""
    months, cumulative, total = [], [], 0.0
    for month in range(lo.month, hi.month + 1):
        first = lo.day if month == lo.month else 1
        last = hi.day if month == hi.month else calendar.monthrange(lo.year, month)[1]
        total += MONTH_WEIGHTS[month - 1] * (last - first + 1)
        months.append(month)
        cumulative.append(total)
    return tuple(months), tuple(cumulative)


def _seasonal_day(rng: Random, lo: date, hi: date) -> date:
    """A gift day between lo and hi (same year), busier in December (mostly its last weeks)
    and June, as appeal letters and tax years make it."""
    months, cumulative = _month_odds(lo, hi)
    month = months[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
    first = lo.day if month == lo.month else 1
    last = hi.day if month == hi.month else calendar.monthrange(lo.year, month)[1]
    if month == 12 and last >= 20 and rng.random() < 0.55:
        first = max(first, 20)
    return date(lo.year, month, first + _below(rng, last - first + 1))


_SNAP_ROUND = [math.sqrt(a * b) for a, b in pairwise(ROUND_AMOUNTS)]  # geometric midpoints
_SNAP_ALL = [math.sqrt(a * b) for a, b in pairwise(ALL_AMOUNTS)]


def _gift_amount(rng: Random, level: float) -> Decimal:
    """Around `level`, rounded as people give: mostly 25, 50, 100, 250; sometimes 30 or 75;
    now and then an odd amount such as 37.50."""
    value = max(5.0, level * rng.lognormvariate(0, 0.35))
    if rng.random() < 0.03:
        return Decimal(f"{value:.2f}")
    if rng.random() < 0.6:
        return Decimal(ROUND_AMOUNTS[bisect.bisect(_SNAP_ROUND, value)])
    return Decimal(ALL_AMOUNTS[bisect.bisect(_SNAP_ALL, value)])


def _nice_goal(value: float) -> Decimal:
    """A goal a board would set: 500s below 10,000, then 1,000s, then 5,000s."""
    step = 500 if value < 10_000 else 1000 if value < 100_000 else 5000
    return Decimal(max(step, round(value / step) * step))


def _ascii(text: str) -> str:
    """Letters and digits of `text` without accents, for email addresses: O'Brien -> obrien."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


# --------------------------------------------------------------------------------- people


@dataclass(frozen=True)
class _Span:
    """The demo's years: `years` before `as_of`; `last` is the latest day anything happened."""

    start: date
    as_of: date

    @property
    def last(self) -> date:
        return self.as_of - _DAY

    @property
    def recent(self) -> date:
        """Gifts after this day may still be pending (a cheque not yet cleared)."""
        return self.as_of - timedelta(days=30)


@dataclass
class _Profile:
    """What the generator knows about a person beyond their row: when they first came in,
    how they give, and who they live with."""

    index: int
    id: str
    since: date
    name: str
    korean: bool = False
    in_korea: bool = False
    organization: bool = False
    partner: int | None = None
    giver: str = "none"
    level: float = 50.0
    planted: bool = False
    last_seen: date | None = None


class _Contacts:
    """Hands out email addresses and phone numbers nobody else in the demo has, so only the
    planted duplicates look like duplicates."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    def reserve(self, email: str, phone: str) -> None:
        if email:
            self.emails.add(email.casefold())
        if phone:
            self.phones.add(self._key(phone))

    @staticmethod
    def _key(phone: str) -> str:
        digits = "".join(ch for ch in phone if ch.isdigit())
        return digits[-10:]

    def email(self, *names: str, initials: bool = True) -> str:
        parts = [part for part in map(_ascii, names) if part] or ["friend"]
        if initials and len(parts) > 1 and self.rng.random() < 0.3:
            local = parts[0][0] + parts[-1]
        else:
            local = ".".join(parts)
        domain = self.rng.choice(("example.org", "example.com"))
        candidate, n = f"{local}@{domain}", 1
        while candidate.casefold() in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate.casefold())
        return candidate

    def us_phone(self, area: str) -> str:
        while True:
            line = f"{self.rng.randrange(100, 10000):04d}"
            if self._key(area + "555" + line) not in self.phones:
                break
        self.phones.add(self._key(area + "555" + line))
        style = self.rng.randrange(4)
        return (f"({area}) 555-{line}", f"{area}-555-{line}", f"{area}.555.{line}",
                f"+1 {area} 555 {line}")[style]

    def korean_phone(self) -> str:
        while True:
            middle, end = self.rng.randrange(2000, 10000), self.rng.randrange(10000)
            key = self._key(f"010{middle:04d}{end:04d}")
            if key not in self.phones:
                break
        self.phones.add(key)
        style = self.rng.randrange(3)
        return (f"010-{middle:04d}-{end:04d}", f"+82 10-{middle:04d}-{end:04d}",
                f"010 {middle:04d} {end:04d}")[style]


def _us_home(rng: Random, korean: bool) -> tuple[Record, tuple[str, ...]]:
    """A US street address and the area codes that go with it."""
    city, state, zip_code, areas, _ = _pick(rng, _KOREAN_US_ODDS if korean else _US_ODDS)
    street = f"{rng.randint(1, 240)} {rng.choice(US_STREETS)}"
    if rng.random() < 0.15:
        street += f", Apt {rng.randint(1, 30)}"
    home = {"address": street, "city": city, "region": state, "postcode": zip_code,
            "country": "US"}
    return home, areas


def _korean_home(rng: Random) -> Record:
    district, province, postcode, roads = rng.choice(KOREAN_PLACES)
    address = f"{rng.choice(roads)} {rng.randint(1, 300)}"
    if rng.random() < 0.5:
        address += f", {rng.randint(101, 115)}동 {rng.randint(1, 25)}0{rng.randint(1, 4)}호"
    return {"address": address, "city": district, "region": province, "postcode": postcode,
            "country": "KR"}


def _blank_person(key: str) -> Record:
    return {
        "id": key, "first_name": "", "last_name": "", "organization": "", "email": "",
        "phone": "", "address": "", "city": "", "region": "", "postcode": "", "country": "",
        "tags": (), "do_not_email": False, "do_not_mail": False, "do_not_phone": False,
        "deceased": False, "household_id": "", "notes": "", "created_at": None,
        "updated_at": None, "deleted_at": None,
    }


def _people(rng: Random, size: DemoSize, span: _Span) -> tuple[list[Record], list[_Profile]]:
    """Everyone, with a `since` date before anything they did: half were imported from the
    old spreadsheet on day one, the rest arrived over the years. About 30% have Korean names
    written in Hangul, 7% of the rest are organisations, and one person in ten lives with a
    partner (same household_id and address; Korean spouses keep their own family names)."""
    contacts = _Contacts(rng)
    planted = {_number(key) - 1: values for key, values in _PLANTED_PEOPLE.items()}
    if size.bad_rows:
        for values in _PLANTED_PEOPLE.values():
            contacts.reserve(values["email"], values["phone"])
    reserved = set(planted) | {_number(_NO_NAME) - 1} if size.bad_rows else set()
    imported_at = datetime.combine(span.start, time(9, 30))
    people: list[Record] = []
    profiles: list[_Profile] = []
    households = 0
    while len(people) < size.people:
        index = len(people)
        since = span.start if rng.random() < 0.5 else _day_between(rng, span.start, span.last)
        created = (imported_at + timedelta(seconds=index) if since == span.start
                   else _office_time(rng, since))
        person, profile = _person(rng, index, since, contacts)
        person["created_at"] = created
        people.append(person)
        profiles.append(profile)
        couple = (not profile.organization and len(people) < size.people
                  and index not in reserved and index + 1 not in reserved and rng.random() < 0.1)
        if couple:
            households += 1
            partner, partner_profile = _partner(rng, person, profile, contacts)
            partner["created_at"] = created + timedelta(seconds=1)
            person["household_id"] = partner["household_id"] = f"H{households:04d}"
            profile.partner, partner_profile.partner = index + 1, index
            people.append(partner)
            profiles.append(partner_profile)
    for index, values in planted.items() if size.bad_rows else ():
        if index < len(people):
            people[index].update(values, household_id="")
            profile = profiles[index]
            profile.korean = values["country"] == "KR" and not values["first_name"].isascii()
            profile.in_korea, profile.organization = values["country"] == "KR", False
            profile.name = f"{values['first_name']} {values['last_name']}"
    for index in reserved:
        if index < len(profiles):
            profiles[index].planted = True
    return people, profiles


def _person(rng: Random, index: int, since: date, contacts: _Contacts) -> tuple[Record, _Profile]:
    key = f"P{index + 1:05d}"
    person = _blank_person(key)
    korean = rng.random() < 0.30
    organization = not korean and rng.random() < 0.07
    profile = _Profile(index, key, since, "", korean=korean, organization=organization)
    if organization:
        name = f"{rng.choice(ORGANIZATION_WORDS)} {rng.choice(ORGANIZATION_KINDS)}"
        person["organization"] = profile.name = name
        email = contacts.email("office", name, initials=False) if rng.random() < 0.9 else ""
    elif korean:
        family, family_latin = _pick(rng, _KOREAN_FAMILY_ODDS)
        given, given_latin = rng.choice(KOREAN_GIVEN_NAMES)
        person.update(first_name=given, last_name=family)
        profile.name = family + given
        email = contacts.email(given_latin, family_latin) if rng.random() < 0.85 else ""
    else:
        first, last = rng.choice(LATIN_FIRST_NAMES), rng.choice(LATIN_LAST_NAMES)
        person.update(first_name=first, last_name=last)
        if rng.random() < 0.05:
            person["organization"] = (f"{rng.choice(ORGANIZATION_WORDS)} "
                                      f"{rng.choice(ORGANIZATION_KINDS)}")
        profile.name = f"{first} {last}"
        email = contacts.email(first, last) if rng.random() < 0.85 else ""
    profile.in_korea = korean and rng.random() < 0.35
    areas: tuple[str, ...] = ()
    if profile.in_korea:
        home = _korean_home(rng)
    else:
        home, areas = _us_home(rng, korean)
    if rng.random() > 0.08:
        person.update(home)
    else:
        person["country"] = home["country"]
    if rng.random() < 0.75:
        person["phone"] = contacts.korean_phone() if profile.in_korea else contacts.us_phone(
            rng.choice(areas))
    person["email"] = email
    if rng.random() < 0.06:
        person["notes"] = rng.choice(PERSON_NOTES)
    profile.giver = _pick(rng, BUSINESS_GIVERS if organization else GIVERS)
    profile.level = rng.lognormvariate(math.log(55), 0.85) * (3 if organization else 1) * (
        12 if profile.giver == "major" else 1)
    return person, profile


def _partner(
    rng: Random, person: Record, profile: _Profile, contacts: _Contacts
) -> tuple[Record, _Profile]:
    """Someone who lives with `person`: the same address, their own name and email."""
    index = profile.index + 1
    partner = _blank_person(f"P{index + 1:05d}")
    for column in ("address", "city", "region", "postcode", "country"):
        partner[column] = person[column]
    if profile.korean:
        family, family_latin = _pick(rng, _KOREAN_FAMILY_ODDS)
        given, given_latin = rng.choice(KOREAN_GIVEN_NAMES)
        partner.update(first_name=given, last_name=family)
        name, email_names = family + given, (given_latin, family_latin)
    else:
        first = rng.choice(LATIN_FIRST_NAMES)
        last = person["last_name"] if rng.random() < 0.8 else rng.choice(LATIN_LAST_NAMES)
        partner.update(first_name=first, last_name=last)
        name, email_names = f"{first} {last}", (first, last)
    if rng.random() < 0.8:
        partner["email"] = contacts.email(*email_names)
    if rng.random() < 0.5:
        partner["phone"] = (contacts.korean_phone() if profile.in_korea
                            else contacts.us_phone(rng.choice(("617", "857", "781"))))
    giver = profile.giver if rng.random() < 0.5 else _pick(rng, GIVERS)
    return partner, _Profile(index, partner["id"], profile.since, name, korean=profile.korean,
                             in_korea=profile.in_korea, giver=giver,
                             level=profile.level * rng.uniform(0.5, 1.2))


# ------------------------------------------------------------------------------ campaigns


def _campaigns(span: _Span, count: int) -> list[Record]:
    """`count` campaigns, the most important first: a year-end appeal every year (the one
    running on `as_of` is the active one), one capital drive with pledges, then galas and
    spring appeals, then back-to-school drives, most recent first. Goals come later, from
    what was raised."""
    by_kind: dict[str, list[Record]] = {"year-end": [], "gala": [], "spring": [], "school": []}
    for year in range(span.as_of.year, span.start.year - 1, -1):
        by_kind["year-end"].append(_campaign(
            f"Year-End Appeal {year}", "appeal", date(year, 10, 15), date(year + 1, 1, 31),
            "The main appeal: letters in late October, emails through December."))
        by_kind["gala"].append(_campaign(
            f"Community Gala {year}", "event", date(year, 3, 1), date(year, 4, 25),
            "Tickets, sponsorships and the auction at the spring gala (April 25)."))
        by_kind["spring"].append(_campaign(
            f"Spring Appeal {year}", "appeal", date(year, 5, 1), date(year, 7, 15),
            "For the summer programs: mailed in May, emailed in June."))
        by_kind["school"].append(_campaign(
            f"Back-to-School Drive {year}", "drive", date(year, 8, 1), date(year, 9, 15),
            "School supplies and fees for the homework club."))
    roof_start = date(span.start.year + max(1, (span.as_of.year - span.start.year) // 2), 3, 1)
    roof = _campaign("Community Hall Roof Fund", "drive", roof_start, _term_end(roof_start, 12),
                     "Capital drive to replace the hall roof; pledges paid over a year.")
    pairs = zip(by_kind["gala"], by_kind["spring"], strict=True)
    galas_and_springs = [campaign for pair in pairs for campaign in pair]
    ordered = [*by_kind["year-end"], roof, *galas_and_springs, *by_kind["school"]]
    fitting = [c for c in ordered if c["end_date"] >= span.start and c["start_date"] <= span.last]
    if count > len(fitting):
        raise ValueError(f"{span.as_of.year - span.start.year} years hold at most "
                         f"{len(fitting)} demo campaigns; ask for fewer campaigns or more years.")
    chosen = sorted(fitting[:count], key=lambda c: (c["start_date"], c["name"]))
    for number, campaign in enumerate(chosen, start=1):
        campaign["id"] = f"C{number:02d}"
        started, ended = campaign["start_date"] <= span.as_of, campaign["end_date"] < span.as_of
        campaign["status"] = "completed" if ended else "active" if started else "planned"
    return chosen


def _campaign(name: str, kind: str, start: date, end: date, description: str) -> Record:
    return {"id": "", "name": name, "kind": kind, "goal": None, "start_date": start,
            "end_date": end, "status": "", "description": description}


class _CampaignCalendar:
    """Which campaign a gift on a given day answers: one running that day (the shortest, so
    the most specific, wins), or one that ended in the last six weeks (late replies)."""

    def __init__(self, campaigns: Sequence[Record]) -> None:
        self.campaigns = sorted(campaigns, key=lambda c: (c["end_date"] - c["start_date"], c["id"]))
        self._days: dict[date, tuple[Record | None, Record | None]] = {}

    def on(self, day: date) -> tuple[Record | None, Record | None]:
        if day not in self._days:
            running = next((c for c in self.campaigns
                            if c["start_date"] <= day <= c["end_date"]), None)
            recent = next((c for c in self.campaigns
                           if c["end_date"] < day <= c["end_date"] + timedelta(days=42)), None)
            self._days[day] = (running, recent)
        return self._days[day]

    def pick(self, rng: Random, day: date) -> Record | None:
        running, recent = self.on(day)
        if running and rng.random() < 0.9:
            return running
        if recent and rng.random() < 0.6:
            return recent
        return None


def _set_goals(rng: Random, campaigns: Sequence[Record], donations: Iterable[Record]) -> None:
    """Goals set so that some campaigns beat theirs and some fall short; a campaign still
    running aims a little above what the last one of its kind raised."""
    raised: dict[str, Decimal] = {}
    for gift in donations:
        if gift["campaign_id"] and gift["status"] == "completed":
            raised[gift["campaign_id"]] = raised.get(gift["campaign_id"], Decimal(0)) + gift[
                "amount"]
    previous: dict[str, float] = {}  # the last total of each series ("Year-End Appeal", ...)
    for campaign in campaigns:
        total = float(raised.get(campaign["id"], 0))
        series = campaign["name"].rstrip("0123456789 ")
        if campaign["status"] == "completed":
            campaign["goal"] = _nice_goal(total * rng.uniform(0.8, 1.25))
            previous[series] = total
        else:
            campaign["goal"] = _nice_goal(max(previous.get(series, 0.0), total) * 1.1)


# ---------------------------------------------------------------------------- donations


def _donation(person_id: str, day: date, amount: Decimal, created_at: datetime,
              **values: Any) -> Record:
    """A donations row with every column; ids are given later, in date order."""
    row: Record = {
        "id": "", "person_id": person_id, "date": day, "amount": amount, "currency": "USD",
        "campaign_id": "", "fund": "General", "method": "", "kind": "gift",
        "status": "completed", "soft_credit_person_id": "", "tribute_type": "",
        "tribute_name": "", "in_kind_description": "", "receipt_status": "not needed",
        "receipt_date": None, "reference": "", "batch_id": "", "recurring_gift_id": "",
        "note": "", "created_at": created_at,
    }
    row.update(values)
    return row


@dataclass
class _Slot:
    """A donor's gifts in one calendar year: how many, and how generous that year is."""

    person: int
    year: int
    count: int
    scale: float
    core: bool


def _year_change(rng: Random) -> float:
    """Next year's generosity: most donors give the same, some upgrade, some downgrade."""
    roll = rng.random()
    return 1.6 if roll < 0.15 else 0.6 if roll < 0.27 else 1.0


def _plan_gifts(rng: Random, profiles: Sequence[_Profile], span: _Span) -> list[_Slot]:
    """Which years each donor gives in. One-time donors give once; occasional donors skip
    years (they make SYBUNT and recaptured donors); loyal donors give every year until some
    lapse (LYBUNT); major donors never lapse. People imported on day one mostly gave before,
    so they mostly give from the first year on. The year `as_of` falls in has only the
    gifts made so far (a donor's first gift always), so this year reads against last year
    as a real one would, whatever the day."""
    slots: list[_Slot] = []
    so_far = _year_so_far(span.last)
    for profile in profiles:
        lo = max(profile.since, span.start)
        if profile.giver == "none" or lo > span.last:
            continue
        first = _day_between(rng, lo, span.last).year
        if profile.giver == "once":
            slots.append(_Slot(profile.index, first, 1, 1.0, False))
            continue
        core = profile.giver in {"loyal", "major"}
        imported = profile.since == span.start  # gave before the demo's years began
        if rng.random() < (0.7 if imported else 0.6 if core else 0.0):
            first = lo.year
        lapse = {"loyal": 0.12, "sometimes": 0.15}.get(profile.giver, 0.0)
        scale = 1.0
        for year in range(first, span.last.year + 1):
            if year > first:
                scale *= _year_change(rng)
                if rng.random() < lapse:
                    break
                if profile.giver == "sometimes" and rng.random() > 0.45:
                    continue
            count = rng.choice((1, 1, 2, 2, 3, 4)) if core else 1 + (rng.random() < 0.15)
            if year == span.last.year:  # the year so far holds its share of a year's gifts
                count = sum(rng.random() < so_far for _ in range(count)) or (year == first)
            slots.append(_Slot(profile.index, year, count, scale, core))
    return slots


def _year_so_far(last: date) -> float:
    """How much of a year's giving falls from January 1 to `last`, by the seasons
    (`MONTH_WEIGHTS`): 0.64 on October 31, since December brings almost a quarter."""
    _, done = _month_odds(date(last.year, 1, 1), last)
    _, whole = _month_odds(date(last.year, 1, 1), date(last.year, 12, 31))
    return done[-1] / whole[-1]


def _fit(rng: Random, slots: list[_Slot], budget: int, profiles: Sequence[_Profile],
         span: _Span) -> None:
    """Make the planned gifts add up to exactly `budget`: extra gifts go to loyal donors in
    proportion to how often they already give (a long tail, without changing who gives in
    which year); a surplus is taken from donors who give several times a year first."""
    total = sum(slot.count for slot in slots)
    if total < budget:
        if not slots:
            if not profiles:
                raise ValueError("donations need people; ask for at least one person.")
            lo = max(profiles[0].since, span.start)
            slots.append(_Slot(0, lo.year, 0, 1.0, True))
        growing = [slot for slot in slots if slot.core] or slots
        for slot in rng.choices(growing, [slot.count + 1 for slot in growing], k=budget - total):
            slot.count += 1
    elif total > budget:
        extras = [slot for slot in slots for _ in range(slot.count - 1)]
        rng.shuffle(extras)
        excess = total - budget
        for slot in extras[:excess]:
            slot.count -= 1
        excess -= min(excess, len(extras))
        for slot in rng.sample(slots, excess):
            slot.count = 0


def _gifts(rng: Random, profiles: Sequence[_Profile], budget: int, span: _Span,
           campaigns: _CampaignCalendar, major_gifts: int) -> list[Record]:
    """Exactly `budget` one-off gifts (not memberships, not standing gifts)."""
    slots = _plan_gifts(rng, profiles, span)
    _fit(rng, slots, budget, profiles, span)
    gifts: list[Record] = []
    majors: list[Record] = []
    for slot in slots:
        profile = profiles[slot.person]
        lo = max(date(slot.year, 1, 1), profile.since, span.start)
        hi = min(date(slot.year, 12, 31), span.last)
        for _ in range(slot.count):
            day = _seasonal_day(rng, lo, hi)
            gift = _gift(rng, profile, day, _gift_amount(rng, profile.level * slot.scale),
                         campaigns, span)
            gifts.append(gift)
            if profile.giver == "major" and gift["kind"] == "gift":
                majors.append(gift)
    _make_major(rng, majors, major_gifts, span)
    return gifts


#: Days between a gift and its entry: mostly the same day, sometimes after a weekend.
_ENTRY_LAG = tuple(timedelta(days=n) for n in (0, 0, 0, 1, 2, 3, 6))


def _gift(rng: Random, profile: _Profile, day: date, amount: Decimal,
          campaigns: _CampaignCalendar, span: _Span) -> Record:
    method = _pick(rng, METHODS)
    entered = min(day + _ENTRY_LAG[_below(rng, len(_ENTRY_LAG))], span.last)
    gift = _donation(profile.id, day, amount, _office_time(rng, entered), method=method,
                     fund=_pick(rng, FUNDS))
    campaign = campaigns.pick(rng, day)
    if campaign:
        gift["campaign_id"] = campaign["id"]
        if campaign["kind"] == "drive" and campaign["name"].endswith("Roof Fund"):
            gift["fund"] = "Building Fund"
            if rng.random() < 0.3:
                gift["kind"] = "pledge payment"
    if rng.random() < 0.01:
        description, value = rng.choice(IN_KIND)
        method = "in-kind"
        gift.update(kind="in-kind", method=method, amount=Decimal(value),
                    in_kind_description=description)
    if method == "cheque":
        gift["reference"] = f"cheque {100 + _below(rng, 9900)}"
    elif method in {"card", "online"}:
        gift["reference"] = f"txn-{rng.getrandbits(40):010x}"
    if method in {"cash", "cheque"}:
        gift["batch_id"] = f"B{entered.year}{entered.month:02d}{entered.day:02d}"
    recent = day > span.recent
    roll = rng.random()
    if (recent and roll < 0.25) or roll < 0.004:
        gift["status"] = "pending"
    elif roll > 0.992:
        gift["status"] = "refunded"
    _receipt(rng, gift, span)
    return gift


def _receipt(rng: Random, gift: Record, span: _Span) -> None:
    """Gifts of 250 or more get a tax receipt a few days later; recent ones are still to send."""
    if gift["status"] != "completed" or gift["amount"] < 250:
        gift.update(receipt_status="not needed", receipt_date=None)
        return
    sent = gift["date"] + timedelta(days=2 + _below(rng, 13))
    if sent <= span.last:
        gift.update(receipt_status="sent", receipt_date=sent)
    else:
        gift.update(receipt_status="to send", receipt_date=None)


def _make_major(rng: Random, candidates: list[Record], count: int, span: _Span) -> None:
    """A few gifts of 5,000 to 50,000, mostly at year end, by cheque, wire or stock."""
    if not candidates:
        return
    december = [gift for gift in candidates if gift["date"].month == 12]
    for _ in range(count):
        pool = december if december and rng.random() < 0.6 else candidates
        gift = rng.choice(pool)
        gift.update(amount=Decimal(_pick(rng, MAJOR_AMOUNTS)),
                    method=rng.choice(("cheque", "bank transfer", "stock")),
                    reference="", batch_id="")
        _receipt(rng, gift, span)


# --------------------------------------------------------------------------- memberships


def _membership_levels() -> list[Record]:
    """A rolling yearly level, a calendar-year one (fixed: January to December, and joining
    from October 1 also covers the next year) and a lifetime one (no duration)."""
    def level(key: str, name: str, fee: int, duration: int | None, fixed: bool = False) -> Record:
        return {"id": key, "name": name, "fee": Decimal(fee), "duration": duration,
                "period_type": "fixed" if fixed else "rolling",
                "fixed_start": "01-01" if fixed else "", "rollover": "10-01" if fixed else "",
                "active": True}

    return [level("L1", "Individual", 50, 12), level("L2", "Family", 80, 12, fixed=True),
            level("L3", "Lifetime", 1000, None)]


def _memberships(
    rng: Random, profiles: Sequence[_Profile], size: DemoSize, span: _Span,
    levels: Sequence[Record],
) -> list[tuple[Record, Record]]:
    """Exactly `size.memberships` terms, each with the donation that paid for it.

    Terms follow the rules of `membership_terms.next_term`: renewing before the grace
    period ends starts the new term the day after the old one ends; coming back after that
    starts it on the day of payment (a Family term covers its calendar year), keeping the
    join date. Many members renew, some lapse after a year, a few come back, a few cancel,
    have a cheque not yet cleared (Pending), or are reported deceased.
    """
    members = [p for p in profiles if not p.organization]
    rng.shuffle(members)
    terms: list[tuple[Record, Record]] = []
    fees = {level["id"]: level for level in levels}
    for profile in members:
        if len(terms) >= size.memberships:
            break
        terms.extend(_member_history(rng, profile, span, fees, size.memberships - len(terms)))
    if len(terms) < size.memberships:
        raise ValueError(f"{len(members)} people over {size.years} years cannot hold "
                         f"{size.memberships} membership terms; ask for fewer.")
    terms.sort(key=lambda pair: (pair[1]["date"], pair[1]["created_at"]))
    for number, (term, _) in enumerate(terms, start=1):
        term["id"] = f"M{number:04d}"
    return terms


def _member_history(rng: Random, profile: _Profile, span: _Span, levels: dict[str, Record],
                    limit: int) -> list[tuple[Record, Record]]:
    lo = max(profile.since, span.start)
    if lo > span.last or limit <= 0:
        return []
    paid = _day_between(rng, lo, span.last)
    family = profile.partner is not None and rng.random() < 0.6
    level = "L3" if rng.random() < 0.02 else "L2" if family else "L1"
    auto_renew = rng.random() < 0.25
    out: list[tuple[Record, Record]] = []
    last: Record | None = None
    while len(out) < limit and paid <= span.last:
        joined, start, end = next_term(levels[level], last, paid, GRACE_DAYS)
        cancelled = rng.random() < 0.02
        out.append(_term(rng, profile, level, levels[level]["fee"], joined, start, end, paid,
                         auto_renew, "Cancelled" if cancelled else "", span))
        last = out[-1][0]
        if end is None or cancelled:
            break
        renews = 0.92 if auto_renew else 0.62 if len(out) == 1 else 0.8
        roll = rng.random()
        if roll < renews:
            paid = end + _DAY if auto_renew else end + timedelta(days=rng.randint(-30, 25))
            level = _next_level(rng, level, family)
        elif roll < renews + 0.1:
            paid = end + timedelta(days=1 + GRACE_DAYS + rng.randint(10, 400))
        else:
            break
    last_term, last_payment = out[-1]
    if (not last_term["status_override"] and not auto_renew
            and last_payment["date"] > span.as_of - timedelta(days=45) and rng.random() < 0.35):
        last_term["status_override"] = "Pending"
        last_payment.update(status="pending", receipt_status="not needed")
    ended = last_term["end_date"]
    if (not last_term["status_override"] and ended is not None
            and ended < span.as_of - timedelta(days=730) and rng.random() < 0.08):
        last_term["status_override"] = "Deceased"  # the family told the office
    return out


def _next_level(rng: Random, level: str, family: bool) -> str:
    roll = rng.random()
    if roll < 0.015:
        return "L3"
    if roll < 0.065:
        return "L1" if level == "L2" else "L2" if family else level
    return level


def _term(rng: Random, profile: _Profile, level: str, fee: Decimal, joined: date, start: date,
          end: date | None, paid: date, auto_renew: bool, override: str,
          span: _Span) -> tuple[Record, Record]:
    entered = _office_time(rng, min(paid, span.last))
    method = "card" if auto_renew else _pick(
        rng, (("cheque", 35), ("online", 35), ("cash", 15), ("card", 15)))
    status = "refunded" if override == "Cancelled" and rng.random() < 0.5 else "completed"
    payment = _donation(profile.id, paid, fee, entered, kind="membership", fund="Membership",
                        method=method, status=status)
    if method == "cheque":
        payment["reference"] = f"cheque {rng.randint(100, 9999)}"
    if method in {"cash", "cheque"}:
        payment["batch_id"] = f"B{paid:%Y%m%d}"
    _receipt(rng, payment, span)
    term = {"id": "", "person_id": profile.id, "level_id": level, "join_date": joined,
            "start_date": start, "end_date": end, "amount": fee, "donation_id": "",
            "status_override": override, "auto_renew": auto_renew, "created_at": entered}
    return term, payment


# ------------------------------------------------------------------------ recurring gifts

RECURRING_AMOUNTS = {"monthly": (10, 15, 20, 25, 30, 50, 100), "quarterly": (50, 75, 100, 250),
                     "yearly": (100, 250, 500, 1000)}
_STEP_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def _recurring(
    rng: Random, profiles: Sequence[_Profile], size: DemoSize, span: _Span, room: int
) -> tuple[list[Record], list[Record]]:
    """Standing gifts and the donations they made. Most are active; some lapsed (a card
    expired), a few are paused or closed. Their charges take at most 15% of `room`, the
    donations left after memberships, keeping the most recent charges if they must shrink."""
    donors = [p for p in profiles if p.giver in {"sometimes", "loyal", "major"}] or list(profiles)
    donors = rng.sample(donors, min(len(donors), size.recurring_gifts))
    plans: list[tuple[Record, list[date]]] = []
    for profile in donors:
        lo = max(profile.since, span.start)
        if lo > span.last:
            continue
        frequency = _pick(rng, (("monthly", 80), ("quarterly", 12), ("yearly", 8)))
        status = _pick(rng, (("active", 60), ("lapsed", 15), ("paused", 10), ("closed", 15)))
        start = _day_between(rng, lo, span.last)
        stop = span.last if status == "active" else _day_between(rng, start, span.last)
        step = _STEP_MONTHS[frequency]
        charges, n = [], 0
        while (charge := _add_months(start, step * n)) <= stop:
            charges.append(charge)
            n += 1
        upcoming = _add_months(start, step * n)
        plan = {"id": "", "person_id": profile.id,
                "amount": Decimal(rng.choice(RECURRING_AMOUNTS[frequency])),
                "frequency": frequency, "start_date": start,
                "next_date": upcoming if status in {"active", "lapsed"} else None,
                "status": status, "campaign_id": "", "fund": _pick(rng, FUNDS)}
        plans.append((plan, charges))
    total, cap = sum(len(charges) for _, charges in plans), int(room * 0.15)
    if total > cap:
        plans = [(plan, charges[len(charges) - int(len(charges) * cap / total):])
                 for plan, charges in plans]
    plans.sort(key=lambda pair: (pair[0]["start_date"], pair[0]["person_id"]))
    rows, donations = [], []
    for number, (plan, charges) in enumerate(plans, start=1):
        plan["id"] = f"R{number:03d}"
        if charges:
            plan["start_date"] = charges[0]
        method = "card" if rng.random() < 0.7 else "bank transfer"
        for charge in charges:
            donations.append(_donation(
                plan["person_id"], charge, plan["amount"],
                datetime.combine(charge, time(6, 0)), method=method, fund=plan["fund"],
                recurring_gift_id=plan["id"], reference=f"auto {plan['id']}-{charge:%Y%m}"))
        rows.append(plan)
    return rows, donations


# ---------------------------------------------------------------------------- volunteers

SKILLS = ("driving", "cooking", "tutoring", "event setup", "fundraising", "office work",
          "Korean translation", "gardening", "IT help", "first aid")
SKILL_ACTIVITIES = {
    "driving": "driving seniors", "cooking": "food pantry", "tutoring": "tutoring",
    "event setup": "event setup", "fundraising": "newsletter mailing",
    "office work": "office work", "Korean translation": "translation",
    "gardening": "community garden", "IT help": "office work", "first aid": "event setup",
}
ACTIVITIES = tuple(dict.fromkeys(SKILL_ACTIVITIES.values()))
AVAILABILITY = ("weekday mornings", "weekday evenings", "weekends", "Saturdays only",
                "flexible", "once a month", "summer only", "주말 오후 (weekend afternoons)")
VOLUNTEER_NOTES = ("Prefers Saturday shifts.", "Speaks Korean and English.", "Needs a ride.",
                   "Came back after a break.", "Great with kids.", "Can lift heavy boxes.")
HOURS = tuple((Decimal(h), w) for h, w in (("1", 6), ("1.5", 5), ("2", 18), ("2.5", 12),
                                            ("3", 20), ("3.5", 8), ("4", 15), ("5", 6),
                                            ("6", 6), ("8", 4)))
SHIFT_STARTS = (time(9, 0), time(10, 0), time(13, 0), time(17, 30))


@dataclass
class _Volunteer:
    profile: _Profile
    status: str
    start: date
    end: date
    skills: tuple[str, ...] = field(default_factory=tuple)


def _volunteers(rng: Random, profiles: Sequence[_Profile], size: DemoSize,
                span: _Span) -> list[_Volunteer]:
    """Volunteers are local people (not organisations, not living in Korea), active now,
    inactive since some date, or prospects who have not started."""
    local = [p for p in profiles if not p.organization and not p.in_korea]
    rest = [p for p in profiles if p.organization or p.in_korea]
    if size.volunteers > len(profiles):
        raise ValueError(f"{size.volunteers} volunteers need at least as many people.")
    chosen = rng.sample(local, min(len(local), size.volunteers))
    chosen += rng.sample(rest, size.volunteers - len(chosen))
    chosen.sort(key=lambda p: p.index)
    out = []
    for profile in chosen:
        status = _pick(rng, (("active", 60), ("inactive", 25), ("prospect", 15)))
        start = _day_between(rng, max(profile.since, span.start), span.last)
        end = span.last
        if status == "inactive":
            end = _day_between(rng, start, max(start, span.last - timedelta(days=90)))
        skills = set(rng.sample(SKILLS, rng.choice((1, 1, 2, 2, 3))))
        if profile.korean and rng.random() < 0.6:
            skills.add("Korean translation")
        out.append(_Volunteer(profile, status, start, end, tuple(s for s in SKILLS if s in skills)))
    if out and not any(v.status == "active" for v in out):
        out[0].status, out[0].end = "active", span.last
    return out


def _volunteer_rows(rng: Random, volunteers: Sequence[_Volunteer], span: _Span) -> list[Record]:
    rows = []
    for volunteer in volunteers:
        checked = None
        if volunteer.status != "prospect" and rng.random() < 0.7:
            lo = max(span.start - timedelta(days=365), volunteer.start - timedelta(days=400))
            checked = _day_between(rng, lo, min(volunteer.start + timedelta(days=30), span.last))
        contact = ""
        if rng.random() < 0.5:
            contact = (f"{rng.choice(LATIN_FIRST_NAMES)} ({rng.choice(('617', '781', '201'))}) "
                       f"555-{rng.randrange(100, 10000):04d}")
        rows.append({
            "id": volunteer.profile.id, "status": volunteer.status, "skills": volunteer.skills,
            "availability": rng.choice(AVAILABILITY), "background_check_date": checked,
            "emergency_contact": contact,
            "notes": rng.choice(VOLUNTEER_NOTES) if rng.random() < 0.2 else "",
        })
    return rows


def _hours(rng: Random, volunteers: Sequence[_Volunteer], count: int, span: _Span,
           campaigns: Sequence[Record]) -> list[Record]:
    """`count` days of volunteering: a few volunteers give most of the hours; each mostly
    does what their skills suggest; recent entries still wait for approval."""
    workers = [v for v in volunteers if v.status != "prospect"]
    if count and not workers:
        raise ValueError("volunteer hours need at least one volunteer.")
    events = [c for c in campaigns if c["kind"] == "event"]
    weights = [rng.lognormvariate(0, 0.9) for _ in workers]
    rows = []
    for volunteer in rng.choices(workers, weights, k=count) if count else ():
        day = _day_between(rng, volunteer.start, volunteer.end)
        own = [SKILL_ACTIVITIES[s] for s in volunteer.skills]
        activity = rng.choice(own) if own and rng.random() < 0.8 else rng.choice(ACTIVITIES)
        campaign = next((c["id"] for c in events if c["start_date"] <= day <= c["end_date"]
                         and activity == "event setup"), "")
        approved = rng.random() < (0.97 if day < span.as_of - timedelta(days=21) else 0.4)
        rows.append({
            "id": "", "person_id": volunteer.profile.id, "date": day,
            "hours": _pick(rng, HOURS), "activity": activity,
            "campaign_id": campaign, "approved": approved,
            "note": rng.choice(("Covered for a friend.", "Brought two helpers.",
                                "Left early.")) if rng.random() < 0.05 else "",
        })
    rows.sort(key=lambda row: (row["date"], row["person_id"]))
    for number, row in enumerate(rows, start=1):
        row["id"] = f"VH{number:05d}"
    return rows


def _shifts(rng: Random, volunteers: Sequence[_Volunteer], count: int, span: _Span,
            campaigns: Sequence[Record]) -> list[Record]:
    """Shifts from four months back to two months ahead: past ones filled, future ones
    filling up, so the shifts page has both."""
    active = [v.profile.id for v in volunteers if v.status == "active"]
    rows = []
    for _ in range(count):
        day = _day_between(rng, span.as_of - timedelta(days=120), span.as_of + timedelta(days=60))
        start = rng.choice(SHIFT_STARTS)
        end = (datetime.combine(day, start) + timedelta(hours=rng.choice((2, 3, 3, 4)))).time()
        activity = rng.choice(ACTIVITIES)
        places = rng.randint(2, 8)
        filled = rng.randint(places - 1, places) if day < span.as_of else rng.randint(0, places)
        assigned = sorted(rng.sample(active, min(filled, len(active))))
        campaign = next((c["id"] for c in campaigns if c["start_date"] <= day <= c["end_date"]
                         and activity in {"event setup", "newsletter mailing"}), "")
        rows.append({"id": "", "date": day, "start": start, "end": end, "activity": activity,
                     "campaign_id": campaign, "places": places, "assigned": tuple(assigned)})
    rows.sort(key=lambda row: (row["date"], row["start"]))
    for number, row in enumerate(rows, start=1):
        row["id"] = f"S{number:03d}"
    return rows


# ------------------------------------------------------------------- finishing people


def _last_seen(profiles: Sequence[_Profile], donations: Iterable[Record],
               terms: Iterable[Record], volunteers: Iterable[_Volunteer]) -> None:
    by_id = {p.id: p for p in profiles}

    def seen(key: str, day: date) -> None:
        profile = by_id[key]
        if profile.last_seen is None or day > profile.last_seen:
            profile.last_seen = day

    for gift in donations:
        seen(gift["person_id"], gift["date"])
    for term in terms:
        seen(term["person_id"], term["end_date"] or term["start_date"])
    for volunteer in volunteers:
        seen(volunteer.profile.id, volunteer.end)


def _mark_deceased_and_deleted(rng: Random, people: list[Record],
                               profiles: Sequence[_Profile], span: _Span) -> list[str]:
    """About 1% of people died (only people not seen for two years: the dead do not renew);
    a few rows with no history were deleted (soft: deleted_at). Returns the names of the
    deceased, for gifts made in their memory."""
    quiet = span.as_of - timedelta(days=730)
    candidates = [p for p in profiles if not p.organization and not p.planted
                  and (p.last_seen is None or p.last_seen < quiet)]
    deceased = rng.sample(candidates, min(len(candidates), round(len(profiles) * 0.008)))
    for profile in deceased:
        people[profile.index]["deceased"] = True
    unseen = [p for p in profiles if p.last_seen is None and not p.planted
              and not people[p.index]["deceased"]]
    for profile in rng.sample(unseen, min(len(unseen), round(len(profiles) * 0.003))):
        person = people[profile.index]
        person["deleted_at"] = _office_time(rng, _day_between(
            rng, person["created_at"].date(), span.last))
    return [p.name for p in sorted(deceased, key=lambda p: p.index)]


def _credits_and_tributes(rng: Random, gifts: Sequence[Record], profiles: Sequence[_Profile],
                          memorial_names: Sequence[str]) -> None:
    """Businesses' matching gifts soft-credit an employee, some household gifts soft-credit
    the partner; about one gift in a hundred honours or remembers someone."""
    by_id = {p.id: p for p in profiles}
    individuals = [p.id for p in profiles if not p.organization]
    for gift in gifts:
        if gift["kind"] != "gift":
            continue
        donor = by_id[gift["person_id"]]
        if donor.organization and individuals and rng.random() < 0.3:
            gift.update(soft_credit_person_id=rng.choice(individuals), note="Matching gift")
        elif donor.partner is not None and rng.random() < 0.15:
            gift["soft_credit_person_id"] = profiles[donor.partner].id
        if rng.random() < 0.012:
            if memorial_names and rng.random() < 0.6:
                gift.update(tribute_type="in memory", tribute_name=rng.choice(memorial_names))
            else:
                name = f"{rng.choice(LATIN_FIRST_NAMES)} {rng.choice(LATIN_LAST_NAMES)}"
                gift.update(tribute_type=rng.choice(("in honour", "in memory")), tribute_name=name)


def _finish_people(rng: Random, people: list[Record], profiles: Sequence[_Profile],
                   donations: Iterable[Record], terms: Iterable[Record],
                   volunteers: Sequence[_Volunteer], span: _Span) -> None:
    """Tags that match what people did, contact preferences, and when rows were last edited."""
    given: dict[str, Decimal] = {}
    for gift in donations:
        if gift["status"] == "completed" and gift["kind"] != "membership":
            given[gift["person_id"]] = given.get(gift["person_id"], Decimal(0)) + gift["amount"]
    members = {term["person_id"] for term in terms}
    volunteering = {v.profile.id for v in volunteers}
    loyal = [p for p in profiles if p.giver in {"loyal", "major"} and not p.organization
             and not p.in_korea and not p.planted]
    board = {p.id for p in rng.sample(loyal, min(len(loyal), round(len(profiles) / 190)))}
    for person, profile in zip(people, profiles, strict=True):
        if person["email"] and rng.random() < 0.03:
            person["do_not_email"] = True
        person["do_not_mail"] = rng.random() < 0.03
        person["do_not_phone"] = bool(person["phone"]) and rng.random() < 0.02
        tags = {
            "donor": person["id"] in given,
            "major donor": given.get(person["id"], Decimal(0)) >= 5000,
            "member": person["id"] in members,
            "volunteer": person["id"] in volunteering,
            "board": person["id"] in board and not person["deceased"],
            "newsletter": (bool(person["email"]) and not person["do_not_email"]
                           and not person["deceased"] and rng.random() < 0.55),
        }
        person["tags"] = tuple(tag for tag in TAG_ORDER if tags[tag])
        created = person["created_at"]
        edited = profile.last_seen if profile.last_seen and rng.random() < 0.6 else None
        person["updated_at"] = (_office_time(rng, edited) if edited and edited > created.date()
                                else created)
        if person["deleted_at"]:
            person["updated_at"] = person["deleted_at"]


# ------------------------------------------------------------------------------ reminders

#: The office hands out renewal reminders every working day; the last two days' are still
#: waiting on `as_of`, so the Renewals page has a few to hand out, not a month's pile.
_REMINDERS_WAITING = timedelta(days=1)
_REMINDER_HISTORY = timedelta(days=120)


def _reminders(paid_terms: Sequence[tuple[Record, Record]], span: _Span) -> list[Record]:
    """The renewal reminders sent in the months before `as_of`, at the default offsets: one
    for each term and offset whose day came while the member had not renewed yet (the
    renewal's payment came later, or not at all). Older history is left out; the reminder
    rule only ever looks at the most recent offset due."""
    offsets = Settings().reminder_offsets
    next_paid: dict[str, date | None] = {}
    pending: dict[str, Record] = {}
    for term, payment in paid_terms:  # in payment order
        if (earlier := pending.pop(term["person_id"], None)) is not None:
            next_paid[earlier["id"]] = payment["date"]
        pending[term["person_id"]] = term
    rows: list[Record] = []
    for term, _ in paid_terms:
        if term["end_date"] is None or term["status_override"]:
            continue
        renewed = next_paid.get(term["id"])
        for offset in offsets:
            due = term["end_date"] - timedelta(days=offset)
            if (span.as_of - _REMINDER_HISTORY <= due < span.as_of - _REMINDERS_WAITING
                    and due >= term["start_date"] and (renewed is None or renewed > due)):
                rows.append({"id": "", "term_id": term["id"], "person_id": term["person_id"],
                             "offset": offset, "due_date": due, "status": "sent",
                             "created_at": datetime.combine(due, time(9, 15)),
                             "created_by": "staff@example.org"})
    rows.sort(key=lambda row: (row["due_date"], row["term_id"], -row["offset"]))
    for number, row in enumerate(rows, start=1):
        row["id"] = f"RM{number:05d}"
    return rows


# -------------------------------------------------------------------- users and settings


def _users() -> list[Record]:
    return [
        {"email": "admin@example.org", "role": "admin", "name": "Alex Rivera", "active": True},
        {"email": "director@example.org", "role": "director", "name": "Dana Whitfield",
         "active": True},
        {"email": "staff@example.org", "role": "staff", "name": "Sam Park", "active": True},
        {"email": "volunteer@example.org", "role": "volunteer", "name": "Grace Lee",
         "active": True},
    ]


def _settings(as_of: date) -> list[Record]:
    values = {
        "org_name": ORG_NAME, "org_address": ORG_ADDRESS, "currency": "USD",
        "fiscal_year_start": "1", "grace_days": str(GRACE_DAYS), "reminder_days": "30",
        "time_zone": TIME_ZONE, "sender_name": ORG_NAME, DEMO_KEY: as_of.isoformat(),
    }
    return [{"key": key, "value": value} for key, value in values.items()]


# ------------------------------------------------------------------ numbering and planting


def _plain(gift: Record) -> bool:
    """A one-off completed gift with nothing attached: safe to spoil for a planted problem."""
    return (gift["kind"] == "gift" and gift["status"] == "completed"
            and not gift["recurring_gift_id"] and not gift["soft_credit_person_id"]
            and not gift["tribute_type"])


def _number_donations(donations: list[Record], plain_at: Sequence[int]) -> None:
    """Ids in the order gifts were entered (by date), as a ledger grows. The rows that will
    carry planted problems are swapped with a nearby plain gift first, so spoiling them never
    breaks a membership's or a standing gift's link."""
    donations.sort(key=lambda gift: (gift["date"], gift["created_at"]))
    keep = set(plain_at)
    for position in plain_at:
        if position < len(donations) and not _plain(donations[position]):
            swap = next((j for j in range(position + 1, len(donations))
                         if j not in keep and _plain(donations[j])), None)
            if swap is not None:
                donations[position], donations[swap] = donations[swap], donations[position]
    for number, gift in enumerate(donations, start=1):
        gift["id"] = f"D{number:06d}"


_PLANTED_DONATIONS = (_AMOUNT_TYPO, _FORMULA_DONATION, _IMPOSSIBLE_DATE, _ORPHAN_DONATION,
                      *_DOUBLE_ENTRY)


def _check_room_for_planted(size: DemoSize) -> None:
    needs = {
        "people": (size.people, max(_number(k) for k in (*_PLANTED_PEOPLE, _NO_NAME))),
        "donations": (size.donations, max(_number(k) for k in _PLANTED_DONATIONS)),
        "memberships": (size.memberships, _number(_VAGUE_START)),
        "volunteer hours": (size.volunteer_hours, _number(_NEGATIVE_HOURS)),
    }
    short = [f"{need} {name}" for name, (have, need) in needs.items() if have < need]
    if short:
        raise ValueError(f"bad_rows=True plants problems in fixed rows and needs at least "
                         f"{', '.join(short)}; use a bigger size or bad_rows=False.")


def _row(rows: list[Record], key: str) -> Record:
    row = rows[_number(key) - 1]
    assert row["id"] == key, f"{key} is not where the demo put it"
    return row


def _plant_problems(tabs: dict[str, list[Record]]) -> None:
    """Spoil the cells `PLANTED_PROBLEMS` lists, as a person typing in the sheet would."""
    people, donations = tabs["people"], tabs["donations"]
    _row(people, _NO_NAME).update(first_name="", last_name="", organization="")
    _row(donations, _AMOUNT_TYPO)["amount"] = BAD_AMOUNT
    _row(donations, _IMPOSSIBLE_DATE)["date"] = BAD_DATE
    _row(donations, _ORPHAN_DONATION)["person_id"] = UNKNOWN_PERSON
    _row(donations, _FORMULA_DONATION)["note"] = FORMULA_NOTE
    donations[_number(_DOUBLE_ENTRY[1]) - 1] = dict(_row(donations, _DOUBLE_ENTRY[0]))
    _row(tabs["memberships"], _VAGUE_START)["start_date"] = BAD_START
    _row(tabs["volunteer_hours"], _NEGATIVE_HOURS)["hours"] = BAD_HOURS


# ----------------------------------------------------------------------------- the whole


def _stream(seed: int, tab_name: str) -> Random:
    """One generator per part of the workbook, so a change to one part leaves the others
    as they were. A string seed is hashed with SHA-512, the same on every run and machine."""
    return Random(f"steward-demo/{seed}/{tab_name}")


def demo_workbook(
    seed: int = 7, size: DemoSize | None = None, as_of: date = DEFAULT_AS_OF
) -> dict[str, list[dict[str, object]]]:
    """Every tab of the demo organisation as typed records (tab name -> rows).

    The same seed, size and `as_of` always give the same rows. Dates fall in the `size.years`
    years before `as_of` (a few shifts, renewals and campaign ends lie after it, as they would
    on that day). With `size.bad_rows`, the cells in `PLANTED_PROBLEMS` hold what a person
    mistyped (as strings); every other record validates with its tab's model.
    """
    size = size or DemoSize()
    if min(size.people, size.donations, size.memberships, size.campaigns, size.volunteers) < 0:
        raise ValueError("demo sizes cannot be negative.")
    if size.years < 1:
        raise ValueError("the demo needs at least one year.")
    if size.donations < size.memberships:
        raise ValueError("every membership term is paid by a donation; ask for at least as "
                         "many donations as memberships.")
    if size.bad_rows:
        _check_room_for_planted(size)
    span = _Span(_add_months(as_of, -12 * size.years), as_of)

    people, profiles = _people(_stream(seed, "people"), size, span)
    campaigns = _campaigns(span, size.campaigns)
    levels = _membership_levels()
    paid_terms = _memberships(_stream(seed, "memberships"), profiles, size, span, levels)
    room = size.donations - len(paid_terms)
    recurring, charges = _recurring(_stream(seed, "recurring"), profiles, size, span, room)
    gifts = _gifts(_stream(seed, "donations"), profiles, room - len(charges), span,
                   _CampaignCalendar(campaigns), major_gifts=max(1, round(size.people / 125)))
    helpers = _volunteers(_stream(seed, "volunteers"), profiles, size, span)
    hours = _hours(_stream(seed, "volunteer_hours"), helpers, size.volunteer_hours, span,
                   campaigns)
    shifts = _shifts(_stream(seed, "volunteer_shifts"), helpers, size.volunteer_shifts, span,
                     campaigns)

    terms = [term for term, _ in paid_terms]
    donations = [payment for _, payment in paid_terms] + charges + gifts
    finishing = _stream(seed, "finishing")
    _last_seen(profiles, donations, terms, helpers)
    memorial = _mark_deceased_and_deleted(finishing, people, profiles, span)
    _credits_and_tributes(finishing, gifts, profiles, memorial)
    planted_at = [_number(key) - 1 for key in _PLANTED_DONATIONS] if size.bad_rows else []
    _number_donations(donations, planted_at)
    for term, payment in paid_terms:
        term["donation_id"] = payment["id"]
    _set_goals(finishing, campaigns, donations)
    _finish_people(finishing, people, profiles, donations, terms, helpers, span)

    tabs: dict[str, list[Record]] = {
        "people": people,
        "membership_levels": levels,
        "memberships": terms,
        "reminders": _reminders(paid_terms, span),
        "donations": donations,
        "recurring_gifts": recurring,
        "campaigns": campaigns,
        "volunteers": _volunteer_rows(_stream(seed, "volunteer-profiles"), helpers, span),
        "volunteer_hours": hours,
        "volunteer_shifts": shifts,
        "segments": [],
        "mailings": [],
        "outbox": [],
        "interactions": [],
        "tasks": [],
        "users": _users(),
        "audit_log": [],
        "suppressions": [],
        "duplicate_dismissals": [],
        "imports": [],
        "settings": _settings(as_of),
    }
    if size.bad_rows:
        _plant_problems(tabs)
    return tabs

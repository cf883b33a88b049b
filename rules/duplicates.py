"""Likely duplicate people: weighted rules, as CiviCRM's dedupe rules work, that staff adjust.

Each rule that holds for a pair adds its weight; a pair whose score reaches the threshold
is listed with the reasons. Defaults follow CiviCRM's supervised rule for individuals
(first name 5, last name 7, email 10, threshold 20) plus phone digits (8) and postcode (2):
spouses sharing a surname, a landline and a postcode score 17 and are not listed; a typo
in a first name with the same email is.

Names are compared folded (case, accents and spaces ignored) and fuzzily (Jaro-Winkler, so
"Jon" is "John"); Hangul is romanised (Revised Romanization, letter by letter) so 민준 is
"minjun", and a Korean family name matches its usual spellings through `FAMILY_NAMES`
(김 = Kim or Gim). A name written in Hangul in one row and romanised in another scores 12
at most, so the rest of the evidence (email, phone, postcode) must add up.

Only pairs sharing a block (an email, phone digits, a postcode with a surname, a surname
with a first name's first two letters, or a whole name) are scored, so 20,000 people take
seconds rather than the 200 million comparisons of every pair. A block holding more than
`MAX_BLOCK` people (a very common name) is skipped. At the default weights no pair can
reach 20 without an email or phone in common, so the name blocks matter only when staff
raise the name weights; "Jhon" and "John" then share no name block.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import pandas as pd
from rapidfuzz.distance import JaroWinkler

from .people import people_to_offer

__all__ = [
    "FAMILY_NAMES",
    "Weights",
    "find_duplicates",
    "romanise",
    "score_pair",
]

#: Common Korean family names and how they are usually written in Latin letters.
FAMILY_NAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"),
    "이": ("lee", "yi", "rhee", "i"),
    "박": ("park", "bak", "pak"),
    "최": ("choi", "choe"),
    "정": ("jung", "jeong", "chung"),
    "강": ("kang", "gang"),
    "조": ("cho", "jo"),
    "윤": ("yoon", "yun"),
    "장": ("jang", "chang"),
    "임": ("lim", "im"),
}
_LATIN_FAMILY = {latin: hangul for hangul, spellings in FAMILY_NAMES.items()
                 for latin in spellings}

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")
_MEDIALS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
            "wo", "we", "wi", "yu", "eu", "ui", "i")
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_SYLLABLES = range(0xAC00, 0xD7A4)
_NAME_SIMILAR = 0.88  # Jaro-Winkler: "jon"/"john" 0.93, "ann"/"anne" 0.94, "mary"/"maria" 0.89
_MIN_PHONE_DIGITS = 7
_PHONE_DIGITS_COMPARED = 9  # the last 9: "+82 10-..." and "010-..." are the same phone
#: A block bigger than this says nothing about its members (a postcode for a whole town).
MAX_BLOCK = 400


@dataclass(frozen=True)
class Weights:
    """How much each rule adds when it holds, and the score a pair needs to be listed."""

    first_name: int = 5
    last_name: int = 7
    email: int = 10
    phone: int = 8
    postcode: int = 2
    threshold: int = 20


def romanise(text: str) -> str:
    """Hangul syllables in Revised Romanization, letter by letter (no sound-change rules);
    anything else is left as it is: ``romanise("민준") == "minjun"``."""
    out = []
    for ch in text:
        code = ord(ch)
        if code in _SYLLABLES:
            index = code - _SYLLABLES.start
            out.append(_INITIALS[index // 588] + _MEDIALS[index % 588 // 28]
                       + _FINALS[index % 28])
        else:
            out.append(ch)
    return "".join(out)


def _fold(text: Any) -> str:
    """Lower case, no accents, no spaces or punctuation: "Mary-Jane  O'Neil" is
    "maryjaneoneil"; Hangul is kept."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", kept))


@dataclass(frozen=True)
class _Person:
    """What the rules compare, worked out once per person."""

    id: str
    first: str  # folded and romanised
    last: str
    family: str  # a family name's Hangul key, or the folded surname
    full: frozenset[str]  # the whole name in both orders, spaces dropped
    email: str
    phone: str
    postcode: str


def _person(row: Mapping[Any, Any]) -> _Person:
    first_raw, last_raw = _fold(row.get("first_name")), _fold(row.get("last_name"))
    first, last = romanise(first_raw), romanise(last_raw)
    family = last_raw if last_raw in FAMILY_NAMES else _LATIN_FAMILY.get(last_raw, last)
    digits = re.sub(r"\D", "", str(row.get("phone") or ""))
    return _Person(
        id=str(row.get("id") or ""),
        first=first,
        last=last,
        family=family,
        full=frozenset(n for n in (romanise(first_raw + last_raw), romanise(last_raw + first_raw))
                       if first_raw and last_raw) or frozenset({first or last} - {""}),
        email=str(row.get("email") or "").strip().casefold(),
        phone=digits[-_PHONE_DIGITS_COMPARED:] if len(digits) >= _MIN_PHONE_DIGITS else "",
        postcode=re.sub(r"[\s-]+", "", str(row.get("postcode") or "")).upper(),
    )


def _similar(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or JaroWinkler.similarity(a, b) >= _NAME_SIMILAR)


def _score(a: _Person, b: _Person, weights: Weights) -> tuple[int, list[str]]:
    reasons: list[tuple[str, int]] = []
    first = _similar(a.first, b.first)
    last_exact = bool(a.family) and a.family == b.family
    last = last_exact or _similar(a.last, b.last)
    if not (first and last) and any(_similar(x, y) for x in a.full for y in b.full):
        reasons += [("whole name", weights.first_name + weights.last_name)]
    else:
        if first:
            reasons.append(("first name" if a.first == b.first else "first name ≈",
                            weights.first_name))
        if last:
            same = a.last == b.last
            label = "last name" if same else (
                "family name (romanised)" if last_exact else "last name ≈")
            reasons.append((label, weights.last_name))
    if a.email and a.email == b.email:
        reasons.append(("email", weights.email))
    if a.phone and a.phone == b.phone:
        reasons.append(("phone", weights.phone))
    if a.postcode and a.postcode == b.postcode:
        reasons.append(("postcode", weights.postcode))
    score = sum(w for _, w in reasons)
    return score, [f"{label} +{w}" for label, w in reasons if w]


def score_pair(a: Mapping[str, Any], b: Mapping[str, Any],
               weights: Weights = Weights()) -> tuple[int, list[str]]:
    """The score of two `people` rows and the rules that held, e.g.
    ``(24, ["first name ≈ +5", "last name +7", "email +10", "postcode +2"])`` for
    "John Smith" and "Jon Smith" at the same address and email (in another case)."""
    return _score(_person(a), _person(b), weights)


def _blocks(person: _Person) -> Iterable[str]:
    if person.email:
        yield "e:" + person.email
    if person.phone:
        yield "p:" + person.phone
    if person.postcode and person.family:
        yield f"z:{person.postcode}:{person.family}"
    if person.family:
        yield f"n:{person.family}:{person.first[:2]}"
    for name in person.full:
        yield "f:" + name


def find_duplicates(people: pd.DataFrame, weights: Weights = Weights()) -> pd.DataFrame:
    """Pairs of live (not deleted, not erased) people whose score reaches the threshold,
    best first: columns a, b (ids, a < b), score, reasons (one sentence)."""
    persons = [_person(row) for row in people_to_offer(people).to_dict("records")]
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(persons):
        for key in set(_blocks(person)):
            blocks[key].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            candidates.update(combinations(members, 2))
    found = []
    for i, j in candidates:
        a, b = persons[i], persons[j]
        if a.id == b.id:
            continue
        score, reasons = _score(a, b, weights)
        if score >= weights.threshold and score > 0:
            first, second = sorted((a.id, b.id))
            found.append((first, second, score, ", ".join(reasons)))
    frame = pd.DataFrame(found, columns=["a", "b", "score", "reasons"])
    return frame.sort_values(["score", "a", "b"], ascending=[False, True, True],
                             ignore_index=True)

"""Likely duplicates: the planted pairs, hand-worked scores, and properties of the score."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from demo import DEFAULT_AS_OF, PLANTED_PROBLEMS
from rules.duplicates import Weights, find_duplicates, romanise, score_pair
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore

JOHN = {"id": "P1", "first_name": "John", "last_name": "Smith",
        "email": "john.smith@example.org", "phone": "(617) 555-0117", "postcode": "02144"}


def person(**values: Any) -> dict[str, Any]:
    return {"id": "P2", "first_name": "", "last_name": "", "email": "", "phone": "",
            "postcode": "", **values}


def test_every_planted_lookalike_person_is_found_at_the_default_weights() -> None:
    store = SQLiteStore(":memory:")
    load_demo(store, as_of=DEFAULT_AS_OF)
    found = find_duplicates(store.load(["people"]).frame("people"))
    pairs = {frozenset(p) for p in zip(found["a"], found["b"], strict=True)}
    planted = [frozenset({match.group(1), p.id}) for p in PLANTED_PROBLEMS
               if (match := re.search(r"duplicate of (\S+):", p.what))]
    assert len(planted) == 2 and set(planted) <= pairs


def test_a_typo_in_the_first_name_with_the_same_email_in_another_case() -> None:
    jon = person(first_name="Jon", last_name="Smith", email="John.Smith@example.org",
                 postcode="02144")
    assert score_pair(JOHN, jon) == (24, ["first name ≈ +5", "last name +7", "email +10",
                                          "postcode +2"])


def test_a_hangul_name_and_its_romanisation_need_the_phone_to_add_up() -> None:
    hangul = person(first_name="민준", last_name="김", phone="010-2468-1357")
    latin = person(id="P3", first_name="Minjun", last_name="Kim", phone="+82 10 2468 1357")
    assert score_pair(hangul, latin) == (20, ["first name +5", "family name (romanised) +7",
                                              "phone +8"])
    assert score_pair(hangul, {**latin, "phone": ""})[0] == 12


def test_a_korean_name_matches_with_or_without_the_space() -> None:
    split = person(first_name="민준", last_name="김")
    whole = person(id="P3", last_name="김 민준")
    assert score_pair(split, whole) == (12, ["whole name +12"])


def test_spouses_sharing_a_surname_phone_and_postcode_are_not_listed() -> None:
    mary = person(first_name="Mary", last_name="Smith", phone="617 555 0117", postcode="02144")
    assert score_pair(JOHN, mary)[0] == 17 < Weights().threshold


def test_weights_are_the_staffs_to_set() -> None:
    jon = person(first_name="Jon", last_name="Smith")
    assert score_pair(JOHN, jon, Weights(first_name=1, last_name=2))[0] == 3


def test_romanisation_follows_revised_romanization() -> None:
    assert (romanise("민준"), romanise("서연"), romanise("Ann")) == ("minjun", "seoyeon", "Ann")


def test_deleted_and_erased_people_are_left_out() -> None:
    rows = [JOHN, {**JOHN, "id": "P2"}, {**JOHN, "id": "P3"}]
    people = pd.DataFrame(rows).assign(deleted_at=[None, pd.Timestamp("2026-01-01"), None],
                                       erased_at=[None, None, pd.Timestamp("2026-01-01")])
    assert find_duplicates(people).empty
    assert len(find_duplicates(people.assign(deleted_at=None, erased_at=None))) == 3


names = st.sampled_from(["John", "Jon", "Smith", "Smyth", "김", "Kim", "민준", "Minjun", "",
                         "Lee", "이", "Ann Marie"])
people_rows = st.fixed_dictionaries({
    "id": st.sampled_from(["P1", "P2", "P3"]), "first_name": names, "last_name": names,
    "email": st.sampled_from(["", "a@x.org", "A@X.org", "b@x.org"]),
    "phone": st.sampled_from(["", "617 555 0117", "(617) 555-0117", "010-1234-5678"]),
    "postcode": st.sampled_from(["", "02144", "02 144", "03154"]),
})


@given(people_rows, people_rows)
def test_the_score_is_symmetric(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert score_pair(a, b)[0] == score_pair(b, a)[0]


@given(st.lists(people_rows, min_size=1, max_size=8))
def test_a_person_never_pairs_with_themselves(rows: list[dict[str, Any]]) -> None:
    people = pd.DataFrame([{**row, "id": f"P{i}"} for i, row in enumerate(rows)] + rows[:1])
    found = find_duplicates(people, Weights(threshold=1))
    assert (found["a"] != found["b"]).all()
    assert (found["a"] < found["b"]).all()

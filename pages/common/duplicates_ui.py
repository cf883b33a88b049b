"""The parts of the duplicates page: weight sliders, the pair list, the field-by-field choice."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sheets_schema.cells import to_text
from sheets_schema.duplicates import Weights, find_duplicates
from sheets_schema.merge import Side, differing_fields
from sheets_schema.people import display_name
from sheets_schema.workbook import Workbook

_RULES = (("first_name", "First name"), ("last_name", "Last name"), ("email", "Email"),
          ("phone", "Phone (digits)"), ("postcode", "Postcode"))


def weight_sliders() -> Weights:
    """The rules' weights and the threshold as staff set them (CiviCRM's defaults)."""
    default = Weights()
    with st.expander("Rules and weights"):
        columns = st.columns(len(_RULES) + 1)
        values = {name: column.slider(label, 0, 30, getattr(default, name), key=f"dup_{name}")
                  for column, (name, label) in zip(columns, _RULES, strict=False)}
        values["threshold"] = columns[-1].slider("Threshold", 1, 60, default.threshold,
                                                 key="dup_threshold")
    return Weights(**values)


def pairs(book: Workbook, *weights: int) -> pd.DataFrame:
    """The likely pairs with both names, for `data.derived` (weights as plain numbers)."""
    people = book.frame("people")
    found = find_duplicates(people, Weights(*weights))
    names = {row["id"]: display_name(row) for row in people.to_dict("records")}
    return found.assign(a_name=found["a"].map(names), b_name=found["b"].map(names))[
        ["score", "a", "a_name", "b", "b_name", "reasons"]]


def field_choices(keep: dict[str, Any], drop: dict[str, Any]) -> dict[str, Side]:
    """A radio per differing field: whose value the kept person ends with."""
    choices: dict[str, Side] = {}
    fields = differing_fields(keep, drop)
    if not fields:
        st.text("The two records hold the same values.")
    for field in fields:
        keep_text, drop_text = to_text(keep.get(field)) or "(blank)", \
            to_text(drop.get(field)) or "(blank)"
        picked = st.radio(field.replace("_", " "), [f"keep: {keep_text}", f"drop: {drop_text}"],
                          horizontal=True, key=f"merge_{field}")
        choices[field] = "drop" if str(picked).startswith("drop") else "keep"
    return choices

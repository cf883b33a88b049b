"""CSV exports: no cell runs as a formula, whatever separator the reading program uses."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from reports.export import neutralise, to_safe_csv


@pytest.mark.parametrize(("typed", "written"), [
    ("=HYPERLINK(\"http://e.example\")", "'=HYPERLINK(\"http://e.example\")"),
    ("+44 20 7946 0958", "'+44 20 7946 0958"),
    ("@home", "'@home"),
    ("\t=1+2", "'\t'=1+2"),
    ("Smith;=1+1", "Smith;'=1+1"),
    ("Smith,=1+1", "Smith,'=1+1"),
    ("Smith|=1+1", "Smith|'=1+1"),
    ("Smith\t=1+1", "Smith\t'=1+1"),
    ("Smith; =1+1", "Smith;' =1+1"),
    ("line one\n@SUM(A1)", "line one\n'@SUM(A1)"),
    ("Smith-Jones, 2020-2021", "Smith-Jones, 2020-2021"),
    ("a+b=c", "a+b=c"),
    ("", ""),
])
def test_formula_looking_text_gets_an_apostrophe_wherever_a_cell_could_start(
        typed: str, written: str) -> None:
    assert neutralise(typed) == written


def test_numbers_pass_unchanged() -> None:
    assert neutralise(-5) == -5 and neutralise(1.5) == 1.5


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_no_cell_or_header_of_an_export_starts_a_formula_for_any_separator(
        separator: str) -> None:
    frame = pd.DataFrame({"name": ["Smith;=1+1", "Ann|@cmd", "Bo\t-2+3", "Cy,+1"],
                          "=HYPERLINK(\"x\")": ["a", "b", "c", "d"]})
    text = to_safe_csv(frame)
    for line in text.splitlines():
        for cell in line.split(separator):
            assert not cell.strip(' "').startswith(("=", "+", "-", "@")), (separator, cell)
    back = list(csv.reader(io.StringIO(text)))
    assert back[1][0] == "Smith;'=1+1" and back[0][1] == "'=HYPERLINK(\"x\")"

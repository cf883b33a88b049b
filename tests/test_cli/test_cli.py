"""The command line: init, demo, check and schema, on a SQLite file and on a Google Sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import PLANTED_PROBLEMS
from sheets_schema import TABS
from steward.cli import COMMANDS, main
from storage.sqlite_store import SQLiteStore

README = Path(__file__).resolve().parents[2] / "README.md"


def test_init_creates_every_tab_then_has_nothing_to_do(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert main(["--sqlite", db, "init"]) == 0
    assert capsys.readouterr().out.count("created tab") == len(TABS)
    assert main(["--sqlite", db, "init"]) == 0
    assert "already there" in capsys.readouterr().out


def test_demo_loads_once_and_check_reports_the_planted_problems(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert main(["--sqlite", db, "demo"]) == 0
    assert "8,000 donations" in capsys.readouterr().out
    assert main(["--sqlite", db, "demo"]) == 1  # never loaded twice by accident
    assert "already holds data" in capsys.readouterr().err
    assert main(["--sqlite", db, "check"]) == 0
    assert main(["--sqlite", db, "check", "--strict"]) == 1
    printed = capsys.readouterr().out
    for tab, _record_id, _what in PLANTED_PROBLEMS:
        assert f"{tab}\trow " in printed


def test_check_on_a_store_without_tabs_says_what_to_run(tmp_path: Path, capsys) -> None:
    SQLiteStore(tmp_path / "empty.sqlite3")
    assert main(["--sqlite", str(tmp_path / "empty.sqlite3"), "check"]) == 1
    assert "python -m steward init" in capsys.readouterr().err


def test_schema_prints_every_tab(capsys) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert all(f"| `{name}` |" in printed for name in TABS)


def test_init_on_a_google_sheet(emulator, spreadsheet_id, monkeypatch, capsys) -> None:
    import storage.config

    real_open = storage.config.open_store
    monkeypatch.setattr("steward.cli.open_store",
                        lambda config: real_open(config, client=emulator.client()))
    monkeypatch.setenv("STEWARD_SPREADSHEET", spreadsheet_id)
    assert main(["--secrets", "/nonexistent.toml", "init"]) == 0
    assert capsys.readouterr().out.count("created tab") == len(TABS)
    assert emulator.sheet(spreadsheet_id, "people").values()[0][0] == "id"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert f"python -m steward {command}" in README.read_text(encoding="utf-8")


def test_the_readme_shows_the_role_matrix_the_code_enforces(capsys) -> None:
    assert main(["roles"]) == 0
    assert capsys.readouterr().out.strip() in README.read_text(encoding="utf-8")

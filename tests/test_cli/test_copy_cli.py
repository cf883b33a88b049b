"""`python -m steward copy --from SRC --to DST [--overwrite]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from demo import DEFAULT_AS_OF, DemoSize
from sheets_schema import TABS
from sheets_schema.changes import ChangeSet
from steward.cli import main
from storage.seed import load_demo
from storage.sqlite_store import SQLiteStore
from tests.emulator import SheetsEmulator

SMALL = DemoSize(people=50, donations=120, memberships=20, campaigns=3, volunteers=6)
NO_SECRETS = ["--secrets", "/nonexistent.toml"]


@pytest.fixture
def source(tmp_path: Path) -> str:
    store = SQLiteStore(tmp_path / "source.sqlite3")
    load_demo(store, SMALL, as_of=DEFAULT_AS_OF)
    store.close()
    return str(tmp_path / "source.sqlite3")


def test_copy_prints_each_tab_and_says_every_tab_matches(source: str, tmp_path: Path,
                                                          capsys: Any) -> None:
    target = tmp_path / "copy.sqlite3"
    assert main([*NO_SECRETS, "copy", "--from", f"sqlite:{source}", "--to",
                 f"sqlite:{target}"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split() == ["tab", "rows", "checksum", "OK"]
    assert len(lines) == 1 + len(TABS) and all(line.endswith("OK") for line in lines)
    assert any(line.split()[:2] == ["donations", "120"] for line in lines)
    assert "every tab matches" in err
    assert len(SQLiteStore(target).read(["donations"])["donations"]) == 120


def test_a_target_with_data_is_refused_unless_overwrite(source: str, tmp_path: Path,
                                                        capsys: Any) -> None:
    target = SQLiteStore(tmp_path / "t.sqlite3")
    target.ensure_schema()
    target.commit(ChangeSet().append("people", {"id": "X1", "first_name": "Kept"}))
    args = [*NO_SECRETS, "copy", "--from", f"sqlite:{source}", "--to",
            f"sqlite:{tmp_path / 't.sqlite3'}"]
    assert main(args) == 1
    assert "already holds data: people (1 rows)" in capsys.readouterr().err
    assert list(target.read(["people"])["people"]["id"]) == ["X1"]
    assert main([*args, "--overwrite"]) == 0
    assert "X1" not in set(target.read(["people"])["people"]["id"])


@pytest.mark.parametrize(("argv", "said"), [
    (["--from", "nonsense", "--to", "sqlite:x.sqlite3"], "'nonsense' does not name a store"),
    (["--from", "sqlite:a.sqlite3", "--to", "sqlite:./a.sqlite3"], "the same store"),
])
def test_bad_specs_get_a_sentence(argv: list[str], said: str, capsys: Any) -> None:
    assert main([*NO_SECRETS, "copy", *argv]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_copy_to_and_from_a_google_sheet(source: str, tmp_path: Path, emulator: SheetsEmulator,
                                         spreadsheet_id: str, monkeypatch: Any,
                                         capsys: Any) -> None:
    import storage.config

    real_open = storage.config.open_store
    client = emulator.client()

    def open_store(config: Any) -> Any:
        return real_open(config, client=client) if config.uses_google_sheets else real_open(
            config)

    monkeypatch.setattr("steward.cli.open_store", open_store)
    emulator.create_spreadsheet("Steward", spreadsheet_id=spreadsheet_id, tabs={
        name: [list(spec.column_names)] for name, spec in TABS.items()})
    url = f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"
    assert main([*NO_SECRETS, "copy", "--from", f"sqlite:{source}", "--to",
                 f"sheets:{url}"]) == 0
    assert len(emulator.sheet(spreadsheet_id, "donations").values()) == 1 + 120
    back = tmp_path / "back.sqlite3"
    assert main([*NO_SECRETS, "copy", "--from", f"sheets:{spreadsheet_id}", "--to",
                 f"sqlite:{back}"]) == 0
    assert capsys.readouterr().out.count(" OK\n") == 2 * (1 + len(TABS))  # with headers


def test_a_copy_that_does_not_match_exits_non_zero(source: str, tmp_path: Path,
                                                   monkeypatch: Any, capsys: Any) -> None:
    class Lossy(SQLiteStore):
        def commit(self, changes: ChangeSet, **kwargs: Any) -> list[Any]:
            changes.appends["people"].pop()
            return super().commit(changes, **kwargs)

    monkeypatch.setattr("steward.cli.open_store", lambda config: (
        Lossy if "lossy" in config.sqlite_path else SQLiteStore)(config.sqlite_path))
    assert main([*NO_SECRETS, "copy", "--from", f"sqlite:{source}", "--to",
                 f"sqlite:{tmp_path / 'lossy.sqlite3'}"]) == 1
    out, err = capsys.readouterr()
    assert "DIFFERS (target: 49 rows" in out
    assert "does not match" in err and "people (50 rows in the source, 49 in the target)" in err

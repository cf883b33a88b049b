"""`python -m steward COMMAND`: each command opens the store, calls one function, and turns a
StoreError into the sentence the user reads (exit status 1).

The store is the one the app would open: `.streamlit/secrets.toml` (sections `[gsheets]`,
`[sqlite]`) and then the STEWARD_* environment variables; see storage/config.py.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sheets_schema import TABS, SchemaError
from sheets_schema.demo import DemoSize
from sheets_schema.roles import matrix_markdown
from storage import Store, StoreConfig, StoreError, open_store
from storage.seed import is_empty, load_demo

SECRETS = Path(".streamlit/secrets.toml")


def _secrets(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _store(args: argparse.Namespace) -> Store:
    config = StoreConfig.from_sources(_secrets(Path(args.secrets)))
    if args.sqlite:
        config = StoreConfig(sqlite_path=args.sqlite)
    return open_store(config)


def cmd_init(store: Any, args: argparse.Namespace) -> int:
    report = store.ensure_schema()
    if not report.changed:
        print(f"{store.title}: every tab and column is already there.")
    for name in report.created_tabs:
        print(f"created tab {name}")
    for name, columns in report.added_columns.items():
        print(f"added to {name}: {', '.join(columns)}")
    return 0


def cmd_demo(store: Any, args: argparse.Namespace) -> int:
    store.ensure_schema()
    if not is_empty(store) and not args.force:
        print(
            f"{store.title} already holds data; the demo is only loaded into an empty "
            f"store. Use --force to add it anyway.",
            file=sys.stderr,
        )
        return 1
    size = DemoSize.scaled(donations=args.donations) if args.donations else DemoSize()
    added = load_demo(store, size, seed=args.seed)
    print(", ".join(f"{n:,} {name}" for name, n in added.items() if n))
    return 0


def cmd_check(store: Any, args: argparse.Namespace) -> int:
    book = store.load(tuple(TABS))
    problems = book.problems
    for problem in problems:
        print(
            f"{problem.tab}\trow {problem.row}\t{problem.column}\t{problem.value!r}\t"
            f"{problem.message}"
        )
    counts = Counter(p.tab for p in problems)
    rows = sum(len(book.frame(name)) for name in TABS)
    summary = ", ".join(f"{n} in {name}" for name, n in counts.most_common()) or "none"
    print(f"{len(problems)} problems in {rows:,} rows ({summary}).", file=sys.stderr)
    return 1 if problems and args.strict else 0


def cmd_schema(store: Any, args: argparse.Namespace) -> int:
    """Print the workbook's tabs and columns as a Markdown table, from the models."""
    print("| tab | key | required columns | other columns |")
    print("|---|---|---|---|")
    for spec in TABS.values():
        required = list(spec.required_columns)
        others = [c for c in spec.column_names if c not in required]
        print(f"| `{spec.name}` | {spec.key} | {', '.join(required)} | {', '.join(others)} |")
    return 0


def cmd_roles(store: Any, args: argparse.Namespace) -> int:
    """Print the role matrix as a Markdown table (the README shows the same)."""
    print(matrix_markdown())
    return 0


COMMANDS = {
    "init": (cmd_init, "create missing tabs and header cells (never deletes or reorders)"),
    "demo": (cmd_demo, "load the demo organisation into an empty store"),
    "check": (cmd_check, "print every row problem (bad date, bad amount, missing id...)"),
    "schema": (cmd_schema, "print every tab and its columns (from sheets_schema's models)"),
    "roles": (cmd_roles, "print what each role may do (from sheets_schema/roles.py)"),
}
NEEDS_NO_STORE = {"schema", "roles"}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m steward", description=__doc__.split("\n")[0])
    top.add_argument("--secrets", default=str(SECRETS), help="secrets.toml to read the store from")
    top.add_argument("--sqlite", help="use this SQLite file instead of the configured store")
    commands = top.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        if name == "demo":
            command.add_argument(
                "--donations", type=int, default=0, help="scale the demo to this many donations"
            )
            command.add_argument("--seed", type=int, default=7)
            command.add_argument(
                "--force", action="store_true", help="load even if the store already has data"
            )
        if name == "check":
            command.add_argument(
                "--strict", action="store_true", help="exit with status 1 when there are problems"
            )
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = COMMANDS[args.command][0]
    try:
        return run(None if args.command in NEEDS_NO_STORE else _store(args), args)
    except (StoreError, SchemaError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

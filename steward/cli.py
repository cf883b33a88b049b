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
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from demo import DemoSize
from mailers.config import MailConfigError
from reports.export import to_safe_csv
from reports.membership import MEMBERSHIP_TABS, reminder_records, reminders_of
from rules.roles import Role, User, matrix_markdown
from sheets_schema import TABS, SchemaError
from sheets_schema.changes import ChangeSet
from storage import Store, StoreConfig, StoreError, open_store
from storage.seed import is_empty, load_demo
from storage.signed_in import SignedInStore

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
    added = load_demo(store, size, seed=args.seed, as_of=args.as_of)
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


#: Who the audit log names for what cron records.
CLI_USER = User("cli", Role.ADMIN, name="python -m steward")


def cmd_reminders(store: Any, args: argparse.Namespace) -> int:
    """Print the renewal reminders due (CSV). --record notes them in the reminders tab
    (audited, one commit) so no later run repeats them; --send records them and emails
    them through the outbox (and finishes any earlier run's that were not sent)."""
    book = store.load(MEMBERSHIP_TABS)
    as_of = args.as_of or book.settings.day_at(datetime.now(UTC))
    due = reminders_of(book, as_of)
    sys.stdout.write(to_safe_csv(due))
    signed = SignedInStore(store, CLI_USER)
    if (args.record or args.send) and not due.empty:
        status = "sent" if args.send else "listed"
        rows = reminder_records(due, datetime.now(), CLI_USER.email, status)
        signed.commit(ChangeSet().append("reminders", *rows))
    done = "; recorded" if (args.record or args.send) and not due.empty else ""
    print(f"{len(due)} reminders due on {as_of:%Y-%m-%d}{done}.", file=sys.stderr)
    if args.send:
        return _send_reminders(signed, args, as_of)
    return 0


def _send_reminders(store: Store, args: argparse.Namespace, today: date) -> int:
    from mailers.messages import Footer
    from mailers.outbox import Limits, send_mailing
    from mailers.reminders import missing_mailings, queue_of
    from reports.mail_merge import merge_fields

    config, journal = _mail(args)
    book = store.load()
    settings = book.settings
    queues = queue_of(book.frame("reminders"), book.frame("people"),
                      frozenset(book.frame("suppressions")["email_sha256"]), today)
    new = missing_mailings(book.frame("mailings"), queues, settings.reminder_subject,
                           settings.reminder_body, CLI_USER.email)
    if new:
        store.commit(ChangeSet().append("mailings", *new))
        book = store.load()
    footer = Footer(settings.org_name, settings.org_address)
    limits = Limits(settings.send_per_minute, settings.send_per_day)
    for mid, (recipients, skipped) in queues.items():
        journal.enqueue(mid, recipients, skipped)
        mailing = book.row("mailings", mid)
        fields = merge_fields(book, [pid for pid, _, _ in recipients], today)
        counts = send_mailing(journal, mailing.to_dict(), fields, config, footer, store,
                              limits=limits)
        print(f"{mid}: " + ", ".join(f"{n:,} {s}" for s, n in counts.items() if n),
              file=sys.stderr)
    return 0


def _mail(args: argparse.Namespace) -> tuple[Any, Any]:
    from mailers.config import MailConfig
    from mailers.journal import Journal

    secrets = _secrets(Path(args.secrets))
    config = MailConfig.from_sources(secrets)
    sqlite = args.sqlite or StoreConfig.from_sources(secrets).sqlite_path
    path = secrets.get("email", {}).get("journal") or Path(sqlite).with_name(
        "outbox-journal.sqlite3")
    return config, Journal(path)


def cmd_send(store: Any, args: argparse.Namespace) -> int:
    """Send (or resume) a mailing that was started in the app: what is still queued goes
    out once; what a crash left in flight stays uncertain for a person to decide."""
    from mailers.messages import Footer
    from mailers.outbox import Limits, send_mailing
    from reports.mail_merge import merge_fields

    config, journal = _mail(args)
    book = store.load()
    mailing = book.row("mailings", args.mailing_id)
    if mailing is None:
        print(f"error: there is no mailing {args.mailing_id!r}.", file=sys.stderr)
        return 1
    settings = book.settings
    ids = [r.person_id for r in journal.recipients(args.mailing_id, "queued")]
    counts = send_mailing(journal, mailing.to_dict(), merge_fields(book, ids, date.today()),
                          config, Footer(settings.org_name, settings.org_address),
                          SignedInStore(store, CLI_USER),
                          limits=Limits(settings.send_per_minute, settings.send_per_day))
    print(", ".join(f"{n:,} {status}" for status, n in counts.items() if n))
    return 0


def cmd_copy(store: Any, args: argparse.Namespace) -> int:
    """Copy every tab from one store to another, then check both hold the same rows."""
    from storage.copy import config_for, copy_store, same_store

    secrets = _secrets(Path(args.secrets))
    source_config, target_config = config_for(args.source, secrets), config_for(args.to, secrets)
    if same_store(source_config, target_config):
        print("error: --from and --to name the same store.", file=sys.stderr)
        return 1
    source, target = open_store(source_config), open_store(target_config)
    report = copy_store(source, target, overwrite=args.overwrite,
                        progress=lambda message: print(message, file=sys.stderr))
    print(report.table())
    if not report.ok:
        print(f"error: {report.problem()}", file=sys.stderr)
        return 1
    if report.missing_in_source:
        print(f"The source had no {', '.join(report.missing_in_source)} tab; the target has "
              f"it, empty.", file=sys.stderr)
    skipped = sum(report.blank_rows_skipped.values())
    blank = f" ({skipped:,} blank rows left out)" if skipped else ""
    print(f"Copied {report.rows:,} rows from {report.source} to {report.target} in "
          f"{report.seconds:.1f} s{blank}; every tab matches.", file=sys.stderr)
    return 0


def cmd_unsubscribe_server(store: Any, args: argparse.Namespace) -> int:
    """Answer one-click unsubscribe POSTs (RFC 8058) until interrupted."""
    from steward.unsubscribe_server import serve

    secret = str(_secrets(Path(args.secrets)).get("email", {}).get("unsubscribe_secret", ""))
    print(f"answering unsubscribe requests on http://{args.host}:{args.port}/unsubscribe",
          file=sys.stderr)
    serve(store, secret, args.host, args.port)
    return 0


COMMANDS = {
    "init": (cmd_init, "create missing tabs and header cells (never deletes or reorders)"),
    "demo": (cmd_demo, "load the demo organisation into an empty store"),
    "check": (cmd_check, "print every row problem (bad date, bad amount, missing id...)"),
    "schema": (cmd_schema, "print every tab and its columns (from sheets_schema's models)"),
    "roles": (cmd_roles, "print what each role may do (from rules/roles.py)"),
    "reminders": (cmd_reminders, "print today's renewal reminders as CSV (--record: note them "
                  "so no later run repeats them)"),
    "send": (cmd_send, "send or resume an appeal started in the app (for cron)"),
    "unsubscribe-server": (cmd_unsubscribe_server, "answer one-click unsubscribe requests "
                           "(RFC 8058 POST)"),
    "copy": (cmd_copy, "copy every tab from one store to another (--from sheets:ID --to "
             "postgresql://...), then check the copy"),
}
NEEDS_NO_STORE = {"schema", "roles", "copy"}


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
            command.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                                 help="the day the demo is built for (default: today where "
                                 "the demo organisation is)")
            command.add_argument(
                "--force", action="store_true", help="load even if the store already has data"
            )
        if name == "check":
            command.add_argument(
                "--strict", action="store_true", help="exit with status 1 when there are problems"
            )
        if name == "reminders":
            command.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                                 help="the day to run for (default: today in the settings' "
                                 "time zone)")
            command.add_argument("--record", action="store_true",
                                 help="record the reminders printed, so they are not repeated")
            command.add_argument("--send", action="store_true",
                                 help="record them and send them by email ([email] settings)")
        if name == "send":
            command.add_argument("mailing_id", help="the appeal's id (see the Appeals page)")
        if name == "copy":
            command.add_argument("--from", dest="source", required=True, metavar="SRC",
                                 help="sqlite:PATH, sheets:ID_OR_URL or postgresql://...")
            command.add_argument("--to", required=True, metavar="DST",
                                 help="the store to fill, named the same way")
            command.add_argument("--overwrite", action="store_true",
                                 help="delete what the target holds first")
        if name == "unsubscribe-server":
            command.add_argument("--host", default="127.0.0.1")
            command.add_argument("--port", type=int, default=8502)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run = COMMANDS[args.command][0]
    try:
        return run(None if args.command in NEEDS_NO_STORE else _store(args), args)
    except (StoreError, SchemaError, MailConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

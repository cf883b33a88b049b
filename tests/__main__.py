"""`python -m tests`: the whole check, as CI runs it: lint, types, then every test.

Each step runs even if an earlier one failed, so one run shows everything; the exit status
is non-zero if any step failed. pytest runs on every core (up to four workers, pytest-xdist)
unless the arguments choose (`-n 0` for one process); the Debian packages the tests need are
installed first, once, so the workers never race for apt's lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.debian import install
from tests.postgres_server import ENV_URL, binaries


def prepare() -> None:
    """Install chromium (browser journeys) and PostgreSQL (contract suite) when missing and
    the machine allows it; the tests that need them skip, saying why, when it does not."""
    if not shutil.which("chromium"):
        install("chromium", recommends=True)
    if not os.environ.get(ENV_URL) and binaries() is None:
        install("postgresql")


def pytest_arguments(arguments: list[str]) -> list[str]:
    """The caller's arguments, with one worker per core (at most four) unless they set -n."""
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in arguments):
        return arguments
    return ["-n", str(min(4, os.cpu_count() or 1)), *arguments]


STEPS = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "."]),
    ("mypy", [sys.executable, "-m", "mypy"]),
    ("pytest", [sys.executable, "-m", "pytest", *pytest_arguments(sys.argv[1:])]),
]


def main() -> int:
    prepare()
    failed = []
    for name, command in STEPS:
        print(f"== {name}: {' '.join(command[1:])}", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"== failed: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

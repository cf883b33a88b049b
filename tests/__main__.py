"""`python -m tests`: the whole check, as CI runs it: lint, types, then every test.

Each step runs even if an earlier one failed, so one run shows everything; the exit status
is non-zero if any step failed.
"""

from __future__ import annotations

import subprocess
import sys

STEPS = [
    ("ruff", [sys.executable, "-m", "ruff", "check", "."]),
    ("mypy", [sys.executable, "-m", "mypy"]),
    ("pytest", [sys.executable, "-m", "pytest", *sys.argv[1:]]),
]


def main() -> int:
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

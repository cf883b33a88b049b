"""`python -m bench report [--quick]`: the performance report against the peers, written to
bench/RESULTS.md. `python -m bench detail [--donations N]` (or no subcommand): Steward's own
request counts and page times, action by action."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    if argv[:1] == ["report"]:
        from . import report

        report.main(argv[1:])
        return
    from . import detail

    detail.main(argv[1:] if argv[:1] == ["detail"] else argv)


if __name__ == "__main__":
    main(sys.argv[1:])

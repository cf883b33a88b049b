"""Killed at random points and resumed, a mailing sends nobody two copies, and everyone one
copy except the few marked uncertain (at most the one message in flight at each kill)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from mailers.journal import Journal
from tests.smtp_server import Inbox
from tests.test_mailers.test_sending import queue

ROOT = Path(__file__).resolve().parents[2]


def test_twenty_kills_and_a_resume_send_each_recipient_at_most_once(
    inbox: Inbox, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    queue(journal, 1000)
    rng = random.Random(20261201)
    command = [sys.executable, "-m", "tests.test_mailers.worker", str(path),
               str(inbox.port)]  # type: ignore[attr-defined]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    while kills < 20:
        worker = subprocess.Popen(command, cwd=ROOT, env=env)
        time.sleep(rng.uniform(0.6, 1.6))
        if worker.poll() is not None:
            break  # it finished before this kill
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        kills += 1
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)

    received = Counter(str(m["To"]).split("<")[-1].rstrip(">") for m in inbox.messages)
    counts = journal.counts("ML-1")
    uncertain = {r.email for r in journal.recipients("ML-1", "uncertain")}
    print(f"kills={kills} received={len(inbox.messages)} counts={counts}")
    assert max(received.values()) == 1, "nobody gets two copies"
    everyone = {f"p{i:04d}@example.org" for i in range(1000)}
    assert everyone - uncertain <= set(received), "everyone else got theirs"
    assert counts["queued"] == counts["sending"] == 0
    assert kills == 20 and len(uncertain) <= kills

"""Debian packages the test command needs, installed with apt-get when they are missing.

The browser journeys need `chromium` and the contract suite a PostgreSQL server
(`postgresql`). CI runs as root on a fresh machine, so the test command installs them itself;
elsewhere (no root, no apt-get) nothing is installed and the tests that need them say why.
`python -m tests` installs both before pytest starts its workers, so two workers never race
for dpkg's lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess

__all__ = ["can_install", "install"]


def can_install() -> bool:
    """Whether this machine lets the tests install packages (root with apt-get)."""
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def install(package: str, recommends: bool = False) -> bool:
    """Install `package` with apt-get (updating the lists once if the first try fails);
    True when apt-get reported success. `recommends` brings what Debian recommends too
    (chromium's fonts)."""
    if not can_install():
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", package]
    if not recommends:
        command.insert(2, "--no-install-recommends")
    if subprocess.run(command, env=env, capture_output=True, check=False).returncode == 0:
        return True
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
    return subprocess.run(command, env=env, capture_output=True, check=False).returncode == 0

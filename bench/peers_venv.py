"""The peers' virtual environment: st-gsheets-connection pins gspread below 6, which the app
cannot share, so it gets `bench/.peers-venv`, made from PyPI on first use and remade when
`bench/peers-requirements.txt` changes."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".peers-venv"
REQUIREMENTS = HERE / "peers-requirements.txt"
STAMP = VENV / "requirements.sha256"


def python() -> Path:
    """The peers' interpreter, installing the environment first when it is missing or
    out of date (a minute or two, once)."""
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    interpreter = VENV / "bin" / "python"
    if interpreter.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return interpreter
    print(f"making {VENV.relative_to(HERE.parent)} for st-gsheets-connection "
          f"(once; pip install -r {REQUIREMENTS.name})", flush=True)
    if not interpreter.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(interpreter), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted + "\n")
    return interpreter

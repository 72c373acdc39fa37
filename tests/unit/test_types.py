"""Offline: mypy over the package (pyproject.toml's [tool.mypy]). dockerlab ships py.typed, so its annotations are a
promise to the code that uses it; mypy also finds what a wrong one hides (``images.save([...])`` called the module's
own ``list()`` on its names, and prepare's summary of several failed builds raised a TypeError)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_kit_type_checks():
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "Success" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]

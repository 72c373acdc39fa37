"""Offline: the committed notebooks are exactly what tools/notebooks.py makes from notebooks/src.

Fails when someone edited a chapter's source and forgot to regenerate, or edited a generated
`.ipynb` by hand; also checks that no solution reaches a learner notebook.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]-*.py"))


def test_generated_notebooks_are_up_to_date():
    done = subprocess.run([sys.executable, "tools/notebooks.py", "--check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, ("generated notebooks are stale; run `python tools/notebooks.py`:\n"
                                  + done.stdout + done.stderr)


@pytest.mark.parametrize("src", SOURCES, ids=[s.stem for s in SOURCES])
def test_learner_version_has_no_solution(src):
    learner = nbformat.read(ROOT / "notebooks" / f"{src.stem}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "notebooks" / "solutions" / f"{src.stem}.ipynb", as_version=4)
    text = src.read_text()
    for nb in (learner, solution):
        for cell in nb.cells:
            assert "### BEGIN SOLUTION" not in cell.source and "### END SOLUTION" not in cell.source
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
    if "### BEGIN SOLUTION" in text:
        assert any("# Your code here" in c.source for c in learner.cells)
    for cell in learner.cells:
        assert "solution" not in cell.metadata.get("tags", [])
    assert learner.metadata["kernelspec"]["name"] == "python3"

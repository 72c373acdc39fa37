"""nbgrader on the real engine: generate_assignment from the course's nbgrader source, then autograde a solved and an
unsolved learner notebook of chapter 00. Each run re-creates its state on the engine; full and zero marks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools import nbgrader_course  # noqa: E402

pytestmark = [pytest.mark.engine, pytest.mark.slow]
ASSIGNMENT = "00-setup-check"


def nbgrader(course: Path, *args: str, session: str) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent  # nbgrader runs alembic from the environment's bin folder
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", DOCKERLAB_SESSION=session)
    done = subprocess.run([str(bin_dir / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def solve(released: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """What a learner who did the exercises hands in: the released notebook with each answer cell written."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    solved = nbformat.from_dict(released)
    for cell in solved.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", "", answers[grade_id], flags=re.M)
    return solved


def test_autograde_gives_full_marks_to_a_solved_and_zero_to_an_unsolved_notebook(tmp_path, session):
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    nbgrader_course.write_course(course, ["00"])
    nbgrader(course, "generate_assignment", ASSIGNMENT, session=session)
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    assert "### BEGIN SOLUTION" not in nbformat.writes(released) and "# Your code here" in nbformat.writes(released)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    handed_in = {"unsolved": released, "solved": solve(released, source)}
    for student, nb in handed_in.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    nbgrader(course, "autograde", ASSIGNMENT, "--create", session=session)

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        solved = gb.find_submission(ASSIGNMENT, "solved")
        unsolved = gb.find_submission(ASSIGNMENT, "unsolved")
        max_score = solved.max_score
        scores = {"solved": solved.score, "unsolved": unsolved.score}
        per_cell = {g.name: g.score for g in gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "solved").grades}
    points = nbgrader_course.exercise_points()["00"]
    assert max_score == sum(points.values()) == 2
    assert scores == {"solved": max_score, "unsolved": 0}
    assert per_cell == {f"ch00-{q}-check": p for q, p in points.items()}
    # what autograde ran is in the graded copy: the unsolved answer was Not attempted, not an engine error
    graded = nbformat.read(course / "autograded" / "unsolved" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    errors = [o for c in graded.cells if c.get("cell_type") == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors and all("Not attempted" in o["evalue"] for o in errors), [o["evalue"] for o in errors]
    shutil.rmtree(course, ignore_errors=True)

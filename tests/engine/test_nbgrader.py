"""nbgrader on the real engine: generate_assignment from the course's nbgrader source, then autograde a solved and an
unsolved learner notebook of chapter 00. Each run re-creates its state on the engine; full and zero marks."""

from __future__ import annotations

import os
import re
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


def test_release_fetch_submit_collect_autograde_and_feedback_full_and_zero_marks(tmp_path, session):
    """The teacher's whole round through nbgrader's exchange: release, two learners fetch (one solves the exercises,
    one hands the notebook in untouched), submit, collect, autograde against the engine, feedback back to them."""
    from nbgrader.api import Gradebook

    course, exchange = tmp_path / "course", tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    via = f"--Exchange.root={exchange}"
    nbgrader_course.write_course(course, ["00"])
    nbgrader(course, "generate_assignment", ASSIGNMENT, session=session)
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    assert "### BEGIN SOLUTION" not in nbformat.writes(released) and "# Your code here" in nbformat.writes(released)
    nbgrader(course, "release_assignment", ASSIGNMENT, via, session=session)
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    learners = {}
    for student in ("solved", "unsolved"):
        home = tmp_path / student
        home.mkdir()
        nbgrader(home, "fetch_assignment", ASSIGNMENT, "--course=dockerlab", via, session=session)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        if student == "solved":
            nbformat.write(solve(nbformat.read(fetched, as_version=4), source), fetched)
        nbgrader(home, "submit", ASSIGNMENT, "--course=dockerlab", f"--student={student}", via, session=session)
        learners[student] = home
    nbgrader(course, "collect", ASSIGNMENT, via, session=session)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["solved", "unsolved"]
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

    nbgrader(course, "generate_feedback", ASSIGNMENT, session=session)
    nbgrader(course, "release_feedback", ASSIGNMENT, via, session=session)
    # one Unix user plays both learners here, and the exchange knows learners by their Unix user: fetching brings
    # both pages (on a hub each learner fetches only their own)
    home = learners["solved"]
    nbgrader(home, "fetch_feedback", ASSIGNMENT, "--course=dockerlab", "--student=solved", via, session=session)
    pages = [page.read_text() for page in (home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")]
    assert sorted(re.search(r"Score: ([\d.]+ / [\d.]+)", page).group(1) for page in pages) == ["0.0 / 2.0", "2.0 / 2.0"]

"""Offline: the nbgrader source folder made from notebooks/src — a solution cell per answer, an autograded test cell
with points per exercise, and test cells that pass only on Correct."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from dockerlab.checks import CheckResult, Outcome
from dockerlab.exercises.catalogue import catalogue

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools import nbgrader_course  # noqa: E402


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("course")
    nbgrader_course.write_course(folder)
    return folder


def grade_cells(nb):
    return [c for c in nb.cells if "nbgrader" in c.metadata]


def test_every_exercise_is_an_autograded_test_cell_worth_its_points(course):
    found = {}
    for path in sorted((course / "source").glob("*/*.ipynb")):
        assert path.parent.name == path.stem  # one assignment per chapter, named like its notebook
        nb = nbformat.read(path, as_version=4)
        for cell in grade_cells(nb):
            meta = cell.metadata["nbgrader"]
            if meta["grade"]:
                assert meta["locked"] and not meta["solution"] and meta["schema_version"] == 3
                m = re.fullmatch(r"ch(\d\d)-(q\d+)-check", meta["grade_id"])
                found[f"{m.group(1)}/{m.group(2)}"] = meta["points"]
    assert found == {e.key: e.points for e in catalogue()}


def test_each_solution_block_is_a_solution_cell_and_ids_are_unique(course):
    for src in nbgrader_course.sources():
        nb = nbformat.read(course / "source" / src.stem / f"{src.stem}.ipynb", as_version=4)
        ids = [c.metadata["nbgrader"]["grade_id"] for c in grade_cells(nb)]
        assert len(ids) == len(set(ids))
        solutions = [c for c in grade_cells(nb) if c.metadata["nbgrader"]["solution"]]
        english = nbgrader_course.language_version(nbgrader_course.read(src), "en")
        assert len(solutions) == sum(c.source.count("### BEGIN SOLUTION") for c in english.cells) > 0
        assert all("### BEGIN SOLUTION" in c.source and "### END SOLUTION" in c.source for c in solutions)
    config = (course / "nbgrader_config.py").read_text()
    assert 'code_stub = {"python": "# Your code here"}' in config and "DOCKERLAB_PROGRESS" in config


def test_a_korean_class_gets_the_korean_chapters(tmp_path):
    written = nbgrader_course.write_course(tmp_path, ["00"], lang="ko")
    nb = nbformat.read(written[0], as_version=4)
    assert nb.cells[0].source.startswith("# 00 · 설정 확인")
    assert any('lang="ko"' in c.source for c in nb.cells if c.cell_type == "code")
    assert sum(1 for c in grade_cells(nb) if c.metadata["nbgrader"]["grade"]) == 2
    assert 'code_stub = {"python": "# 여기에 코드를 작성하세요"}' in (tmp_path / "nbgrader_config.py").read_text()
    from tools.notebooks import ENGLISH_ONLY

    for stem in sorted(ENGLISH_ONLY)[:1]:  # while a chapter is untranslated, a Korean class cannot get it
        with pytest.raises(SystemExit, match="no ko version yet"):
            nbgrader_course.write_course(tmp_path, [stem[:2]], lang="ko")


class FakeProblem:
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.given = None

    def check(self, *args):
        self.given = args
        return CheckResult("Exercise 1", self.outcome, "what the check said")


@pytest.mark.parametrize("outcome, passes", [(Outcome.CORRECT, True), (Outcome.INCORRECT, False),
                                             (Outcome.NOT_ATTEMPTED, False)])
def test_a_test_cell_passes_only_when_the_check_says_correct(outcome, passes):
    call = nbgrader_course._CHECK.search("ex.q1.check(server_version)")
    source = nbgrader_course.test_source(call)

    class Ex:
        q1 = FakeProblem(outcome)

    shown = []
    scope = {"ex": Ex, "server_version": "20.10.24", "display": shown.append}
    if passes:
        exec(source, scope)
    else:
        with pytest.raises(AssertionError, match=f"{outcome.value}: what the check said"):
            exec(source, scope)
    assert Ex.q1.given == ("20.10.24",) and shown[0].outcome is outcome  # the learner sees the result either way


def test_a_check_of_an_unknown_exercise_stops_the_generator(tmp_path, monkeypatch):
    src = tmp_path / "00-setup-check.py"
    src.write_text("# %%\nex.q7.check()\n")
    with pytest.raises(SystemExit, match="names no exercise"):
        nbgrader_course.assignment(src, {"00": {"q1": 1}})
    src.write_text("# %%\nex.q1.check()\n")
    with pytest.raises(SystemExit, match="no check cell for q2"):
        nbgrader_course.assignment(src, {"00": {"q1": 1, "q2": 1}})

"""Offline: one copy of each solution. An exercise's ``solution()`` is the solution block of its chapter's notebook
source (notebooks/src), carried by the generated ``dockerlab/exercises/solutions.json``; no chapter module keeps a
second copy that could drift."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

from dockerlab.checks import Problem, solution_texts
from dockerlab.exercises.catalogue import catalogue
from dockerlab.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]-*.py"))


def _tool():
    spec = importlib.util.spec_from_file_location("notebooks_tool", ROOT / "tools" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
EXERCISES = catalogue()


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.key for e in EXERCISES])
def test_solution_is_the_notebooks_solution_block(exercise, lang):
    src = next(s for s in SOURCES if s.name.startswith(exercise.chapter + "-"))
    version = TOOL.language_version(TOOL.read(src), lang if lang in TOOL.languages(src) else "en")
    blocks = TOOL.solution_texts(version)
    problem = getattr(sys.modules[f"dockerlab.exercises.ch{exercise.chapter}"], exercise.exercise)
    assert exercise.exercise in blocks, f"{src.name} has no solution block above ex.{exercise.exercise}.check("
    set_language(lang)
    try:
        assert str(problem.solution()) == blocks[exercise.exercise].strip()
    finally:
        set_language(None)
    assert "solution_code" not in vars(type(problem)), "a second copy of the solution: the notebook source is the one"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_solution_belongs_to_an_exercise(lang):
    known = {(e.chapter, e.exercise) for e in EXERCISES}
    written = {(chapter, q) for chapter, qs in solution_texts(lang).items() for q in qs}
    assert written == known


def test_blocks_pair_with_the_check_below_them():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\n    a = 1\n    b = 2\n### END SOLUTION"),
        nbformat.v4.new_code_cell("ex.q2.check()"),
        nbformat.v4.new_code_cell("# ex.q2.solution()"),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 'x'\n### END SOLUTION\nex.q3.check(answer)"),
    ])
    assert TOOL.solution_texts(nb) == {"q2": "a = 1\nb = 2", "q3": "answer = 'x'"}
    nb.cells.append(nbformat.v4.new_code_cell("### BEGIN SOLUTION\nlost = 1\n### END SOLUTION"))
    with pytest.raises(SystemExit, match="no `ex.qN.check"):
        TOOL.solution_texts(nb)


def test_a_problem_outside_the_chapters_shows_its_own_solution():
    class Loose(Problem):
        solution_code = "\nprint('hi')\n"

    assert str(Loose().solution()) == "print('hi')"

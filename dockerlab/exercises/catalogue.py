"""The course's exercises in order: chapter, exercise id (``q1``…), title and points.

Read from the chapter modules (``dockerlab.exercises.chNN``) so a new exercise shows up in the progress
tables and in the nbgrader course without being listed twice.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

from ..checks import Problem

__all__ = ["Exercise", "catalogue", "problem"]

_CHAPTER = re.compile(r"^ch(\d\d)$")
_EXERCISE = re.compile(r"^q(\d+)$")


@dataclass(frozen=True)
class Exercise:
    chapter: str
    exercise: str
    title: str
    points: int = 1

    @property
    def key(self) -> str:
        return f"{self.chapter}/{self.exercise}"

    @property
    def short(self) -> str:
        """A column heading: ``03.2`` for chapter 03's q2."""
        return f"{self.chapter}.{self.exercise[1:]}"


def _chapter_modules() -> list[tuple[str, str]]:
    from .. import exercises

    found = []
    for info in pkgutil.iter_modules(exercises.__path__):
        m = _CHAPTER.match(info.name)
        if m:
            found.append((m.group(1), f"{exercises.__name__}.{info.name}"))
    return sorted(found)


def catalogue() -> list[Exercise]:
    """Every exercise of the course, chapter by chapter, q1 first."""
    out = []
    for chapter, module_name in _chapter_modules():
        module = importlib.import_module(module_name)
        found = [(int(m.group(1)), name, value) for name, value in vars(module).items()
                 if (m := _EXERCISE.match(name)) and isinstance(value, Problem)]
        for _n, name, value in sorted(found):
            out.append(Exercise(chapter, name, value.title, int(getattr(value, "points", 1))))
    return out


def problem(chapter: str, exercise: str) -> Problem:
    """The Problem object of chapter ``chapter``'s exercise ``exercise`` (``problem("03", "q2")``)."""
    module = importlib.import_module(f"{__package__}.ch{chapter}")
    value = getattr(module, exercise, None)
    if not isinstance(value, Problem):
        raise LookupError(f"chapter {chapter} has no exercise {exercise}")
    return value

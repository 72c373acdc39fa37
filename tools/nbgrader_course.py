"""Make the course an nbgrader course: write its source folder from `notebooks/src`.

    python tools/nbgrader_course.py COURSE_DIR [--chapters 00 03] [--lang ko]   (or: ./lab nbgrader COURSE_DIR)
    cd COURSE_DIR && nbgrader generate_assignment 00-setup-check      # the learner version, to release

Each chapter becomes an assignment named like its notebook (``00-setup-check``), in one language (``--lang``: en, the
default, or ko: the chapter's Korean cells, for a Korean class). In its notebook
- a code cell with ``### BEGIN SOLUTION`` … ``### END SOLUTION`` becomes a solution cell (nbgrader clears the
  block to ``# Your code here``, as the learner notebooks have it);
- each check cell, ``ex.qN.check(...)``, becomes an autograded test cell worth the exercise's points: it shows the
  check's result and fails unless the check says Correct. The check looks at the engine, so autograde runs the
  whole notebook against an engine (each notebook re-creates its own state from its first cell).
COURSE_DIR also gets an ``nbgrader_config.py`` (timeouts long enough for builds, no progress recording while
grading, grading under its own learner id).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.notebooks import KERNELSPEC, YOUR_CODE_HERE, languages, language_version, read, sources  # noqa: E402

_CHECK = re.compile(r"^(?P<indent>[ \t]*)ex\.(?P<q>q\d+)\.check\((?P<args>.*)\)\s*$", re.M)

CONFIG = '''\
"""nbgrader's configuration for the dockerlab course (written by tools/nbgrader_course.py)."""
import os

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "dockerlab"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# the learner version's placeholder, as in notebooks/LANG/NN-*.ipynb
c.ClearSolutions.code_stub = {"python": %(stub)s}
# a chapter's cells build images and wait for services: minutes, not nbgrader's default 30 s
c.Execute.timeout = 900
# Autograde re-runs each submission against this machine's engine as the grading user. Its kernels inherit
# this process's environment: grade under a learner id of their own (the chapter's first cell removes what
# a previous submission left) and keep the grader's own progress file out of it.
os.environ.setdefault("DOCKERLAB_SESSION", "grader")
os.environ["DOCKERLAB_PROGRESS"] = "off"
os.environ.pop("DOCKERLAB_EXPECT_CHECKS", None)
'''


def _meta(kind: str, grade_id: str, points: int = 0) -> dict:
    meta = {"grade": kind == "test", "grade_id": grade_id, "locked": kind == "test", "schema_version": 3,
            "solution": kind == "solution", "task": False}
    if kind == "test":
        meta["points"] = points
    return meta


def test_source(call: re.Match) -> str:
    """The autograded test cell for one check call: show the result, fail unless Correct."""
    i, q, args = call.group("indent"), call.group("q"), call.group("args")
    return (f"{i}_result = ex.{q}.check({args})\n"
            f"{i}display(_result)\n"
            f"{i}assert _result.correct, f\"{{_result.outcome.value}}: {{_result.message}}\"")


def assignment(src: Path, points: dict[str, dict[str, int]], lang: str = "en") -> nbformat.NotebookNode:
    """The nbgrader source notebook for one chapter's source file, in ``lang``."""
    from tools.notebooks import _clean

    chapter = src.name[:2]
    if lang not in languages(src):
        raise SystemExit(f"{src.name} has no {lang} version yet (tools/notebooks.py: ENGLISH_ONLY)")
    nb = _clean(language_version(read(src), lang, src.name), lang)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    answers = 0
    checks: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "### BEGIN SOLUTION" in cell.source:
            answers += 1
            cell.metadata["nbgrader"] = _meta("solution", f"ch{chapter}-answer-{answers}")
            continue
        call = _CHECK.search(cell.source)
        if call:
            q = call.group("q")
            if q not in points.get(chapter, {}):
                raise SystemExit(f"{src.name}: the check of {q} names no exercise of chapter {chapter}")
            cell.source = _CHECK.sub(test_source, cell.source)
            cell.metadata["nbgrader"] = _meta("test", f"ch{chapter}-{q}-check", points[chapter][q])
            checks.append(q)
    missing = sorted(set(points.get(chapter, {})) - set(checks))
    if missing:
        raise SystemExit(f"{src.name}: no check cell for {', '.join(missing)}")
    return nb


def exercise_points() -> dict[str, dict[str, int]]:
    from dockerlab.exercises.catalogue import catalogue

    out: dict[str, dict[str, int]] = {}
    for e in catalogue():
        out.setdefault(e.chapter, {})[e.exercise] = e.points
    return out


def write_course(course: Path, chapters: list[str] | None = None, lang: str = "en") -> list[Path]:
    """Write COURSE_DIR/nbgrader_config.py and source/<chapter>/<chapter>.ipynb in ``lang``; the notebooks written."""
    points = exercise_points()
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG % {"stub": json.dumps(YOUR_CODE_HERE[lang], ensure_ascii=False)})
    written = []
    for src in sources():
        if chapters and src.name[:2] not in chapters:
            continue
        folder = course / "source" / src.stem
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{src.stem}.ipynb"
        target.write_text(nbformat.writes(assignment(src, points, lang)) + "\n")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="the nbgrader course folder to write (created if missing)")
    parser.add_argument("--chapters", nargs="*", help="only these chapters (e.g. 00 03)")
    parser.add_argument("--lang", choices=["en", "ko"], default="en", help="the course's language (default en)")
    args = parser.parse_args(argv)
    written = write_course(args.course, args.chapters, args.lang)
    total = sum(p for ch in exercise_points().values() for p in ch.values())
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} assignments; the whole course is worth {total} points. Next: cd {args.course} && "
          "nbgrader generate_assignment <name>")
    return 0


if __name__ == "__main__":
    sys.exit(main())

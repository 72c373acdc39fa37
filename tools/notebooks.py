"""Make the course notebooks from their one source of truth.

Each chapter is written once, as a jupytext "percent" script `notebooks/src/NN-topic.py` that holds
the solutions. This tool writes
  notebooks/solutions/NN-topic.ipynb  the solution version (what the teacher runs),
  notebooks/NN-topic.ipynb            the learner version: solution code removed by markers/tags.

Solution markers (as in nbgrader): lines between `### BEGIN SOLUTION` and `### END SOLUTION` are
replaced by `# Your code here` in the learner version; cells tagged `solution` are dropped from it.

The same blocks are what each exercise's `solution()` shows: the blocks above a chapter's `ex.qN.check(` belong to
exercise qN, and this tool writes them to `dockerlab/exercises/solutions.json` (one source: the chapter's `.py`).

    python tools/notebooks.py           # write both versions
    python tools/notebooks.py --check   # exit 1 when a generated notebook is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
LEARNER = ROOT / "notebooks"
SOLUTIONS = ROOT / "notebooks" / "solutions"
#: every exercise's solution text, generated from the solution blocks of notebooks/src (see Problem.solution)
SOLUTION_TEXTS = ROOT / "dockerlab" / "exercises" / "solutions.json"

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*(\n|$)", re.M | re.S)


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata = {"kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python"},
                   "dockerlab": nb.metadata.get("dockerlab", {})}
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i:03d}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in ("tags",)}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def solution_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        cell.source = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", "", cell.source, flags=re.M).rstrip()
    return _clean(out)


def learner_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    out = nbformat.from_dict(nb)
    out.cells = [c for c in out.cells if "solution" not in c.metadata.get("tags", [])]
    for cell in out.cells:
        cell.source = _BLOCK.sub(lambda m: f"{m.group(1)}# Your code here\n", cell.source).rstrip()
    return _clean(out)


_BLOCK_TEXT = re.compile(r"^[ \t]*### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION", re.M | re.S)
_CHECK = re.compile(r"\bex\.(q\d+)\.check\(")


def solution_texts(nb: nbformat.NotebookNode) -> dict[str, str]:
    """{"q1": code, …}: the solution blocks above each `ex.qN.check(`, in the order the notebook runs them."""
    found: dict[str, str] = {}
    pending: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        pending += [textwrap.dedent(block).strip("\n") for block in _BLOCK_TEXT.findall(cell.source)]
        for name in _CHECK.findall(cell.source):
            if pending and name not in found:
                found[name] = "\n".join(pending)
                pending = []
    if pending:
        raise SystemExit(f"a solution block in {nb.metadata.get('name', 'a chapter')} has no `ex.qN.check(` after it")
    return found


def solutions_json() -> str:
    """The text of dockerlab/exercises/solutions.json: {"NN": {"qN": code}} for every chapter."""
    texts = {}
    for src in sources():
        nb = jupytext.read(src, fmt="py:percent")
        nb.metadata["name"] = src.name
        texts[src.name[:2]] = solution_texts(nb)
    return json.dumps(texts, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def render(src: Path) -> dict[Path, str]:
    nb = jupytext.read(src, fmt="py:percent")
    name = src.stem + ".ipynb"
    return {SOLUTIONS / name: nbformat.writes(solution_version(nb)) + "\n",
            LEARNER / name: nbformat.writes(learner_version(nb)) + "\n"}


def sources() -> list[Path]:
    return sorted(SRC.glob("[0-9][0-9]-*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when generated notebooks are out of date")
    args = parser.parse_args(argv)
    stale = []
    outputs = [render(src) for src in sources()] + [{SOLUTION_TEXTS: solutions_json()}]
    for rendered in outputs:
        for path, text in rendered.items():
            current = path.read_text() if path.exists() else None
            if current != text:
                stale.append(path)
                if not args.check:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text)
    expected = {p for s in sources() for p in render(s)}
    orphans = [p for p in list(LEARNER.glob("[0-9][0-9]-*.ipynb")) + list(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))
               if p not in expected]
    if args.check:
        for p in stale + orphans:
            print(f"out of date: {p.relative_to(ROOT)} (run `python tools/notebooks.py`)")
        return 1 if stale or orphans else 0
    for p in orphans:
        p.unlink()
    print(f"wrote {len(stale)} file(s); {len(expected)} notebooks in all, and {SOLUTION_TEXTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
